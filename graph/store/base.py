"""The store interface: one plug point with capability flags, backends chosen by name."""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, ClassVar

from rdflib import URIRef

from defence_kg.errors import DefenceKGError

Triple = tuple[Any, Any, Any]


@dataclass
class QueryResult:
    """Rows of a SELECT (or the answer of an ASK), with truncation signalled."""

    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    truncated: bool = False
    boolean: bool | None = None


class Store(ABC):
    """A quad store the graph lives in. Backends set the flags for what they support."""

    name: ClassVar[str]
    supports_sparql: ClassVar[bool] = False
    supports_cypher: ClassVar[bool] = False
    transactional: ClassVar[bool] = False

    @abstractmethod
    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[Triple]]) -> None:
        """Replace the named graphs given, all or nothing; other graphs stay as they are."""

    @abstractmethod
    def named_graphs(self) -> list[str]:
        """IRIs of the named graphs in the store."""

    @abstractmethod
    def count(self, graph: str | None = None) -> int:
        """Number of quads, in one named graph or in all."""

    def select(
        self, query: str, bindings: Mapping[str, Any] | None = None, *, limit: int | None = None
    ) -> QueryResult:
        """Run a SPARQL SELECT or ASK with safely substituted bindings."""
        raise NotImplementedError(f"the {self.name} store does not answer SPARQL")

    def export(self, out: IO[bytes], fmt: str) -> None:
        """Write the whole store in an RDF format (nq, trig, nt, turtle, jsonld)."""
        raise NotImplementedError(f"the {self.name} store cannot export")

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release files or connections."""


BACKENDS = {
    "oxigraph": "defence_kg.graph.store.oxigraph_store:OxigraphStore",
    "neo4j": "defence_kg.graph.store.neo4j_store:Neo4jStore",
}


def backend_class(name: str) -> type[Store]:
    """The store class registered under `name`, imported only now."""
    target = BACKENDS.get(name)
    if target is None:
        known = ", ".join(sorted(BACKENDS))
        raise DefenceKGError(f"unknown store backend {name!r}; known: {known}")
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)  # type: ignore[no-any-return]


def open_store(backend: str | Store = "oxigraph", path: Path | None = None, **options: Any) -> Store:
    """A store by backend name (imported lazily) or the instance given."""
    if isinstance(backend, Store):
        return backend
    return backend_class(backend)(path, **options)  # type: ignore[call-arg]
