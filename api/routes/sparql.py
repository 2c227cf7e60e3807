"""A first, read-only SPARQL endpoint (GET): JSON results, Turtle graphs, row cap, time limit."""

from __future__ import annotations

import time
from typing import Annotated, Any

import pyoxigraph as ox
from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from defence_kg.api.deps import SettingsDep, StoreDep
from defence_kg.errors import QueryTimeout

router = APIRouter(tags=["sparql"])
EXAMPLE = (
    "SELECT ?s ?label WHERE { ?s a <https://w3id.org/defence-kg/ontology#State> ; "
    "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label } LIMIT 5"
)


def term_json(term: Any) -> dict[str, str]:
    """One RDF term in the SPARQL 1.1 JSON results format."""
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
    return {"type": "triple", "value": str(term)}


@router.get(
    "/sparql",
    summary="SPARQL query (read-only)",
    responses={
        200: {
            "content": {"application/sparql-results+json": {}, "text/turtle": {}},
            "description": "SELECT/ASK as SPARQL JSON results; CONSTRUCT/DESCRIBE as Turtle.",
        },
        400: {"description": "The query does not parse; the parser's message is given."},
        503: {"description": "The query ran past the time limit."},
    },
)
def sparql(
    *,
    store: StoreDep,
    settings: SettingsDep,
    query: Annotated[str, Query(description="A SPARQL 1.1 query.", examples=[EXAMPLE], max_length=100_000)],
) -> Response:
    """Run a SPARQL query over the union of all named graphs. Results are capped at the
    `max_rows` setting (flagged by the `X-Truncated` header) and stopped at `query_timeout`."""
    deadline = time.monotonic() + settings.query_timeout
    result = store.raw_query(query)
    if isinstance(result, ox.QueryBoolean):
        body = {"head": {}, "boolean": bool(result)}
        return JSONResponse(body, media_type="application/sparql-results+json")
    if isinstance(result, ox.QueryTriples):
        triples = []
        for triple in result:
            if len(triples) >= settings.max_rows or time.monotonic() > deadline:
                break
            triples.append(triple)
        data = ox.serialize(triples, format=ox.RdfFormat.TURTLE)
        return Response(data, media_type="text/turtle")
    names = [v.value for v in result.variables]
    bindings, truncated = [], False
    for solution in result:
        if time.monotonic() > deadline:
            raise QueryTimeout(f"the query ran past the {settings.query_timeout:g} s limit")
        if len(bindings) >= settings.max_rows:
            truncated = True
            break
        bindings.append({n: term_json(solution[n]) for n in names if solution[n] is not None})
    body = {"head": {"vars": names}, "results": {"bindings": bindings}}
    headers = {"X-Truncated": "true"} if truncated else {}
    return JSONResponse(body, media_type="application/sparql-results+json", headers=headers)
