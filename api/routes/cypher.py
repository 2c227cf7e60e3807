"""Read-only Cypher at /cypher, answered by the service's own Neo4j or by the one of `neo4j_uri`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from defence_kg.api.deps import SettingsDep
from defence_kg.errors import StoreError
from defence_kg.graph.answers.cypher_read import Neo4jReader

router = APIRouter(tags=["cypher"])
EXAMPLE = (
    "MATCH (s:State)-[m:MEMBER_OF {role: 'member'}]->"
    "(:InternationalOrganisation {uri: 'https://w3id.org/defence-kg/id/nato'})\n"
    "WHERE m.from <= date($at) AND (m.to IS NULL OR m.to >= date($at))\n"
    "RETURN s.dkg__iso2[0] AS state, m.from AS since ORDER BY since, state LIMIT 3"
)


class CypherQuery(BaseModel):
    """A read-only Cypher query and its parameters."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"query": EXAMPLE, "parameters": {"at": "2022-01-01"}}]}
    )

    query: str = Field(min_length=1, max_length=100_000, description="One read-only Cypher query.")
    parameters: dict[str, Any] = Field(default={}, description="Values of the `$name` parameters.")


class CypherAnswer(BaseModel):
    """Columns and rows; nodes as {labels, properties}, relationships as {type, properties},
    dates as ISO 8601 text."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "columns": ["state", "since"],
                    "rows": [["BE", "1949-08-24"], ["CA", "1949-08-24"], ["DK", "1949-08-24"]],
                    "truncated": False,
                    "store_version": "20261202T150000-1a2b3c4d",
                    "sync_error": None,
                }
            ]
        }
    )

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = Field(description="True when the row cap (`max_rows`) cut the results.")
    store_version: str | None = Field(
        default=None,
        description="The store version the managed Neo4j holds (null for a Neo4j of neo4j_uri, "
        "synced by `defence-kg sync neo4j`).",
    )
    sync_error: str | None = Field(
        default=None,
        description="Set when the last sync failed: the answer reflects `store_version`, not the "
        "store's newest version.",
    )


@router.post(
    "/cypher",
    summary="Cypher query (read-only)",
    response_model=CypherAnswer,
    responses={
        400: {"description": "The query does not parse."},
        403: {
            "description": "A write (CREATE, MERGE, DELETE, SET, REMOVE, LOAD CSV, write procedures) "
            "or an administration command."
        },
        503: {
            "description": "The query ran past the time limit, or Neo4j is unavailable (starting, "
            "restarting after a crash, or no Java: the message says how to get Cypher)."
        },
    },
)
def cypher(body: CypherQuery, request: Request, settings: SettingsDep) -> CypherAnswer:
    """Run one read-only Cypher query over the property graph of the README's Neo4j mapping
    (labels such as `:State`, keys such as `skos__prefLabel@en`, `MEMBER_OF` with `role`, `from`,
    `to`, `sources`) on Neo4j: the service's own, kept in step with the store, or the one of
    `neo4j_uri`. Stopped at `query_timeout`, cut at `max_rows`."""
    service = getattr(request.app.state, "cypher", None)
    if service is not None:
        status = service.status
        reader = service.reader()
    elif settings.managed_neo4j:
        raise StoreError("the managed Neo4j is not running in this process; set DEFENCE_KG_NEO4J_URI")
    else:
        status = None
        reader = Neo4jReader.for_settings(settings)
    result = reader.run(body.query, body.parameters, settings.query_timeout, settings.max_rows)
    return CypherAnswer(
        columns=result.columns,
        rows=result.rows,
        truncated=result.truncated,
        store_version=status.version if status else None,
        sync_error=status.error if status else None,
    )
