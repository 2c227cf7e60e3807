"""API documentation pages served from packaged assets, never from a CDN.

FastAPI's `get_swagger_ui_html` starts Swagger UI with an inline script, which the
Content-Security-Policy (api/security.py) forbids; these pages load an init file instead.
"""

from __future__ import annotations

from functools import cache
from html import escape
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

ASSETS = Path(fastapi_offline.__file__).parent / "static"
PAGES = Path(__file__).resolve().parents[1] / "static" / "pages"
TITLE = "defence-kg API"
OPENAPI = "/openapi.json"
router = APIRouter(include_in_schema=False)


def _page(head: str, body: str) -> HTMLResponse:
    return HTMLResponse(
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{escape(TITLE)}</title>\n<link rel="icon" href="/assets/docs/favicon.png">\n'
        f"{head}</head>\n<body>\n{body}</body>\n</html>\n"
    )


@router.get("/docs")
def swagger() -> HTMLResponse:
    return _page(
        '<link rel="stylesheet" href="/assets/docs/swagger-ui.css">\n',
        f'<div id="swagger-ui" data-openapi-url="{OPENAPI}"></div>\n'
        '<script src="/assets/docs/swagger-ui-bundle.js"></script>\n'
        '<script src="/assets/pages/swagger-init.js"></script>\n',
    )


@router.get("/redoc")
def redoc() -> HTMLResponse:
    return _page(
        "<style>body { margin: 0; padding: 0; }</style>\n",
        "<noscript>ReDoc needs JavaScript to show the documentation.</noscript>\n"
        f'<redoc spec-url="{OPENAPI}"></redoc>\n'
        '<script src="/assets/redoc/redoc.standalone.js"></script>\n',
    )


REDOC_LOGO = b'src:"https://cdn.redoc.ly/redoc/logo-mini.svg"'


@cache
def _redoc_bundle() -> bytes:
    """ReDoc's bundle with its one remote image (the sidebar's Redocly logo, fetched from a CDN
    on every page view) replaced by an empty data: URL, which the logo hides itself on."""
    bundle = (ASSETS / "redoc.standalone.js").read_bytes()
    return bundle.replace(REDOC_LOGO, b'src:"data:,"')


@router.get("/assets/redoc/redoc.standalone.js")
def redoc_bundle() -> Response:
    return Response(_redoc_bundle(), media_type="text/javascript; charset=utf-8")


def mount(app: FastAPI) -> None:
    """Serve the documentation assets shipped in the fastapi-offline wheel and the page scripts."""
    app.mount("/assets/docs", StaticFiles(directory=ASSETS), name="docs-assets")
    app.mount("/assets/pages", StaticFiles(directory=PAGES), name="page-assets")
    app.include_router(router)
