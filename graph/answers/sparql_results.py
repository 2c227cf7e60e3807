"""SPARQL results and graphs as bytes in the format a client asks for, with a row cap.

Formats are chosen by content negotiation (`negotiate`, on werkzeug's Accept parser). The row
cap means results are collected first and then written: JSON and TSV here (JSON is the hot path;
rdflib has no TSV writer), XML and CSV by rdflib's SPARQL result serializers, graphs by
pyoxigraph's RDF serializers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
DEFAULT_SELECT = "application/sparql-results+json"
DEFAULT_GRAPH = "text/turtle"


def negotiate(header: str | None, offered: list[str], default: str) -> str | None:
    """The offered type the client prefers most (RFC 9110 q-values and specificity, by
    werkzeug's Accept parser); the default when no header or a wildcard; None for 406."""
    if not header or not header.strip():
        return default
    ordered = [default, *(o for o in offered if o != default)] if default in offered else offered
    return parse_accept_header(header, MIMEAccept).best_match(ordered)


@dataclass
class Payload:
    body: bytes
    media_type: str
    truncated: bool = False
    rows: int = 0


def _term_json(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype and term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}


def _rdflib_term(term: Any) -> Any:
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value) if term.datatype else None)
    return Literal(str(term))


def serialize_result(result: Any, media_type: str, max_rows: int, check: Any = None) -> Payload:
    """Serialize a pyoxigraph query result in `media_type`, stopping after `max_rows` rows.

    `check` is called every 1,000 rows (to enforce a deadline in-process)."""
    if isinstance(result, ox.QueryBoolean):
        kind = SELECT_TYPES[media_type]
        if kind == "json":
            body = json.dumps({"head": {}, "boolean": bool(result)}).encode()
        else:
            body = result.serialize(
                format={
                    "xml": ox.QueryResultsFormat.XML,
                    "csv": ox.QueryResultsFormat.CSV,
                    "tsv": ox.QueryResultsFormat.TSV,
                }[kind]
            )
        return Payload(body, media_type)
    if isinstance(result, ox.QueryTriples):
        triples, truncated = [], False
        for triple in result:
            if len(triples) >= max_rows:
                truncated = True
                break
            triples.append(triple)
            if check and len(triples) % 1000 == 0:
                check()
        body = ox.serialize(triples, format=GRAPH_TYPES[media_type])
        return Payload(body or b"", media_type, truncated, len(triples))
    names = [v.value for v in result.variables]
    rows, truncated = [], False
    for solution in result:
        if len(rows) >= max_rows:
            truncated = True
            break
        rows.append([solution[name] for name in names])
        if check and len(rows) % 1000 == 0:
            check()
    kind = SELECT_TYPES[media_type]
    if kind == "json":
        bindings = [
            {n: _term_json(t) for n, t in zip(names, row, strict=True) if t is not None} for row in rows
        ]
        body = json.dumps(
            {"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False
        ).encode()
    elif kind == "tsv":
        body = _tsv(names, rows)
    else:
        body = _rdflib_rows(names, rows, kind)
    return Payload(body, media_type, truncated, len(rows))


def _tsv(names: list[str], rows: list[list[Any]]) -> bytes:
    """SPARQL 1.1 TSV: terms in N-Triples syntax (pyoxigraph's str), which escapes tabs and
    line breaks. rdflib has no TSV results writer."""
    lines = ["\t".join(f"?{n}" for n in names)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def _rdflib_rows(names: list[str], rows: list[list[Any]], kind: str) -> bytes:
    from rdflib.query import Result
    from rdflib.term import Variable

    out = Result("SELECT")
    out.vars = [Variable(n) for n in names]
    out.bindings = [
        {Variable(n): _rdflib_term(t) for n, t in zip(names, row, strict=True) if t is not None}
        for row in rows
    ]
    return out.serialize(format=kind) or b""
