"""`defence-kg sync neo4j`: the embedded store into Neo4j, with a progress bar and a summary."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from defence_kg.errors import DefenceKGError
from defence_kg.settings import get_settings

if TYPE_CHECKING:
    from defence_kg.graph.store.write_lock import Holder

sync_app = typer.Typer(help="Copy the graph into another store.", no_args_is_help=True)
console = Console(stderr=True)


def _tell_waiting(holder: Holder | None) -> None:
    """Say on stderr that this sync waits for another one, and for whom."""
    who = holder.describe() if holder else "another sync"
    console.print(f"[yellow]waiting for the Neo4j sync lock, held by {escape(who)}[/]", highlight=False)


@sync_app.command("neo4j")
def neo4j(
    store: Annotated[Path | None, typer.Option("--store", help="Store folder to read.")] = None,
    uri: Annotated[str | None, typer.Option(help="Bolt URI (default: DEFENCE_KG_NEO4J_URI).")] = None,
    database: Annotated[
        str | None, typer.Option(help="Database (default: DEFENCE_KG_NEO4J_DATABASE).")
    ] = None,
    full: Annotated[bool, typer.Option("--full", help="Empty the Neo4j database first.")] = False,
) -> None:
    """Sync the named graphs into Neo4j: unchanged graphs skipped, changed ones replaced."""
    from defence_kg.graph.store.neo4j_store import Neo4jStore
    from defence_kg.graph.store.neo4j_sync import sync
    from defence_kg.graph.store.oxigraph_store import OxigraphStore

    settings = get_settings()
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("quads"),
        TimeElapsedColumn(),
    )
    try:
        source = OxigraphStore(store or settings.store_path, read_only=True)
        target = Neo4jStore(uri=uri, database=database, settings=settings)
        with Progress(*columns, console=console, transient=True) as progress:
            task = progress.add_task("reading the store", total=source.count())

            def tick(graph: str, quads: int) -> None:
                progress.update(task, advance=quads, description=graph.rsplit("/", 1)[-1])

            report = sync(
                source.quads(), target, tick, full=full, wait=settings.write_wait, on_wait=_tell_waiting
            )
        target.close()
    except DefenceKGError as error:
        console.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
        raise typer.Exit(code=1) from None
    table = Table("named graph", "action", "quads", title=f"Neo4j at {target.uri} ({target.database})")
    for item in report.graphs:
        table.add_row(item.graph, item.action, f"{item.quads:,}")
    Console().print(table)
    derived = "unchanged" if report.memberships is None else f"{report.memberships:,} derived"
    Console().print(
        f"{report.changed} of {len(report.graphs)} graphs changed; MEMBER_OF: {derived}; "
        f"{report.seconds:.1f} s"
    )
