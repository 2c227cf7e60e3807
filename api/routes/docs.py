"""API documentation pages served from packaged assets, never from a CDN."""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = Path(fastapi_offline.__file__).parent / "static"
router = APIRouter(include_in_schema=False)


@router.get("/docs")
def swagger() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="defence-kg API",
        swagger_js_url="/assets/docs/swagger-ui-bundle.js",
        swagger_css_url="/assets/docs/swagger-ui.css",
        swagger_favicon_url="/assets/docs/favicon.png",
    )


@router.get("/redoc")
def redoc() -> HTMLResponse:
    return get_redoc_html(
        openapi_url="/openapi.json",
        title="defence-kg API",
        redoc_js_url="/assets/docs/redoc.standalone.js",
        redoc_favicon_url="/assets/docs/favicon.png",
        with_google_fonts=False,
    )


def mount(app: FastAPI) -> None:
    """Serve the documentation assets shipped in the fastapi-offline wheel."""
    app.mount("/assets/docs", StaticFiles(directory=ASSETS), name="docs-assets")
    app.include_router(router)
