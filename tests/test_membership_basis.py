"""Curated or claimed: every membership row says what it rests on, rows are one per party, role and
period with their sources merged, per-source rows are one parameter away, and the same rows come
as CSV and XLSX downloads."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from defence_kg.api.main import create_app
from defence_kg.api.tables import to_csv, to_xlsx
from defence_kg.graph.analysis import lookup
from defence_kg.graph.analysis import membership_rows as mr
from defence_kg.graph.publish.documents import load_documents
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from defence_kg.settings import Settings
from tests.conftest import shared_file

ORGS = ["pesco-military-mobility", "pesco", "nato", "eu", "jef", "e2i"]


@pytest.fixture(scope="module")
def reference(built_graphs: dict[Any, Any]) -> OxigraphStore:
    store = OxigraphStore(None)
    store.replace_graphs(built_graphs)
    return store


@pytest.fixture(scope="module")
def loaded(built_graphs: dict[Any, Any]) -> OxigraphStore:
    store = OxigraphStore(None)
    store.replace_graphs(built_graphs)
    report = load_documents(store, [shared_file("corpus")], max_bytes=10_000_000)
    assert not report.errors
    return store


@pytest.fixture(scope="module")
def client(loaded: OxigraphStore):
    with TestClient(create_app(Settings(store_path=None), store=loaded)) as c:
        yield c


def key(row: dict[str, Any]) -> tuple[Any, ...]:
    return row["id"], row["role"], row.get("from"), row.get("to")


def test_the_curated_graph_alone_rests_on_reference_everywhere(reference):
    for org in ORGS:
        rows = lookup.members(reference, org)
        assert rows and {r["basis"] for r in rows} == {"reference"}, org
        assert all(s["basis"] == "reference" for r in rows for s in r["sources"])


@pytest.mark.parametrize("org", ORGS)
def test_one_row_per_party_role_and_period(loaded, org):
    rows = lookup.members(loaded, org)
    assert [k for k, n in Counter(map(key, rows)).items() if n > 1] == []
    detail = lookup.members(loaded, org, detail=True)
    assert len(detail) >= len(rows)
    # every source of every membership node is in the merged row of that party and role
    merged = {(r["id"], r["role"]): set() for r in rows}
    for r in rows:
        merged[(r["id"], r["role"])] |= {s["id"] for s in r["sources"]}
    for d in detail:
        assert {s["id"] for s in d["sources"]} <= merged[(d["id"], d["role"])], d
        assert d["membership"].startswith("https://w3id.org/defence-kg/id/membership/")


def test_documents_merge_into_the_curated_rows_and_the_rest_is_marked(loaded):
    rows = lookup.members(loaded, "pesco-military-mobility")
    detail = lookup.members(loaded, "pesco-military-mobility", detail=True)
    assert len(rows) < len(detail), "the corpus repeats curated participants: rows must merge"
    by_basis = Counter(r["basis"] for r in rows)
    assert by_basis["reference"] > 20 and by_basis["document"] >= 1
    for row in rows:
        kinds = {s["basis"] for s in row["sources"]}
        if row["basis"] == "document":
            assert kinds == {"document"} and 0 < row["confidence"] <= 1
        else:
            assert "reference" in kinds and "confidence" not in row
    # a curated row can carry a document's quote among its sources
    assert any(
        {s["basis"] for s in r["sources"]} == {"reference", "document"}
        for r in lookup.members(loaded, "pesco")
    )


def test_basis_parameter_leaves_document_only_rows_out(loaded, reference):
    for org in ORGS:
        everything = lookup.members(loaded, org)
        curated = lookup.members(loaded, org, basis="reference")
        claimed = lookup.members(loaded, org, basis="document")
        assert {key(r) for r in curated} | {key(r) for r in claimed} == {key(r) for r in everything}
        assert all(r["basis"] == "reference" for r in curated)
        # the curated rows are the reference graph's rows (documents only add sources to them)
        assert {key(r) for r in curated} == {key(r) for r in lookup.members(reference, org)}, org


def test_as_of_date_applies_to_the_merged_rows(loaded):
    day = dt.date(2024, 6, 1)
    rows = lookup.members(loaded, "nato", day, "member")
    assert len(rows) == 32 and {"FI", "SE"} <= {r["id"] for r in rows}
    assert len({r["id"] for r in rows}) == len(rows)


def test_merge_by_date_precision_and_open_period():
    def record(iri: str, basis: str, start: str | None, text: str | None = None, end=None) -> mr.Record:
        source = {"id": iri, "title": iri, "basis": basis}
        other = {"id": "DK", "label": "Denmark", "type": "State"}
        return mr.Record(iri, "pesco", other, "participant", start, end, text or start, end, [source], 0.8)

    curated = record("council", "reference", "2023-05-23")
    past = record("old", "reference", "1990-01-01", end="1999-12-31")
    month = record("factsheet", "document", "2023-05-01", "2023-05")
    undated = record("news", "document", None)
    early = record("claim", "document", "2017-01-01", "2017")
    rows = mr.merge([past, curated, month, undated, early])
    by_from = {r["from"]: r for r in rows}
    assert set(by_from) == {"1990-01-01", "2023-05-23", "2017"}
    assert {s["id"] for s in by_from["2023-05-23"]["sources"]} == {"council", "factsheet", "news"}
    assert by_from["2017"]["basis"] == "document" and by_from["2017"]["confidence"] == 0.8
    assert by_from["1990-01-01"]["basis"] == "reference"


def rows_of_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("kind", ["members", "memberships"])
def test_csv_and_xlsx_hold_the_json_rows(client, kind):
    entity = "pesco-military-mobility" if kind == "members" else "DK"
    url = f"/api/entities/{entity}/{kind}"
    rows = client.get(url).json()[kind]
    by_accept = client.get(url, headers={"Accept": "text/csv"})
    assert by_accept.headers["content-type"].startswith("text/csv")
    table = rows_of_csv(by_accept.text)
    assert [(t["id"], t["role"], t["from"], t["basis"]) for t in table] == [
        (r["id"], r["role"], r.get("from") or "", r["basis"]) for r in rows
    ]
    assert all(
        t["sources"].split("; ") == [s["id"] for s in r["sources"]] for t, r in zip(table, rows, strict=True)
    )
    assert client.get(url + "?format=csv").text == by_accept.text
    answer = client.get(url + "?format=xlsx&basis=reference")
    assert (
        answer.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in answer.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(answer.content)).active
    values = list(sheet.iter_rows(values_only=True))
    curated = client.get(url + "?basis=reference").json()[kind]
    assert values[0][:3] == ("entity", "id", "label") and len(values) == len(curated) + 1
    assert {v[8] for v in values[1:]} == {"reference"}


def test_parts_and_overlaps_download(client):
    parts = client.get("/api/entities/pesco/parts").json()["parts"]
    table = rows_of_csv(client.get("/api/entities/pesco/parts?format=csv").text)
    assert [t["id"] for t in table] == [p["id"] for p in parts] and len(parts) > 50
    overlaps = client.get("/api/overlaps?limit=20&at=2024-06-01").json()["overlaps"]
    table = rows_of_csv(
        client.get("/api/overlaps?limit=20&at=2024-06-01", headers={"Accept": "text/csv"}).text
    )
    assert [(t["a"], t["b"], float(t["score"])) for t in table] == [
        (o["a"], o["b"], o["score"]) for o in overlaps
    ]
    sheet = load_workbook(io.BytesIO(client.get("/api/overlaps?limit=5&format=xlsx").content)).active
    assert sheet.max_row == 6


def test_spreadsheet_cells_never_become_formulas():
    hostile = ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "plain"]
    table = rows_of_csv(to_csv(["label"], [[h] for h in hostile]))
    assert [t["label"] for t in table] == ["'" + h for h in hostile[:4]] + ["plain"]
    sheet = load_workbook(io.BytesIO(to_xlsx("x", ["label"], [[h] for h in hostile]))).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == hostile and {c.data_type for c in cells} == {"s"}


def test_unknown_format_or_basis_is_a_clear_error(client):
    answer = client.get("/api/entities/nato/members?format=pdf")
    assert answer.status_code == 422 and "format" in answer.text
    answer = client.get("/api/entities/nato/members?basis=rumour")
    assert answer.status_code == 422 and "basis" in answer.text


def test_overlap_evidence_names_members_only_documents_give(built_graphs):
    """A loaded document saying Albania takes part in Military Mobility since 2024: the pair with
    NATO counts Albania as shared, and says that it rests only on that document."""
    from rdflib import RDF, XSD, Literal, URIRef
    from rdflib.namespace import DCTERMS, ORG, PROV

    from defence_kg.graph.analysis.overlaps import overlap_detail
    from defence_kg.ontology import DKG, ID, TIME

    store = OxigraphStore(None)
    store.replace_graphs(built_graphs)
    doc, m = ID["document/test-claim"], ID["membership/document/test-claim/AL"]
    start = ID["membership/document/test-claim/AL/start"]
    triples = [
        (doc, RDF.type, DKG.Document),
        (doc, DCTERMS.identifier, Literal("test-claim")),
        (doc, DCTERMS.title, Literal("A made-up release")),
        (m, RDF.type, ORG.Membership),
        (m, ORG.member, ID.AL),
        (m, ORG.organization, ID["pesco-military-mobility"]),
        (m, ORG.role, DKG.Participant),
        (m, PROV.wasDerivedFrom, doc),
        (m, ORG.memberDuring, ID["membership/document/test-claim/AL/during"]),
        (ID["membership/document/test-claim/AL/during"], TIME.hasBeginning, start),
        (start, TIME.inXSDDate, Literal("2024-01-01", datatype=XSD.date)),
    ]
    store.replace_graphs({URIRef("https://w3id.org/defence-kg/graph/test/claim"): triples})
    day = dt.date(2024, 6, 1)
    [membership] = [
        c
        for c in overlap_detail(store, "pesco-military-mobility", "nato", at=day).components
        if c.name == "membership"
    ]
    assert "AL" in membership.details["shared"] and membership.details["document_only"] == ["AL"]
    assert "Only from documents" in membership.explanation
    before = overlap_detail(store, "pesco-military-mobility", "nato", at=dt.date(2023, 6, 1)).components[0]
    assert "AL" not in before.details["shared"] and before.details["document_only"] == []
    rows = lookup.members(store, "pesco-military-mobility", day)
    assert [r["basis"] for r in rows if r["id"] == "AL"] == ["document"]
    assert "AL" not in {
        r["id"] for r in lookup.members(store, "pesco-military-mobility", day, basis="reference")
    }
