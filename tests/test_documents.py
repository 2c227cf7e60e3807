"""Document loading on the real corpus: statements with evidence, links, candidates, idempotency
and bad input. Expected facts are read off the documents themselves (see tests/gold/)."""

from __future__ import annotations

import io
import shutil

import pytest
from fastapi.testclient import TestClient
from fpdf import FPDF

from defence_kg.api.main import create_app
from defence_kg.graph.analysis import document_reads, lookup
from defence_kg.graph.publish import documents as docs
from defence_kg.graph.publish.build import build_graphs
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from defence_kg.settings import Settings

from .conftest import shared_file

LIMIT = 20_000_000
MODALITY = "<https://w3id.org/defence-kg/ontology#modality>"


@pytest.fixture(scope="module")
def corpus():
    return shared_file("corpus", "manifest.yaml").parent


@pytest.fixture(scope="module")
def graphs():
    """The reference graphs, built and validated once for this module."""
    return build_graphs()


@pytest.fixture
def fresh(graphs):
    """A new store (in memory, or on disk at the path given) holding the reference graphs."""

    def make(path=None):
        store = OxigraphStore(path)
        store.rebuild(graphs)
        return store

    return make


@pytest.fixture(scope="module")
def loaded(corpus, graphs):
    store = OxigraphStore(None)
    store.rebuild(graphs)
    report = docs.load_documents(store, [corpus], max_bytes=LIMIT)
    assert not report.errors
    return store


def statements(store, doc_id):
    return document_reads.statements(store, doc_id)


def find(store, doc_id, relation, subject, obj):
    return [
        s
        for s in statements(store, doc_id)
        if (s["relation"], s["subject"], s["object"]) == (relation, subject, obj)
    ]


def test_every_corpus_document_is_listed_with_its_manifest_details(loaded):
    listed = {d["id"]: d for d in document_reads.documents(loaded)}
    assert len(listed) == 5
    cepob = listed["cepob-2021-pesco-nato-us"]
    assert cepob["title"].startswith("The EU's Permanent Structured Cooperation")
    assert cepob["date"] == "2021-05" and cepob["statements"] > 10


def test_spans_point_at_the_quotes_in_the_original_text(loaded, corpus):
    for doc in document_reads.documents(loaded):
        text = (corpus / f"{doc['id']}.txt").read_text()
        for statement in statements(loaded, doc["id"]):
            assert text[statement["start"] : statement["end"]] == statement["quote"]


def test_denmark_joining_pesco_with_its_date_and_quote(loaded):
    [joined] = find(loaded, "eeas-pesco-factsheet", "joining", "DK", "pesco")
    assert joined["date"] == "2023-05"
    assert "Denmark joined as the 26th participating Member State" in joined["quote"]


def test_croc_overlaps_the_framework_nations_concept(loaded):
    [claim] = find(
        loaded, "cepob-2021-pesco-nato-us", "overlap", "pesco-eufor-crisis-response-operation-core", "fnc"
    )
    assert "similar goals" in claim["quote"] and "Berlin" in claim["quote"]
    # Berlin, the metonym, is Germany's participation in the FNC
    assert find(loaded, "cepob-2021-pesco-nato-us", "participation", "DE", "fnc")


def test_third_states_in_military_mobility_from_two_documents(loaded):
    for doc_id in ("cepob-2021-pesco-nato-us", "eeas-pesco-factsheet"):
        for state in ("US", "CA", "NO"):
            assert find(loaded, doc_id, "participation", state, "pesco-military-mobility"), (doc_id, state)
    [invited] = find(loaded, "eeas-pesco-factsheet", "invitation", "GB", "pesco-military-mobility")
    assert "invited to this project" in invited["quote"]


def test_wrong_links_are_absent(loaded):
    every = [s for d in document_reads.documents(loaded) for s in statements(loaded, d["id"])]
    subjects = {s["subject"] for s in every}
    assert "BE" not in subjects, "Brussels in citations is not Belgium"
    pairs = {(s["relation"], s["subject"], s["object"]) for s in every}
    assert ("duplication", "eu", "pesco") not in pairs, "'EU defence initiatives' is attributive"
    assert ("participation", "FR", "fnc") not in pairs, "only Berlin is involved in the FNC"
    assert ("invitation", "CA", "pesco") not in pairs, "'a second PESCO project' names the project"


def test_unknown_names_become_unresolved_candidates_not_duplicates(loaded):
    result = loaded.select("""
        PREFIX dkg: <https://w3id.org/defence-kg/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?label ?acronym WHERE { ?c a dkg:Candidate ; dkg:unresolved true ;
          skos:prefLabel ?label ; skos:altLabel ?acronym }""")
    acronyms = {r["acronym"] for r in result.rows}
    assert "ERIP" in acronyms
    assert not acronyms & {"CROC", "FNC", "CARD", "NDPP", "E2I", "EDF", "CDP", "NetLogHubs"}


def test_memberships_from_documents_appear_with_their_sources(loaded):
    rows = [r for r in lookup.members(loaded, "pesco-military-mobility") if r["id"] == "US"]
    document_sources = [s for r in rows for s in r["sources"] if s["id"] == "cepob-2021-pesco-nato-us"]
    assert document_sources and "Military Mobility" in document_sources[0]["quote"]
    assert document_sources[0]["title"].startswith("The EU's Permanent Structured")
    dk = [
        r
        for r in lookup.memberships(loaded, "DK", detail=True)
        if r["organisation"] == "pesco" and any(s["id"] == "eeas-pesco-factsheet" for s in r["sources"])
    ]
    assert dk and dk[0]["from"] == "2023-05"


def test_documents_api(loaded):
    with TestClient(create_app(Settings(store_path=None), store=loaded)) as client:
        listed = client.get("/api/documents").json()["documents"]
        assert {d["id"] for d in listed} >= {"eeas-pesco-factsheet"}
        body = client.get("/api/documents/eeas-pesco-factsheet/statements").json()
        first = body["statements"][0]
        assert set(first) >= {
            "relation",
            "subject",
            "object",
            "quote",
            "start",
            "end",
            "method",
            "confidence",
        }
        assert client.get("/api/documents/nope/statements").status_code == 404
        members = client.get("/api/entities/pesco-military-mobility/members").json()["members"]
        assert any(
            s["id"] == "eeas-pesco-factsheet" and s.get("quote") for m in members for s in m["sources"]
        )


def test_loading_twice_changes_nothing_and_a_changed_version_replaces_its_graph(corpus, tmp_path, fresh):
    folder = tmp_path / "docs"
    shutil.copytree(corpus, folder)
    store = fresh(tmp_path / "store")
    docs.load_documents(store, [folder], max_bytes=LIMIT)
    before = io.BytesIO()
    store.export(before, "nq")
    again = docs.load_documents(store, [folder], max_bytes=LIMIT)
    assert {d["status"] for d in again.documents} == {"unchanged"}
    after = io.BytesIO()
    store.export(after, "nq")
    assert sorted(before.getvalue().splitlines()) == sorted(after.getvalue().splitlines())
    factsheet = folder / "eeas-pesco-factsheet.txt"
    factsheet.write_text(factsheet.read_text().replace("Denmark joined", "Denmark entered"))
    changed = docs.load_documents(store, [factsheet], max_bytes=LIMIT)
    assert changed.documents[0]["status"] == "replaced"
    assert not find(store, "eeas-pesco-factsheet", "joining", "DK", "pesco")
    assert find(store, "cepob-2021-pesco-nato-us", "joining", "US", "pesco-military-mobility")


def test_a_document_stored_by_an_older_extractor_is_extracted_again(corpus, tmp_path, fresh):
    """Same text, different stored statements (as left by an earlier version of the rules): the
    next load replaces them instead of calling the document unchanged."""
    store = fresh(tmp_path / "store")
    factsheet = corpus / "eeas-pesco-factsheet.txt"
    docs.load_documents(store, [factsheet], max_bytes=LIMIT)
    expected = statements(store, "eeas-pesco-factsheet")
    modalities = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s " + MODALITY + " ?m } }"
    stored = store.select(modalities).rows[0]["n"]
    assert stored == len(expected) > 0
    store.update("DELETE WHERE { GRAPH ?g { ?s " + MODALITY + " ?m } }")
    assert store.select(modalities).rows[0]["n"] == 0
    again = docs.load_documents(store, [factsheet], max_bytes=LIMIT)
    assert again.documents[0]["status"] == "replaced"
    assert store.select(modalities).rows[0]["n"] == stored
    assert statements(store, "eeas-pesco-factsheet") == expected


def _pdf(text: str) -> bytes:
    """A one-page PDF with `text` in Helvetica, written by fpdf2."""
    document = FPDF()
    document.add_page()
    document.set_font("Helvetica", size=12)
    document.multi_cell(0, 8, text)
    return bytes(document.output())


def test_html_markdown_and_pdf_inputs(tmp_path, fresh):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "page.html").write_text(
        "<html><head><script>var x = 'Norway joined NATO';</script></head><body>"
        "<nav>Home | PESCO | NATO</nav><div class='cookie-banner'>We use cookies</div>"
        "<article><p>In May 2023, Denmark joined PESCO as a participating Member State.</p>"
        "</article><footer>Contact</footer></body></html>"
    )
    (folder / "note.md").write_text(
        "# Note\n\nThe United States takes part in the Military Mobility project.\n"
    )
    (folder / "brief.pdf").write_bytes(_pdf("Canada participates in the Military Mobility project."))
    store = fresh()
    report = docs.load_documents(store, [folder], max_bytes=LIMIT)
    assert not report.errors, report.as_json()
    assert find(store, "page", "joining", "DK", "pesco")
    assert not find(store, "page", "joining", "NO", "nato"), "script text is dropped"
    assert find(store, "note", "participation", "US", "pesco-military-mobility")
    assert find(store, "brief", "participation", "CA", "pesco-military-mobility")


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("binary.txt", b"\x00\x01\x02\x03" * 100, "binary file"),
        ("latin1.txt", "Défense européenne".encode("latin-1"), "not valid UTF-8"),
        ("empty.txt", b"   \n", "empty file"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage", "PDF"),
        ("broken.html", b"<html><body><script>only()</script></body></html>", "no text"),
    ],
)
def test_bad_files_get_a_clear_error_and_the_others_still_load(tmp_path, fresh, name, content, problem):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / name).write_bytes(content)
    (folder / "good.txt").write_text("Denmark joined PESCO in May 2023.")
    store = fresh()
    before = store.count()
    report = docs.load_documents(store, [folder], max_bytes=LIMIT)
    [error] = report.errors
    assert error.path.endswith(name) and problem in error.problem
    assert [d["id"] for d in report.documents] == ["good"]
    assert store.count() > before
    assert not any(g.endswith(name.split(".")[0]) for g in store.named_graphs())


def test_a_50_mb_text_is_refused_by_size(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("w") as handle:
        line = "Denmark joined PESCO in May 2023. " * 30 + "\n"
        for _ in range(50_000_000 // len(line) + 1):
            handle.write(line)
    store = OxigraphStore(None)
    report = docs.load_documents(store, [big], max_bytes=LIMIT)
    [error] = report.errors
    assert "too large" in error.problem and "big.txt" in str(error)
    assert store.named_graphs() == []


def test_cli_load_json(tmp_path, corpus):
    import json

    from typer.testing import CliRunner

    from defence_kg.cli import app

    runner = CliRunner()
    store = tmp_path / "store"
    assert runner.invoke(app, ["build", "--store", str(store)]).exit_code == 0
    result = runner.invoke(
        app,
        [
            "load",
            str(corpus / "eeas-pesco-factsheet.txt"),
            "--store",
            str(store),
            "--json",
            "--title",
            "EEAS factsheet",
            "--date",
            "2024",
        ],
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    [doc] = body["documents"]
    assert set(doc) >= {"id", "iri", "path", "statements"} and doc["statements"] > 5
    bad = runner.invoke(app, ["load", str(tmp_path / "missing.txt"), "--store", str(store)])
    assert bad.exit_code == 1 and "missing.txt" in bad.output
