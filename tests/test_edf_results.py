"""EDF 2021-2024 coverage: the graph's projects per call year against the announced selections."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from rdflib import Graph

from defence_kg.data import bundled_data_dir
from defence_kg.errors import DataFileError
from defence_kg.loaders.reference import read_reference
from defence_kg.loaders.to_rdf import reference_graphs

README = bundled_data_dir().parent / "docs" / "data.md"
PER_YEAR = """
PREFIX dkg: <https://w3id.org/defence-kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX id: <https://w3id.org/defence-kg/id/>
SELECT ?p ?year ?graph WHERE { ?p a dkg:EdfProject ; dcterms:isPartOf id:edf ; dkg:year ?year }
"""
ROW = re.compile(r"^\| (20\d\d) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$")


def per_year(built_graphs: dict[Any, Any], suffix: str) -> Counter[int]:
    graph = Graph()
    for iri, triples in built_graphs.items():
        if str(iri).endswith(suffix):
            for triple in triples:
                graph.add(triple)
    return Counter(int(str(row.year)) for row in graph.query(PER_YEAR))


def readme_table() -> dict[int, tuple[int, ...]]:
    rows = (ROW.match(line) for line in README.read_text().splitlines())
    return {int(m[1]): tuple(int(m[i]) for i in range(2, 6)) for m in rows if m}


def test_coverage_per_year_matches_the_readme_and_never_exceeds_the_selection(built_graphs):
    data = read_reference(bundled_data_dir())
    assert data.edf_results is not None
    selected = {s.year: s.selected for s in data.edf_results.selections}
    assert sorted(selected) == [2021, 2022, 2023, 2024]
    exported = per_year(built_graphs, "/edf-projects")
    curated = per_year(built_graphs, "/edf-results")
    table = readme_table()
    assert sorted(table) == sorted(selected)
    for year, announced in selected.items():
        total = exported[year] + curated[year]
        assert total <= announced, f"{year}: more projects than the Commission selected"
        assert table[year] == (announced, total, exported[year], curated[year]), year


def test_a_curated_project_that_the_export_holds_is_left_to_the_export(data_copy):
    data = read_reference(data_copy)
    assert data.edf_projects is not None and data.edf_results is not None
    before = len(reference_graphs(data)[next(iter(_results_graph(data)))])
    path = data_copy / "edf_results.yaml"
    path.write_text(
        path.read_text()
        + "- acronym: REACT II\n  year: 2022\n  coordinator: Indra\n"
        + "  sources: [aef-edf-2022-results]\n"
    )
    again = read_reference(data_copy)
    assert len(reference_graphs(again)[next(iter(_results_graph(again)))]) == before


def _results_graph(data: Any) -> list[Any]:
    return [g for g in reference_graphs(data) if str(g).endswith("/edf-results")]


def test_curated_projects_have_their_coordinator_and_countries(built_graphs):
    triples = [t for i, ts in built_graphs.items() if str(i).endswith("/edf-results") for t in ts]
    text = {
        (str(s).rsplit("/", 1)[-1], str(p).rsplit("#", 1)[-1], str(o).rsplit("/", 1)[-1])
        for s, p, o in triples
    }
    assert ("edf-2021-famous2", "country", "LV") in text
    assert ("edf-org-patria", "country", "FI") in text
    members = {s for s, p, o in text if p == "member" and o == "edf-org-patria"}
    assert members, "Patria coordinates FAMOUS2 through an org:Membership"


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("  coordinator_country: FI\n", "  coordinator_country: SE\n", "coordinator country SE"),
        (
            "- acronym: EPC2\n  title: European Patrol Corvette 2\n  year: 2023",
            "- acronym: EPC2\n  title: European Patrol Corvette 2\n  year: 2025",
            "no selection of year 2025",
        ),
        ("countries: [DE, FR]", "countries: [DE, XX]", "unknown state 'XX'"),
        ("sources: [ec-edf-2021-results]", "sources: [nowhere]", "unknown source 'nowhere'"),
    ],
)
def test_bad_curated_results_are_refused_with_file_and_problem(data_copy, old, new, problem):
    path = data_copy / "edf_results.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(DataFileError, match=re.escape(problem)) as error:
        read_reference(data_copy)
    assert "edf_results.yaml" in str(error.value)
