"""The RDF <-> property graph mapping of the Neo4j store, as pure functions (no I/O).

- Every IRI is a `:Resource` node with its `uri`; rdf:type adds the class's local name as a label
  (`:State`) and an `rdf__type` relationship to the class node (which keeps its named graph).
- An IRI-valued triple is a relationship typed `prefix__local` (n10s "SHORTEN" style,
  `org__member`); a literal-valued one a node property of that key, always an array, with the
  language in the key (`skos__prefLabel@en`) and other datatypes than string, integer, boolean,
  date and (reversible) decimal in the key as well (`dkg__year^^xsd__gYear`).
- Named graphs: every node lists its own in `graphs`. A node of one named graph needs no more:
  its values and outgoing relationships are of that graph. A node of several has, for each
  literal array, a twin `_g__<key>` naming the graph of each value, and its outgoing
  relationships list theirs in `graphs`, so one graph can be replaced alone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox

from defence_kg.errors import StoreError
from defence_kg.graph.queries.cypher_queries import GRAPHS_OF

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
TYPE_KEY = "rdf__type"
KNOWN_PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": XSD,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "sh": "http://www.w3.org/ns/shacl#",
    "dkg": "https://w3id.org/defence-kg/ontology#",
}
INTERNAL_KEYS = {"uri", "graphs"}
_KEY = re.compile(r"^(?P<pred>.+?)(?:@(?P<lang>[A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(?P<dt>.+))?$")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def local_name(iri: str) -> str:
    """What follows the last `#` or `/` of an IRI (the label of a class)."""
    return re.split(r"[#/]", iri)[-1]


class Namespaces:
    """Prefixes for property keys and relationship types; unknown namespaces get `ns0`, `ns1`..."""

    def __init__(self, saved: dict[str, str] | None = None) -> None:
        self.prefixes = {**KNOWN_PREFIXES, **(saved or {})}
        self._by_ns = {ns: p for p, ns in self.prefixes.items()}
        self.new: dict[str, str] = {}

    def shorten(self, iri: str) -> str:
        local = local_name(iri)
        namespace = iri[: len(iri) - len(local)]
        prefix = self._by_ns.get(namespace)
        if prefix is None:
            prefix = f"ns{sum(1 for p in self.prefixes if p not in KNOWN_PREFIXES)}"
            self.prefixes[prefix] = namespace
            self._by_ns[namespace] = prefix
            self.new[prefix] = namespace
        return f"{prefix}__{local}"

    def expand(self, key: str) -> str:
        prefix, sep, local = key.partition("__")
        if not sep or prefix not in self.prefixes:
            raise StoreError(f"unknown prefix in Neo4j key {key!r}")
        return self.prefixes[prefix] + local


def _decimal_text(value: float) -> str | None:
    text = repr(value)
    if "e" in text or "n" in text:  # exponent, inf, nan: not an xsd:decimal lexical form
        return None
    return text.removesuffix(".0")


def _native(datatype: str, text: str) -> Any:
    """The Neo4j value of a literal when it maps back to the same (canonical) literal, else None.

    Oxigraph keeps numbers, booleans and dates in canonical form ("1.50" is read back as "1.5"),
    so the value is compared with the canonical form, as the parity test does.
    """
    if datatype == XSD + "integer" and _INTEGER.fullmatch(text):
        number = int(text)
        return number if -(2**63) <= number < 2**63 else None
    if datatype == XSD + "boolean" and text in ("true", "false", "1", "0"):
        return text in ("true", "1")
    if datatype == XSD + "date" and _DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    if datatype == XSD + "decimal":
        try:
            canonical = Decimal(text)
        except InvalidOperation:
            return None
        number = float(canonical)
        text = _decimal_text(number)
        return number if text is not None and Decimal(text) == canonical else None
    return None


def literal_entry(key: str, literal: ox.Literal, ns: Namespaces) -> tuple[str, Any]:
    """The property key and Neo4j value of a literal object of predicate `key`."""
    text = literal.value
    if literal.language:
        return f"{key}@{literal.language}", text
    datatype = literal.datatype.value
    if datatype == XSD + "string":
        return key, text
    value = _native(datatype, text)
    if value is not None:
        return key, value
    return f"{key}^^{ns.shorten(datatype)}", text


def literal_of(key: str, value: Any, ns: Namespaces) -> tuple[str, ox.Literal]:
    """The predicate IRI and literal a property key and one of its values stand for."""
    match = _KEY.fullmatch(key)
    assert match is not None
    predicate = ns.expand(match["pred"])
    if match["lang"]:
        return predicate, ox.Literal(str(value), language=match["lang"])
    if match["dt"]:
        return predicate, ox.Literal(str(value), datatype=ox.NamedNode(ns.expand(match["dt"])))
    if isinstance(value, bool):
        return predicate, ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return predicate, ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, float):
        text = _decimal_text(value)
        return predicate, ox.Literal(text or repr(value), datatype=ox.NamedNode(XSD + "decimal"))
    if isinstance(value, str):
        return predicate, ox.Literal(value)
    iso = value.iso_format() if hasattr(value, "iso_format") else value.isoformat()
    return predicate, ox.Literal(iso, datatype=ox.NamedNode(XSD + "date"))


@dataclass
class GraphRows:
    """One named graph as write rows: nodes (labels, literals) and relationships by type."""

    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    relationships: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    quads: int = 0

    def node(self, uri: str) -> dict[str, Any]:
        row = self.nodes.get(uri)
        if row is None:
            row = self.nodes[uri] = {"uri": uri, "labels": [], "props": {}}
        return row


def _iri(term: Any, where: str) -> str:
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        raise StoreError(f"the Neo4j store does not take blank nodes ({where} _:{term.value})")
    raise StoreError(f"a {where} must be an IRI, not {term}")


def graph_rows(triples: Iterable[ox.Triple], ns: Namespaces) -> GraphRows:
    """Group the (distinct) triples of one named graph into node and relationship rows."""
    rows = GraphRows()
    nodes = rows.nodes
    relationships = rows.relationships
    keys: dict[str, str] = {}  # predicate IRI -> its key, shortened once
    named = ox.NamedNode
    for triple in dict.fromkeys(triples):
        rows.quads += 1
        subject_term, predicate_term, obj = triple.subject, triple.predicate, triple.object
        s = subject_term.value if type(subject_term) is named else _iri(subject_term, "subject")
        predicate = (
            predicate_term.value if type(predicate_term) is named else _iri(predicate_term, "predicate")
        )
        subject = nodes.get(s)
        if subject is None:
            subject = nodes[s] = {"uri": s, "labels": [], "props": {}}
        key = keys.get(predicate)
        if key is None:
            key = keys[predicate] = TYPE_KEY if predicate == RDF_TYPE else ns.shorten(predicate)
        if isinstance(obj, ox.Literal):
            if obj.language:
                entry, value = f"{key}@{obj.language}", obj.value
            else:
                entry, value = literal_entry(key, obj, ns)
            values = subject["props"].get(entry)
            if values is None:
                subject["props"][entry] = [value]
            else:
                values.append(value)
            continue
        target = obj.value if type(obj) is named else _iri(obj, "object")
        if target not in nodes:
            nodes[target] = {"uri": target, "labels": [], "props": {}}
        if predicate == RDF_TYPE:
            label = local_name(target)
            if label and label not in subject["labels"]:
                subject["labels"].append(label)
        rels = relationships.get(key)
        if rels is None:
            rels = relationships[key] = []
        rels.append({"s": s, "o": target})
    for row in nodes.values():
        if len(row["props"]) > 0:
            _split_mixed(row["props"], ns)
    return rows


def _split_mixed(props: dict[str, list[Any]], ns: Namespaces) -> None:
    """Neo4j arrays hold one type: strings stay, other kinds of a mixed key move to `key^^type`."""
    for key, values in list(props.items()):
        if len(values) < 2 or len({type(v) for v in values}) < 2:
            continue
        props[key] = [v for v in values if isinstance(v, str)]
        for value in values:
            if not isinstance(value, str):
                _, literal = literal_of(key, value, ns)
                props.setdefault(f"{key}^^{ns.shorten(literal.datatype.value)}", []).append(literal.value)
        if not props[key]:
            del props[key]


def node_quads(props: dict[str, Any], ns: Namespaces) -> Iterator[ox.Quad]:
    """The literal quads a node's properties stand for."""
    subject = ox.NamedNode(props["uri"])
    for key, values in props.items():
        if key in INTERNAL_KEYS or key.startswith(GRAPHS_OF):
            continue
        graphs = props.get(GRAPHS_OF + key)
        if graphs is None:  # a node of one named graph: every value is of that graph
            if len(props["graphs"]) != 1:
                raise StoreError(f"node {props['uri']}: {key} has no {GRAPHS_OF}{key}")
            graphs = props["graphs"] * len(values)
        if len(graphs) != len(values):
            raise StoreError(f"node {props['uri']}: {key} and {GRAPHS_OF}{key} differ in length")
        for value, graph in zip(values, graphs, strict=True):
            predicate, literal = literal_of(key, value, ns)
            yield ox.Quad(subject, ox.NamedNode(predicate), literal, ox.NamedNode(graph))


def relationship_quads(s: str, rel_type: str, o: str, graphs: list[str], ns: Namespaces) -> Iterator[ox.Quad]:
    """One quad per named graph of a relationship."""
    triple = (ox.NamedNode(s), ox.NamedNode(ns.expand(rel_type)), ox.NamedNode(o))
    for graph in graphs:
        yield ox.Quad(*triple, ox.NamedNode(graph))
