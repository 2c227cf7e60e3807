"""The managed Neo4j behind /cypher: started by `defence-kg serve`, kept in step with the store.

One background thread owns the server: before the first start it bulk-imports the store when the
database is empty or holds another store version (`neo4j_import`), then starts Neo4j, syncs each
store version published afterwards (per named graph, `neo4j_sync`), and starts the server again if
it dies. Until Neo4j is ready, or without Java, `reader()` raises a 503 saying why.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from defence_kg.errors import DefenceKGError, StoreError
from defence_kg.graph.answers.cypher_read import Neo4jReader
from defence_kg.graph.store import neo4j_import
from defence_kg.graph.store.neo4j_server import PROJECT, Neo4jServer, free_port, java_available
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from defence_kg.settings import Settings

if TYPE_CHECKING:
    from defence_kg.graph.store.neo4j_store import Neo4jStore

log = logging.getLogger("defence_kg.cypher")
NEEDS_JAVA = (
    "Cypher needs Java 17 (setting `java`, now {java!r}, not found) and the Neo4j engine from "
    "Maven Central (`make neo4j-build`), or an existing Neo4j in DEFENCE_KG_NEO4J_URI"
)


@dataclass
class Status:
    """What /cypher reflects: the store version Neo4j holds and the last sync's error, if any."""

    version: str | None = None
    error: str | None = None


def version_name(store: OxigraphStore) -> str:
    """A store version's short name: its folder's name on disk, an id in memory."""
    return Path(store.version).name


class CypherService:
    """The service's own Neo4j, from `start()` to `stop()`."""

    def __init__(self, settings: Settings, store: OxigraphStore, interval: float = 0.5) -> None:
        self.settings = settings
        self.store = store
        self.interval = interval
        self.status = Status()
        self.problem: str | None = "Neo4j is starting; /cypher answers once it is up to date"
        self.timings: dict[str, float] = {}
        secret = settings.neo4j_password.get_secret_value() if settings.neo4j_password else None
        home = Path(settings.neo4j_home).resolve()
        self.server = Neo4jServer(
            settings.neo4j_port or None,
            home,
            secret,
            java=settings.java,
            http_port=settings.neo4j_http_port or free_port(),
        )
        self._reader: Neo4jReader | None = None
        self.browser_url: str | None = None  # where it serves Neo4j Browser, once it is up
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Begin in the background; without Java, say once what Cypher needs and stay off."""
        if not java_available(self.settings.java):
            self.problem = NEEDS_JAVA.format(java=self.settings.java)
            log.warning("%s; everything else works.", self.problem)
            return
        self._thread = threading.Thread(target=self._run, name="managed-neo4j", daemon=True)
        self._thread.start()

    def reader(self) -> Neo4jReader:
        """The reader of the managed Neo4j; StoreError (503) while it is not ready."""
        if self.problem or self._reader is None:
            raise StoreError(self.problem or "Neo4j is not ready")
        return self._reader

    def _run(self) -> None:
        try:
            self._bring_up(first=True)
        except DefenceKGError as error:
            self.problem = f"Neo4j could not start: {error}"
            log.error("%s", self.problem)
        while not self._stop.wait(self.interval):
            try:
                if not self.server.alive:
                    self.problem = "Neo4j stopped unexpectedly; it is being started again"
                    log.warning(self.problem)
                    self._bring_up(first=False)
                elif self._current() != self.status.version:
                    self._sync()
            except DefenceKGError as error:
                log.error("managed Neo4j: %s", error)
                self._stop.wait(5.0)  # not every half second while something is wrong

    def _current(self) -> str:
        self.store.refresh()
        return version_name(self.store)

    def _bring_up(self, first: bool) -> None:
        """Import when needed (server down), start, then sync what changed since."""
        home = self.server.home
        home.mkdir(parents=True, exist_ok=True)
        self.server.configure()
        database = self.settings.neo4j_database
        version = self._current()
        fresh = not neo4j_import.database_exists(home, database)
        if first and (fresh or neo4j_import.recorded_version(home) != version):
            try:
                report = neo4j_import.bulk_import(self.store.raw_store, home, database, self.settings.java)
                neo4j_import.record_version(home, version)
                self.timings.update(report.seconds)
                log.info("bulk import: %s nodes, %s relationships", report.nodes, report.relationships)
            except neo4j_import.NotImportable as error:
                log.warning("bulk import not possible (%s); syncing through transactions", error)
        start = time.perf_counter()
        self.server.start()
        self.timings["server start"] = time.perf_counter() - start
        if any((PROJECT / "target" / "lib").glob("neo4j-browser-*.jar")):  # known once, not per page
            self.browser_url = f"http://127.0.0.1:{self.server.http_port}/browser/"
        if self._reader is None:
            self._reader = Neo4jReader(self._reader_settings())
        setup = self._target()
        setup.setup()  # the constraints (an import writes none)
        setup.close()
        if neo4j_import.recorded_version(home) == version:
            self.status = Status(version)
        self._sync()

    def _target(self) -> Neo4jStore:
        from defence_kg.graph.store.neo4j_store import Neo4jStore

        return Neo4jStore(uri=self.server.uri, settings=self._reader_settings(), retry_seconds=5)

    def _reader_settings(self) -> Settings:
        return self.settings.model_copy(update={"neo4j_uri": self.server.uri})

    def _sync(self) -> None:
        """Bring Neo4j to the store's current version; on failure keep the old status, with the error."""
        from defence_kg.graph.store.neo4j_sync import sync

        version = self._current()
        if version == self.status.version:
            self.problem = None
            return
        target = self._target()
        try:
            sync(self.store.quads(), target, wait=self.settings.write_wait)
        except DefenceKGError as error:
            self.status = Status(self.status.version, f"the sync of store version {version} failed: {error}")
            self.problem = None if self.status.version else self.status.error
            raise
        finally:
            target.close()
        neo4j_import.record_version(self.server.home, version)
        self.status = Status(version)
        self.problem = None

    def stop(self) -> None:
        """Stop the thread and the server."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=180)
        if self._reader is not None:
            self._reader.close()
        self.server.stop()
