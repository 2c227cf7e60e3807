"""What a SPARQL text asks for, read from its tokens: the query form, and whether it reaches the
network (`SERVICE`, or an update's `LOAD <url>`).

pyoxigraph gives no access to a parsed query's algebra, so the guard is lexical. It scans IRIs,
strings, comments, variables and prefixed names in one left-to-right pass, each construct taken
where it starts, so a keyword hidden in what looks like a string from one side and an IRI from
the other (`<http://a/'> SERVICE ... <http://b/'>`) is still seen. It errs towards refusing: a
keyword-like word anywhere outside an IRI, a string or a comment counts.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(
    r"""(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      |(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                  |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
      |(?P<comment>\#[^\n\r]*)
      |(?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
      |(?P<pname>(?P<prefix>[^\W\d][\w.-]*)?:[\w.:%\\-]*)
      |(?P<word>[^\W\d]\w*)""",
    re.X | re.S,
)
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
PROLOGUE_WORDS = ("PREFIX", "BASE")
NETWORK_WORDS = ("SERVICE", "LOAD")


def words(text: str, *, prefixes: bool = False) -> list[str]:
    """The bare words of `text`, upper-cased, in order; IRIs, strings, comments and variables
    left out. With `prefixes`, also the prefix of each prefixed name (`SERVICE:x` is SERVICE with
    the IRI `:x` to Oxigraph)."""
    out = []
    for match in _TOKEN.finditer(text):
        if match.lastgroup == "word":
            out.append(match.group().upper())
        elif prefixes and match.group("prefix"):
            out.append(match.group("prefix").upper())
    return out


def query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT, DESCRIBE, UPDATE for any update operation, None for neither."""
    for word in words(text):
        if word in PROLOGUE_WORDS:
            continue
        if word in QUERY_FORMS:
            return word
        return "UPDATE" if word in UPDATE_WORDS else None
    return None


def network_construct(text: str) -> str | None:
    """`SERVICE` or `LOAD` when the text would make the server fetch from another server."""
    return next((w for w in words(text, prefixes=True) if w in NETWORK_WORDS), None)
