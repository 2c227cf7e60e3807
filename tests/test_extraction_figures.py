"""The README's extraction figures are what `make bench-extraction` computes today, so a change
to the rules that moves them cannot land with stale figures."""

from __future__ import annotations

import importlib.util
import sys

from tests.conftest import REPO, shared_file


def bench_module():
    spec = importlib.util.spec_from_file_location("bench_extraction", REPO / "bench" / "bench_extraction.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    return module


def test_readme_extraction_table_is_the_bench_output():
    shared = shared_file("corpus-dev").parent
    bench = bench_module()
    sets, texts, _ = bench.tallies(shared)
    table = bench.markdown(sets)
    rows = table.splitlines()[2:]
    assert [row.split(" | ")[0] for row in rows] == [
        "| corpus",
        "| corpus-dev train",
        "| corpus-dev held-back",
    ]
    assert len(texts) == sum(len(t.per_doc) for t in sets.values())
    readme = (REPO / "README.md").read_text()
    assert table in readme, (
        f"README's extraction table is stale; `python bench/bench_extraction.py --markdown` gives:\n{table}"
    )
