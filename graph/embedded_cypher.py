"""Cypher without Neo4j: a read-only interpreter of a Cypher subset over an in-memory projection
of the embedded store, built with the same mapping as the Neo4j sync (`property_graph.py`).

Node labels, property keys, relationship types and the derived `MEMBER_OF` relationships are
the ones a synced Neo4j holds, so the same query gives the same rows on both backends (checked
by `tests/test_cypher_parity.py`). The projection is cached per store version. Constructs outside
the subset (README, "Cypher") are refused with BadQuery naming them; writes with Forbidden.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from defence_kg.errors import BadQuery, QueryTimeout
from defence_kg.graph.cypher_read import CypherResult, Token, check_read_only
from defence_kg.graph.oxigraph_store import OxigraphStore
from defence_kg.graph.property_graph import Namespaces, graph_rows

GRAPHS_OF = "_g__"
DERIVED = "MEMBER_OF"

# ---------------------------------------------------------------- the property graph


@dataclass(eq=False)
class Node:
    """A node: its labels (`Resource` first) and properties."""

    id: int
    labels: list[str]
    props: dict[str, Any]


@dataclass(eq=False)
class Rel:
    """A relationship of one type from `start` to `end`."""

    id: int
    type: str
    start: Node
    end: Node
    props: dict[str, Any]


@dataclass
class PropertyGraph:
    """Nodes and relationships with the indexes the matcher uses."""

    nodes: list[Node] = field(default_factory=list)
    rels: list[Rel] = field(default_factory=list)
    by_uri: dict[str, Node] = field(default_factory=dict)
    by_label: dict[str, list[Node]] = field(default_factory=dict)
    out: dict[int, dict[str, list[Rel]]] = field(default_factory=dict)
    into: dict[int, dict[str, list[Rel]]] = field(default_factory=dict)

    def node(self, uri: str) -> Node:
        found = self.by_uri.get(uri)
        if found is None:
            found = Node(len(self.nodes), ["Resource"], {"uri": uri, "graphs": []})
            self.nodes.append(found)
            self.by_uri[uri] = found
        return found

    def relate(self, start: Node, rel_type: str, end: Node, props: dict[str, Any]) -> Rel:
        rel = Rel(len(self.rels), rel_type, start, end, props)
        self.rels.append(rel)
        self.out.setdefault(start.id, {}).setdefault(rel_type, []).append(rel)
        self.into.setdefault(end.id, {}).setdefault(rel_type, []).append(rel)
        return rel

    def targets(self, node: Node, rel_type: str) -> list[Node]:
        return [r.end for r in self.out.get(node.id, {}).get(rel_type, [])]

    def index_labels(self) -> None:
        self.by_label = {}
        for node in self.nodes:
            for label in node.labels:
                self.by_label.setdefault(label, []).append(node)


def project(store: OxigraphStore) -> PropertyGraph:
    """The property graph a sync of `store` into Neo4j produces (named graphs in sorted order)."""
    import pyoxigraph as ox

    graphs: dict[str, list[ox.Triple]] = {}
    for quad in store.quads():
        if isinstance(quad.graph_name, ox.NamedNode):
            graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    pg = PropertyGraph()
    ns = Namespaces()
    merged: dict[tuple[int, str, int], Rel] = {}
    for graph in sorted(graphs):
        rows = graph_rows(graphs[graph], ns)
        for row in rows.nodes.values():
            node = pg.node(row["uri"])
            if graph not in node.props["graphs"]:
                node.props["graphs"].append(graph)
            node.labels += [label for label in row["labels"] if label not in node.labels]
            for key, values in row["props"].items():
                node.props[key] = node.props.get(key, []) + values
                node.props[GRAPHS_OF + key] = node.props.get(GRAPHS_OF + key, []) + [graph] * len(values)
        for rel_type, rels in rows.relationships.items():
            for item in rels:
                start, end = pg.by_uri[item["s"]], pg.by_uri[item["o"]]
                rel = merged.get((start.id, rel_type, end.id))
                if rel is None:
                    merged[start.id, rel_type, end.id] = pg.relate(start, rel_type, end, {"graphs": [graph]})
                elif graph not in rel.props["graphs"]:
                    rel.props["graphs"].append(graph)
    for node in pg.nodes:  # one named graph: implied, not written (as the sync writes it)
        if len(node.props["graphs"]) == 1:
            for key in [k for k in node.props if k.startswith(GRAPHS_OF)]:
                del node.props[key]
    for rel in pg.rels:
        if len(rel.start.props["graphs"]) == 1:
            del rel.props["graphs"]
    pg.index_labels()
    _derive_memberships(pg)
    return pg


def _first(node: Node | None, key: str) -> Any:
    values = node.props.get(key) if node is not None else None
    return values[0] if values else None


def _derive_memberships(pg: PropertyGraph) -> None:
    """`(member)-[:MEMBER_OF {role, from, to, sources, membership}]->(organisation)`, as the sync."""
    for m in pg.by_label.get("Membership", []):
        intervals = pg.targets(m, "org__memberDuring")
        begins = [b for i in intervals for b in pg.targets(i, "time__hasBeginning")] or [None]
        ends = [e for i in intervals for e in pg.targets(i, "time__hasEnd")] or [None]
        roles: list[Node | None] = list(pg.targets(m, "org__role")) or [None]
        sources = sorted({s.props["uri"] for s in pg.targets(m, "prov__wasDerivedFrom")})  # as the sync
        seen: set[tuple[int, ...]] = set()
        for s in pg.targets(m, "org__member"):
            for o in pg.targets(m, "org__organization"):
                for role in roles:
                    for b in begins:
                        for e in ends:
                            key = tuple(-1 if x is None else x.id for x in (s, o, role, b, e))
                            if key in seen:
                                continue
                            seen.add(key)
                            props = {
                                "role": _first(role, "skos__notation")
                                if _first(role, "skos__notation") is not None
                                else (role.props["uri"] if role else None),
                                "from": _first(b, "time__inXSDDate"),
                                "to": _first(e, "time__inXSDDate"),
                                "sources": sources,
                                "membership": m.props["uri"],
                            }
                            pg.relate(s, DERIVED, o, {k: v for k, v in props.items() if v is not None})


_CACHE: weakref.WeakKeyDictionary[OxigraphStore, tuple[Any, PropertyGraph]] = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


def projection(store: OxigraphStore) -> PropertyGraph:
    """The cached projection of `store`, rebuilt when the store's version (its pyoxigraph store,
    replaced by `refresh()` and by every write) has changed."""
    store.refresh()
    with _CACHE_LOCK:
        cached = _CACHE.get(store)
        if cached is not None and cached[0] is store.raw_store:
            return cached[1]
        version = store.raw_store
        graph = project(store)
        _CACHE[store] = (version, graph)
        return graph


# ---------------------------------------------------------------- parser

Expr = tuple[Any, ...]
AGGREGATES = {"count", "collect", "sum", "avg", "min", "max"}
QUANTIFIERS = {"any", "all", "none", "single"}


@dataclass
class NodePat:
    var: str | None
    labels: list[str]
    props: list[tuple[str, Expr]]


@dataclass
class RelPat:
    var: str | None
    types: list[str]
    props: list[tuple[str, Expr]]
    direction: str  # out, in, both
    hops: tuple[int, int | None] | None  # None: exactly one hop


@dataclass
class Part:
    nodes: list[NodePat]
    rels: list[RelPat]


@dataclass
class Item:
    expr: Expr
    name: str


@dataclass
class Projection:
    kind: str  # WITH or RETURN
    items: list[Item]
    star: bool = False
    distinct: bool = False
    order: list[tuple[Expr, str, bool]] = field(default_factory=list)  # expr, text, descending
    skip: Expr | None = None
    limit: Expr | None = None
    where: Expr | None = None


@dataclass
class Match:
    optional: bool
    parts: list[Part]
    where: Expr | None


@dataclass
class Unwind:
    expr: Expr
    var: str


Clause = Match | Unwind | Projection


class Parser:
    """Recursive descent over the tokens of one read query (UNION of single queries)."""

    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text, self.tokens, self.i = text, tokens, 0

    # --------------------------------------------- helpers

    def peek(self, offset: int = 0) -> Token | None:
        j = self.i + offset
        return self.tokens[j] if j < len(self.tokens) else None

    def word(self, offset: int = 0) -> str | None:
        token = self.peek(offset)
        return token.word() if token else None

    def at(self, *texts: str) -> bool:
        token = self.peek()
        return token is not None and token.kind == "op" and token.text in texts

    def at_word(self, *words: str) -> bool:
        return self.word() in words

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise BadQuery("Cypher syntax error: the query ends too early")
        self.i += 1
        return token

    def expect(self, text: str) -> Token:
        token = self.peek()
        if token is None or token.text.upper() != text.upper() or token.kind in ("string", "quoted"):
            found = repr(token.text) if token else "the end"
            raise BadQuery(f"Cypher syntax error: expected {text!r}, found {found}")
        self.i += 1
        return token

    def name(self) -> str:
        token = self.take()
        if token.kind not in ("name", "quoted"):
            raise BadQuery(f"Cypher syntax error: expected a name, found {token.text!r}")
        return str(token.value)

    def fail(self, construct: str) -> BadQuery:
        return BadQuery(f"{construct} is not supported by the embedded Cypher engine (see the README)")

    # --------------------------------------------- query and clauses

    def query(self) -> tuple[list[list[Clause]], bool]:
        """Single queries joined by UNION; True when UNION ALL."""
        parts = [self.single()]
        union_all: bool | None = None
        while self.at_word("UNION"):
            self.take()
            is_all = self.at_word("ALL")
            if is_all:
                self.take()
            if union_all is not None and union_all != is_all:
                raise BadQuery("Cypher syntax error: UNION and UNION ALL cannot be mixed")
            union_all = is_all
            parts.append(self.single())
        if self.peek() is not None and not self.at(";"):
            raise BadQuery(f"Cypher syntax error: unexpected {self.peek().text!r}")  # type: ignore[union-attr]
        columns = [[i.name for i in p[-1].items] for p in parts]  # type: ignore[union-attr]
        if any(c != columns[0] for c in columns):
            raise BadQuery("all sub queries of a UNION must return the same column names")
        return parts, bool(union_all)

    def single(self) -> list[Clause]:
        clauses: list[Clause] = []
        while True:
            word = self.word()
            if word in ("MATCH", "OPTIONAL"):
                clauses.append(self.match())
            elif word == "UNWIND":
                self.take()
                expr = self.expr()
                self.expect("AS")
                clauses.append(Unwind(expr, self.name()))
            elif word == "WITH":
                clauses.append(self.projection("WITH"))
            elif word == "RETURN":
                clauses.append(self.projection("RETURN"))
                return clauses
            elif word == "CALL":
                raise self.fail("CALL (subqueries and procedures)")
            elif word is None:
                token = self.peek()
                raise BadQuery(
                    "Cypher syntax error: a query must end with RETURN"
                    if token is None or token.text == ";"
                    else f"Cypher syntax error: unexpected {token.text!r}"
                )
            else:
                raise self.fail(f"the {word} clause")

    def match(self) -> Match:
        optional = self.at_word("OPTIONAL")
        if optional:
            self.take()
        self.expect("MATCH")
        if self.word() in ("SHORTEST", "ALL", "ANY", "REPEATABLE", "DIFFERENT"):
            raise self.fail(f"MATCH {self.word()}")
        parts, where = self.patterns_where()
        return Match(optional, parts, where)

    def patterns_where(self) -> tuple[list[Any], Expr | None]:
        """Comma-separated patterns and an optional WHERE (MATCH and EXISTS { } share it)."""
        parts = [self.pattern()]
        while self.at(","):
            self.take()
            parts.append(self.pattern())
        where = None
        if self.at_word("WHERE"):
            self.take()
            where = self.expr()
        return parts, where

    def pattern(self) -> Part:
        if self.peek(1) is not None and self.peek(1).text == "=" and self.peek().kind == "name":  # type: ignore[union-attr]
            raise self.fail("a path variable (p = ...)")
        if self.word() in ("SHORTESTPATH", "ALLSHORTESTPATHS"):
            raise self.fail(f"{self.peek().text}()")  # type: ignore[union-attr]
        nodes = [self.node()]
        rels: list[RelPat] = []
        while self.at("-", "<-"):
            rels.append(self.rel())
            nodes.append(self.node())
        return Part(nodes, rels)

    def node(self) -> NodePat:
        self.expect("(")
        var = None
        token = self.peek()
        if token is not None and token.kind in ("name", "quoted"):
            var = self.name()
        labels: list[str] = []
        while self.at(":"):
            self.take()
            labels.append(self.name())
        if self.at("|", "&", "!", "%"):
            raise self.fail("a label expression (|, &, !, %)")
        props = self.map_items() if self.at("{") else []
        if self.at_word("WHERE"):
            raise self.fail("WHERE inside a node pattern")
        self.expect(")")
        return NodePat(var, labels, props)

    def rel(self) -> RelPat:
        left = self.take().text
        var, types, props, hops = None, [], [], None
        if self.at("["):
            self.take()
            token = self.peek()
            if token is not None and token.kind in ("name", "quoted"):
                var = self.name()
            if self.at(":"):
                self.take()
                types.append(self.name())
                while self.at("|"):
                    self.take()
                    if self.at(":"):
                        self.take()
                    types.append(self.name())
            if self.at("&", "!", "%"):
                raise self.fail("a relationship type expression (&, !, %)")
            if self.at("*"):
                self.take()
                low, high = 1, None
                if self.peek() is not None and self.peek().kind == "number":  # type: ignore[union-attr]
                    low = int(self.take().value)
                    high = low
                if self.at(".."):
                    self.take()
                    high = None
                    if self.peek() is not None and self.peek().kind == "number":  # type: ignore[union-attr]
                        high = int(self.take().value)
                hops = (low, high)
            if self.at("{"):
                props = self.map_items()
            if self.at_word("WHERE"):
                raise self.fail("WHERE inside a relationship pattern")
            self.expect("]")
        right = self.take().text
        if left not in ("-", "<-") or right not in ("-", "->"):
            raise BadQuery(f"Cypher syntax error: bad relationship pattern near {right!r}")
        direction = "both" if (left == "<-") == (right == "->") else ("in" if left == "<-" else "out")
        return RelPat(var, types, props, direction, hops)

    def map_items(self) -> list[tuple[str, Expr]]:
        self.expect("{")
        items: list[tuple[str, Expr]] = []
        while not self.at("}"):
            key = self.name()
            self.expect(":")
            items.append((key, self.expr()))
            if not self.at("}"):
                self.expect(",")
        self.expect("}")
        return items

    def projection(self, kind: str) -> Projection:
        self.take()
        proj = Projection(kind, [])
        if self.at_word("DISTINCT"):
            self.take()
            proj.distinct = True
        if self.at("*"):
            self.take()
            proj.star = True
            if self.at(","):
                self.take()
            else:
                return self._tail(proj)
        while True:
            start = self.i
            expr = self.expr()
            text = self.text[self.tokens[start].start : self.tokens[self.i - 1].end]
            if self.at_word("AS"):
                self.take()
                text = self.name()
            elif kind == "WITH" and expr[0] != "var":
                raise BadQuery(f"Cypher syntax error: expression in WITH must be aliased (use AS): {text}")
            proj.items.append(Item(expr, text))
            if not self.at(","):
                break
            self.take()
        return self._tail(proj)

    def _tail(self, proj: Projection) -> Projection:
        if self.at_word("ORDER"):
            self.take()
            self.expect("BY")
            while True:
                start = self.i
                expr = self.expr()
                text = self.text[self.tokens[start].start : self.tokens[self.i - 1].end]
                desc = False
                if self.at_word("ASC", "ASCENDING", "DESC", "DESCENDING"):
                    desc = self.take().text.upper().startswith("DESC")
                proj.order.append((expr, text, desc))
                if not self.at(","):
                    break
                self.take()
        if self.at_word("SKIP", "OFFSET"):
            self.take()
            proj.skip = self.expr()
        if self.at_word("LIMIT"):
            self.take()
            proj.limit = self.expr()
        if proj.kind == "WITH" and self.at_word("WHERE"):
            self.take()
            proj.where = self.expr()
        return proj

    # --------------------------------------------- expressions

    def expr(self) -> Expr:
        return self.binary(0)

    LEVELS = (("OR",), ("XOR",), ("AND",))

    def binary(self, level: int) -> Expr:
        if level == len(self.LEVELS):
            return self.negation()
        left = self.binary(level + 1)
        while self.at_word(*self.LEVELS[level]):
            op = self.take().text.upper()
            left = (op.lower(), left, self.binary(level + 1))
        return left

    def negation(self) -> Expr:
        if self.at_word("NOT"):
            self.take()
            return ("not", self.negation())
        return self.comparison()

    def comparison(self) -> Expr:
        left = self.predicate()
        parts: list[Expr] = []
        while self.at("=", "<>", "!=", "<", ">", "<=", ">=", "=~"):
            op = self.take().text
            right = self.predicate()
            parts.append(("cmp", "<>" if op == "!=" else op, left, right))
            left = right
        if not parts:
            return left
        result = parts[0]
        for part in parts[1:]:
            result = ("and", result, part)
        return result

    def predicate(self) -> Expr:
        left = self.additive()
        while True:
            if self.at_word("IS"):
                self.take()
                negated = self.at_word("NOT")
                if negated:
                    self.take()
                if not self.at_word("NULL"):
                    raise self.fail(f"IS {self.peek().text if self.peek() else ''} (type predicates)")
                self.take()
                left = ("isnull", left, negated)
            elif self.at_word("IN"):
                self.take()
                left = ("in", left, self.additive())
            elif self.at_word("STARTS", "ENDS"):
                op = self.take().text.upper()
                self.expect("WITH")
                left = ("str", op, left, self.additive())
            elif self.at_word("CONTAINS"):
                self.take()
                left = ("str", "CONTAINS", left, self.additive())
            else:
                return left

    def additive(self) -> Expr:
        left = self.multiplicative()
        while self.at("+", "-"):
            op = self.take().text
            left = ("arith", op, left, self.multiplicative())
        return left

    def multiplicative(self) -> Expr:
        left = self.power()
        while self.at("*", "/", "%"):
            op = self.take().text
            left = ("arith", op, left, self.power())
        return left

    def power(self) -> Expr:
        left = self.unary()
        while self.at("^"):
            self.take()
            left = ("arith", "^", left, self.unary())
        return left

    def unary(self) -> Expr:
        if self.at("-"):
            self.take()
            return ("arith", "-", ("lit", 0), self.unary())
        if self.at("+"):
            self.take()
            return self.unary()
        return self.postfix()

    def postfix(self) -> Expr:
        expr = self.atom()
        while True:
            if self.at("."):
                self.take()
                expr = ("prop", expr, self.name())
            elif self.at("["):
                self.take()
                low = None if self.at("..") else self.expr()
                if self.at(".."):
                    self.take()
                    high = None if self.at("]") else self.expr()
                    self.expect("]")
                    expr = ("slice", expr, low, high)
                else:
                    self.expect("]")
                    expr = ("index", expr, low)
            elif self.at(":") and expr[0] == "var":
                labels = []
                while self.at(":"):
                    self.take()
                    labels.append(self.name())
                expr = ("labels", expr, labels)
            else:
                return expr

    def atom(self) -> Expr:
        token = self.take()
        if token.kind in ("string", "number"):
            return ("lit", token.value)
        if token.kind == "param":
            return ("param", token.value)
        if token.kind == "quoted":
            return ("var", token.value)
        if token.text == "(":
            ahead = [t.text for t in self.tokens[self.i : self.i + 3]]
            if len(ahead) == 3 and ahead[1] in (")", ":") and ahead[2] in ("-", "<-", ")"):
                raise self.fail("a pattern used as an expression (use EXISTS { ... })")
            inner = self.expr()
            self.expect(")")
            return inner
        if token.text == "[":
            return self.list_literal()
        if token.text == "{":
            self.i -= 1
            return ("map", self.map_items())
        if token.kind != "name":
            raise BadQuery(f"Cypher syntax error: unexpected {token.text!r}")
        word = token.text.upper()
        if word == "NULL":
            return ("lit", None)
        if word in ("TRUE", "FALSE"):
            return ("lit", word == "TRUE")
        if word == "CASE":
            return self.case()
        if word in ("EXISTS", "COUNT", "COLLECT") and self.at("{"):
            if word != "EXISTS":
                raise self.fail(f"{word} {{ ... }} subqueries")
            return self.exists()
        if self.at("("):
            return self.call(token.text)
        if self.at(".") and self._dotted_call():
            name = token.text
            while self.at("."):
                self.take()
                name += "." + self.name()
            return self.call(name)
        return ("var", token.text)

    def _dotted_call(self) -> bool:
        j = self.i
        while j + 1 < len(self.tokens) and self.tokens[j].text == "." and self.tokens[j + 1].kind == "name":
            j += 2
        return j > self.i and j < len(self.tokens) and self.tokens[j].text == "("

    def call(self, name: str) -> Expr:
        self.expect("(")
        lower = name.lower()
        if lower not in FUNCTIONS and lower not in AGGREGATES and lower not in QUANTIFIERS:
            raise self.fail(f"the function {name}()")
        if lower in QUANTIFIERS and self.peek(1) is not None and self.peek(1).word() == "IN":  # type: ignore[union-attr]
            var = self.name()
            self.expect("IN")
            source = self.expr()
            self.expect("WHERE")
            cond = self.expr()
            self.expect(")")
            return ("quant", lower, var, source, cond)
        if lower == "count" and self.at("*"):
            self.take()
            self.expect(")")
            return ("count*",)
        distinct = False
        if self.at_word("DISTINCT"):
            self.take()
            distinct = True
        args: list[Expr] = []
        while not self.at(")"):
            args.append(self.expr())
            if not self.at(")"):
                self.expect(",")
        self.expect(")")
        if lower not in FUNCTIONS and lower not in AGGREGATES:
            raise self.fail(f"{name}() without `x IN list WHERE ...`")
        return ("call", lower, distinct, args)

    def list_literal(self) -> Expr:
        if self.peek() is not None and self.peek().kind == "name" and self.word(1) == "IN":  # type: ignore[union-attr]
            var = self.name()
            self.take()
            source = self.expr()
            cond = None
            if self.at_word("WHERE"):
                self.take()
                cond = self.expr()
            proj = None
            if self.at("|"):
                self.take()
                proj = self.expr()
            self.expect("]")
            return ("comp", var, source, cond, proj)
        if self.at("("):
            raise self.fail("a pattern comprehension")
        items: list[Expr] = []
        while not self.at("]"):
            items.append(self.expr())
            if not self.at("]"):
                self.expect(",")
        self.expect("]")
        return ("list", items)

    def case(self) -> Expr:
        subject = None if self.at_word("WHEN") else self.expr()
        whens: list[tuple[Expr, Expr]] = []
        while self.at_word("WHEN"):
            self.take()
            cond = self.expr()
            self.expect("THEN")
            whens.append((cond, self.expr()))
        default = None
        if self.at_word("ELSE"):
            self.take()
            default = self.expr()
        self.expect("END")
        return ("case", subject, whens, default)

    def exists(self) -> Expr:
        self.expect("{")
        if self.at_word("MATCH"):
            self.take()
        parts, where = self.patterns_where()
        if not self.at("}"):
            raise self.fail("a subquery body other than MATCH pattern [WHERE ...] inside EXISTS")
        self.expect("}")
        return ("exists", Match(False, parts, where))


# ---------------------------------------------------------------- values


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _rank(value: Any) -> int:
    """Neo4j's order of types in ORDER BY (null last)."""
    if isinstance(value, dict):
        return 0
    if isinstance(value, Node):
        return 1
    if isinstance(value, Rel):
        return 2
    if isinstance(value, list):
        return 3
    if isinstance(value, dt.date):
        return 5
    if isinstance(value, str):
        return 7
    if isinstance(value, bool):
        return 8
    if _is_number(value):
        return 9
    return 10 if value is None else 6


def order_key(value: Any) -> Any:
    """A sort key following Neo4j's ordering of values."""
    rank = _rank(value)
    if rank == 9:
        return (rank, (1, 0.0) if math.isnan(value) else (0, value))
    if rank == 3:
        return (rank, tuple(order_key(v) for v in value))
    if rank in (1, 2):
        return (rank, value.id)
    if rank == 0:
        return (rank, tuple(sorted((k, order_key(v)) for k, v in value.items())))
    if rank == 10:
        return (rank, 0)
    return (rank, value)


def freeze(value: Any) -> Any:
    """A hashable stand-in for grouping and DISTINCT."""
    if isinstance(value, list):
        return ("list", tuple(freeze(v) for v in value))
    if isinstance(value, dict):
        return ("map", tuple(sorted((k, freeze(v)) for k, v in value.items())))
    if isinstance(value, Node | Rel):
        return (type(value).__name__, value.id)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def equals(a: Any, b: Any) -> bool | None:
    """Cypher `=`: null when either side is null."""
    if a is None or b is None:
        return None
    if _is_number(a) and _is_number(b):
        return bool(a == b)
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return False
        result: bool | None = True
        for x, y in zip(a, b, strict=True):
            same = equals(x, y)
            if same is False:
                return False
            if same is None:
                result = None
        return result
    if isinstance(a, Node | Rel) or isinstance(b, Node | Rel):
        return a is b
    if type(a) is not type(b) and not (isinstance(a, dt.date) and isinstance(b, dt.date)):
        return False
    return bool(a == b)


def compare(op: str, a: Any, b: Any) -> bool | None:
    if op == "=":
        return equals(a, b)
    if op == "<>":
        same = equals(a, b)
        return None if same is None else not same
    if a is None or b is None:
        return None
    if op == "=~":
        if not isinstance(a, str) or not isinstance(b, str):
            return None
        try:
            return re.fullmatch(b, a) is not None
        except re.error as exc:
            raise BadQuery(f"invalid regular expression {b!r}: {exc}") from None
    comparable = (
        (_is_number(a) and _is_number(b))
        or (isinstance(a, str) and isinstance(b, str))
        or (isinstance(a, bool) and isinstance(b, bool))
        or (isinstance(a, dt.date) and isinstance(b, dt.date))
    )
    if not comparable:
        return None
    if _is_number(a) and (math.isnan(a) or math.isnan(b)):
        return False
    return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]


def truth(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise BadQuery(f"expected a boolean, got {type(value).__name__} {value!r}")


def _parse_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    if isinstance(value, dict):
        try:
            return dt.date(int(value["year"]), int(value.get("month", 1)), int(value.get("day", 1)))
        except (KeyError, ValueError, TypeError) as exc:
            raise BadQuery(f"date(): invalid map {value!r}: {exc}") from None
    if isinstance(value, str):
        match = re.fullmatch(r"([0-9]{4})(?:-?([0-9]{2})(?:-?([0-9]{2}))?)?", value.strip())
        if match:
            try:
                return dt.date(int(match[1]), int(match[2] or 1), int(match[3] or 1))
            except ValueError:
                pass
        raise BadQuery(f"date(): text cannot be parsed to a date: {value!r}")
    raise BadQuery(f"date(): expected a string or map, got {value!r}")


def to_string(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return (
            repr(value)
            if math.isfinite(value)
            else ("NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity"))
        )
    if isinstance(value, int | dt.date):
        return str(value) if isinstance(value, int) else value.isoformat()
    raise BadQuery(f"toString(): cannot convert {type(value).__name__}")


def to_integer(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None if value is None else int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) else None
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            try:
                return int(float(value))
            except ValueError:
                return None
    raise BadQuery(f"toInteger(): cannot convert {type(value).__name__}")


def to_float(value: Any) -> float | None:
    if value is None:
        return None
    if _is_number(value):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    raise BadQuery(f"toFloat(): cannot convert {type(value).__name__}")


def _need(kind: type | tuple[type, ...], name: str, value: Any) -> Any:
    if value is not None and not isinstance(value, kind):
        raise BadQuery(f"{name}(): wrong argument type {type(value).__name__}")
    return value


def _props_of(value: Any, name: str) -> dict[str, Any]:
    if isinstance(value, Node | Rel):
        return value.props
    if isinstance(value, dict):
        return value
    raise BadQuery(f"{name}(): expected a node, relationship or map")


def _substring(s: str, start: int, length: int | None = None) -> str:
    return s[start:] if length is None else s[start : start + length]


def _round(x: float, digits: int = 0) -> float:
    scale = 10**digits
    return math.floor(x * scale + 0.5) / scale


def _range(start: int, end: int, step: int = 1) -> list[int]:
    if step == 0:
        raise BadQuery("range(): step cannot be zero")
    return list(range(start, end + (1 if step > 0 else -1), step))


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "date": lambda *a: dt.date.today() if not a else _parse_date(a[0]),
    "tostring": to_string,
    "tointeger": to_integer,
    "tofloat": to_float,
    "toboolean": lambda v: (
        None
        if v is None
        else v
        if isinstance(v, bool)
        else {"true": True, "false": False}.get(str(v).lower())
    ),
    "size": lambda v: None if v is None else len(_need((list, str), "size", v)),
    "labels": lambda n: None if n is None else list(_need(Node, "labels", n).labels),
    "type": lambda r: None if r is None else _need(Rel, "type", r).type,
    "keys": lambda v: None if v is None else list(_props_of(v, "keys")),
    "properties": lambda v: None if v is None else dict(_props_of(v, "properties")),
    "coalesce": lambda *a: next((v for v in a if v is not None), None),
    "head": lambda v: None if not v else _need(list, "head", v)[0],
    "last": lambda v: None if not v else _need(list, "last", v)[-1],
    "tail": lambda v: None if v is None else _need(list, "tail", v)[1:],
    "reverse": lambda v: None if v is None else _need((list, str), "reverse", v)[::-1],
    "tolower": lambda v: None if v is None else _need(str, "toLower", v).lower(),
    "toupper": lambda v: None if v is None else _need(str, "toUpper", v).upper(),
    "trim": lambda v: None if v is None else _need(str, "trim", v).strip(),
    "ltrim": lambda v: None if v is None else _need(str, "ltrim", v).lstrip(),
    "rtrim": lambda v: None if v is None else _need(str, "rtrim", v).rstrip(),
    "replace": lambda s, a, b: None if None in (s, a, b) else _need(str, "replace", s).replace(a, b),
    "substring": lambda s, *a: None if s is None else _substring(_need(str, "substring", s), *a),
    "left": lambda s, n: None if s is None else _need(str, "left", s)[:n],
    "right": lambda s, n: None if s is None else (_need(str, "right", s)[-n:] if n else ""),
    "split": lambda s, d: None if s is None or d is None else _need(str, "split", s).split(d),
    "abs": lambda v: None if v is None else abs(v),
    "ceil": lambda v: None if v is None else float(math.ceil(v)),
    "floor": lambda v: None if v is None else float(math.floor(v)),
    "round": lambda v, *a: None if v is None else _round(float(v), *a),
    "sign": lambda v: None if v is None else (v > 0) - (v < 0),
    "sqrt": lambda v: None if v is None else math.sqrt(v),
    "range": _range,
    "startnode": lambda r: None if r is None else _need(Rel, "startNode", r).start,
    "endnode": lambda r: None if r is None else _need(Rel, "endNode", r).end,
    "isempty": lambda v: None if v is None else len(v) == 0,
}


# ---------------------------------------------------------------- executor

Row = dict[str, Any]


class Executor:
    """Evaluates the parsed clauses over a property graph, checking the deadline as it goes."""

    def __init__(self, graph: PropertyGraph, params: dict[str, Any], deadline: float) -> None:
        self.graph, self.params, self.deadline = graph, params, deadline
        self._ticks = 0
        self._star_names: list[str] = []

    def tick(self) -> None:
        self._ticks += 1
        if self._ticks % 512 == 0 and time.monotonic() > self.deadline:
            raise QueryTimeout("the Cypher query ran past its time limit and was stopped")

    # --------------------------------------------- clauses

    def run(self, clauses: list[Clause]) -> tuple[list[str], list[list[Any]]]:
        rows: list[Row] = [{}]
        for clause in clauses:
            if isinstance(clause, Match):
                rows = self.match(clause, rows)
            elif isinstance(clause, Unwind):
                rows = self.unwind(clause, rows)
            else:
                rows = self.project(clause, rows)
        final = clauses[-1]
        assert isinstance(final, Projection)
        columns = self._columns(final, rows)
        return columns, [[row.get(c) for c in columns] for row in rows]

    def _columns(self, proj: Projection, rows: list[Row]) -> list[str]:
        names = [i.name for i in proj.items]
        if proj.star:
            names = sorted(self._star_names) + names
        return names

    def match(self, clause: Match, rows: list[Row]) -> list[Row]:
        out: list[Row] = []
        for row in rows:
            found = False
            for bound in self.match_parts(clause.parts, row):
                if clause.where is None or truth(self.eval(clause.where, bound)) is True:
                    out.append(bound)
                    found = True
            if clause.optional and not found:
                out.append({**row, **{v: None for v in self._pattern_vars(clause.parts) if v not in row}})
        return out

    @staticmethod
    def _pattern_vars(parts: list[Part]) -> list[str]:
        names = []
        for part in parts:
            names += [n.var for n in part.nodes if n.var] + [r.var for r in part.rels if r.var]
        return names

    def unwind(self, clause: Unwind, rows: list[Row]) -> list[Row]:
        out: list[Row] = []
        for row in rows:
            value = self.eval(clause.expr, row)
            values = [] if value is None else value if isinstance(value, list) else [value]
            for v in values:
                self.tick()
                out.append({**row, clause.var: v})
        return out

    def project(self, proj: Projection, rows: list[Row]) -> list[Row]:
        aggregating = any(self._has_agg(i.expr) for i in proj.items)
        if proj.star:
            self._star_names = sorted({k for r in rows for k in r}) if rows else []
        scopes: list[Row]
        if aggregating:
            out, scopes = self._aggregate(proj, rows)
        else:
            out = []
            for row in rows:
                self.tick()
                new = dict(row) if proj.star else {}
                for item in proj.items:
                    new[item.name] = self.eval(item.expr, row)
                out.append(new)
            scopes = [{**row, **new} for row, new in zip(rows, out, strict=True)]
        if proj.distinct:
            seen: set[Any] = set()
            kept = []
            for new, scope in zip(out, scopes, strict=True):
                key = freeze([new[k] for k in new])
                if key not in seen:
                    seen.add(key)
                    kept.append((new, scope))
            out, scopes = [k[0] for k in kept], [k[1] for k in kept]
        if proj.order:
            pairs = list(zip(out, scopes, strict=True))
            for expr, text, desc in reversed(proj.order):
                names = {i.name: i.name for i in proj.items}
                pairs.sort(
                    key=lambda p, e=expr, t=text: order_key(
                        p[0][names[t]] if t in names else self.eval(e, p[1])
                    ),
                    reverse=desc,
                )
            out = [p[0] for p in pairs]
        if proj.skip is not None:
            out = out[self._count(proj.skip, "SKIP") :]
        if proj.limit is not None:
            out = out[: self._count(proj.limit, "LIMIT")]
        if proj.where is not None:
            out = [r for r in out if truth(self.eval(proj.where, r)) is True]
        return out

    def _count(self, expr: Expr, what: str) -> int:
        value = self.eval(expr, {})
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise BadQuery(f"{what} needs a non-negative integer, got {value!r}")
        return value

    def _has_agg(self, expr: Any) -> bool:
        if isinstance(expr, tuple):
            if expr and (expr[0] == "count*" or (expr[0] == "call" and expr[1] in AGGREGATES)):
                return True
            return any(self._has_agg(e) for e in expr[1:])
        if isinstance(expr, list):
            return any(self._has_agg(e) for e in expr)
        return False

    def _aggregate(self, proj: Projection, rows: list[Row]) -> tuple[list[Row], list[Row]]:
        keys = [i for i in proj.items if not self._has_agg(i.expr)]
        groups: dict[Any, tuple[Row, list[Row]]] = {}
        for row in rows:
            self.tick()
            values = {i.name: self.eval(i.expr, row) for i in keys}
            group = groups.setdefault(freeze(list(values.values())), (values, []))
            group[1].append(row)
        if not groups and not keys:
            groups[()] = ({}, [])
        out = []
        for values, members in groups.values():
            new = dict(values)
            for item in proj.items:
                if item not in keys:
                    new[item.name] = self._eval_agg(item.expr, members)
            out.append(new)
        return out, [dict(new) for new in out]

    def _eval_agg(self, expr: Expr, rows: list[Row]) -> Any:
        aggs: dict[int, Any] = {}

        def collect(node: Any) -> None:
            if not isinstance(node, tuple) or not node:
                if isinstance(node, list):
                    for x in node:
                        collect(x)
                return
            if node[0] == "count*":
                aggs[id(node)] = len(rows)
            elif node[0] == "call" and node[1] in AGGREGATES:
                aggs[id(node)] = self._aggregate_one(node, rows)
            else:
                for x in node[1:]:
                    collect(x)

        collect(expr)
        return self.eval(expr, rows[0] if rows else {}, aggs)

    def _aggregate_one(self, node: Expr, rows: list[Row]) -> Any:
        _, name, distinct, args = node
        if len(args) != 1:
            raise BadQuery(f"{name}() takes one argument")
        values = [v for v in (self.eval(args[0], r) for r in rows) if v is not None]
        if distinct:
            unique: dict[Any, Any] = {}
            for v in values:
                unique.setdefault(freeze(v), v)
            values = list(unique.values())
        if name == "count":
            return len(values)
        if name == "collect":
            return values
        if name in ("min", "max"):
            if not values:
                return None
            return (min if name == "min" else max)(values, key=order_key)
        if any(not _is_number(v) for v in values):
            raise BadQuery(f"{name}() needs numbers")
        if name == "sum":
            return sum(values)
        return sum(values) / len(values) if values else None

    # --------------------------------------------- pattern matching

    def match_parts(self, parts: list[Part], row: Row) -> Iterator[Row]:
        def step(index: int, bound: Row, used: frozenset[int]) -> Iterator[Row]:
            if index == len(parts):
                yield bound
                return
            for extended, used2 in self.match_part(parts[index], bound, used):
                yield from step(index + 1, extended, used2)

        yield from step(0, row, frozenset())

    def _candidates(self, pat: NodePat, bound: Row) -> list[Node] | None:
        if pat.var and pat.var in bound:
            value = bound[pat.var]
            if value is None:
                return []
            if not isinstance(value, Node):
                raise BadQuery(f"variable `{pat.var}` is not a node")
            return [value]
        for key, expr in pat.props:
            if key == "uri":
                uri = self.eval(expr, bound)
                node = self.graph.by_uri.get(uri) if isinstance(uri, str) else None
                return [node] if node else []
        if pat.labels:
            return min((self.graph.by_label.get(label, []) for label in pat.labels), key=len)
        return None

    def _node_ok(self, node: Node, pat: NodePat, bound: Row) -> bool:
        if any(label not in node.labels for label in pat.labels):
            return False
        if pat.var and pat.var in bound and bound[pat.var] is not node:
            return False
        return all(equals(node.props.get(k), self.eval(e, bound)) is True for k, e in pat.props)

    def match_part(self, part: Part, row: Row, used: frozenset[int]) -> Iterator[tuple[Row, frozenset[int]]]:
        options = [self._candidates(p, row) for p in part.nodes]
        sized = [(len(o), i) for i, o in enumerate(options) if o is not None]
        anchor = min(sized)[1] if sized else 0
        starts = options[anchor] if options[anchor] is not None else self.graph.nodes
        order = [(j, True) for j in range(anchor, len(part.rels))] + [
            (j, False) for j in range(anchor - 1, -1, -1)
        ]

        def bind(var: str | None, value: Any, bound: Row) -> Row | None:
            if var is None:
                return bound
            if var in bound and bound[var] is not value and not isinstance(value, list):
                return None
            return {**bound, var: value}

        def walk(
            k: int, bound: Row, used: frozenset[int], at: dict[int, Node]
        ) -> Iterator[tuple[Row, frozenset[int]]]:
            if k == len(order):
                yield bound, used
                return
            j, forward = order[k]
            pat = part.rels[j]
            here = at[j] if forward else at[j + 1]
            target_pat = part.nodes[j + 1] if forward else part.nodes[j]
            for rels, other in self._expand(here, pat, forward, bound, used):
                self.tick()
                if not self._node_ok(other, target_pat, bound):
                    continue
                if (j + 1 if forward else j) in at and at[j + 1 if forward else j] is not other:
                    continue
                value: Any = rels if pat.hops else rels[0]
                if pat.var and pat.var in bound and (pat.hops or bound[pat.var] is not value):
                    continue
                b2 = bind(pat.var, value, bound)
                b3 = bind(target_pat.var, other, b2) if b2 is not None else None
                if b3 is None:
                    continue
                yield from walk(
                    k + 1, b3, used | {r.id for r in rels}, {**at, (j + 1 if forward else j): other}
                )

        first = part.nodes[anchor]
        for node in starts:
            self.tick()
            if not self._node_ok(node, first, row):
                continue
            bound = bind(first.var, node, row)
            if bound is not None:
                yield from walk(0, bound, used, {anchor: node})

    def _steps(self, node: Node, pat: RelPat, forward: bool) -> Iterator[tuple[Rel, Node]]:
        directions = []
        if pat.direction in ("out", "both"):
            directions.append(forward)
        if pat.direction in ("in", "both"):
            directions.append(not forward)
        for outgoing in directions:
            table = (self.graph.out if outgoing else self.graph.into).get(node.id, {})
            for rel_type in pat.types or list(table):
                for rel in table.get(rel_type, []):
                    if pat.direction == "both" and not outgoing and rel.start is rel.end:
                        continue
                    yield rel, (rel.end if outgoing else rel.start)

    def _rel_ok(self, rel: Rel, pat: RelPat, bound: Row) -> bool:
        return all(equals(rel.props.get(k), self.eval(e, bound)) is True for k, e in pat.props)

    def _expand(
        self, node: Node, pat: RelPat, forward: bool, bound: Row, used: frozenset[int]
    ) -> Iterator[tuple[list[Rel], Node]]:
        if pat.hops is None:
            for rel, other in self._steps(node, pat, forward):
                if rel.id not in used and self._rel_ok(rel, pat, bound):
                    yield [rel], other
            return
        low, high = pat.hops

        def deeper(at: Node, path: list[Rel]) -> Iterator[tuple[list[Rel], Node]]:
            if len(path) >= low:
                yield (path if forward else path[::-1]), at
            if high is not None and len(path) >= high:
                return
            for rel, other in self._steps(at, pat, forward):
                self.tick()
                if rel.id in used or any(r is rel for r in path) or not self._rel_ok(rel, pat, bound):
                    continue
                yield from deeper(other, [*path, rel])

        yield from deeper(node, [])

    # --------------------------------------------- expressions

    def eval(self, expr: Expr, row: Row, aggs: dict[int, Any] | None = None) -> Any:
        kind = expr[0]
        if aggs is not None and id(expr) in aggs:
            return aggs[id(expr)]
        if kind == "lit":
            return expr[1]
        if kind == "var":
            if expr[1] not in row:
                raise BadQuery(f"Variable `{expr[1]}` not defined")
            return row[expr[1]]
        if kind == "param":
            if expr[1] not in self.params:
                raise BadQuery(f"Expected parameter(s): {expr[1]}")
            return _from_json(self.params[expr[1]])
        if kind == "prop":
            return self._property(self.eval(expr[1], row, aggs), expr[2])
        if kind in ("and", "or", "xor"):
            a = truth(self.eval(expr[1], row, aggs))
            if kind == "and" and a is False:
                return False
            if kind == "or" and a is True:
                return True
            b = truth(self.eval(expr[2], row, aggs))
            if kind == "and":
                return False if b is False else (None if a is None or b is None else True)
            if kind == "or":
                return True if b is True else (None if a is None or b is None else False)
            return None if a is None or b is None else a != b
        if kind == "not":
            value = truth(self.eval(expr[1], row, aggs))
            return None if value is None else not value
        if kind == "cmp":
            return compare(expr[1], self.eval(expr[2], row, aggs), self.eval(expr[3], row, aggs))
        if kind == "isnull":
            value = self.eval(expr[1], row, aggs)
            return (value is not None) if expr[2] else (value is None)
        if kind == "in":
            return self._in(self.eval(expr[1], row, aggs), self.eval(expr[2], row, aggs))
        if kind == "str":
            a, b = self.eval(expr[2], row, aggs), self.eval(expr[3], row, aggs)
            if not isinstance(a, str) or not isinstance(b, str):
                return None
            return {"STARTS": a.startswith, "ENDS": a.endswith, "CONTAINS": a.__contains__}[expr[1]](b)
        if kind == "arith":
            return self._arith(expr[1], self.eval(expr[2], row, aggs), self.eval(expr[3], row, aggs))
        if kind == "index":
            return self._index(self.eval(expr[1], row, aggs), self.eval(expr[2], row, aggs))
        if kind == "slice":
            value = self.eval(expr[1], row, aggs)
            low = self.eval(expr[2], row, aggs) if expr[2] is not None else None
            high = self.eval(expr[3], row, aggs) if expr[3] is not None else None
            if value is None:
                return None
            return _need((list, str), "slice", value)[low:high]
        if kind == "labels":
            node = self.eval(expr[1], row, aggs)
            return None if node is None else all(label in node.labels for label in expr[2])
        if kind == "list":
            return [self.eval(e, row, aggs) for e in expr[1]]
        if kind == "map":
            return {k: self.eval(e, row, aggs) for k, e in expr[1]}
        if kind == "call":
            _, name, _distinct, args = expr
            if name in AGGREGATES:
                raise BadQuery(f"{name}() is an aggregation: use it in WITH or RETURN")
            try:
                return FUNCTIONS[name](*(self.eval(a, row, aggs) for a in args))
            except TypeError as exc:
                raise BadQuery(f"{name}(): {exc}") from None
        if kind == "count*":
            raise BadQuery("count(*) is an aggregation: use it in WITH or RETURN")
        if kind == "case":
            return self._case(expr, row, aggs)
        if kind == "comp":
            _, var, source, cond, proj = expr
            items = self.eval(source, row, aggs)
            if items is None:
                return None
            out = []
            for item in _need(list, "list comprehension", items):
                scope = {**row, var: item}
                if cond is None or truth(self.eval(cond, scope, aggs)) is True:
                    out.append(item if proj is None else self.eval(proj, scope, aggs))
            return out
        if kind == "quant":
            return self._quantifier(expr, row, aggs)
        if kind == "exists":
            clause: Match = expr[1]
            for bound in self.match_parts(clause.parts, row):
                if clause.where is None or truth(self.eval(clause.where, bound)) is True:
                    return True
            return False
        raise BadQuery(f"unsupported expression {kind}")

    def _case(self, expr: Expr, row: Row, aggs: dict[int, Any] | None) -> Any:
        _, subject, whens, default = expr
        value = self.eval(subject, row, aggs) if subject is not None else None
        for cond, result in whens:
            test = self.eval(cond, row, aggs)
            hit = equals(value, test) is True if subject is not None else truth(test) is True
            if hit:
                return self.eval(result, row, aggs)
        return self.eval(default, row, aggs) if default is not None else None

    def _quantifier(self, expr: Expr, row: Row, aggs: dict[int, Any] | None) -> Any:
        _, name, var, source, cond = expr
        items = self.eval(source, row, aggs)
        if items is None:
            return None
        results = [truth(self.eval(cond, {**row, var: item}, aggs)) for item in _need(list, name, items)]
        trues = sum(1 for r in results if r is True)
        unknown = any(r is None for r in results)
        if name == "any":
            return True if trues else (None if unknown else False)
        if name == "all":
            return False if any(r is False for r in results) else (None if unknown else True)
        if name == "none":
            return False if trues else (None if unknown else True)
        return None if unknown else trues == 1

    @staticmethod
    def _property(value: Any, key: str) -> Any:
        if value is None:
            return None
        if isinstance(value, Node | Rel):
            return value.props.get(key)
        if isinstance(value, dict):
            return value.get(key)
        if isinstance(value, dt.date) and key in ("year", "month", "day"):
            return getattr(value, key)
        raise BadQuery(f"type mismatch: cannot read property `{key}` of {type(value).__name__}")

    @staticmethod
    def _in(value: Any, items: Any) -> bool | None:
        if items is None:
            return None
        if not isinstance(items, list):
            raise BadQuery("IN needs a list on its right")
        unknown = False
        for item in items:
            same = equals(value, item)
            if same is True:
                return True
            unknown = unknown or same is None
        return None if unknown else False

    @staticmethod
    def _index(value: Any, index: Any) -> Any:
        if value is None or index is None:
            return None
        if isinstance(value, dict | Node | Rel):
            return Executor._property(value, index)
        if not isinstance(value, list) or not isinstance(index, int):
            raise BadQuery("type mismatch: [] needs a list and an integer, or a map and a key")
        return value[index] if -len(value) <= index < len(value) else None

    @staticmethod
    def _arith(op: str, a: Any, b: Any) -> Any:
        if a is None or b is None:
            return None
        if op == "+":
            if isinstance(a, list):
                return a + (b if isinstance(b, list) else [b])
            if isinstance(b, list):
                return [a, *b]
            if isinstance(a, str) or isinstance(b, str):
                return (to_string(a) or "") + (to_string(b) or "")
        if not (_is_number(a) and _is_number(b)):
            raise BadQuery(f"type mismatch: cannot compute {a!r} {op} {b!r}")
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "^":
            return float(a) ** float(b)
        if isinstance(a, int) and isinstance(b, int):
            if b == 0:
                raise BadQuery("/ by zero")
            quotient = abs(a) // abs(b) * (1 if (a >= 0) == (b >= 0) else -1)
            return quotient if op == "/" else a - quotient * b
        if op == "/":
            return a / b if b else (math.nan if a == 0 else math.copysign(math.inf, a) * math.copysign(1, b))
        return math.fmod(a, b) if b else math.nan


def _from_json(value: Any) -> Any:
    return value


def _to_json(value: Any) -> Any:
    if isinstance(value, Node):
        return {"labels": sorted(value.labels), "properties": _to_json(value.props)}
    if isinstance(value, Rel):
        return {"type": value.type, "properties": _to_json(value.props)}
    if isinstance(value, list):
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _to_json(v) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def parse(text: str) -> tuple[list[list[Clause]], bool]:
    """The clauses of each single query of `text` and whether UNION ALL joins them; Forbidden for
    writes, BadQuery for syntax errors and constructs outside the subset."""
    tokens = check_read_only(text, allow_procedures=False)
    if tokens and tokens[-1].text == ";":
        tokens = tokens[:-1]
    return Parser(text, tokens).query()


def run(
    graph: PropertyGraph, text: str, parameters: dict[str, Any], timeout: float, max_rows: int
) -> CypherResult:
    """Run one read query over `graph`: at most `max_rows` rows, stopped after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    parts, union_all = parse(text)
    executor = Executor(graph, parameters, deadline)
    columns: list[str] = []
    rows: list[list[Any]] = []
    for clauses in parts:
        columns, part_rows = executor.run(clauses)
        rows += part_rows
    if len(parts) > 1 and not union_all:
        unique: dict[Any, list[Any]] = {}
        for row in rows:
            unique.setdefault(freeze(row), row)
        rows = list(unique.values())
    result = CypherResult(columns=columns, truncated=len(rows) > max_rows)
    result.rows = [_to_json(row) for row in rows[:max_rows]]
    return result
