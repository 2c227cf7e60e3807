"""The `defence-kg` command line."""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from defence_kg.cli_sync import sync_app
from defence_kg.cli_view import view_app
from defence_kg.errors import DefenceKGError
from defence_kg.settings import Settings, get_settings

if TYPE_CHECKING:
    from defence_kg.graph.store.write_lock import Holder

app = typer.Typer(
    help="A sourced knowledge graph of EU-NATO-US defence relationships.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(sync_app, name="sync")
app.add_typer(view_app, name="view")
console = Console(stderr=True)

StoreOption = Annotated[
    Path | None, typer.Option("--store", help="Store folder (default: DEFENCE_KG_STORE_PATH or var/store).")
]


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class ExportFormat(StrEnum):
    turtle = "turtle"
    nt = "nt"
    nq = "nq"
    trig = "trig"
    jsonld = "jsonld"


def _settings(store: Path | None) -> Settings:
    settings = get_settings()
    return settings.model_copy(update={"store_path": store}) if store else settings


def _tell_waiting(holder: Holder | None) -> None:
    """Say on stderr that this command waits for another writer, and for whom."""
    who = holder.describe() if holder else "another writer"
    console.print(f"[yellow]waiting for the write lock, held by {escape(who)}[/]", highlight=False)


def _open(store: Path | None, read_only: bool = True):
    from defence_kg.graph.store.oxigraph_store import OxigraphStore

    settings = _settings(store)
    return OxigraphStore(
        settings.store_path, read_only=read_only, write_wait=settings.write_wait, on_wait=_tell_waiting
    )


def _fail(error: DefenceKGError) -> typer.Exit:
    console.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
    return typer.Exit(code=1)


@app.command()
def build(
    store: StoreOption = None,
    data: Annotated[
        Path | None, typer.Option(help="Reference data folder (default: the bundled data).")
    ] = None,
) -> None:
    """Build the graph from the reference data: validate, convert, check shapes, write.

    The previous store stays intact if anything fails; loaded documents are kept.
    """
    from defence_kg.graph.publish.build import STEPS
    from defence_kg.graph.publish.build import build as run_build

    settings = _settings(store)
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
    )
    try:
        target = _open(store, read_only=False)
        with Progress(*columns, console=console, transient=False) as progress:
            task = progress.add_task("building", total=len(STEPS))

            def step(name: str) -> None:
                done = STEPS.index(name)
                progress.update(task, completed=done, description=name)

            report = run_build(target, data or settings.data_dir, progress=step)
            progress.update(task, completed=len(STEPS), description="done")
    except DefenceKGError as error:
        raise _fail(error) from None
    table = Table(title=f"Built {settings.store_path or 'in-memory store'}")
    table.add_column("named graph")
    table.add_column("triples", justify="right")
    for graph, count in report.graphs.items():
        table.add_row(graph, f"{count:,}")
    for graph in report.kept:
        table.add_row(f"{graph} (kept)", "")
    table.add_row("[bold]quads in store[/]", f"[bold]{report.quads:,}[/]")
    Console().print(table)


@app.command()
def query(
    sparql: Annotated[str, typer.Argument(help="A SPARQL SELECT or ASK query; '-' reads stdin.")],
    store: StoreOption = None,
    output: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
    limit: Annotated[int | None, typer.Option(help="Rows at most.")] = None,
) -> None:
    """Run a SPARQL query against the store and print the results."""
    text = sys.stdin.read() if sparql == "-" else sparql
    try:
        target = _open(store)
        result = target.select(text, limit=limit or _settings(store).max_rows)
    except DefenceKGError as error:
        raise _fail(error) from None
    if result.boolean is not None:
        print(json.dumps({"boolean": result.boolean}) if output == "json" else result.boolean)
        return
    if output == OutputFormat.json:
        print(
            json.dumps(
                {"columns": result.columns, "rows": result.rows, "truncated": result.truncated},
                indent=1,
                ensure_ascii=False,
            )
        )
    elif output == OutputFormat.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=result.columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(result.rows)
    else:
        table = Table(
            *result.columns, caption=f"{len(result.rows)} rows" + (" (truncated)" if result.truncated else "")
        )
        for row in result.rows:
            table.add_row(*("" if row[c] is None else str(row[c]) for c in result.columns))
        Console(width=200).print(table)
    if result.truncated:
        console.print(f"[yellow]truncated at {len(result.rows)} rows[/]")


@app.command()
def stats(
    store: StoreOption = None,
    output: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
) -> None:
    """Count quads per named graph and entities per class."""
    from defence_kg.graph.queries import sparql_queries as q

    try:
        target = _open(store)
        graphs = target.select(q.COUNT_BY_GRAPH).rows
        classes = target.select(q.COUNT_BY_CLASS).rows
    except DefenceKGError as error:
        raise _fail(error) from None
    if output == OutputFormat.json:
        print(json.dumps({"quads": target.count(), "graphs": graphs, "classes": classes}, indent=1))
        return
    out = Console(width=160)
    table = Table("named graph", "quads", title=f"{target.count():,} quads")
    for row in graphs:
        table.add_row(row["graph"], f"{row['n']:,}")
    out.print(table)
    table = Table("class", "instances")
    for row in classes:
        table.add_row(row["class"], f"{row['n']:,}")
    out.print(table)


@app.command()
def coverage(
    store: StoreOption = None,
    output: Annotated[OutputFormat, typer.Option("--format", "-f")] = OutputFormat.table,
) -> None:
    """Per kind of structure: how many the curated data holds, with members, dated, led."""
    from defence_kg.graph.analysis.coverage import GAPS_FILES
    from defence_kg.graph.analysis.coverage import coverage as kinds_covered

    try:
        lines = [line.as_dict() for line in kinds_covered(_open(store))]
    except DefenceKGError as error:
        raise _fail(error) from None
    columns = ["label", "entities", "with_members", "with_dated_members", "with_two_states", "with_lead"]
    if output == OutputFormat.json:
        print(json.dumps({"kinds": lines, "gaps": list(GAPS_FILES)}, indent=1))
    elif output == OutputFormat.csv:
        writer = csv.DictWriter(sys.stdout, ["kind", *columns])
        writer.writeheader()
        writer.writerows(lines)
    else:
        table = Table(
            "kind",
            "entities",
            "with members",
            "dated",
            "2+ states",
            "led",
            caption="curated memberships only; what is missing: " + ", ".join(GAPS_FILES),
        )
        for line in lines:
            table.add_row(*(str(line[c]) for c in columns))
        Console(width=120).print(table)


@app.command()
def export(
    store: StoreOption = None,
    output_format: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.nq,
    out: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write; stdout when unset.")
    ] = None,
) -> None:
    """Export the whole store (turtle and nt merge the named graphs)."""
    try:
        target = _open(store)
        if out is None:
            target.export(sys.stdout.buffer, output_format.value)
        else:
            with out.open("wb") as handle:
                target.export(handle, output_format.value)
    except DefenceKGError as error:
        raise _fail(error) from None


@app.command()
def load(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively).")],
    store: StoreOption = None,
    title: Annotated[str | None, typer.Option(help="Title of the document.")] = None,
    url: Annotated[str | None, typer.Option(help="Where the document was published.")] = None,
    date: Annotated[str | None, typer.Option(help="Publication date: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    publisher: Annotated[str | None, typer.Option(help="Who published it.")] = None,
    encoding: Annotated[str | None, typer.Option(help="Text encoding when not UTF-8.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Load documents: extract statements with their evidence into one named graph each.

    A file that cannot be read is reported and skipped; the others load. Loading the same text
    again changes nothing; a changed text replaces its graph.
    """
    from pydantic import ValidationError

    from defence_kg.graph.publish.documents import load_documents
    from defence_kg.loaders.documents.models import DocumentMeta

    settings = _settings(store)
    try:
        meta = DocumentMeta(title=title, url=url, date=date, publisher=publisher)
    except ValidationError as error:
        raise _fail(DefenceKGError(f"bad document details: {error.errors()[0]['msg']}")) from None
    try:
        target = _open(store, read_only=False)
        with Progress(
            SpinnerColumn(), TextColumn("{task.description}"), console=console, transient=True
        ) as progress:
            task = progress.add_task("reading")
            report = load_documents(
                target,
                paths,
                meta,
                max_bytes=settings.max_document_bytes,
                encoding=encoding,
                progress=lambda path: progress.update(task, description=f"reading {path.name}"),
            )
    except DefenceKGError as error:
        raise _fail(error) from None
    if as_json:
        print(json.dumps(report.as_json(), indent=1))
    else:
        table = Table("document", "statements", "status", "path")
        for doc in report.documents:
            table.add_row(doc["id"], str(doc["statements"]), doc["status"], doc["path"])
        Console().print(table)
    if report.waited >= 0.1:
        console.print(f"waited {report.waited:.1f} s for another writer", highlight=False)
    for error in report.errors:
        console.print(f"[bold red]error:[/] {escape(str(error))}", soft_wrap=True)
    if report.errors:
        raise typer.Exit(code=1)


class OverlapFormat(StrEnum):
    table = "table"
    json = "json"


@app.command()
def overlaps(
    name: Annotated[str, typer.Argument(help="Initiative, organisation or project: id, label or acronym.")],
    store: StoreOption = None,
    at: Annotated[
        str | None, typer.Option(help="Memberships on this day, YYYY-MM-DD (default today).")
    ] = None,
    limit: Annotated[int, typer.Option(help="Pairs at most.")] = 20,
    output: Annotated[OverlapFormat, typer.Option("--format", "-f")] = OverlapFormat.table,
) -> None:
    """Rank what an initiative overlaps with: scores, their components and the evidence."""
    import datetime as dt

    from defence_kg.cli_overlaps import overlap_table, resolve_overlap_entity
    from defence_kg.graph.analysis.overlaps import overlap_pairs

    try:
        day = dt.date.fromisoformat(at) if at else dt.date.today()
    except ValueError:
        raise _fail(DefenceKGError(f"--at {at!r} is not a date (YYYY-MM-DD)")) from None
    try:
        target = _open(store)
        entity = resolve_overlap_entity(target, name)
        found = overlap_pairs(target, entity=entity, at=day, limit=limit)
    except DefenceKGError as error:
        raise _fail(error) from None
    if output == OverlapFormat.json:
        print(
            json.dumps(
                {
                    "entity": entity,
                    "at": day.isoformat(),
                    "overlaps": [o.model_dump(mode="json") for o in found],
                },
                indent=1,
                ensure_ascii=False,
            )
        )
        return
    Console(width=200).print(overlap_table(entity, day, found))


@app.command("convert-edf")
def convert_edf(
    source: Annotated[
        Path | None, typer.Argument(help="edf_calls.json from the EU Funding & Tenders portal.")
    ] = None,
    out: Annotated[Path | None, typer.Option("--output", "-o")] = None,
) -> None:
    """Convert an EDF calls export into the project's data file (data/edf_projects.yaml)."""
    from defence_kg.data import bundled_data_dir
    from defence_kg.loaders import edf

    path = source or get_settings().edf_source
    if path is None:
        raise _fail(DefenceKGError("give the path of edf_calls.json"))
    target = out or bundled_data_dir() / "edf_projects.yaml"
    try:
        result = edf.convert(path)
    except DefenceKGError as error:
        raise _fail(error) from None
    edf.write(result, target)
    people = sum(len(p.participants) for p in result.projects)
    console.print(f"wrote {len(result.projects)} projects, {people} participants to {target}")


@app.command()
def serve(
    store: StoreOption = None,
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Serve the HTTP API (REST, /sparql, /docs)."""
    import uvicorn

    from defence_kg.api.main import create_app

    settings = _settings(store)
    uvicorn.run(create_app(settings), host=host or settings.host, port=port or settings.port)


if __name__ == "__main__":
    app()
