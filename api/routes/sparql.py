"""The SPARQL 1.1 Protocol endpoint: GET and POST queries, content negotiation, a query page,
a service description; read-only, time-limited and row-capped. Updates only at /sparql/update,
when enabled, with the key."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from defence_kg.api.deps import CacheDep, RunnerDep, SettingsDep, StoreDep, WriteKey, store_writer
from defence_kg.errors import BadQuery, Forbidden, NotAcceptable, NotFound
from defence_kg.graph.answers.query_runner import QueryRequest
from defence_kg.graph.answers.sparql_guard import network_construct, query_form
from defence_kg.graph.answers.sparql_results import (
    DEFAULT_GRAPH,
    DEFAULT_SELECT,
    GRAPH_TYPES,
    SELECT_TYPES,
    negotiate,
)
from defence_kg.settings import Settings

router = APIRouter(tags=["sparql"])
PAGE = Path(__file__).resolve().parents[1] / "pages" / "sparql.html"
QUERIES = Path(str(resources.files("defence_kg.graph.queries")))
EXAMPLE = (
    "PREFIX dkg: <https://w3id.org/defence-kg/ontology#>\n"
    "SELECT ?code ?name WHERE { ?s dkg:iso2 ?code ; "
    "<http://www.w3.org/2004/02/skos/core#prefLabel> ?name } ORDER BY ?code LIMIT 5"
)
QUERY_DOC = {
    200: {
        "description": "SELECT/ASK results (JSON, XML, CSV, TSV) or a graph (Turtle, "
        "N-Triples, JSON-LD, RDF/XML), as the Accept header asks. "
        "`X-Truncated: true` when the row cap cut the results.",
        "content": {t: {} for t in [*SELECT_TYPES, *GRAPH_TYPES, "text/html"]},
    },
    400: {"description": "The query does not parse; the parser's message is given."},
    403: {"description": "An update, or SERVICE, sent to the read-only query endpoint."},
    406: {"description": "No result format matches the Accept header."},
    503: {"description": "The query ran past the time limit and was stopped."},
}


def _query_request(
    text: str, accept: str | None, default_graphs: list[str], named_graphs: list[str], settings: Settings
) -> QueryRequest:
    """Check a query for the read-only endpoint and choose its result format."""
    form = query_form(text)
    if form == "UPDATE":
        raise Forbidden("updates are not allowed on the query endpoint; use /sparql/update")
    if form is None:
        raise BadQuery("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    if not settings.allow_service and network_construct(text):
        raise Forbidden("SERVICE (federated query) is disabled on this endpoint (DEFENCE_KG_ALLOW_SERVICE)")
    graph = form in ("CONSTRUCT", "DESCRIBE")
    offered = list(GRAPH_TYPES if graph else SELECT_TYPES)
    media = negotiate(accept, offered, DEFAULT_GRAPH if graph else DEFAULT_SELECT)
    if media is None:
        raise NotAcceptable(f"none of {', '.join(offered)} is acceptable")
    return QueryRequest(text, media, settings.max_rows, tuple(default_graphs), tuple(named_graphs))


async def _answer(request: QueryRequest, runner: RunnerDep, cache: CacheDep, version: str) -> Response:
    """The answer from the cache (on the event loop) or from the query runner (in a thread)."""
    payload = await cache.aget(version, ("sparql", request), lambda: runner.run(request))
    headers = {"X-Truncated": "true"} if payload.truncated else {}
    media = request.media_type
    content_type = (
        media if media.startswith("application/") or "charset" in media else f"{media}; charset=utf-8"
    )
    return Response(payload.body, media_type=content_type, headers=headers)


def _update(request: Request, text: str) -> None:
    """Apply an update to the app's store, under the store's write lock (in a worker thread)."""
    with store_writer(request) as writer:
        writer.update(text)


def _page_or_description(request: Request, store: StoreDep) -> Response:
    accept = request.headers.get("accept")
    if negotiate(accept, ["text/html", "text/turtle"], "text/turtle") == "text/html":
        return HTMLResponse(query_page())
    return Response(
        service_description(str(request.url).split("?")[0]), media_type="text/turtle; charset=utf-8"
    )


def query_page() -> str:
    """The query page with the README's example queries (graph/queries/*.rq) built in."""
    examples = {
        path.stem.replace("-", " "): path.read_text(encoding="utf-8") for path in sorted(QUERIES.glob("*.rq"))
    }
    examples.setdefault("states and their codes", EXAMPLE)
    data = json.dumps(examples).replace("</", "<\\/")
    return PAGE.read_text(encoding="utf-8").replace("__EXAMPLES__", data)


def service_description(endpoint: str) -> str:
    """A SPARQL 1.1 Service Description of this endpoint (Turtle)."""
    formats = ", ".join(
        f"<http://www.w3.org/ns/formats/{f}>"
        for f in (
            "SPARQL_Results_JSON",
            "SPARQL_Results_XML",
            "SPARQL_Results_CSV",
            "SPARQL_Results_TSV",
            "Turtle",
            "N-Triples",
            "JSON-LD",
            "RDF_XML",
        )
    )
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:resultFormat {formats} ;
    sd:feature sd:UnionDefaultGraph ;
    sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .
"""


@router.get("/sparql", summary="SPARQL query (GET)", responses=QUERY_DOC)
async def sparql_get(
    *,
    request: Request,
    store: StoreDep,
    cache: CacheDep,
    runner: RunnerDep,
    settings: SettingsDep,
    query: Annotated[
        str | None,
        Query(
            description="A SPARQL 1.1 query; without it browsers get "
            "the query page, other clients the service description.",
            examples=[EXAMPLE],
            max_length=100_000,
        ),
    ] = None,
    default_graph_uri: Annotated[
        list[str],
        Query(
            alias="default-graph-uri",
            description="Graphs forming the default graph (default: the union of all).",
        ),
    ] = [],  # noqa: B006
    named_graph_uri: Annotated[
        list[str], Query(alias="named-graph-uri", description="Graphs available to GRAPH.")
    ] = [],  # noqa: B006
) -> Response:
    """Run a read-only SPARQL query. The default graph is the union of all named graphs unless
    `default-graph-uri` is given. Results are capped at `max_rows` and stopped at
    `query_timeout`."""
    if query is None:
        return _page_or_description(request, store)
    prepared = _query_request(
        query, request.headers.get("accept"), default_graph_uri, named_graph_uri, settings
    )
    return await _answer(prepared, runner, cache, store.version)


@router.post(
    "/sparql",
    summary="SPARQL query (POST)",
    responses=QUERY_DOC,
    openapi_extra={
        "requestBody": {
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "query": {"type": "string", "example": EXAMPLE},
                            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                            "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                        },
                    }
                },
                "application/sparql-query": {"schema": {"type": "string", "example": EXAMPLE}},
            }
        }
    },
)
async def sparql_post(
    *, request: Request, store: StoreDep, cache: CacheDep, runner: RunnerDep, settings: SettingsDep
) -> Response:
    """Run a read-only SPARQL query sent as a form (`query=`) or as the body
    (`application/sparql-query`); dataset parameters in the URL or the form."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = (await request.body()).decode("utf-8", errors="replace")
    params = parse_qs(request.url.query)
    if content_type == "application/sparql-query":
        text = body
    elif content_type == "application/x-www-form-urlencoded":
        form = parse_qs(body)
        if "update" in form:
            raise Forbidden("updates are not allowed on the query endpoint; use /sparql/update")
        params = {**params, **{k: v for k, v in form.items() if k != "query"}}
        text = (form.get("query") or [""])[0]
    elif content_type == "application/sparql-update":
        raise Forbidden("updates are not allowed on the query endpoint; use /sparql/update")
    else:
        raise BadQuery("send a form (query=...) or an application/sparql-query body")
    if not text.strip():
        raise BadQuery("no query given")
    prepared = _query_request(
        text,
        request.headers.get("accept"),
        params.get("default-graph-uri", []),
        params.get("named-graph-uri", []),
        settings,
    )
    return await _answer(prepared, runner, cache, store.version)


@router.post(
    "/sparql/update",
    summary="SPARQL update (keyed, off by default)",
    dependencies=[WriteKey],
    status_code=204,
    responses={
        204: {"description": "Applied, all or nothing."},
        401: {"description": "No or wrong API key."},
        403: {
            "description": "LOAD or SERVICE (they reach other servers) while DEFENCE_KG_ALLOW_SERVICE is off."
        },
        404: {"description": "Updates are not enabled (DEFENCE_KG_ENABLE_UPDATE)."},
    },
    openapi_extra={
        "requestBody": {
            "content": {
                "application/sparql-update": {
                    "schema": {"type": "string", "example": "INSERT DATA { <urn:a> <urn:b> 1 }"}
                },
                "application/x-www-form-urlencoded": {
                    "schema": {"type": "object", "properties": {"update": {"type": "string"}}}
                },
            }
        }
    },
)
async def sparql_update(*, request: Request, settings: SettingsDep) -> Response:
    """Apply a SPARQL 1.1 Update to the store as a new version (all or nothing)."""
    if not settings.enable_update:
        raise NotFound("SPARQL Update is not enabled on this server")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = (await request.body()).decode("utf-8", errors="replace")
    text = (parse_qs(body).get("update") or [""])[0] if content_type.endswith("urlencoded") else body
    if not text.strip():
        raise BadQuery("no update given")
    if not settings.allow_service and (construct := network_construct(text)):
        raise Forbidden(
            f"{construct} reaches other servers and is disabled on this endpoint (DEFENCE_KG_ALLOW_SERVICE)"
        )
    from starlette.concurrency import run_in_threadpool

    await run_in_threadpool(_update, request, text)
    return Response(status_code=204)
