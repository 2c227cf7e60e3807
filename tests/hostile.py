"""Hostile documents, made on the spot: entity bombs, PDF bombs, deep nesting, huge lines,
pathological text for the extraction regexes. Shared by the tests and `make fuzz`."""

from __future__ import annotations

import zlib

LAUGHS = 10  # ten levels of ten: 10**10 bytes if anything expanded them


def entity_bomb_header(root: str) -> str:
    """A DOCTYPE declaring the "billion laughs" entities (`&lol9;` expands to 10 GB)."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * LAUGHS}">' for i in range(1, LAUGHS)
    ]
    return f'<?xml version="1.0"?>\n<!DOCTYPE {root} [\n' + "\n".join(entities) + "\n]>\n"


def xhtml_bomb() -> bytes:
    return (
        entity_bomb_header("html")
        + '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Denmark joined PESCO in May 2023.</p>'
        "<p>&lol9;</p></body></html>"
    ).encode()


def html_bomb() -> bytes:
    return (
        "<!DOCTYPE html ["
        + entity_bomb_header("html").split("[", 1)[1]
        + "<html><body><p>Denmark joined PESCO in May 2023. &lol9;</p></body></html>"
    ).encode()


def rdfxml_bomb() -> bytes:
    return (
        entity_bomb_header("rdf:RDF")
        + '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
        '<rdf:Description rdf:about="http://example.org/s"><ex:p>&lol9;</ex:p></rdf:Description></rdf:RDF>'
    ).encode()


def rdfxml_external_entity() -> bytes:
    return (
        b'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
        b'<rdf:Description rdf:about="http://example.org/s"><ex:p>&x;</ex:p></rdf:Description></rdf:RDF>'
    )


def deep_html(depth: int = 200_000) -> bytes:
    return (
        "<!doctype html><html><body>"
        + "<div>" * depth
        + "Denmark joined PESCO in May 2023."
        + "</div>" * depth
    ).encode()


def pdf(objects: list[bytes]) -> bytes:
    """A PDF file of `objects` (object 1 is the catalog), with a correct cross-reference table.

    Written by hand on purpose: these files are hostile (a stream that inflates to a gigabyte,
    200,000 pages, nesting 100,000 deep), which PDF writers such as fpdf2 or pypdf exist to
    prevent; well-formed test PDFs are written with fpdf2 (tests/test_documents.py)."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _page(contents: int) -> bytes:
    return (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>" % contents
    )


def pdf_decompression_bomb(megabytes: int = 1000) -> bytes:
    """One page whose content stream inflates from about 1 MB to `megabytes` MB."""
    packer = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    body = b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream"
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            _page(4),
            stream,
            FONT,
        ]
    )


def pdf_many_pages(pages: int = 200_000) -> bytes:
    """A small file whose page tree lists the same page `pages` times."""
    kids = b" ".join([b"3 0 R"] * pages)
    text = b"BT /F1 12 Tf 72 720 Td (Denmark joined PESCO in May 2023.) Tj ET"
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
            _page(4),
            b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
            FONT,
        ]
    )


def pdf_deep_nesting(depth: int = 100_000) -> bytes:
    """A catalog holding an array nested `depth` levels deep."""
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Deep " + b"[" * depth + b"]" * depth + b" >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            _page(4),
            b"<< /Length 0 >>\nstream\n\nendstream",
            FONT,
        ]
    )


def pathological_texts(size: int = 1_000_000) -> dict[str, str]:
    """About `size` characters each of what makes a backtracking regex explode."""
    return {
        "spaces": "Denmark" + " " * size + "joined",
        "dots": "PESCO" + "." * size,
        "capitals": "A" * size,
        "capital words": "The " + "European Defence Union Agency " * (size // 30),
        "repeated tokens": "Denmark joined PESCO and " * (size // 25),
        "dates": "in May 2023, " * (size // 13),
        "digits and dots": "1." * (size // 2),
        "quotes": "“" * (size // 2) + "”" * (size // 2),
        "one huge line": ("Denmark joined PESCO in May 2023 and " * (size // 37)).replace(".", ""),
        "hyphens": "-" * size,
        "mixed": ("A. " * 3 + "Mr. St. No. " + "x " * 5) * (size // 30),
        "table rows": "Table 1: personnel\n\n" + "EUTM Mali\n\nSerbia\n\n3\n\n" * (size // 22),
    }
