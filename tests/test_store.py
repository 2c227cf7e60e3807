"""The store interface and the Oxigraph backend's all-or-nothing writes."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from defence_kg.errors import DefenceKGError, StoreError
from defence_kg.graph.store.base import BACKENDS, Store, open_store
from defence_kg.graph.store.oxigraph_store import OxigraphStore


def test_backends_by_name_and_instance():
    store = open_store("oxigraph")
    assert isinstance(store, Store) and store.supports_sparql and not store.supports_cypher
    assert open_store(store) is store
    with pytest.raises(DefenceKGError, match="unknown store backend 'nope'"):
        open_store("nope")
    assert "oxigraph" in BACKENDS


def test_load_file_is_all_or_nothing(tmp_path):
    store = OxigraphStore(tmp_path / "store")
    good = tmp_path / "good.nt"
    good.write_text("<urn:a> <urn:p> <urn:b> .\n<urn:a> <urn:p> <urn:c> .\n")
    assert store.load_file(good, "urn:g:1") == 2
    versions_before = sorted((tmp_path / "store.versions").iterdir())
    bad = tmp_path / "bad.nt"
    bad.write_text("<urn:x> <urn:p> <urn:y> .\n" * 1000 + "<urn:broken> <urn:p> .\n")
    with pytest.raises(DefenceKGError, match=r"bad\.nt"):
        store.load_file(bad, "urn:g:2")
    assert store.count() == 2 and store.named_graphs() == ["urn:g:1"]
    versions = sorted((tmp_path / "store.versions").iterdir())
    assert versions == versions_before, "the failed version was removed"


def test_load_file_replaces_its_graph_and_keeps_others(tmp_path):
    store = OxigraphStore(None)
    first, second = tmp_path / "a.nt", tmp_path / "b.nt"
    first.write_text("<urn:a> <urn:p> <urn:b> .\n")
    second.write_text("<urn:a> <urn:p> <urn:z> .\n<urn:a> <urn:p> <urn:y> .\n")
    store.load_file(first, "urn:g:1")
    store.load_file(first, "urn:g:2")
    store.load_file(second, "urn:g:1")
    assert store.count("urn:g:1") == 2 and store.count("urn:g:2") == 1


def test_unknown_format_is_refused(tmp_path):
    path = tmp_path / "data.xyz"
    path.write_text("x")
    with pytest.raises(DefenceKGError, match="unknown RDF format"):
        OxigraphStore(None).load_file(path, "urn:g")


def test_replace_graphs_is_one_transaction():
    store = OxigraphStore(None)
    g = URIRef("urn:g")
    store.replace_graphs({g: [(URIRef("urn:a"), URIRef("urn:p"), Literal("one"))]})
    with pytest.raises(TypeError):
        store.replace_graphs(
            {
                URIRef("urn:other"): [(URIRef("urn:a"), URIRef("urn:p"), Literal("x"))],
                g: [(URIRef("urn:a"), URIRef("urn:p"), object())],
            }
        )
    assert store.count("urn:g") == 1 and store.named_graphs() == ["urn:g"]


def test_read_only_store_refuses_writes_and_missing_store_is_explained(tmp_path):
    with pytest.raises(StoreError, match="defence-kg build"):
        OxigraphStore(tmp_path / "missing", read_only=True)
    OxigraphStore(tmp_path / "store")
    reader = OxigraphStore(tmp_path / "store", read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        reader.replace_graphs({})


def test_a_reader_sees_a_new_build_after_refresh(tmp_path):
    writer = OxigraphStore(tmp_path / "store")
    reader = OxigraphStore(tmp_path / "store", read_only=True)
    data = tmp_path / "a.nt"
    data.write_text("<urn:a> <urn:p> <urn:b> .\n")
    writer.load_file(data, "urn:g")
    assert reader.count() == 0
    assert reader.refresh() is True and reader.count() == 1
    assert reader.refresh() is False


def test_a_folder_that_is_not_a_store_link_is_not_touched(tmp_path):
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "keep.txt").write_text("mine")
    store = OxigraphStore(tmp_path / "elsewhere")
    store.path = tmp_path / "store"
    with pytest.raises(StoreError, match="not a store link"):
        store._publish(tmp_path / "elsewhere.versions")
    assert (tmp_path / "store" / "keep.txt").read_text() == "mine"
