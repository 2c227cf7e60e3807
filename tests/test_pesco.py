"""PESCO projects in the built graph: coordinators and members, the gaps file, live counts per date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rdflib import Graph

from defence_kg.data import bundled_data_dir
from defence_kg.errors import DataFileError
from defence_kg.loaders.reference import read_reference
from defence_kg.ontology import DKG

GAPS = bundled_data_dir() / "PESCO_GAPS.md"
PROJECTS = """
PREFIX dkg: <https://w3id.org/defence-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?p ?label ?adopted ?status ?closed
       (COUNT(DISTINCT ?coordinator) AS ?coordinators) (COUNT(DISTINCT ?participant) AS ?participants)
WHERE {
  ?p a dkg:PescoProject ; skos:prefLabel ?label ; dkg:adopted ?adopted ; dkg:status ?status .
  OPTIONAL { ?p dkg:closed ?closed }
  OPTIONAL { ?c org:organization ?p ; org:role dkg:Coordinator ; org:member ?coordinator }
  OPTIONAL { ?m org:organization ?p ; org:role dkg:Participant ; org:member ?participant }
}
GROUP BY ?p ?label ?adopted ?status ?closed
"""


@pytest.fixture(scope="module")
def projects(built_graphs: dict[Any, Any]) -> list[dict[str, Any]]:
    """Every PESCO project as the built (SHACL-checked) graph states it."""
    graph = Graph()
    for iri, triples in built_graphs.items():
        if str(iri).endswith("/pesco-projects"):
            for triple in triples:
                graph.add(triple)
    rows = []
    for row in graph.query(PROJECTS):
        rows.append(
            {
                "id": str(row.p).rsplit("/", 1)[-1],
                "label": str(row.label),
                "adopted": row.adopted.toPython(),
                "active": row.status == DKG.Active,
                "closed": row.closed.toPython() if row.closed is not None else None,
                "coordinators": int(row.coordinators),
                "participants": int(row.participants),
            }
        )
    return rows


def live_bounds(projects: list[dict[str, Any]], day: dt.date) -> tuple[int, int]:
    """Projects surely live on `day`, and those possibly live (closed on a date the graph lacks)."""
    sure = possible = 0
    for project in projects:
        if project["adopted"] > day:
            continue
        if project["active"] or (project["closed"] and project["closed"] > day):
            sure += 1
            possible += 1
        elif project["closed"] is None:
            possible += 1
    return sure, possible


def test_every_wave_is_in_the_graph(projects):
    per_wave = {}
    for project in projects:
        per_wave[project["adopted"]] = per_wave.get(project["adopted"], 0) + 1
    # the Council's own numbers of new projects per decision (data/sources/pesco.yaml)
    assert [per_wave[day] for day in sorted(per_wave)] == [17, 17, 13, 14, 11, 11]


def test_live_projects_per_date_match_the_published_figures(projects):
    data = read_reference(bundled_data_dir()).pesco_projects
    assert data is not None and len(data.published_counts) >= 5
    for count in data.published_counts:
        day = count.date.value
        sure, possible = live_bounds(projects, day)
        unnamed = sum(c.at_least for c in data.implied_closures if c.by.value <= day)
        where = f"{count.date}: published {count.projects}, graph {sure}..{possible}"
        assert count.projects <= possible, f"{where}: projects are missing from the graph"
        assert count.projects >= sure - unnamed, f"{where}: closures missing ({unnamed} implied)"
        if sure == possible and not unnamed:
            assert count.projects == sure, where


def test_the_first_closure_is_bounded_by_the_counts():
    """EU TMCC: live in the 47 of November 2019, gone from the 46 of November 2020."""
    data = read_reference(bundled_data_dir()).pesco_projects
    assert data is not None
    closed = [p for p in data.projects if p.status == "closed"]
    assert {p.acronym for p in closed} >= {"EU TMCC", "EUFOR CROC"}
    tmcc = next(p for p in closed if p.acronym == "EU TMCC")
    assert tmcc.closed_by is not None and tmcc.closed_by.value == dt.date(2020, 11, 20)


def _gaps_list(prefix: str) -> set[str]:
    line = next(li for li in GAPS.read_text().splitlines() if li.startswith(prefix))
    named = line.split(":", 1)[1].strip().rstrip(".")
    return {name.strip() for name in named.split(";")}


def test_every_project_has_a_coordinator_and_members_or_is_listed_as_a_gap(projects):
    data = read_reference(bundled_data_dir()).pesco_projects
    assert data is not None
    names = {p.id: p.acronym or p.name for p in data.projects}
    no_coordinator = {names[p["id"]] for p in projects if not p["coordinators"]}
    few_members = {names[p["id"]] for p in projects if p["participants"] < 2}
    assert _gaps_list("- No sourced coordinator") == no_coordinator
    assert _gaps_list("- Fewer than two sourced participating states") == few_members


COORDINATORS_OUTSIDE = """
PREFIX dkg: <https://w3id.org/defence-kg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?p ?c ?inside WHERE {
  ?m org:organization ?p ; org:role dkg:Coordinator ; org:member ?c .
  ?p a dkg:PescoProject .
  BIND (EXISTS { ?n org:organization ?p ; org:role dkg:Participant ; org:member ?c } AS ?inside)
}
"""


def test_every_coordinator_is_among_the_members_of_its_project_in_the_graph(built_graphs):
    graph = Graph()
    for iri, triples in built_graphs.items():
        if str(iri).endswith("/pesco-projects"):
            for triple in triples:
                graph.add(triple)
    rows = list(graph.query(COORDINATORS_OUTSIDE))
    data = read_reference(bundled_data_dir()).pesco_projects
    assert data is not None
    assert len(rows) == sum(len(p.coordinators) for p in data.projects)
    outside = sorted((str(r.p).rsplit("/", 1)[-1], str(r.c)) for r in rows if not r.inside.toPython())
    assert not outside, f"coordinators that are not project members: {outside}"


def test_closed_by_on_an_active_project_is_refused(data_copy):
    path = data_copy / "pesco_projects.yaml"
    text = path.read_text()
    marker = "  closed_by: 2020-11-20"
    assert marker in text
    text = text.replace(marker, "", 1)
    # put the bound on the first (active) project instead
    text = text.replace("  status: active\n", "  status: active\n  closed_by: 2020-11-20\n", 1)
    path.write_text(text)
    with pytest.raises(DataFileError, match="closed_by"):
        read_reference(data_copy)


def test_a_count_with_an_unknown_source_is_refused(data_copy):
    path = data_copy / "pesco_projects.yaml"
    path.write_text(path.read_text().replace("[yenisafak-wave3-2019]", "[no-such-source]", 1))
    with pytest.raises(DataFileError, match="no-such-source") as error:
        read_reference(data_copy)
    assert "pesco_projects.yaml" in str(error.value)


@pytest.mark.needs("sparql")
def test_members_answers_for_every_project(client, projects):
    data = read_reference(bundled_data_dir()).pesco_projects
    assert data is not None
    expected = {p.id: {e.state for e in p.participants} for p in data.projects}
    for project in projects:
        response = client.get(f"/api/entities/{project['id']}/members", params={"role": "participant"})
        assert response.status_code == 200, (project["id"], len(project["id"]), response.text[:200])
        got = {m["id"] for m in response.json()["members"]}
        assert got == expected[project["id"]], project["id"]
