"""XML read only through defusedxml: a file is refused before any other parser sees it when it
declares entities (billion laughs, quadratic blow-up) or refers to external ones (local files,
other servers).

pyoxigraph's RDF/XML parser expands internal entities itself (a 1 KB "billion laughs" file makes
it allocate 10 GB), so RDF/XML is screened here first, in one streaming pass.
"""

from __future__ import annotations

import xml.sax
from pathlib import Path
from xml.sax.handler import ContentHandler

from defusedxml import DefusedXmlException
from defusedxml.sax import make_parser

from defence_kg.errors import DocumentError


def check_xml(path: Path) -> None:
    """DocumentError naming `path` when it is not well-formed or declares or uses entities."""
    parser = make_parser()
    parser.forbid_dtd = False  # a DOCTYPE alone is harmless; entities in it are not
    parser.forbid_entities = True
    parser.forbid_external = True
    parser.setContentHandler(ContentHandler())
    try:
        parser.parse(str(path))
    except DefusedXmlException as exc:
        raise DocumentError(str(path), f"refused: {exc}") from None
    except xml.sax.SAXParseException as exc:
        raise DocumentError(str(path), f"not well-formed XML: {exc.getMessage()}") from None
