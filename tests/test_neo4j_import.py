"""The bulk path's text cutting (`neo4j_import`) against the mapping the transactional path uses
(`property_graph.graph_rows`), and a real import of awkward values read back as RDF."""

from __future__ import annotations

import os
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from defence_kg.graph.store import neo4j_import as ni
from defence_kg.graph.store.neo4j_server import (
    Neo4jServer,
    class_archive,
    java_available,
    keep_archive,
    unsign,
)
from defence_kg.graph.store.neo4j_store import Neo4jStore
from defence_kg.graph.store.neo4j_sync import content_hash
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from defence_kg.graph.store.property_graph import Namespaces, graph_rows

XSD = "http://www.w3.org/2001/XMLSchema#"
A, B, C, P, Q = (ox.NamedNode(f"urn:x#{n}") for n in ("a", "b", "c", "p", "q"))
ONE, TWO = ox.NamedNode("urn:g:one"), ox.NamedNode("urn:g:two")


def awkward() -> list[ox.Quad]:
    """Escapes, a line break, languages, datatypes (native, kept as text, mixed), a type, and
    nodes of two named graphs."""

    def typed(text: str, datatype: str) -> ox.Literal:
        return ox.Literal(text, datatype=ox.NamedNode(XSD + datatype))

    values = [
        ox.Literal('say "hi" \\ back\tslash, comma; é 😀'),
        ox.Literal("two\nlines"),
        ox.Literal("colour", language="en-GB"),
        typed("007", "integer"),
        typed("1", "boolean"),
        typed("2.50", "decimal"),
        typed("2024-02-29", "date"),
        typed("1999", "gYear"),
        typed("x", "string"),
    ]
    quads = [ox.Quad(A, P, v, ONE) for v in values]
    quads += [
        ox.Quad(A, Q, typed("5", "integer"), ONE),
        ox.Quad(A, Q, ox.Literal("five"), ONE),  # one key, a string and a number: split
        ox.Quad(A, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), C, ONE),
        ox.Quad(A, P, B, ONE),
        ox.Quad(A, P, ox.Literal("from two"), TWO),  # a is shared: values name their graph
        ox.Quad(A, P, B, TWO),
        ox.Quad(B, Q, A, TWO),
        ox.Quad(C, P, ox.Literal("default graph, not synced")),
    ]
    return quads


def _bag(values: list[Any]) -> Counter[str]:
    return Counter(f"{type(v).__name__}:{v!r}" for v in values)


def test_cut_lines_are_graph_rows(built_graphs: dict[Any, Any]) -> None:
    store = OxigraphStore(None)
    store.replace_graphs(built_graphs)
    raw = store.raw_store
    raw.extend(awkward())
    lines = ni.ntriples_by_graph(raw)
    assert set(lines) == {g.value for g in raw.named_graphs()}
    for graph, text in lines.items():
        triples = [q.triple for q in raw.quads_for_pattern(None, None, None, ox.NamedNode(graph))]
        expected = graph_rows(triples, Namespaces())
        cut = ni._cut(text, Namespaces(), ni._Literals(Namespaces()))
        assert cut.quads == expected.quads == len(triples)
        assert cut.hash == ni.lines_hash(text) == content_hash(triples)
        assert set(cut.nodes) == {f"<{uri}>" for uri in expected.nodes}  # as N-Triples writes them
        for uri, row in expected.nodes.items():
            props = cut.nodes[f"<{uri}>"]
            assert {k: _bag(v) for k, v in props.items()} == {k: _bag(v) for k, v in row["props"].items()}
            assert set(cut.labels.get(f"<{uri}>", [])) == set(row["labels"])
        pairs = {
            (f"<{p['s']}>", key, f"<{p['o']}>") for key, ps in expected.relationships.items() for p in ps
        }
        assert set(cut.relationships) == pairs and len(cut.relationships) == len(pairs)


def test_every_kind_of_source_gives_the_same_lines() -> None:
    quads = awkward()
    store = ox.Store()
    store.extend(quads)
    by_store = {g: sorted(ls) for g, ls in ni.ntriples_by_graph(store).items()}
    assert by_store == {g: sorted(ls) for g, ls in ni.ntriples_by_graph(list(store)).items()}  # canonical
    by_quads = {g: sorted(ls) for g, ls in ni.ntriples_by_graph(quads + quads).items()}  # repeats dropped
    grouped: dict[str, list[ox.Triple]] = {}
    for quad in quads:
        if isinstance(quad.graph_name, ox.NamedNode):
            grouped.setdefault(quad.graph_name.value, []).append(quad.triple)
    by_mapping = {g: sorted(ls) for g, ls in ni.ntriples_by_graph(grouped).items()}
    assert by_quads == by_mapping and set(by_store) == set(by_quads) == {ONE.value, TWO.value}


def test_values_the_import_would_alter_are_refused(tmp_path: Path) -> None:
    quads = [ox.Quad(A, P, ox.Literal(" padded"), ONE)]
    with pytest.raises(ni.NotImportable):
        ni.write_files(quads, tmp_path)
    with pytest.raises(ni.NotImportable):
        ni.write_files([ox.Quad(A, P, ox.Literal("a\x1fb"), ONE)], tmp_path)


def test_blank_nodes_and_triple_terms_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ni.StoreError, match="blank"):
        ni.write_files([ox.Quad(ox.BlankNode("b0"), P, A, ONE)], tmp_path)
    with pytest.raises(ni.StoreError, match="blank"):
        ni.write_files([ox.Quad(A, P, ox.BlankNode("b0"), ONE)], tmp_path)
    with pytest.raises(ni.StoreError, match="must be an IRI"):
        ni.write_files([ox.Quad(A, P, ox.Triple(A, P, B), ONE)], tmp_path)


def test_awkward_values_import_and_read_back(tmp_path: Path) -> None:
    if not java_available():
        pytest.skip("no Java/Maven here to run neo4j-admin")
    source = ox.Store()  # numbers, booleans and dates in canonical form, as Neo4j reads them back
    source.extend(awkward())
    expected = {q for q in source if isinstance(q.graph_name, ox.NamedNode)}
    server = Neo4jServer(home=tmp_path / "neo4j")
    server.configure()
    args, _ = ni.write_files(source, tmp_path / "files")
    assert "--multiline-fields=true" in args  # "two\nlines"
    report = ni.bulk_import(source, server.home)
    assert report.quads == len(expected)
    server.start()
    try:
        target = Neo4jStore(uri=server.uri)
        target.setup()
        assert set(target.quads()) == expected
        shared = target.read("MATCH (n:Resource {uri: 'urn:x#a'}) RETURN n._g__ns0__p AS g")[0]["g"]
        assert set(shared) == {ONE.value, TWO.value}
        rels = target.read("MATCH (:Resource {uri: 'urn:x#a'})-[r]->() RETURN r.graphs AS g")
        assert sorted(r["g"] for r in rels) == [[ONE.value], [ONE.value, TWO.value]]  # type, p
        target.close()
    finally:
        server.stop()


def test_a_class_archive_is_written_once_then_used(tmp_path: Path) -> None:
    (tmp_path / "target" / "lib").mkdir(parents=True)
    (tmp_path / "target" / "lib" / ".built").touch()
    flags, written = class_archive("server", project=tmp_path)
    assert written is not None and flags[0] == f"-XX:ArchiveClassesAtExit={written}"
    keep_archive(written, ok=False)  # a failed run's archive is dropped
    assert not list((tmp_path / "target" / "cds").iterdir())
    flags, written = class_archive("server", project=tmp_path)
    assert written is not None
    written.write_bytes(b"archive")  # as the JVM writes it at its exit
    keep_archive(written)
    flags, again = class_archive("server", project=tmp_path)
    (archive,) = (tmp_path / "target" / "cds").iterdir()
    assert again is None and flags == [f"-XX:SharedArchiveFile={archive}"]
    os.utime(tmp_path / "target" / "lib" / ".built", (1, 1))  # new jars: a new archive
    assert class_archive("server", project=tmp_path)[1] is not None


def test_a_signed_jar_loses_its_signature_and_keeps_its_classes(tmp_path: Path) -> None:
    jar = tmp_path / "lib.jar"
    manifest = (
        "Manifest-Version: 1.0\r\nAutomatic-Module-Name: x\r\n\r\n"
        "Name: a/B.class\r\nSHA-256-Digest: AAAA\r\n\r\n"
    )
    with zipfile.ZipFile(jar, "w") as out:
        out.writestr("META-INF/MANIFEST.MF", manifest)
        out.writestr("META-INF/SIGNER.SF", "signature")
        out.writestr("META-INF/SIGNER.RSA", b"\x00\x01")
        out.writestr("META-INF/services/x.Y", "a.B")
        out.writestr("a/B.class", b"\xca\xfe\xba\xbe")
    assert unsign(jar) is True
    with zipfile.ZipFile(jar) as read:
        assert read.namelist() == ["META-INF/MANIFEST.MF", "META-INF/services/x.Y", "a/B.class"]
        assert read.read("META-INF/MANIFEST.MF") == b"Manifest-Version: 1.0\nAutomatic-Module-Name: x\n\n"
        assert read.read("a/B.class") == b"\xca\xfe\xba\xbe"
    assert unsign(jar) is False  # nothing left to drop: the jar is not written again
