"""Read-only Cypher at /cypher, answered by the embedded engine or by Neo4j (`cypher_backend`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from defence_kg.api.deps import SettingsDep, StoreDep
from defence_kg.graph import embedded_cypher
from defence_kg.graph.cypher_read import Neo4jReader

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
                }
            ]
        }
    )

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = Field(description="True when the row cap (`max_rows`) cut the results.")


@router.post(
    "/cypher",
    summary="Cypher query (read-only)",
    response_model=CypherAnswer,
    responses={
        400: {"description": "The query does not parse, or uses a construct the engine does not support."},
        403: {
            "description": "A write (CREATE, MERGE, DELETE, SET, REMOVE, LOAD CSV, write procedures) "
            "or an administration command."
        },
        503: {"description": "The query ran past the time limit, or Neo4j is unavailable."},
    },
)
def cypher(body: CypherQuery, store: StoreDep, settings: SettingsDep) -> CypherAnswer:
    """Run one read-only Cypher query over the property graph of the README's Neo4j mapping
    (labels such as `:State`, keys such as `skos__prefLabel@en`, `MEMBER_OF` with `role`, `from`,
    `to`, `sources`). Answered by the embedded engine or by Neo4j, as `cypher_backend` says;
    stopped at `query_timeout`, cut at `max_rows`."""
    if settings.cypher_backend == "neo4j":
        reader = Neo4jReader.for_settings(settings)
        result = reader.run(body.query, body.parameters, settings.query_timeout, settings.max_rows)
    else:
        graph = embedded_cypher.projection(store)
        result = embedded_cypher.run(
            graph, body.query, body.parameters, settings.query_timeout, settings.max_rows
        )
    return CypherAnswer(columns=result.columns, rows=result.rows, truncated=result.truncated)
