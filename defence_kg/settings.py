"""All configuration in one place, read from the environment (prefix ``DEFENCE_KG_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Settings of the CLI and the API; every field is documented in the README."""

    model_config = SettingsConfigDict(env_prefix="DEFENCE_KG_", env_file=".env", extra="ignore")

    store_path: Path | None = Field(
        default=Path("var/store"),
        description="Folder of the on-disk Oxigraph store; empty for an in-memory store.",
    )
    data_dir: Path | None = Field(
        default=None,
        description="Folder of the reference data files; the bundled data when unset.",
    )
    edf_source: Path | None = Field(
        default=None,
        description="edf_calls.json to convert with `defence-kg convert-edf` when no path is given.",
    )
    query_timeout: float = Field(
        default=10.0, gt=0, description="Seconds a SPARQL query may run before it is stopped."
    )
    max_rows: int = Field(
        default=10_000, gt=0, description="Rows a query returns at most; more are cut and flagged."
    )
    max_document_bytes: int = Field(
        default=20_000_000,
        gt=0,
        description="Largest document file `defence-kg load` accepts; larger ones are refused.",
    )
    cache_size: int = Field(
        default=2048,
        ge=0,
        description="Answers of REST and SPARQL requests kept per store version (0 turns the cache off).",
    )
    host: str = Field(default="127.0.0.1", description="Address `defence-kg serve` listens on.")
    port: int = Field(default=8000, description="Port `defence-kg serve` listens on.")
    write_wait: float = Field(
        default=300.0,
        ge=0,
        description="Seconds a writer (build, load, upload, update, Neo4j sync) waits for the one "
        "before it to finish; past it, it gives up with a clear error and writes nothing.",
    )
    neo4j_uri: str = Field(
        default="bolt://127.0.0.1:7687",
        pattern=r"^(bolt|neo4j)(\+s|\+ssc)?://",
        description="An existing Neo4j for /cypher and `sync neo4j`: bolt://, neo4j:// (routing) or "
        "neo4j+s:// (Aura, TLS); when set, `serve` starts no Neo4j of its own.",
    )
    neo4j_user: str = Field(default="neo4j", description="Neo4j user name.")
    neo4j_password: SecretStr | None = Field(
        default=None, description="Neo4j password; unset means no authentication (a local test server)."
    )
    neo4j_database: str = Field(default="neo4j", description="Neo4j database to write and read.")
    neo4j_managed: bool = Field(
        default=True,
        description="`defence-kg serve` starts its own local Neo4j for /cypher (data in neo4j_home) "
        "and keeps it in step with the store; ignored when DEFENCE_KG_NEO4J_URI is set.",
    )
    neo4j_home: Path = Field(
        default=Path("var/neo4j"), description="Folder of the managed Neo4j's configuration and data."
    )
    neo4j_port: int = Field(
        default=0, ge=0, lt=65536, description="Bolt port of the managed Neo4j; 0 picks a free one."
    )
    neo4j_http_port: int = Field(
        default=0,
        ge=0,
        lt=65536,
        description="HTTP port of the managed Neo4j, where it serves Neo4j Browser (/browser/); "
        "0 picks a free one.",
    )
    java: str = Field(
        default="java",
        description="The Java 17+ the managed Neo4j runs on: a command on PATH or a path.",
    )
    neo4j_batch_size: int = Field(
        default=10_000, gt=0, description="Rows per Neo4j write transaction during a sync."
    )
    api_key: SecretStr | None = Field(
        default=None,
        description="Key every write (document upload, SPARQL update) must present; no default, "
        "so writes are refused until one is set.",
    )
    enable_update: bool = Field(
        default=False, description="Serve SPARQL Update at /sparql/update (still needs the key)."
    )
    allow_service: bool = Field(
        default=False,
        description="Allow SPARQL SERVICE (federated queries reaching other servers); off by default.",
    )
    query_workers: int = Field(
        default=2,
        gt=0,
        description="Worker processes answering /sparql (each query's time limit is "
        "enforced by stopping its worker).",
    )
    cors_origins: list[str] = Field(
        default=[], description="Origins allowed to call the API from a browser (CORS); none by default."
    )

    @property
    def managed_neo4j(self) -> bool:
        """True when /cypher is answered by the service's own Neo4j (no neo4j_uri was given)."""
        return self.neo4j_managed and "neo4j_uri" not in self.model_fields_set


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (cached; tests build their own `Settings`)."""
    return Settings()
