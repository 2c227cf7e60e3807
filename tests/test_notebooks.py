"""Every notebook in notebooks/ runs clean: executed with nbclient on this environment's kernel, in a
temporary folder, against the session's real Neo4j. The executed copies go to tests/artifacts/
(`make notebooks` copies them back over the committed ones)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, DeadKernelError

from tests.conftest import _BUILT, REPO, SHARED, neo4j_store

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
ARTIFACTS = REPO / "tests" / "artifacts"
NOTEBOOK_TIMEOUT = 300  # seconds for a whole notebook, kernel start included
KERNEL = "defence-kg-tests"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
FETCHING = re.compile(r"^\s*[!%]+\s*(pip|conda|uv|curl|wget)\b|urlopen|requests\.get|urlretrieve", re.M)


def _failed_cell(nb: nbformat.NotebookNode) -> str:
    """The first cell with an error output: its number, first source line and the error."""
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
                trace = ANSI.sub("", "\n".join(output.get("traceback", [])))
                return f"cell {index} ({first!r}): {output['ename']}: {output['evalue']}\n{trace}"
    return "no cell holds an error output"


def _last_run(nb: nbformat.NotebookNode) -> int:
    """The index of the last cell that started running (-1 before the first)."""
    started = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.get("execution_count")]
    return started[-1] if started else -1


def _kernel_manager(folder: Path) -> AsyncKernelManager:
    """A kernel manager that can only start this interpreter's ipykernel (never a user kernelspec)."""
    from ipykernel.kernelspec import write_kernel_spec

    write_kernel_spec(folder / "kernels" / KERNEL, overrides={"display_name": "defence-kg tests"})
    specs = KernelSpecManager(kernel_dirs=[str(folder / "kernels")], ensure_native_kernel=False)
    return AsyncKernelManager(kernel_name=KERNEL, kernel_spec_manager=specs)


def execute(nb: nbformat.NotebookNode, folder: Path) -> None:
    """Run every cell of `nb` in place, with `folder` as working directory.

    A failing cell raises CellExecutionError (the outputs up to it stay in `nb`), a kernel that
    dies DeadKernelError; a cell still running when NOTEBOOK_TIMEOUT has passed since the start
    raises CellTimeoutError (a TimeoutError).
    """
    (folder / "work").mkdir()
    deadline = time.monotonic() + NOTEBOOK_TIMEOUT
    client = NotebookClient(
        nb,
        km=_kernel_manager(folder),
        timeout_func=lambda _cell: max(1.0, deadline - time.monotonic()),  # each cell gets what is left
        record_timing=False,
        resources={"metadata": {"path": str(folder / "work")}},
    )
    client.execute()


@pytest.fixture
def notebook_env(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The kernel's environment: the session's Neo4j, shared/, a non-GUI matplotlib backend.

    Notebooks sync into that Neo4j; afterwards the `store` fixture's Neo4j gets its graph back."""
    server = request.getfixturevalue("neo4j_server")
    monkeypatch.setenv("DEFENCE_KG_NEO4J_URI", server.uri)
    monkeypatch.delenv("DEFENCE_KG_NEO4J_PASSWORD", raising=False)
    monkeypatch.setenv("DEFENCE_KG_SHARED", str(SHARED))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    if "neo4j" not in _BUILT:
        yield server
        return
    graphs, target = request.getfixturevalue("built_graphs"), neo4j_store(request)
    yield server
    target.clear()  # type: ignore[attr-defined]
    target.replace_graphs(graphs)
    target.close()


def test_the_notebooks_are_found() -> None:
    names = {p.name for p in NOTEBOOKS}
    assert {"01-memberships-explorer.ipynb", "03-sparql-and-cypher-tour.ipynb"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_committed_with_outputs_of_a_clean_run(path: Path) -> None:
    """Readers see results without running anything: every code cell ran, in order, without error."""
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, f"{path.name} has no code cell"
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), (
        f"{path.name}: outputs are not from one clean run (execution counts out of order)"
    )
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, f"{path.name} was committed with an error output: {errors[0]['ename']}"
    assert path.stat().st_size < 1_000_000, f"{path.name} is over 1 MB: keep charts modest"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_nothing_is_fetched(path: Path) -> None:
    """No installs or downloads from cells: users are air-gapped."""
    for index, cell in enumerate(json.loads(path.read_text())["cells"]):
        source = "".join(cell["source"])
        found = FETCHING.search(source)
        assert found is None, f"{path.name} cell {index} fetches: {found.group(0)!r}"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_executes_clean(path: Path, tmp_path: Path, notebook_env: Any) -> None:
    """Every cell runs without error within the time limit (the notebook's own asserts included)."""
    nb = nbformat.read(path, as_version=4)
    try:
        execute(nb, tmp_path)
    except CellExecutionError:
        pytest.fail(f"{path.name}: {_failed_cell(nb)}", pytrace=False)
    except DeadKernelError:
        pytest.fail(f"{path.name}: the kernel died after cell {_last_run(nb)}", pytrace=False)
    except TimeoutError:
        pytest.fail(f"{path.name} ran past {NOTEBOOK_TIMEOUT} s (in cell {_last_run(nb)})", pytrace=False)
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, ARTIFACTS / path.name)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
