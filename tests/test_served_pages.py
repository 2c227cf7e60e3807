"""A real server under the Content-Security-Policy: the pages render in headless Chromium with no
CSP violation, and the write key never appears in the server's own log (uvicorn's access and
error logs) or in its answers."""

from __future__ import annotations

import os
import time

import httpx
import pytest

from defence_kg.graph.publish.build import build_graphs
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from tests.served import serve
from tests.views.browser import browser_available, chromium

pytestmark = pytest.mark.slow
KEY = "s3cret-7c1d-never-log-me"
# Each page, and what shows that its script ran and drew it.
PAGES = {
    "/sparql": ".yasgui .CodeMirror",
    "/docs": ".swagger-ui .info .title",
    "/redoc": ".api-content h1",
}
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("served-pages")
    store = OxigraphStore(folder / "store")
    store.rebuild(build_graphs())
    store.close()
    log = folder / "server.log"
    with serve(folder / "store", log, api_key=KEY, enable_update="true") as base:
        yield base, log


@pytest.fixture(scope="module")
def browser():
    if not browser_available():
        if os.environ.get("CI"):
            pytest.fail("Chromium and chromedriver must be installed in CI (make browser)")
        pytest.skip("Chromium and chromedriver are not installed (make browser)")
    with chromium() as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_VIOLATIONS})
        yield driver


@pytest.mark.parametrize("path", sorted(PAGES))
def test_page_renders_under_the_policy_with_no_violation(server, browser, path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    base, _log = server
    browser.get(base + path)
    WebDriverWait(browser, 60).until(ready.presence_of_element_located((By.CSS_SELECTOR, PAGES[path])))
    time.sleep(1)  # late assets (fonts, workers) report their violations too
    violations = browser.execute_script("return window.__csp")
    console = [e["message"] for e in browser.get_log("browser")]
    assert violations == [], violations
    assert not [m for m in console if "Content Security Policy" in m or "Refused to" in m], console


def test_the_key_never_appears_in_the_server_log_or_answers(server):
    base, log = server
    update = "INSERT DATA { GRAPH <urn:x:log-test> { <urn:x:a> <urn:x:b> 1 } }"
    sent = {"Content-Type": "application/sparql-update"}
    answers = [
        httpx.post(f"{base}/sparql/update", content=update, headers={**sent, "X-API-Key": KEY}),
        httpx.post(f"{base}/sparql/update", content=update, headers={**sent, "X-API-Key": KEY + "x"}),
        httpx.post(
            f"{base}/sparql/update", content=update, headers={**sent, "Authorization": f"Bearer {KEY}"}
        ),
        httpx.post(
            f"{base}/sparql/update", content=update, headers={**sent, "Authorization": f"Bearer {KEY}y"}
        ),
        httpx.post(f"{base}/api/documents", headers={"X-API-Key": KEY[:-1]}, files={"file": ("a.txt", b"x")}),
    ]
    assert [a.status_code for a in answers] == [204, 401, 204, 401, 401]
    time.sleep(0.5)
    text = log.read_text()
    assert "POST /sparql/update" in text, "the access log is on, so this checks it"
    assert KEY not in text and KEY[:-1] not in text
    for answer in answers:
        assert KEY[:-1] not in answer.text and KEY[:-1] not in str(answer.headers)
