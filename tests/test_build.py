"""Builds are validated, idempotent and all-or-nothing; bad data names the file and line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from defence_kg.errors import DataFileError, ValidationFailed
from defence_kg.graph.publish.build import build, build_graphs
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from defence_kg.ontology import GRAPH


def nquads(store: OxigraphStore) -> list[str]:
    out = io.BytesIO()
    store.export(out, "nq")
    return sorted(out.getvalue().decode().splitlines())


def replace_in(path: Path, old: str, new: str) -> int:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1))
    return line


def test_the_bundled_graph_conforms_to_the_shapes():
    graphs = build_graphs()  # raises ValidationFailed otherwise
    assert {str(g).rsplit("/", 1)[-1] for g in graphs} >= {
        "states",
        "entities",
        "memberships",
        "pesco-projects",
        "edf-projects",
        "sources",
        "ontology",
    }


def test_building_twice_gives_the_same_quads(tmp_path):
    """The derived overlap graph included: it carries its as-of day, no clock time."""
    store = OxigraphStore(tmp_path / "store")
    build(store)
    first = nquads(store)
    build(store)
    assert nquads(store) == first
    assert any("derived/overlaps" in line for line in first)
    assert len(first) > 10_000
    assert not any("_:" in line for line in first), "no blank nodes: IRIs are stable"


def test_rebuild_swaps_versions_and_prunes_only_what_no_reader_has_open(tmp_path):
    def versions() -> list[str]:
        return sorted(p.name for p in (tmp_path / "store.versions").iterdir() if p.is_dir())

    store = OxigraphStore(tmp_path / "store")
    build(store)
    first = (tmp_path / "store").resolve()
    reader = OxigraphStore(tmp_path / "store", read_only=True)  # pins the first version
    build(store)
    build(store)
    third = (tmp_path / "store").resolve()
    assert first.exists() and reader.count() > 10_000, "an open reader keeps its version"
    assert versions() == sorted([first.name, third.name]), "the unread second version is gone"
    reader.close()
    build(store)
    assert versions() == [(tmp_path / "store").resolve().name]


def test_bad_data_file_names_file_line_and_problem_and_keeps_the_store(tmp_path, data_copy):
    store = OxigraphStore(tmp_path / "store")
    build(store, data_copy)
    before = nquads(store)
    line = replace_in(data_copy / "memberships.yaml", "from: 2023-04-04", "from: 2023-04-31")
    with pytest.raises(DataFileError) as caught:
        build(store, data_copy)
    error = caught.value
    assert error.path.endswith("memberships.yaml")
    assert error.line == line
    assert "2023-04-31" in error.problem
    assert nquads(store) == before
    reopened = OxigraphStore(tmp_path / "store", read_only=True)
    assert nquads(reopened) == before


@pytest.mark.parametrize(
    ("file", "old", "new", "problem"),
    [
        ("states.yaml", "iso2: DE", "iso2: Germany", "iso2"),
        ("states.yaml", "wikidata: Q183", "wikidata: 183", "wikidata"),
        ("entities.yaml", "family: NATO", "family: Atlantis", "family"),
        ("memberships.yaml", "role: member", "role: boss", "role"),
        ("memberships.yaml", "organisation: nato", "organisation: natoo", "unknown organisation"),
        ("pesco_projects.yaml", "coordinators: [NL]", "coordinators: [MT]", "coordinator MT"),
    ],
)
def test_each_kind_of_bad_data_is_refused_with_its_line(data_copy, file, old, new, problem):
    line = replace_in(data_copy / file, old, new)
    with pytest.raises(DataFileError) as caught:
        build_graphs(data_copy)
    assert caught.value.path.endswith(file)
    assert problem in caught.value.problem
    assert caught.value.line == line or caught.value.line in range(line - 12, line + 1)


def test_unknown_keys_are_errors(data_copy):
    replace_in(data_copy / "states.yaml", "iso2: DE", "iso2: DE\n    colour: black")
    with pytest.raises(DataFileError, match="colour"):
        build_graphs(data_copy)


def test_unknown_source_is_refused(data_copy):
    replace_in(data_copy / "memberships.yaml", "sources: [", "sources: [no-such-source, ")
    with pytest.raises(DataFileError, match="unknown source 'no-such-source'"):
        build_graphs(data_copy)


def test_invalid_yaml_and_non_utf8_files(data_copy):
    (data_copy / "states.yaml").write_text("states:\n  - iso2: [DE\n")
    with pytest.raises(DataFileError, match="invalid YAML") as caught:
        build_graphs(data_copy)
    assert caught.value.line is not None
    (data_copy / "states.yaml").write_bytes(b"states:\n  - name: \xff\xfe\n")
    with pytest.raises(DataFileError, match="not UTF-8"):
        build_graphs(data_copy)


def test_shacl_violation_stops_the_build(monkeypatch, tmp_path):
    from defence_kg.loaders import to_rdf

    original = to_rdf.membership_triples

    def unsourced(*args, **kwargs):
        return [t for t in original(*args, **kwargs) if "wasDerivedFrom" not in str(t[1])]

    monkeypatch.setattr(to_rdf, "membership_triples", unsourced)
    store = OxigraphStore(tmp_path / "store")
    with pytest.raises(ValidationFailed, match="source"):
        build(store)
    assert store.count() == 0


def test_loaded_document_graphs_survive_a_rebuild(tmp_path):
    store = OxigraphStore(tmp_path / "store")
    build(store)
    doc = GRAPH["document/test"]
    from rdflib import Literal, URIRef

    store.replace_graphs({doc: [(URIRef("urn:x"), URIRef("urn:p"), Literal("kept"))]})
    build(store)
    assert store.count(str(doc)) == 1
