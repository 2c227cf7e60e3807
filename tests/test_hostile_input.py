"""Hostile documents and pathological text through the real `defence-kg load` (a subprocess with
a CPU-time limit, so a bomb or a backtracking regex fails the test instead of hanging it), RDF/XML
entity bombs, and hostile uploads to POST /api/documents."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from defence_kg.api.main import create_app
from defence_kg.errors import DocumentError
from defence_kg.graph.publish.build import build_graphs
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from defence_kg.settings import Settings
from tests import hostile

pytestmark = pytest.mark.slow
HANG_GUARD = 120  # seconds of CPU after which the child is killed (SIGXCPU): a hang, not a slow run


@pytest.fixture(scope="module")
def graphs():
    return build_graphs()


@pytest.fixture(scope="module")
def store_path(tmp_path_factory, graphs) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "store"
    store = OxigraphStore(path)
    store.rebuild(graphs)
    store.close()
    return path


def quads(path: Path) -> set:
    store = OxigraphStore(path, read_only=True)
    try:
        return set(store.quads())
    finally:
        store.close()


def load(path: Path, store: Path) -> tuple[int, dict, float]:
    """`defence-kg load PATH --json` in a subprocess: the exit code, the JSON report and the CPU
    seconds it took (killed past HANG_GUARD seconds of CPU)."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (HANG_GUARD, HANG_GUARD + 1))

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    process = subprocess.run(
        [sys.executable, "-m", "defence_kg.cli", "load", str(path), "--store", str(store), "--json"],
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=cap,
        env={**os.environ, "DEFENCE_KG_MAX_DOCUMENT_BYTES": "20000000"},
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    assert process.returncode >= 0, f"killed by signal {-process.returncode} after {cpu:.1f} s of CPU"
    return process.returncode, json.loads(process.stdout), cpu


class Yardstick:
    """CPU seconds this machine takes to load 1 MB of ordinary prose, so the limits hold on a slow
    CI runner as well as on a fast laptop. A run over its limit is compared once more against a
    fresh measurement, so a runner that slowed down for a minute is not taken for a regression."""

    def __init__(self, directory: Path, store: Path) -> None:
        self.path, self.store = directory / "prose.txt", store
        sentence = "The committee met on a rainy morning and talked at length about the budget. "
        self.path.write_text(sentence * (1_000_000 // len(sentence)), encoding="utf-8")
        self.seconds = self.measure()

    def measure(self) -> float:
        code, report, cpu = load(self.path, self.store)
        assert code == 0 and report["documents"][0]["statements"] == 0, report
        return cpu

    def check(self, cpu: float, factor: float) -> None:
        if cpu >= factor * self.seconds:
            self.seconds = max(self.seconds, self.measure())
        assert cpu < factor * self.seconds, f"{cpu:.1f} s of CPU, {self.seconds:.1f} s for 1 MB of prose"


@pytest.fixture(scope="module")
def benign(tmp_path_factory, store_path) -> Yardstick:
    return Yardstick(tmp_path_factory.mktemp("benign"), store_path)


REFUSED = {
    "deep.html": (hostile.deep_html, "nested 200,002 deep"),
    "bomb.pdf": (hostile.pdf_decompression_bomb, "safety limit"),
    "pages.pdf": (lambda: hostile.pdf_many_pages(50_000), "too many pages"),
    "array.pdf": (hostile.pdf_many_pages, "safety limit"),
    "nested.pdf": (hostile.pdf_deep_nesting, "broken PDF"),
    "bad-utf16.txt": (
        lambda: b"\xff\xfe" + "Denmark joined PESCO".encode("utf-16-le") + b"\x00\xd8",
        "UTF-16",
    ),
    "invalid-utf8.txt": (lambda: b"Denmark joined PESCO \xc3\x28 in May 2023.", "not valid UTF-8"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_documents_are_refused_quickly_with_the_store_unchanged(tmp_path, store_path, benign, name):
    make, problem = REFUSED[name]
    path = tmp_path / name
    path.write_bytes(make())
    before = quads(store_path)
    code, report, cpu = load(path, store_path)
    benign.check(cpu, 3)
    assert code == 1 and report["documents"] == []
    [error] = report["errors"]
    assert error["path"].endswith(name) and problem in error["problem"], error
    assert quads(store_path) == before


@pytest.mark.parametrize(
    ("name", "make"), [("bomb.xhtml", hostile.xhtml_bomb), ("bomb.html", hostile.html_bomb)]
)
def test_entity_bombs_in_html_are_not_expanded(tmp_path, store_path, benign, name, make):
    path = tmp_path / name
    path.write_bytes(make())
    code, report, cpu = load(path, store_path)
    assert code == 0, report
    benign.check(cpu, 3)
    [doc] = report["documents"]
    store = OxigraphStore(store_path, read_only=True)
    from defence_kg.graph.analysis import document_reads

    found = {(s["relation"], s["subject"], s["object"]) for s in document_reads.statements(store, doc["id"])}
    assert ("joining", "DK", "pesco") in found
    longest = max(len(str(q.object.value)) for q in store.quads() if doc["id"] in q.graph_name.value)
    store.close()
    assert longest < 10_000, "an entity was expanded"


DENSE = {"repeated tokens", "one huge line", "table rows"}  # real cues every few words: linear but real work


@pytest.mark.parametrize("name", sorted(hostile.pathological_texts(10)))
def test_pathological_text_is_extracted_in_bounded_time(tmp_path, store_path, benign, name):
    """1 MB of what makes a backtracking regex or a pairwise loop explode costs at most 3 times the
    CPU of 1 MB of ordinary prose (6 times for text dense with real cues and names, which the rules
    do have to look at); a quadratic pass or a backtracking regex costs hundreds of times more."""
    text = hostile.pathological_texts(1_000_000)[name]
    path = tmp_path / "pathological.txt"
    path.write_text(text, encoding="utf-8")
    code, report, cpu = load(path, store_path)
    assert code == 0 or report["errors"], report
    factor = 6 if name in DENSE else 3
    benign.check(cpu, factor)


def test_rdfxml_entity_bombs_are_refused_by_defusedxml(tmp_path):
    store = OxigraphStore(tmp_path / "store")
    store.rebuild({})
    for name, data in (("bomb", hostile.rdfxml_bomb()), ("external", hostile.rdfxml_external_entity())):
        path = tmp_path / f"{name}.rdfxml"
        path.write_bytes(data)
        with pytest.raises(DocumentError, match="EntitiesForbidden"):
            store.load_file(path, "urn:x:graph")
    assert store.count() == 0
    fine = tmp_path / "fine.rdfxml"
    fine.write_text(
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/s">'
        "<ex:p>v</ex:p></rdf:Description></rdf:RDF>"
    )
    assert store.load_file(fine, "urn:x:graph") == 1


@pytest.mark.parametrize(
    ("filename", "make"),
    [
        ("../../../tmp/evil.pdf", hostile.pdf_decompression_bomb),
        ("..\\..\\x.html", hostile.deep_html),
        ("/etc/cron.d/job.pdf", hostile.pdf_deep_nesting),
    ],
)
def test_hostile_uploads_are_422_and_change_nothing(graphs, tmp_path, filename, make):
    store = OxigraphStore(tmp_path / "store")
    store.rebuild(graphs)
    before = set(store.quads())
    settings = Settings(store_path=tmp_path / "store", api_key="k", max_document_bytes=5_000_000)
    with TestClient(create_app(settings, store=store)) as client:
        answer = client.post("/api/documents", headers={"X-API-Key": "k"}, files={"file": (filename, make())})
    assert answer.status_code == 422, answer.text
    detail = answer.json()["detail"]
    assert "/" not in detail.split(":")[0] and "\\" not in detail.split(":")[0]
    assert set(store.quads()) == before
    assert not Path("/tmp/evil.pdf").exists()
