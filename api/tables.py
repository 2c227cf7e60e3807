"""Spreadsheet downloads of the membership, parts and overlap answers: CSV (the standard library's
`csv`) and XLSX (openpyxl), chosen by `format=csv|xlsx` or the Accept header.

Cells that a spreadsheet would read as a formula (=, +, -, @ first) are kept text: in CSV with a
leading apostrophe (OWASP's advice against formula injection), in XLSX as string cells.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from fastapi import Request, Response

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Format(StrEnum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


def wanted_format(request: Request, format: Format | None) -> Format:
    """`format` if given, else the first of CSV, XLSX or JSON the Accept header names."""
    if format is not None:
        return format
    accept = request.headers.get("accept", "").lower()
    found = {f: accept.find(t) for f, t in ((Format.csv, "text/csv"), (Format.xlsx, XLSX_TYPE))}
    found = {f: i for f, i in found.items() if i >= 0}
    json_at = accept.find("application/json")
    if found and (json_at < 0 or min(found.values()) < json_at):
        return min(found, key=lambda f: found[f])
    return Format.json


MEMBERSHIP_COLUMNS = [
    "entity",
    "id",
    "label",
    "type",
    "iso2",
    "role",
    "from",
    "to",
    "basis",
    "confidence",
    "sources",
    "source_titles",
    "source_urls",
    "document_sources",
]


def membership_table(entity: str, rows: Iterable[dict[str, Any]]) -> list[list[Any]]:
    """One line per membership row (party, role, period), its sources joined by "; "."""
    lines = []
    for row in rows:
        sources = row.get("sources", [])
        lines.append(
            [
                entity,
                row["id"],
                row["label"],
                row["type"],
                row.get("iso2"),
                row["role"],
                row.get("from"),
                row.get("to"),
                row["basis"],
                row.get("confidence"),
                "; ".join(s["id"] for s in sources),
                "; ".join(s["title"] for s in sources),
                "; ".join(s.get("url", "") for s in sources),
                "; ".join(s["id"] for s in sources if s.get("basis") == "document"),
            ]
        )
    return lines


PART_COLUMNS = ["initiative", "id", "label", "type", "acronym", "status", "adopted", "closed", "wave"]


def parts_table(entity: str, parts: Iterable[dict[str, Any]]) -> list[list[Any]]:
    return [[entity, *(p.get(c) for c in PART_COLUMNS[1:])] for p in parts]


OVERLAP_COLUMNS = [
    "a",
    "a_label",
    "a_family",
    "b",
    "b_label",
    "b_family",
    "at",
    "score",
    "cross_line",
    "components",
    "shared_members",
    "document_only_members",
    "evidence",
]


def overlaps_table(overlaps: Iterable[dict[str, Any]]) -> list[list[Any]]:
    """One line per scored pair: its components as name=contribution, its evidence as kind (source)."""
    lines = []
    for o in overlaps:
        components = o.get("components", [])
        membership = next((c["details"] for c in components if c["name"] == "membership"), {})
        shared, claimed = membership.get("shared", []), membership.get("document_only", [])
        evidence = "; ".join(f"{e['kind']} ({e.get('document') or e.get('source')})" for e in o["evidence"])
        lines.append(
            [
                *(o[k] for k in ("a", "a_label", "a_family", "b", "b_label", "b_family")),
                str(o["at"]),
                o["score"],
                o["cross_line"],
                "; ".join(f"{c['name']}={c['contribution']}" for c in components),
                "; ".join(shared),
                "; ".join(claimed),
                evidence,
            ]
        )
    return lines


def _text(value: Any) -> Any:
    """A cell value that no spreadsheet runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(columns: Sequence[str], lines: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for line in lines:
        writer.writerow(["" if v is None else _text(v) for v in line])
    return out.getvalue()


def to_xlsx(sheet: str, columns: Sequence[str], lines: Iterable[Sequence[Any]]) -> bytes:
    """One sheet, a bold header row, every text cell a string cell (never a formula)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    page = book.create_sheet(sheet[:31] or "rows")
    bold = Font(bold=True)
    header = []
    for name in columns:
        cell = WriteOnlyCell(page, value=name)
        cell.font = bold
        header.append(cell)
    page.append(header)
    for line in lines:
        cells = []
        for value in line:
            cell = WriteOnlyCell(page, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # openpyxl reads "=..." as a formula otherwise
            cells.append(cell)
        page.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(kind: Format, name: str, columns: Sequence[str], lines: list[list[Any]]) -> Response:
    """The table as a CSV or XLSX answer, with a file name for the download."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)[:100]
    if kind is Format.xlsx:
        body: str | bytes = to_xlsx(safe, columns, lines)
        media, suffix = XLSX_TYPE, "xlsx"
    else:
        body, media, suffix = to_csv(columns, lines), CSV_TYPE, "csv"
    headers = {"Content-Disposition": f'attachment; filename="{safe}.{suffix}"'}
    return Response(body, media_type=media, headers=headers)
