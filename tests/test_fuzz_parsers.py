"""Hypothesis over the document stages (read, clean, split, the whole extraction) and the query
parsers (the SPARQL guard, against Oxigraph's own parser; and the Cypher
read-only guard): nothing but the project's own errors comes out, and the store is unchanged.

`make fuzz` runs these with many more examples (the `fuzz` profile) and reports the counts."""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from defence_kg.errors import DefenceKGError, DocumentError
from defence_kg.graph.answers.cypher_read import check_read_only
from defence_kg.graph.answers.sparql_guard import network_construct, query_form
from defence_kg.graph.publish.build import build_graphs
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from defence_kg.loaders.documents.clean import clean
from defence_kg.loaders.documents.gazetteer import build_gazetteer
from defence_kg.loaders.documents.models import DocumentMeta, RawDocument
from defence_kg.loaders.documents.pipeline import process
from defence_kg.loaders.documents.read import SUFFIXES, read
from defence_kg.loaders.documents.split import split

TRIED: Counter[str] = Counter()  # inputs tried per property, read by `make fuzz`
FAST = settings(
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)

WORDS = st.sampled_from(
    [
        "Denmark",
        "joined",
        "PESCO",
        "in",
        "May",
        "2023",
        ".",
        ",",
        "NATO",
        "EU",
        "the",
        "United",
        "States",
        "Canada",
        "and",
        "takes",
        "part",
        "Military",
        "Mobility",
        "project",
        "(",
        ")",
        "“",
        "”",
        "'",
        '"',
        "-",
        "–",
        "\n",
        "\n\n",
        "•",
        "A.",
        "Mr.",
        "St.",
        "e.g.",
        "26th",
        "participating",
        "Member",
        "State",
        "EUR",
        "1.5",
        "billion",
        "led",
        "by",
        "France",
        "Allied",
        "Council",
    ]
)
TEXT = st.one_of(st.text(max_size=400), st.lists(WORDS, max_size=120).map(" ".join))


@pytest.fixture(scope="module")
def store():
    store = OxigraphStore(None)
    store.rebuild(build_graphs())
    before = frozenset(store.quads())
    yield store
    assert frozenset(store.quads()) == before, "fuzzing changed the stored data"
    TRIED["store unchanged"] += 1


@pytest.fixture(scope="module")
def gazetteer(store):
    return build_gazetteer(store)


@FAST
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(sorted(SUFFIXES)))
def test_read_gives_a_document_or_a_document_error(tmp_path_factory, data, suffix):
    TRIED["read (bytes)"] += 1
    path = tmp_path_factory.mktemp("fuzz", numbered=True) / f"input{suffix}"
    path.write_bytes(data)
    try:
        document = read(path, max_bytes=100_000)
    except DocumentError as error:
        assert error.path == str(path) and error.problem
        return
    assert document.text.strip()


@FAST
@given(text=TEXT)
def test_clean_and_split_keep_offsets(text):
    TRIED["clean+split (text)"] += 1
    cleaned = clean(text)
    for sentence in split(cleaned.text):
        assert cleaned.text[sentence.start : sentence.end] == sentence.text


@FAST
@given(text=TEXT)
def test_extraction_quotes_point_into_the_text(gazetteer, text):
    TRIED["extraction (text)"] += 1
    if not text.strip():
        return
    document = RawDocument(
        id="fuzz", path="fuzz.txt", media_type="text/plain", text=text, sha256="0" * 64, meta=DocumentMeta()
    )
    extraction = process(document, gazetteer)
    for relation in extraction.relations:
        assert text[relation.start : relation.end] == relation.quote
    for mention in extraction.mentions:
        assert 0 <= mention.start <= mention.end <= len(text)


SPARQL_PIECES = st.sampled_from(
    [
        "SELECT * WHERE {",
        "}",
        "{",
        "SERVICE",
        "service",
        "SeRvIcE",
        "SILENT",
        "<http://127.0.0.1:9/>",
        "<http://a/'>",
        '<http://b/">',
        ":x",
        "PREFIX : <http://127.0.0.1:9/>",
        "?s ?p ?o",
        ".",
        "'",
        '"',
        "'''",
        "#",
        "\n",
        " ",
        "FILTER(?s < ?o)",
        ">",
        "OPTIONAL",
        "GRAPH ?g",
        "?x",
        "ASK",
        "LOAD",
        "\\",
    ]
)
SPARQL = st.one_of(
    st.lists(SPARQL_PIECES, max_size=25).map(" ".join), st.lists(SPARQL_PIECES, max_size=25).map("".join)
)


@FAST
@given(text=SPARQL)
def test_every_query_oxigraph_would_federate_is_caught_by_the_guard(text):
    """Differential: Oxigraph itself decides whether the text makes it contact a server (port 9
    is refused before any connection, with its own message); the guard must have seen it."""
    TRIED["SPARQL guard (differential)"] += 1
    query_form(text)
    try:
        result = ox.Store().query(text)
        if hasattr(result, "__iter__"):
            list(result)
    except OSError as error:
        if "port 9" in str(error):
            assert network_construct(text) == "SERVICE", text
    except (SyntaxError, ValueError, RuntimeError):
        pass


@FAST
@given(
    text=st.one_of(
        st.text(max_size=200),
        st.lists(
            st.sampled_from(
                [
                    "MATCH",
                    "(n:State)",
                    "-[r:MEMBER_OF]->",
                    "RETURN",
                    "n",
                    "r",
                    "WHERE",
                    "CREATE",
                    "SET",
                    "LOAD",
                    "CSV",
                    "FROM",
                    "CALL",
                    "apoc.load.json",
                    "db.labels()",
                    "{",
                    "}",
                    "`",
                    "'",
                    '"',
                    "//",
                    "/*",
                    "*/",
                    ";",
                    ",",
                    ".",
                    ":",
                    "|",
                    "$p",
                    "1",
                    "2.5",
                    "WITH",
                    "UNWIND",
                    "[",
                    "]",
                    "count(*)",
                    "AS",
                    "x",
                ]
            ),
            max_size=30,
        ).map(" ".join),
    )
)
def test_cypher_guard_raises_only_project_errors(text):
    TRIED["Cypher guard (text)"] += 1
    try:
        check_read_only(text, allow_procedures=True)
    except DefenceKGError as error:
        assert error.status_code in (400, 403)
