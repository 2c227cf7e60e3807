"""Stage 1: read a file and decode it to text (plain, Markdown, HTML or PDF)."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

from defence_kg.errors import DocumentError
from defence_kg.loaders.documents.models import DocumentMeta, RawDocument

SUFFIXES = {
    ".txt": "text/plain",
    ".text": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "text/html",
    ".pdf": "application/pdf",
}
# Elements whose text is never content: scripts, styles, navigation, forms, consent banners.
DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
    "select",
)
DROP_MARKERS = re.compile(r"cookie|consent|gdpr|banner|navbar|menu|breadcrumb|skip-link", re.I)
BLOCK_TAGS = (
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "br",
    "section",
    "article",
    "blockquote",
    "dd",
    "dt",
    "td",
    "th",
)


def document_id(path: Path) -> str:
    """A stable id from the file name: lower-case letters, digits and hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return slug[:80] or "document"


def media_type(path: Path, head: bytes) -> str:
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    sniff = head[:512].lstrip().lower()
    if sniff.startswith((b"<!doctype html", b"<html")):
        return "text/html"
    return SUFFIXES.get(path.suffix.lower(), "text/plain")


def decode(path: Path, data: bytes, encoding: str | None) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or the encoding the user names."""
    if encoding:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise DocumentError(str(path), f"cannot decode as {encoding}: {exc}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:8192]:
        raise DocumentError(str(path), "binary file (NUL bytes); give text, Markdown, HTML or PDF")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        from charset_normalizer import from_bytes

        guess = from_bytes(data[:65536]).best()
        hint = f"; it looks like {guess.encoding}, load it with --encoding {guess.encoding}" if guess else ""
        raise DocumentError(
            str(path), f"not valid UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 1]!r}){hint}"
        ) from None


def html_text(path: Path, html: str) -> str:
    """Visible text of an HTML page without navigation, scripts and consent banners."""
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    tree = HTMLParser(html)
    for tag in DROP_TAGS:
        for node in tree.css(tag):
            node.decompose()
    for node in tree.css("[id], [class], [role]"):
        marker = " ".join(filter(None, (node.attributes.get(a) for a in ("id", "class", "role"))))
        if DROP_MARKERS.search(marker) and node.parent is not None:
            node.decompose()
    for tag in BLOCK_TAGS:
        for node in tree.css(tag):
            node.insert_after("\n")
    root = tree.body or tree.root
    text = root.text(separator="", deep=True) if root is not None else ""
    return re.sub(r"[ \t\r\f\v]+\n", "\n", re.sub(r"\n{3,}", "\n\n", text)).strip()


def pdf_text(path: Path, data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DocumentError(str(path), f"broken PDF: {exc}") from None
    return "\n\n".join(pages)


def read(
    path: Path, meta: DocumentMeta | None = None, *, max_bytes: int, encoding: str | None = None
) -> RawDocument:
    """Read one file; DocumentError names the file and the problem."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(
                str(path),
                f"too large: {size:,} bytes, the limit is {max_bytes:,} "
                "(setting DEFENCE_KG_MAX_DOCUMENT_BYTES)",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(str(path), f"cannot read: {exc.strerror}") from None
    if not data.strip():
        raise DocumentError(str(path), "empty file")
    kind = media_type(path, data[:1024])
    if kind == "application/pdf":
        text = pdf_text(path, data)
    else:
        text = decode(path, data, encoding)
        if kind == "text/html":
            text = html_text(path, text)
    if not text.strip():
        raise DocumentError(str(path), "no text found in the document")
    printable = sum(ch.isprintable() or ch in "\n\t\r" for ch in text[:20000])
    if printable < 0.9 * min(len(text), 20000):
        raise DocumentError(str(path), "does not look like text (mostly control characters)")
    return RawDocument(
        id=document_id(path),
        path=str(path),
        media_type=kind,
        text=text,  # type: ignore[arg-type]
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        meta=meta or DocumentMeta(),
    )
