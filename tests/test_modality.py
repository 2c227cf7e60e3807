"""Modality: each value read off real corpus-dev sentences (read from ../shared at test time),
stored in the graph, returned by the statements API, and hedged claims kept out of /members."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest
from fastapi.testclient import TestClient
from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal

from defence_kg.api.main import create_app
from defence_kg.graph.analysis import document_reads, lookup
from defence_kg.graph.publish import documents as docs
from defence_kg.graph.publish.build import build_graphs
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from defence_kg.loaders.documents.gazetteer import build_gazetteer
from defence_kg.loaders.documents.modality import modality
from defence_kg.loaders.documents.pipeline import extract_file
from defence_kg.loaders.documents.write import document_triples
from defence_kg.ontology import DKG, shapes_path
from defence_kg.settings import Settings

from .conftest import shared_file

LIMIT = 20_000_000


def sentence_with(stem: str, phrase: str) -> str:
    """The sentence of a corpus-dev text holding `phrase` (the text itself stays in ../shared)."""
    text = shared_file("corpus-dev", f"{stem}.txt").read_text()
    at = text.index(phrase)
    start = max(text.rfind(". ", 0, at), text.rfind("\n", 0, at)) + 1
    ends = [i for i in (text.find(". ", at), text.find("\n", at)) if i >= 0]
    return text[start : min(ends) if ends else len(text)].strip()


def cue(sentence: str, word: str) -> tuple[int, int]:
    match = re.search(rf"\b{word}\b", sentence)
    assert match, (word, sentence)
    return match.span()


@pytest.mark.parametrize(
    ("stem", "phrase", "word", "expected"),
    [
        ("yenisafak-2023-denmark-joins-eda", "Denmark became the 27th member state", "became", "asserted"),
        ("yle-2018-finland-ei2", "Finland has agreed to join", "join", "planned"),
        ("ccdcoe-2014-new-members", "in the process of joining", "joining", "planned"),
        ("rferl-2022-european-sky-shield", "Estonia is also looking to join", "join", "intended"),
        ("euronews-2022-eu-states-outside-nato", "formally requested to join NATO", "join", "intended"),
        ("voiceofpeopletoday-2017-pesco-launch", "PESCO does not participate", "participate", "negated"),
        ("eda-2021-card-overview", "avoiding duplication", "duplication", "negated"),
        ("telegraph-2018-pesco-intelligence-school", "the Politico website reported", "led", "reported"),
    ],
)
def test_each_modality_from_a_real_sentence(stem, phrase, word, expected):
    sentence = sentence_with(stem, phrase)
    assert modality(sentence, cue(sentence, word)) == expected


def test_a_clause_boundary_keeps_one_clause_modality_out_of_the_next():
    sentence = sentence_with("anadolu-2022-jef-defence-ministers-oslo", "while Finland and Sweden are not")
    assert modality(sentence, cue(sentence, "members")) == "asserted"


def test_a_date_after_the_document_date_is_planned():
    assert (
        modality("Poland joins the corps in 2016.", (7, 12), date="2016", document_date="2011-06")
        == "planned"
    )
    assert (
        modality("Poland joined the corps in 2004.", (7, 13), date="2004", document_date="2011-06")
        == "asserted"
    )


@pytest.fixture(scope="module")
def hedged_store(tmp_path_factory):
    """A store with the reference graphs and one corpus-dev text whose NATO statements are hedged."""
    folder = tmp_path_factory.mktemp("hedged")
    source = shared_file("corpus-dev", "euronews-2022-eu-states-outside-nato.txt")
    shutil.copy(source, folder / source.name)
    store = OxigraphStore(None)
    store.rebuild(build_graphs())
    report = docs.load_documents(store, [folder], max_bytes=LIMIT)
    assert not report.errors
    return store


def test_hedged_joining_is_a_statement_with_its_modality_not_a_member(hedged_store):
    doc_id = "euronews-2022-eu-states-outside-nato"
    with TestClient(create_app(Settings(store_path=None), store=hedged_store)) as client:
        body = client.get(f"/api/documents/{doc_id}/statements").json()["statements"]
        joins = {
            (s["subject"], s["modality"])
            for s in body
            if s["relation"] == "joining" and s["object"] == "nato"
        }
        assert ("SE", "intended") in joins
        assert all(s["modality"] in {"asserted", "planned", "intended", "negated", "reported"} for s in body)
        # Sweden joined on 2024-03-07 (curated): on 2023-06-01 it is no member, whatever the text hopes
        members = client.get("/api/entities/nato/members", params={"at": "2023-06-01"}).json()["members"]
        assert "SE" not in {m["id"] for m in members}
    rows = [r for r in lookup.members(hedged_store, "nato", dt.date(2026, 1, 1)) if r["id"] == "SE"]
    assert rows and all(s["id"] != doc_id for r in rows for s in r["sources"])


def test_statements_conform_to_the_modality_shape(hedged_store):
    path = shared_file("corpus-dev", "euronews-2022-eu-states-outside-nato.txt")
    extraction = extract_file(path, build_gazetteer(hedged_store), max_bytes=LIMIT)
    graph = Graph()
    for triple in document_triples(extraction):
        graph.add(triple)
    shapes = Graph().parse(shapes_path(), format="turtle")
    _, _, text = shacl_validate(graph, shacl_graph=shapes)
    problems = [line for line in text.splitlines() if "modality" in line]
    assert not problems, text
    assert {str(o) for o in graph.objects(None, DKG.modality)} >= {"asserted", "intended"}
    graph.add((next(iter(graph.subjects(DKG.modality, None))), DKG.modality, Literal("perhaps")))
    _, _, text = shacl_validate(graph, shacl_graph=shapes)
    assert "modality" in text


def test_a_negated_claim_is_no_overlap_evidence(tmp_path):
    from defence_kg.graph.analysis.overlap_index import read_overlap_data
    from defence_kg.graph.analysis.overlaps import pair_key

    source = shared_file("corpus-dev", "eda-2021-card-overview.txt")
    shutil.copy(source, tmp_path / source.name)
    store = OxigraphStore(None)
    store.rebuild(build_graphs())
    docs.load_documents(store, [tmp_path], max_bytes=LIMIT)
    negated = [
        s
        for s in document_reads.statements(store, source.stem)
        if s["relation"] == "duplication" and {s["subject"], s["object"]} == {"card", "nato"}
    ]
    assert negated and negated[0]["modality"] == "negated"  # "avoiding duplication of work with NATO"
    claims = read_overlap_data(store).claims.get(pair_key("card", "nato"), [])
    assert all(c.source != source.stem for c in claims)
