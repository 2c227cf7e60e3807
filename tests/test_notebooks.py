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
# A cell that draws: matplotlib (pyplot, a figure or axes), matplotlib-venn, or an IPython image.
DRAWS = re.compile(
    r"\bplt\.|\.subplots?\(|\bfig(ure)?\.|\bax\w*\.(plot|bar|barh|scatter|hist|imshow|pie|fill|step)\b"
    r"|\bvenn[23]\w*\(|\b(Image|SVG)\("
)
PICTURES = ("image/png", "image/svg+xml", "image/jpeg")
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
    """The kernel's environment: the session's Neo4j, shared/, matplotlib's inline backend (no GUI;
    each chart becomes an image output of its cell).

    Notebooks sync into that Neo4j; afterwards the `store` fixture's Neo4j gets its graph back."""
    server = request.getfixturevalue("neo4j_server")
    monkeypatch.setenv("DEFENCE_KG_NEO4J_URI", server.uri)
    monkeypatch.delenv("DEFENCE_KG_NEO4J_PASSWORD", raising=False)
    monkeypatch.setenv("DEFENCE_KG_SHARED", str(SHARED))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")  # charts saved as outputs
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


def _pictures(cell: nbformat.NotebookNode) -> int:
    """How many pictures a code cell's saved outputs hold."""
    return sum(1 for o in cell.get("outputs", []) for kind in PICTURES if kind in o.get("data", {}))


def _blind_cells(nb: nbformat.NotebookNode) -> list[str]:
    """The code cells that draw (by their source) but were saved without a picture."""
    return [
        f"cell {index} ({cell.source.strip().splitlines()[0]!r})"
        for index, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and DRAWS.search(cell.source) and not _pictures(cell)
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_chart_cell_carries_its_picture(path: Path) -> None:
    """A reader of the committed notebook sees each chart: a cell that draws has an image output."""
    blind = _blind_cells(nbformat.read(path, as_version=4))
    assert not blind, f"{path.name}: drawn but saved without a picture: {', '.join(blind)}"


def test_the_picture_check_tells_a_blind_chart_cell():
    """The check itself: a drawing cell without an image fails, with one it passes."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("fig, ax = plt.subplots()\nax.barh([1], [2])"),
        nbformat.v4.new_code_cell("print('no chart here')"),
    ]
    assert _blind_cells(nb) == ["cell 0 ('fig, ax = plt.subplots()')"]
    nb.cells[0].outputs = [nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="})]
    assert _blind_cells(nb) == []


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
