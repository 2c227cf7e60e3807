"""`defence-kg view`: a graph view written as one self-contained HTML file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from defence_kg.errors import DefenceKGError
from defence_kg.settings import get_settings

view_app = typer.Typer(
    help="Write a graph view as one self-contained HTML file (no request leaves the file).",
    no_args_is_help=True,
)
console = Console(stderr=True)

StoreOption = Annotated[Path | None, typer.Option("--store", help="Store folder to read.")]
OutOption = Annotated[Path, typer.Option("-o", "--output", help="HTML file to write.", dir_okay=False)]
AtOption = Annotated[
    dt.datetime | None,
    typer.Option("--at", formats=["%Y-%m-%d"], help="Only memberships valid on this day (YYYY-MM-DD)."),
]


def _write(store_path: Path | None, output: Path, build_view, draw=None, summary=None) -> None:
    """Build a view (or picture) from the store, draw it inline into one file, say what it holds."""
    from defence_kg.api.view_page import render
    from defence_kg.graph.store.oxigraph_store import OxigraphStore

    settings = get_settings()
    try:
        store = OxigraphStore(store_path or settings.store_path, read_only=True)
        view = build_view(store)
        html = draw(view) if draw else render(view, inline=True)
    except DefenceKGError as error:
        console.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
        raise typer.Exit(code=1) from error
    output.write_text(html, encoding="utf-8")
    held = summary(view) if summary else f"{len(view.nodes)} nodes, {len(view.edges)} links"
    console.print(
        f"{escape(view.title)}: {held} → {escape(str(output))} ({len(html.encode()) / 1e6:.2f} MB)",
        highlight=False,
    )


def _day(at: dt.datetime | None) -> dt.date | None:
    return at.date() if at else None


@view_app.command()
def membership(output: OutOption, at: AtOption = None, store: StoreOption = None) -> None:
    """States and the organisations, initiatives and projects they belong to."""
    from defence_kg.graph.analysis.view_data import membership_view

    _write(store, output, lambda s: membership_view(s, _day(at)))


@view_app.command()
def overlap(
    output: OutOption,
    at: AtOption = None,
    min_score: Annotated[float, typer.Option(min=0, max=1, help="Only pairs scoring at least this.")] = 0.4,
    store: StoreOption = None,
) -> None:
    """Initiatives linked by overlap score, with components and evidence."""
    from defence_kg.graph.analysis.view_data import overlap_view

    _write(store, output, lambda s: overlap_view(s, _day(at), min_score))


@view_app.command()
def ego(
    entity_id: Annotated[str, typer.Argument(metavar="ID", help="Entity id (ISO code or slug).")],
    output: OutOption,
    depth: Annotated[int, typer.Option(min=1, max=3, help="Links to follow from the entity.")] = 1,
    at: AtOption = None,
    store: StoreOption = None,
) -> None:
    """An entity and everything within --depth links of it."""
    from defence_kg.graph.analysis.view_data import ego_view

    _write(store, output, lambda s: ego_view(s, entity_id, depth, _day(at)))


@view_app.command()
def document(
    doc_id: Annotated[str, typer.Argument(metavar="ID", help="Document id (see `defence-kg load`).")],
    output: OutOption,
    store: StoreOption = None,
) -> None:
    """What one loaded document contributed."""
    from defence_kg.graph.analysis.view_data import document_view

    _write(store, output, lambda s: document_view(s, doc_id))


@view_app.command()
def matrix(
    output: OutOption,
    at: AtOption = None,
    columns: Annotated[str | None, typer.Option(help="Comma-separated column ids (default: all).")] = None,
    family: Annotated[str | None, typer.Option(help="Only columns of these families (EU,NATO,...).")] = None,
    store: StoreOption = None,
) -> None:
    """States by organisations, initiatives and projects on a date (default today), a cell per membership."""
    from defence_kg.api.picture_page import render_matrix
    from defence_kg.graph.analysis.picture_data import matrix as build

    _write(
        store,
        output,
        lambda s: build(s, _day(at), columns, family),
        lambda m: render_matrix(m, inline=True),
        lambda m: f"{len(m.states)} states, {len(m.columns)} columns, {len(m.cells)} cells",
    )


@view_app.command()
def timeline(
    entity_id: Annotated[
        str, typer.Argument(metavar="ID", help="Organisation, initiative, project or state.")
    ],
    output: OutOption,
    store: StoreOption = None,
) -> None:
    """Each member a bar from joining to leaving (for a state: all it belongs to), waves marked."""
    from defence_kg.api.picture_page import render_timeline
    from defence_kg.graph.analysis.picture_data import timeline as build

    _write(
        store,
        output,
        lambda s: build(s, entity_id),
        lambda t: render_timeline(t, inline=True),
        lambda t: f"{len(t.bars)} bars, {len(t.undated)} undated",
    )


@view_app.command()
def frameworks(
    output: OutOption,
    at: AtOption = None,
    only: Annotated[str | None, typer.Option("--frameworks", help="Comma-separated framework ids.")] = None,
    store: StoreOption = None,
) -> None:
    """Which states belong to which combination of the main frameworks on a date (default today)."""
    from defence_kg.api.picture_page import render_frameworks
    from defence_kg.graph.analysis.picture_data import frameworks as build

    _write(
        store,
        output,
        lambda s: build(s, _day(at), only),
        lambda o: render_frameworks(o, inline=True),
        lambda o: f"{len(o.frameworks)} frameworks, {len(o.groups)} groups",
    )
