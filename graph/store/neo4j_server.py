"""A real Neo4j 5.26 Community server from Maven Central, for tests and local development.

`neo4j/pom.xml` copies the engine's jars into `neo4j/target/lib`; this module builds that folder
(`mvn -q package`, skipped when up to date), writes a `neo4j.conf` into a home folder and runs
`org.neo4j.server.CommunityEntryPoint` with plain `java`, then waits until Bolt answers.

    python -m defence_kg.graph.store.neo4j_server --port 7687 --home var/neo4j   # `make neo4j`
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path
from types import TracebackType

from defence_kg.errors import StoreError

PROJECT = Path(__file__).resolve().parents[2] / "neo4j"
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
START_TIMEOUT = 120.0
POLL = 0.05  # seconds between readiness checks: a refused TCP connection costs next to nothing
JVM_FLAGS = [
    "-Xms512m",
    "-Xmx4g",  # committed only as used; room for big literal rows (the sync's transactions are bounded)
    "-XX:+UseG1GC",
    "-XX:+ExitOnOutOfMemoryError",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
]


def java_available(java: str = "java") -> bool:
    """True when `java` and `mvn` (or an already built engine) are present."""
    return shutil.which(java) is not None and (shutil.which("mvn") is not None or _built(PROJECT))


STAMP = "jars unsigned\n"  # what `.built` holds once `unsign` has run on the jars Maven copied
_SIGNATURE = re.compile(r"META-INF/[^/]+\.(SF|RSA|DSA|EC)")


def _built(project: Path) -> bool:
    stamp = project / "target" / "lib" / ".built"
    return (
        stamp.exists()
        and stamp.stat().st_mtime >= (project / "pom.xml").stat().st_mtime
        and stamp.read_text() == STAMP
    )


def build(project: Path = PROJECT) -> Path:
    """The folder of the engine's jars, built with Maven unless it is up to date."""
    lib = project / "target" / "lib"
    if _built(project):
        return lib
    mvn = shutil.which("mvn")
    if mvn is None:
        raise StoreError("Maven (`mvn`) is needed once to fetch Neo4j from Maven Central")
    done = subprocess.run([mvn, "-q", "-B", "package"], cwd=project, capture_output=True, text=True)
    if done.returncode != 0:
        raise StoreError(f"building Neo4j failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    for jar in sorted(lib.glob("*.jar")):
        unsign(jar)
    (lib / ".built").write_text(STAMP)
    return lib


def unsign(jar: Path) -> bool:
    """Drop a jar's signature (its signature files and the per-entry digests of its manifest);
    True when it had one. Maven checked the jar's checksum when it fetched it; a signed jar
    (eclipse-collections, which the kernel loads thousands of classes from) is verified entry by
    entry at every JVM start and kept out of the class-data-sharing archive, which cost about half
    a second per import and per server start. No Maven plugin rewrites copied dependencies so."""
    with zipfile.ZipFile(jar) as source:
        entries = source.infolist()
        if not any(_SIGNATURE.fullmatch(e.filename) for e in entries):
            return False
        temporary = jar.with_suffix(".unsigned")
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as target:
            for entry in entries:
                if _SIGNATURE.fullmatch(entry.filename):
                    continue
                data = source.read(entry)
                if entry.filename == "META-INF/MANIFEST.MF":  # its main section only
                    text = data.decode("utf-8").replace("\r\n", "\n")
                    data = (text.split("\n\n", 1)[0].rstrip("\n") + "\n\n").encode("utf-8")
                target.writestr(entry, data)
    os.replace(temporary, jar)
    return True


def class_archive(name: str, java: str = "java", project: Path = PROJECT) -> tuple[list[str], Path | None]:
    """JVM flags for a class-data-sharing archive of the engine's classes (AppCDS): with it a JVM
    loads them mapped from one file, a second or so less at each start. Without one yet, the run
    writes it when it exits into the temporary file returned, which `keep_archive` then moves in
    place (concurrent first runs cannot clash). Named after the JVM and the jars: a new one of
    either makes a new archive (a JVM given an archive it cannot use ignores it)."""
    binary = Path(shutil.which(java) or java).resolve()
    stamp = project / "target" / "lib" / ".built"
    key = f"{binary}|{_mtime(binary)}|{_mtime(stamp)}"
    folder = project / "target" / "cds"
    archive = folder / f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:12]}.jsa"
    if archive.exists():
        return [f"-XX:SharedArchiveFile={archive}"], None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only installation: no archive, a slower start
        return [], None
    temporary = folder / f"{archive.stem}.{os.getpid()}.{time.monotonic_ns()}.tmp"
    # without its list of the classes it cannot archive (a thousand lines) in the output
    return [f"-XX:ArchiveClassesAtExit={temporary}", "-Xlog:cds=off", "-Xlog:cds+dynamic=off"], temporary


def keep_archive(temporary: Path | None, ok: bool = True) -> None:
    """Move an archive a run has written (see `class_archive`) in place, or drop it (not `ok`)."""
    if temporary is None:
        return
    try:
        if ok and temporary.exists() and temporary.stat().st_size > 0:
            os.replace(temporary, temporary.parent / f"{temporary.name.split('.', 1)[0]}.jsa")
        else:
            temporary.unlink(missing_ok=True)
    except OSError:  # only a faster next start is lost
        pass


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def config(port: int, auth: bool, http_port: int | None = None) -> str:
    """neo4j.conf for a server bound to 127.0.0.1:`port` (strictly validated by Neo4j); with
    `http_port`, its HTTP connector (and Neo4j Browser, when its jar is in lib/) there."""
    http = (
        [
            "server.http.enabled=true",
            f"server.http.listen_address=127.0.0.1:{http_port}",
            f"server.http.advertised_address=127.0.0.1:{http_port}",
            # Neo4j Browser sends no telemetry (Community has no switch for its other outgoing calls)
            "client.allow_telemetry=false",
        ]
        if http_port
        else ["server.http.enabled=false"]
    )
    return "\n".join(
        [
            f"server.bolt.listen_address=127.0.0.1:{port}",
            f"server.bolt.advertised_address=127.0.0.1:{port}",
            *http,
            "server.https.enabled=false",
            f"dbms.security.auth_enabled={'true' if auth else 'false'}",
            "dbms.usage_report.enabled=false",
            # the store of a million triples (about 0.4 GB) stays in the page cache; transactions may
            # use up to 3 GiB together (the default is 70% of the heap: 1.4 GiB with the former 2 GiB)
            "server.memory.pagecache.size=1g",
            "dbms.memory.transaction.total.max=3g",
            "db.tx_log.preallocate=false",
            # Bolt's event loops stop at once once the databases have (its default quiet period of
            # 5 s, twice over, made every stop take 10 s)
            "internal.dbms.bolt.netty_server_shutdown_quiet_period=0",
            "server.directories.import=import",
            "",
        ]
    )


class Neo4jServer:
    """One Neo4j process on 127.0.0.1; `password=None` disables authentication."""

    def __init__(
        self,
        port: int | None = None,
        home: Path | None = None,
        password: str | None = None,
        java: str = "java",
        http_port: int | None = None,
    ):
        self.port = port or free_port()
        self.http_port = http_port
        self.password = password
        self.java = java
        self._tmp = None if home else tempfile.mkdtemp(prefix="defence-kg-neo4j-")
        self.home = Path(home or self._tmp)  # type: ignore[arg-type]
        self.process: subprocess.Popen[bytes] | None = None
        self._archive: Path | None = None  # the class archive this run writes at its exit, if any

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def auth(self) -> tuple[str, str] | None:
        return ("neo4j", self.password) if self.password else None

    @property
    def log(self) -> Path:
        return self.home / "console.log"

    def configure(self) -> Path:
        """Write `conf/neo4j.conf` into the home (before a start or an import); its folder."""
        conf = self.home / "conf"
        conf.mkdir(parents=True, exist_ok=True)
        (conf / "neo4j.conf").write_text(
            config(self.port, auth=self.password is not None, http_port=self.http_port)
        )
        return conf

    def start(self, timeout: float = START_TIMEOUT) -> Neo4jServer:
        """Build if needed, start and wait until Bolt answers; StoreError with the log if not."""
        lib = build()
        conf = self.configure()
        archive, self._archive = class_archive("server", self.java)  # about 2 s of a start
        command = [
            self.java,
            *JVM_FLAGS,
            *archive,
            "-cp",
            f"{lib}/*",
            ENTRY_POINT,
            f"--home-dir={self.home}",
            f"--config-dir={conf}",
            "--console-mode",
        ]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                command, cwd=self.home, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self._wait(timeout)
        if self.password:
            self._set_password()
        return self

    def _wait(self, timeout: float) -> None:
        """Until Bolt answers: Neo4j opens its Bolt port only once the default database is up,
        so a cheap TCP connect is tried until it is accepted, then the driver's handshake."""
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError, ServiceUnavailable

        assert self.process is not None
        deadline = time.monotonic() + timeout
        auth = ("neo4j", "neo4j") if self.password else None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                keep_archive(self._archive, ok=False)
                raise StoreError(f"Neo4j exited with {self.process.returncode}:\n{self.tail()}")
            if not self._listening():
                time.sleep(POLL)
                continue
            try:
                with GraphDatabase.driver(self.uri, auth=auth) as driver:
                    driver.verify_connectivity()
                    return
            except AuthError:
                if self.password:  # a home reused with its password already set
                    return
                raise
            except (ServiceUnavailable, OSError):
                time.sleep(POLL)
        self.stop()
        raise StoreError(f"Neo4j did not answer on {self.uri} within {timeout:.0f} s:\n{self.tail()}")

    def _listening(self) -> bool:
        """Whether something accepts TCP connections on the Bolt port."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1.0):
                return True
        except OSError:
            return False

    def _set_password(self) -> None:
        """Replace the initial password `neo4j` of a fresh home by the one configured."""
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError

        try:
            with GraphDatabase.driver(self.uri, auth=("neo4j", "neo4j")) as driver:
                driver.execute_query(
                    "ALTER CURRENT USER SET PASSWORD FROM 'neo4j' TO $password",
                    password=self.password,
                    database_="system",
                )
        except AuthError:
            pass  # already set on an earlier start of this home

    def tail(self, lines: int = 40) -> str:
        """The end of the server's console output."""
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self, timeout: float = 60.0) -> None:
        """SIGTERM (exit 0 or 143), SIGKILL after `timeout`; the temporary home is removed."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None:  # a JVM stopped by SIGTERM has written its archive
            keep_archive(self._archive, ok=self.process.returncode in (0, 143))
            self._archive = None
        self.process = None
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)

    @property
    def alive(self) -> bool:
        """True while the server's process runs."""
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """Stop the JVM at once (SIGKILL), as a crash would; the home is kept for a restart."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            keep_archive(self._archive, ok=False)  # killed before it could write one
            self._archive = None

    def __enter__(self) -> Neo4jServer:
        return self.start() if self.process is None else self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()


def main() -> None:
    """Run a server in the foreground until Ctrl-C (`make neo4j`)."""
    parser = argparse.ArgumentParser(description="Run a local Neo4j 5.26 Community server.")
    parser.add_argument("--port", type=int, default=7687)
    parser.add_argument("--home", type=Path, default=Path("var/neo4j"))
    parser.add_argument("--password", default=os.environ.get("DEFENCE_KG_NEO4J_PASSWORD"))
    args = parser.parse_args()
    args.home.mkdir(parents=True, exist_ok=True)
    server = Neo4jServer(args.port, args.home.resolve(), args.password)
    server.start()
    auth = "user neo4j and the password given" if args.password else "no authentication"
    print(f"Neo4j ready on {server.uri} ({auth}); data in {args.home}. Ctrl-C stops it.", flush=True)
    try:
        assert server.process is not None
        server.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
