"""The HTTP API contract: shapes, filters and errors, over the real graph."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.needs("sparql")  # the API and lookups are SPARQL


def test_search_ranks_exact_iso_and_acronym_matches_first(client):
    assert client.get("/api/search", params={"q": "DK"}).json()["results"][0]["id"] == "DK"
    first = client.get("/api/search", params={"q": "PESCO"}).json()["results"][0]
    assert first["id"] == "pesco" and first["type"] == "Initiative"
    hit = client.get("/api/search", params={"q": "nato"}).json()["results"][0]
    assert set(hit) >= {"id", "label", "type", "iri"} and hit["id"] == "nato"


def test_search_finds_metonyms_and_filters_by_type(client):
    results = client.get("/api/search", params={"q": "Washington"}).json()["results"]
    assert [r["id"] for r in results][:1] == ["US"]
    projects = client.get("/api/search", params={"q": "mobility", "type": "Project"}).json()
    assert projects["results"] and {r["type"] for r in projects["results"]} == {"Project"}
    assert client.get("/api/search", params={"q": "x", "type": "Planet"}).status_code == 422


def test_entity_shape(client):
    body = client.get("/api/entities/FR").json()
    assert body["id"] == "FR" and body["iso2"] == "FR" and body["wikidata"] == "Q142"
    assert body["type"] == "State" and body["iri"].endswith("/id/FR")
    assert isinstance(body["alt_labels"], list) and body["sources"]
    assert all({"id", "title"} <= set(s) for s in body["sources"])
    nato = client.get("/api/entities/nato").json()
    assert nato["type"] == "Organisation" and nato["wikidata"] == "Q7184"


def test_members_with_and_without_date(client):
    on = client.get("/api/entities/nato/members", params={"at": "2022-01-01"}).json()["members"]
    assert len(on) == 30
    every = client.get("/api/entities/nato/members").json()["members"]
    assert len(every) == 32
    member = on[0]
    assert set(member) >= {"id", "label", "type", "role", "from", "sources"}
    assert member["sources"][0]["title"]


def test_memberships_name_the_organisation(client):
    rows = client.get("/api/entities/SE/memberships", params={"at": "2024-06-01"}).json()
    organisations = {m["organisation"] for m in rows["memberships"]}
    assert {"eu", "nato", "pesco", "eda", "jef"} <= organisations


def test_role_filter(client):
    rows = client.get(
        "/api/entities/pesco-military-mobility/members", params={"role": "third_state_participant"}
    ).json()["members"]
    assert {r["id"] for r in rows} >= {"US", "CA", "NO", "GB"}
    assert {r["role"] for r in rows} == {"third_state_participant"}


def test_parts_of_pesco_are_its_projects(client):
    parts = client.get("/api/entities/pesco/parts").json()["parts"]
    assert len(parts) >= 60
    assert {p["type"] for p in parts} == {"Project"}
    assert all(p["adopted"] and p["wave"] for p in parts)
    mm = next(p for p in parts if p["id"] == "pesco-military-mobility")
    assert mm["adopted"] == "2018-03-06" and mm["wave"] == 1


@pytest.mark.parametrize(
    "path",
    [
        "/api/entities/nope",
        "/api/entities/nope/members",
        "/api/entities/nope/memberships",
        "/api/entities/nope/parts",
        "/api/entities/a%20b",
    ],
)
def test_unknown_id_is_404_with_a_message(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "nope" in response.json()["detail"] or "a b" in response.json()["detail"]


@pytest.mark.parametrize("at", ["2022-13-01", "yesterday", "2022-02-30"])
def test_bad_date_is_422(client, at):
    assert client.get("/api/entities/nato/members", params={"at": at}).status_code == 422


def test_sparql_select_json(client):
    query = (
        "PREFIX dkg: <https://w3id.org/defence-kg/ontology#> "
        "SELECT ?code WHERE { ?s dkg:iso2 ?code } ORDER BY ?code"
    )
    response = client.get("/sparql", params={"query": query})
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    body = response.json()
    assert body["head"]["vars"] == ["code"]
    codes = [b["code"]["value"] for b in body["results"]["bindings"]]
    assert "DE" in codes and codes == sorted(codes)


def test_sparql_ask_construct_errors_and_row_cap(client):
    ask = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()
    assert ask["boolean"] is True
    turtle = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    bad = client.get("/sparql", params={"query": "SELEKT nothing"})
    assert bad.status_code == 400 and bad.json()["detail"]
    update = client.get("/sparql", params={"query": "DROP ALL"})
    assert update.status_code == 403
    capped = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert capped.headers["x-truncated"] == "true"
    assert len(capped.json()["results"]["bindings"]) == 500


def test_docs_are_served_from_the_package_not_a_cdn(client):
    page = client.get("/docs").text
    assert "/assets/docs/swagger-ui-bundle.js" in page and "cdn" not in page
    assert client.get("/assets/docs/swagger-ui-bundle.js").status_code == 200
    redoc = client.get("/redoc").text
    assert "/assets/redoc/redoc.standalone.js" in redoc and "fonts.googleapis" not in redoc
    assert "cdn.redoc.ly" not in client.get("/assets/redoc/redoc.standalone.js").text


def test_every_route_is_described(client):
    spec = client.get("/openapi.json").json()
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            assert operation.get("description") or operation.get("summary"), (method, path)


def handed_out_ids(client) -> set[str]:
    """Every id that /parts and /search give for the frameworks and a spread of queries."""
    ids: set[str] = set()
    for framework in ("pesco", "edf", "nato", "eu"):
        answer = client.get(f"/api/entities/{framework}/parts")
        if answer.status_code == 200:
            ids |= {p["id"] for p in answer.json()["parts"]}
    for text in ("pesco", "project", "European", "NATO", "capability", "a", "e", "i", "o", "s"):
        results = client.get("/api/search", params={"q": text, "limit": 200}).json()["results"]
        ids |= {r["id"] for r in results}
    return ids


def test_every_id_the_api_hands_out_works_in_every_route_that_takes_an_id(client):
    ids = sorted(handed_out_ids(client))
    assert len(ids) > 150 and max(map(len, ids)) > 120, "long PESCO slugs are among them"
    routes = ("/api/entities/{}", "/api/entities/{}/members", "/api/entities/{}/memberships")
    refused = []
    for entity_id in ids:
        for route in routes:
            status = client.get(route.format(entity_id)).status_code
            if status != 200:
                refused.append((route.format(entity_id), status))
        parts = client.get(f"/api/entities/{entity_id}/parts").status_code
        if parts not in (200, 404):
            refused.append((f"/api/entities/{entity_id}/parts", parts))
    # The slower routes: every long id (what length limits refuse) and a spread of the others.
    for entity_id in [i for n, i in enumerate(ids) if len(i) > 80 or n % 10 == 0]:
        for params in ({"entity": entity_id}, {"a": entity_id, "b": "nato"}):
            status = client.get("/api/overlaps", params=params).status_code
            if status not in (200, 404):  # a pair that has no assessment is a 404, never a 422
                refused.append((f"/api/overlaps?{params}", status))
        status = client.get(f"/views/ego/{entity_id}").status_code
        if status != 200:
            refused.append((f"/views/ego/{entity_id}", status))
    assert refused == []
