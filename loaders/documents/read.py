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
# Bounds on pypdf's work for one PDF (it already stops at 75 MB per stream; these are tighter).
PDF_MAX_PAGES = 5_000
PDF_STREAM_BYTES = 20_000_000
PDF_STREAM_LIMITS = (
    "zlib_maximum_output_length",
    "lzw_maximum_output_length",
    "run_length_maximum_output_length",
    "array_based_stream_maximum_output_length",
    "jbig2_maximum_output_length",
    "maximum_declared_stream_length",
)
HTML_MAX_DEPTH = 10_000
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
# Void elements and elements whose end tag may be left out: they do not deepen the tree.
UNNESTED_TAGS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
        "p",
        "li",
        "dt",
        "dd",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "tfoot",
        "option",
        "optgroup",
        "rb",
        "rt",
        "rtc",
        "rp",
        "colgroup",
        "caption",
    ]
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
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DocumentError(
                str(path), f"not valid UTF-16 after its byte order mark: {exc.reason}"
            ) from None
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


def nesting_depth(html: str) -> int:
    """How deep the page's elements nest, counted from its tags (end tags that HTML lets one
    leave out, and void elements, do not count): an over-estimate, never an under-estimate of
    what an HTML parser builds from explicit tags."""
    depth = deepest = 0
    for match in TAG.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        if name in UNNESTED_TAGS:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


def html_text(path: Path, html: str) -> str:
    """Visible text of an HTML page without navigation, scripts and consent banners.

    A page nested deeper than `HTML_MAX_DEPTH` is refused before parsing: the parser's time grows
    with the square of the depth (200,000 nested <div> in 1.2 MB take a minute)."""
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    depth = nesting_depth(html)
    if depth > HTML_MAX_DEPTH:
        raise DocumentError(str(path), f"elements nested {depth:,} deep, the limit is {HTML_MAX_DEPTH:,}")

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


def pdf_text(path: Path, data: bytes, max_chars: int) -> str:
    """The text of a PDF, with pypdf's work bounded: each decompressed stream at most
    `PDF_STREAM_BYTES`, at most `PDF_MAX_PAGES` pages, at most `max_chars` of text in all
    (a decompression bomb or a million empty pages is refused, not ground through)."""
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError, PyPdfError

    limits = {name: PDF_STREAM_BYTES for name in PDF_STREAM_LIMITS}
    try:
        with apply_configuration(**limits, jbig2dec_binary=None):
            reader = PdfReader(io.BytesIO(data))
            count = len(reader.pages)
            if count > PDF_MAX_PAGES:
                raise DocumentError(str(path), f"too many pages: {count:,}, the limit is {PDF_MAX_PAGES:,}")
            pages, total = [], 0
            for page in reader.pages:
                pages.append(page.extract_text() or "")
                total += len(pages[-1])
                if total > max_chars:
                    raise DocumentError(str(path), f"more than {max_chars:,} characters of text in the PDF")
    except LimitReachedError as exc:
        raise DocumentError(str(path), f"PDF refused, it exceeds a safety limit: {exc}") from None
    except RecursionError:
        raise DocumentError(str(path), "broken PDF: objects nested too deeply") from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
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
        text = pdf_text(path, data, max_bytes)
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
