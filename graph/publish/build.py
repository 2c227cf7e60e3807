"""`defence-kg build`: reference data -> validated RDF -> a new store version, all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from defence_kg.data import bundled_data_dir
from defence_kg.graph.analysis.overlap_graph import OVERLAP_GRAPH, derive_overlaps
from defence_kg.graph.publish.validate import load_ontology, validate
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from defence_kg.loaders.reference import read_reference
from defence_kg.loaders.to_rdf import Graphs, reference_graphs
from defence_kg.ontology import GRAPH

ONTOLOGY_GRAPH = GRAPH["ontology"]
REFERENCE_PREFIX = str(GRAPH["reference/"])
DERIVED_PREFIX = str(GRAPH["derived/"])
STEPS = ("read and validate data files", "convert to RDF", "check SHACL shapes", "write the store")

Progress = Callable[[str], None]


@dataclass
class BuildReport:
    """What a build wrote: triples per named graph and the totals."""

    graphs: dict[str, int] = field(default_factory=dict)
    quads: int = 0
    kept: list[str] = field(default_factory=list)


def is_reference_graph(iri: str) -> bool:
    """Graphs a build replaces: the ontology, the reference data and what is derived from them."""
    return iri == str(ONTOLOGY_GRAPH) or iri.startswith(REFERENCE_PREFIX) or iri.startswith(DERIVED_PREFIX)


def build_graphs(data_dir: Path | None = None, progress: Progress | None = None) -> Graphs:
    """Read, convert and validate the reference data; nothing is written."""
    step = progress or (lambda _name: None)
    step(STEPS[0])
    data = read_reference(data_dir or bundled_data_dir())
    step(STEPS[1])
    graphs = reference_graphs(data)
    ontology = load_ontology()
    graphs[URIRef(ONTOLOGY_GRAPH)] = sorted(ontology)  # type: ignore[arg-type]
    step(STEPS[2])
    validate([t for ts in graphs.values() for t in ts], ontology)
    return graphs


def build(
    store: OxigraphStore, data_dir: Path | None = None, progress: Progress | None = None
) -> BuildReport:
    """Rebuild the reference graphs of `store`; loaded documents are kept, including those
    another writer published while the data was being read and checked (the graphs to keep are
    chosen under the store's write lock).

    The overlap assessments are recomputed into the same new version. Any error (a bad data
    file, a SHACL violation, a full disk) leaves the store as it was.
    """
    graphs = build_graphs(data_dir, progress)
    if progress:
        progress(STEPS[3])
    kept = store.rebuild(graphs, keep=lambda g: not is_reference_graph(g), derive=derive_overlaps)
    report = BuildReport(kept=kept)
    for graph, triples in graphs.items():
        report.graphs[str(graph)] = len(triples)
    report.graphs[str(OVERLAP_GRAPH)] = store.count(str(OVERLAP_GRAPH))
    report.quads = store.count()
    return report
