"""SHACL validation of the built graph with pySHACL."""

from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import SH

from defence_kg.errors import ValidationFailed
from defence_kg.graph.store.base import Triple
from defence_kg.ontology import ontology_path, shapes_path


def load_ontology() -> Graph:
    return Graph().parse(ontology_path(), format="turtle")


def validate(triples: list[Triple], ontology: Graph | None = None, *, show: int = 5) -> None:
    """Raise ValidationFailed, naming the first offending nodes, unless the triples conform."""
    from pyshacl import validate as shacl

    data = Graph()
    for triple in triples:
        data.add(triple)
    shapes = Graph().parse(shapes_path(), format="turtle")
    conforms, report, _ = shacl(
        data,
        shacl_graph=shapes,
        ont_graph=ontology or load_ontology(),
        inference="none",
        allow_warnings=True,
    )
    if conforms:
        return
    problems = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        problems.append(f"{focus} {path}: {message}")
    problems.sort()
    more = f" (and {len(problems) - show} more)" if len(problems) > show else ""
    raise ValidationFailed(
        f"the graph does not conform to the SHACL shapes: {'; '.join(problems[:show])}{more}"
    )
