"""Read-only Cypher: the lexical guard both backends apply, and the Neo4j runner.

On Neo4j a query is refused before it runs when the guard finds a write or administration
construct, or when `EXPLAIN` reports a query type other than read (`r`); it then runs in a
session opened in READ access mode, inside `execute_read`, with a transaction timeout.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass, field
from typing import Any, ClassVar

from defence_kg.errors import BadQuery, Forbidden, QueryTimeout, StoreError
from defence_kg.settings import Settings

# ---------------------------------------------------------------- lexer


@dataclass(frozen=True)
class Token:
    """One Cypher token: `kind` is name, quoted (a `backticked` name), string, number, param, op."""

    kind: str
    text: str
    value: Any
    start: int
    end: int

    def word(self) -> str | None:
        """The upper-case word of an unquoted name, else None."""
        return self.text.upper() if self.kind == "name" else None


_TOKEN = re.compile(
    r"""(?P<space>\s+|//[^\n]*|/\*.*?\*/)
      |(?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
      |(?P<quoted>`(?:[^`]|``)*`)
      |(?P<number>\d+\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|0x[0-9a-fA-F]+|\d+)
      |(?P<param>\$(?:[A-Za-z_][A-Za-z0-9_]*|`(?:[^`]|``)*`|\d+))
      |(?P<name>[A-Za-z_][A-Za-z0-9_]*)
      |(?P<op><>|!=|<=|>=|=~|->|<-|\.\.|[-+*/%^=<>(){}\[\],.:|;])""",
    re.S | re.X,
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "'": "'", '"': '"', "\\": "\\"}


def _unescape(body: str) -> str:
    def one(match: re.Match[str]) -> str:
        text = match.group(1)
        if text[0] in "uU":
            return chr(int(text[1:], 16))
        return _ESCAPES.get(text, "\\" + text)

    return re.sub(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", one, body, flags=re.S)


def tokenize(text: str) -> list[Token]:
    """The tokens of a Cypher text (comments and spaces dropped); BadQuery on a stray character."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            snippet = text[pos : pos + 20]
            raise BadQuery(f"Cypher syntax error at character {pos}: unexpected {snippet!r}")
        kind = match.lastgroup or "op"
        raw = match.group()
        if kind == "string":
            tokens.append(Token(kind, raw, _unescape(raw[1:-1]), pos, match.end()))
        elif kind == "quoted":
            tokens.append(Token(kind, raw, raw[1:-1].replace("``", "`"), pos, match.end()))
        elif kind == "number":
            value: Any = (
                int(raw, 16)
                if raw.startswith("0x")
                else float(raw)
                if "." in raw or "e" in raw.lower()
                else int(raw)
            )
            tokens.append(Token(kind, raw, value, pos, match.end()))
        elif kind == "param":
            name = raw[1:]
            tokens.append(
                Token(
                    kind,
                    raw,
                    name[1:-1].replace("``", "`") if name.startswith("`") else name,
                    pos,
                    match.end(),
                )
            )
        elif kind != "space":
            tokens.append(Token(kind, raw, raw, pos, match.end()))
        pos = match.end()
    return tokens


# ---------------------------------------------------------------- the guard

WRITE_CLAUSES = {
    "CREATE": "CREATE",
    "MERGE": "MERGE",
    "DELETE": "DELETE",
    "DETACH": "DETACH DELETE",
    "SET": "SET",
    "REMOVE": "REMOVE",
    "FOREACH": "FOREACH",
    "LOAD": "LOAD CSV",
    "FINISH": "FINISH",
}
ADMIN_COMMANDS = {
    "SHOW",
    "GRANT",
    "DENY",
    "REVOKE",
    "DROP",
    "ALTER",
    "RENAME",
    "START",
    "STOP",
    "TERMINATE",
    "ENABLE",
    "DEALLOCATE",
    "REALLOCATE",
    "DRYRUN",
}
WRITE_PROCEDURES = re.compile(
    r"^(apoc|dbms|gds|n10s|db\.(create|drop|clear|index\.fulltext\.(create|drop)|awaitIndex|resample))",
    re.I,
)
ADMIN_OBJECTS = {
    "INDEX",
    "CONSTRAINT",
    "DATABASE",
    "ALIAS",
    "USER",
    "ROLE",
    "COMPOSITE",
    "OR",
    "RANGE",
    "TEXT",
    "POINT",
    "FULLTEXT",
    "LOOKUP",
    "VECTOR",
}
PREFIXES = {"EXPLAIN", "PROFILE", "CYPHER", "USE"}


def _is_keyword(tokens: list[Token], i: int) -> bool:
    """A bare word used as a clause keyword: not a property key, label, map key or parameter."""
    before = tokens[i - 1].text if i else ""
    after = tokens[i + 1].text if i + 1 < len(tokens) else ""
    return before not in (".", ":", "|", "$") and not (after == ":" and before in ("{", ","))


def procedure_name(tokens: list[Token], i: int) -> str:
    """The dotted name after CALL at `i` ('' for a CALL { subquery })."""
    parts = []
    j = i + 1
    while j < len(tokens) and tokens[j].kind in ("name", "quoted"):
        parts.append(tokens[j].value)
        if j + 1 < len(tokens) and tokens[j + 1].text == ".":
            j += 2
            continue
        break
    return ".".join(parts)


def check_read_only(text: str, *, allow_procedures: bool) -> list[Token]:
    """Tokens of `text`; Forbidden (403) naming the first write or administration construct.

    `allow_procedures`: read procedures may be called (Neo4j); write ones (apoc.*, dbms.*,
    db.create*...) never are.
    """
    tokens = tokenize(text)
    if not tokens:
        raise BadQuery("no Cypher query given")
    for i, token in enumerate(tokens):
        word = token.word()
        if word is None or not _is_keyword(tokens, i):
            continue
        if word in WRITE_CLAUSES:
            following = tokens[i + 1].word() if i + 1 < len(tokens) else None
            if word == "CREATE" and following in ADMIN_OBJECTS:
                raise Forbidden(f"administration commands are not allowed (CREATE {following})")
            raise Forbidden(f"this endpoint is read-only: {WRITE_CLAUSES[word]} is not allowed")
        if word in ADMIN_COMMANDS and (i == 0 or tokens[i - 1].text == ";" or word != "START"):
            raise Forbidden(f"administration commands are not allowed ({word})")
        if word == "CALL":
            name = procedure_name(tokens, i)
            if name and WRITE_PROCEDURES.match(name):
                raise Forbidden(f"procedure {name} is not allowed: only read procedures may be called")
            if name and not allow_procedures:
                raise BadQuery(f"CALL {name}: procedures are not supported by the embedded Cypher engine")
        if word in PREFIXES and (i == 0 or tokens[i - 1].text == ";"):
            raise BadQuery(f"{word} is not supported here: send the query alone")
    if any(t.text == ";" for t in tokens[:-1]):
        raise BadQuery("one query at a time: ';' separates statements")
    return tokens


# ---------------------------------------------------------------- results as JSON


def to_json(value: Any) -> Any:
    """A Cypher value as JSON: nodes as {labels, properties}, relationships as {type, properties},
    temporal values as ISO 8601 text."""
    from neo4j.graph import Node, Path, Relationship

    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, Node):
        return {"labels": sorted(value.labels), "properties": to_json(dict(value))}
    if isinstance(value, Relationship):
        return {"type": value.type, "properties": to_json(dict(value))}
    if isinstance(value, Path):
        return {"nodes": to_json(list(value.nodes)), "relationships": to_json(list(value.relationships))}
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return str(value)


@dataclass
class CypherResult:
    """Columns and rows (JSON values) of a Cypher query, with truncation signalled."""

    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    truncated: bool = False


# ---------------------------------------------------------------- Neo4j


class Neo4jReader:
    """Runs read-only Cypher on the Neo4j the settings name (one driver per server)."""

    _readers: ClassVar[dict[tuple[str, str, str], Neo4jReader]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, settings: Settings) -> None:
        from neo4j import GraphDatabase

        secret = settings.neo4j_password.get_secret_value() if settings.neo4j_password else None
        self.uri = settings.neo4j_uri
        self.database = settings.neo4j_database
        self.driver = GraphDatabase.driver(
            self.uri,
            auth=(settings.neo4j_user, secret) if secret else None,
            connection_timeout=5,
            max_transaction_retry_time=0,
            notifications_min_severity="OFF",
        )

    @classmethod
    def for_settings(cls, settings: Settings) -> Neo4jReader:
        """The shared reader of this server, user and database."""
        key = (settings.neo4j_uri, settings.neo4j_user, settings.neo4j_database)
        with cls._lock:
            reader = cls._readers.get(key)
            if reader is None:
                reader = cls._readers[key] = cls(settings)
            return reader

    def run(self, query: str, parameters: dict[str, Any], timeout: float, max_rows: int) -> CypherResult:
        """Refuse anything but a read, then run it with `timeout` and cut at `max_rows`."""
        from neo4j import READ_ACCESS, ManagedTransaction, unit_of_work
        from neo4j.exceptions import ClientError, DriverError, Neo4jError, ServiceUnavailable

        check_read_only(query, allow_procedures=True)

        @unit_of_work(timeout=timeout)
        def explain(tx: ManagedTransaction) -> str:
            return str(tx.run("EXPLAIN " + query, parameters).consume().query_type)

        @unit_of_work(timeout=timeout)
        def read(tx: ManagedTransaction) -> CypherResult:
            result = tx.run(query, parameters)
            out = CypherResult(columns=list(result.keys()))
            for record in result:
                if len(out.rows) >= max_rows:
                    out.truncated = True
                    break
                out.rows.append([to_json(v) for v in record.values()])
            return out

        try:
            with self.driver.session(database=self.database, default_access_mode=READ_ACCESS) as session:
                kind = session.execute_read(explain)
                if kind != "r":
                    raise Forbidden(
                        f"this endpoint is read-only: the query's type is {kind!r}, not 'r' (read)"
                    )
                return session.execute_read(read)
        except (ServiceUnavailable, OSError) as exc:
            raise StoreError(f"Neo4j at {self.uri} is unavailable: {exc}") from None
        except Neo4jError as exc:
            code = exc.code or ""
            if "TransactionTimedOut" in code or "TransactionTimedOutClientConfiguration" in code:
                raise QueryTimeout(
                    f"the query ran past the time limit ({timeout:g} s) and was stopped"
                ) from None
            if "AccessMode" in code or "Forbidden" in code:
                raise Forbidden(f"this endpoint is read-only: {exc.message}") from None
            if isinstance(exc, ClientError):
                raise BadQuery(f"{code.rsplit('.', 1)[-1]}: {exc.message}") from None
            raise StoreError(f"Neo4j at {self.uri}: {code}: {exc.message}") from None
        except DriverError as exc:
            raise StoreError(f"Neo4j at {self.uri}: {type(exc).__name__}: {exc}") from None

    def close(self) -> None:
        self.driver.close()

    @classmethod
    def close_all(cls) -> None:
        """Close every shared driver (on server shutdown)."""
        with cls._lock:
            for reader in cls._readers.values():
                reader.close()
            cls._readers.clear()
