"""When Python cannot start or stops, the page says what failed and what to do, keeps what it
had drawn, and offers Retry, which starts a fresh Python with the State on screen.

Each failure is real: a file the boot needs answered with 404 (page.route, the same as a
server missing it), WebAssembly refused by a Content Security Policy on the worker script, a
package zip in which one function calls os.abort() (a genuine Pyodide fatal error) or raises,
the worker closed or throwing (Playwright evaluates in the worker, as a debugger would). No
test hook exists in the shipped code. Every request that leaves 127.0.0.1 is aborted and must
not happen; no uncaught page error may occur.
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from playwright.sync_api import expect
from test_explorer_page import click_connection
from test_single_file import SINGLE_FILE, SingleFilePage, altered_copy

from conftest import BOOT_TIMEOUT_MS, DIST, guard_context, wait_ready
from sitebuild.runtime import NUMPY_WHEEL

FAILED = "() => document.body.dataset.python === 'failed'"
DOWNLOAD = "Check your connection and press Retry."
AFTER_CRASH = "Press Retry to start it again; your network and its numbers are kept."
EDIT = ("input[0]", "0.25")  # an edit made before Python stops: Retry must keep it


class Opened:
    """A fresh context and page on the served site, recording page errors and console errors."""

    def __init__(self, browser, url: str, routes: dict[str, object] | None = None) -> None:
        self.context = browser.new_context()
        self.guard = guard_context(self.context)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.console: list[str] = []
        self.page.on("pageerror", lambda err: self.errors.append(str(err)))
        self.page.on("console", lambda msg: msg.type == "error" and self.console.append(msg.text))
        self.routes = dict(routes or {})
        for pattern, handler in self.routes.items():
            self.page.route(pattern, handler)
        self.page.goto(url)

    def unroute(self) -> None:
        for pattern, handler in self.routes.items():
            self.page.unroute(pattern, handler)
        self.routes = {}

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def opened(browser, site_url):
    """Opens the served site with some routes; checks the guard and page errors afterwards."""
    pages: list[Opened] = []

    def open_(routes: dict[str, object] | None = None, hash: str = "") -> Opened:
        pages.append(Opened(browser, site_url + hash, routes))
        return pages[-1]

    yield open_
    for page in pages:
        page.close()
        page.guard.check()  # no request left 127.0.0.1, no CSP violation of ours
        assert page.errors == [], f"uncaught page errors: {page.errors}"


def not_found(route) -> None:
    route.fulfill(status=404, content_type="text/plain", body="not found")


def wait_failed(page) -> str:
    """Wait until the page says Python failed; check where it says so; return the message."""
    page.wait_for_function(FAILED, timeout=BOOT_TIMEOUT_MS)
    loading = page.locator("#loading")
    expect(loading).to_be_visible()
    assert "failed" in loading.get_attribute("class")
    text = page.locator("#loading-stage").text_content()
    assert page.locator("#status").text_content() == text
    expect(page.locator("#status")).to_be_visible()
    expect(retry_button(page)).to_be_visible()
    assert page.evaluate("document.body.classList.contains('ready')") is False
    return text


def retry_button(page):
    return page.get_by_role("button", name="Retry", exact=True)


def press_retry(page) -> None:
    """Press Retry with the keyboard (Tab reaches it; focus() stands for the Tabs)."""
    retry_button(page).focus()
    page.keyboard.press("Enter")
    wait_ready(page)
    assert page.evaluate("document.body.dataset.python") == "ready"
    expect(page.locator("#loading")).to_be_hidden()
    expect(page.locator("#status")).to_be_hidden()
    expect(retry_button(page)).to_be_hidden()


def prerendered_state(page) -> dict:
    """The State of the first view that build.py wrote into the page."""
    return json.loads(page.locator("#bpx-prerender").text_content())["render"]["state"]


def ready_outcome(page) -> str:
    return page.evaluate("backpropExplorer.ready.then(() => 'resolved', (err) => err.message)")


def call_outcome(page, expression: str) -> str:
    return page.evaluate(f"{expression}.then(() => 'resolved', (err) => err.message)")


def assert_works(page) -> None:
    """The app answers: selecting a weight renders its derivation."""
    result = page.evaluate("backpropExplorer.select({layer: 2, to: 1, from: 2})")
    assert result["pathCount"] == 1
    assert page.evaluate("backpropExplorer.getState().selected") == {"layer": 2, "to": 1, "from": 2}
    assert page.locator("#derivation .step").count() == len(result["latex"])
    assert (
        page.locator("svg#diagram [data-weight='2-1-2'][data-role~='selected-weight']").count() == 1
    )


def booted_with_an_edit(page) -> dict:
    """Wait for the boot, edit an input as a user would, and return the State."""
    wait_ready(page)
    page.evaluate("([field, text]) => backpropExplorer.edit(field, text)", list(EDIT))
    state = page.evaluate("backpropExplorer.getState()")
    assert state["input"][0] == 0.25
    return state


def package_zip(replace: tuple[str, str]) -> bytes:
    """dist's package zip with one edit to session.py (and its .pyc left out, so Python
    compiles the edited source: the zip's .pyc files are unchecked)."""
    source = DIST / "py" / "backprop_explorer.zip"
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename == "backprop_explorer/__pycache__/session.cpython-312.pyc":
                continue
            data = zin.read(info)
            if info.filename == "backprop_explorer/session.py":
                text = data.decode()
                assert replace[0] in text
                data = text.replace(replace[0], replace[1], 1).encode()
            zout.writestr(info.filename, data)
    return out.getvalue()


def serve_bytes(data: bytes):
    return lambda route: route.fulfill(status=200, content_type="application/zip", body=data)


# --- Python cannot start -------------------------------------------------------------------


def test_missing_numpy_keeps_the_prerendered_view_and_retry_restores_it(opened) -> None:
    site = opened({f"**/pyodide/{NUMPY_WHEEL}": not_found})
    page = site.page
    message = f"Python could not start: numpy could not be loaded (HTTP 404 for pyodide/{NUMPY_WHEEL}). {DOWNLOAD}"
    assert wait_failed(page) == message
    # The pre-rendered first view is still there, untouched, and so is its State.
    assert page.locator("svg#diagram [data-weight]").count() == 9
    assert page.evaluate("document.body.dataset.rendered") == "1"
    before = page.evaluate("backpropExplorer.getState()")
    assert before == prerendered_state(page)
    # A line under the diagram, not a curtain over it.
    assert "compact" in page.locator("#loading").get_attribute("class")
    # `ready` rejects with the message; a call rejects at once, saying why.
    assert ready_outcome(page) == message
    down = f"Python is not running: numpy could not be loaded (HTTP 404 for pyodide/{NUMPY_WHEEL}). Press Retry to start it again."
    assert call_outcome(page, "backpropExplorer.select({layer: 1, to: 1, from: 1})") == down
    assert call_outcome(page, "backpropExplorer.gradients()") == down
    assert page.locator("#status").text_content() == down
    assert page.locator("#loading-stage").text_content() == message

    site.unroute()
    press_retry(page)
    assert ready_outcome(page) == "resolved"
    assert page.evaluate("backpropExplorer.getState()") == before
    assert_works(page)


def test_missing_webassembly_file_names_pyodide_and_retry_works(opened) -> None:
    site = opened({"**/pyodide/pyodide.asm.wasm": not_found})
    page = site.page
    assert wait_failed(page) == (
        f"Python could not start: Python (Pyodide) could not be loaded (HTTP 404 for pyodide/pyodide.asm.wasm). {DOWNLOAD}"
    )
    assert page.locator("svg#diagram [data-weight]").count() == 9
    site.unroute()
    press_retry(page)
    assert page.evaluate("backpropExplorer.getState()") == prerendered_state(page)
    assert_works(page)


def test_webassembly_refused_by_a_security_policy_is_named(opened) -> None:
    """A server (or proxy) that sends the worker script with a CSP lacking 'wasm-unsafe-eval'."""

    def strict_csp(route) -> None:
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": "script-src 'self'"}
        route.fulfill(response=response, headers=headers)

    site = opened({"**/js/worker.js": strict_csp})
    page = site.page
    assert wait_failed(page) == (
        "Python could not start: WebAssembly is blocked by this browser, and Python needs it. "
        "Allow WebAssembly for this site (a browser setting, an extension or a security policy "
        "may block it) or open the page in another browser, then press Retry."
    )
    site.unroute()
    press_retry(page)
    assert_works(page)
    site.guard.csp.clear()  # the violations this test provoked on purpose (if reported)


def test_missing_package_zip_then_retry(opened) -> None:
    site = opened({"**/py/backprop_explorer.zip": not_found})
    page = site.page
    assert wait_failed(page) == (
        "Python could not start: the Backprop Explorer package could not be loaded "
        f"(HTTP 404 for py/backprop_explorer.zip). {DOWNLOAD}"
    )
    assert page.locator("svg#diagram [data-weight]").count() == 9
    site.unroute()
    press_retry(page)
    assert page.evaluate("backpropExplorer.getState()") == prerendered_state(page)
    assert_works(page)


def test_a_link_that_could_not_start_is_opened_after_retry(opened) -> None:
    """No pre-render for a link: the message sits where the diagram will be; Retry opens the link."""
    from backprop_explorer import Session

    link = Session({"layers": [1, 2, 1], "seed": 5}).link()
    site = opened({f"**/pyodide/{NUMPY_WHEEL}": not_found}, hash=f"#state={link}")
    page = site.page
    wait_failed(page)
    assert "compact" not in page.locator("#loading").get_attribute("class")
    assert page.locator("svg#diagram [data-weight]").count() == 0
    site.unroute()
    press_retry(page)
    assert page.evaluate("backpropExplorer.getState().layers") == [1, 2, 1]
    assert page.evaluate("backpropExplorer.getState().seed") == 5


# --- Python stops after it started ---------------------------------------------------------


def test_a_pyodide_fatal_error_is_reported_and_retry_restores_the_state(opened) -> None:
    crashing = package_zip(
        (
            '"""Reset Weights: new random weights from the next seed; restore_seed() goes back."""',
            '"""Reset Weights, made to crash: os.abort() is a fatal error for Pyodide."""\n'
            '        __import__("os").abort()',
        )
    )
    site = opened({"**/py/backprop_explorer.zip": serve_bytes(crashing)})
    page = site.page
    state = booted_with_an_edit(page)
    message = f"Python stopped: the Python runtime crashed (RuntimeError: Aborted()). {AFTER_CRASH}"
    assert call_outcome(page, "backpropExplorer.resetWeights()") == message
    assert wait_failed(page) == message
    assert ready_outcome(page) == message
    # What was drawn stays: the diagram of the edited State.
    assert page.locator("svg#diagram [data-weight]").count() == 9
    assert page.evaluate("backpropExplorer.getState()") == state
    assert "compact" in page.locator("#loading").get_attribute("class")
    press_retry(page)  # the same zip again: it only crashes on Reset Weights
    assert page.evaluate("backpropExplorer.getState()") == state
    assert_works(page)


def test_a_worker_that_quits_is_noticed_and_retry_restores_the_state(opened) -> None:
    site = opened()
    page = site.page
    state = booted_with_an_edit(page)
    [worker] = page.workers
    # The worker ends itself: no error event; the Web Lock it held is released.
    worker.evaluate("setTimeout(() => self.close(), 0)")
    message = f"Python stopped: its worker quit. {AFTER_CRASH}"
    assert wait_failed(page) == message
    down = "Python is not running: its worker quit. Press Retry to start it again."
    assert call_outcome(page, "backpropExplorer.setState({seed: 3})") == down
    press_retry(page)
    assert page.evaluate("backpropExplorer.getState()") == state
    assert_works(page)


def test_a_worker_error_is_noticed_and_retry_restores_the_state(opened) -> None:
    site = opened()
    page = site.page
    state = booted_with_an_edit(page)
    [worker] = page.workers
    worker.evaluate("setTimeout(() => { throw new Error('out of luck'); }, 0)")
    assert (
        wait_failed(page)
        == f"Python stopped: its worker failed (Uncaught Error: out of luck). {AFTER_CRASH}"
    )
    press_retry(page)
    assert page.evaluate("backpropExplorer.getState()") == state
    assert_works(page)


# --- A Python exception during a call ------------------------------------------------------


def test_a_python_exception_is_reported_and_the_app_stays_usable(opened) -> None:
    raising = package_zip(
        (
            '"""Switch to a named topology (presets.py): new layers, fresh weights, and the new\n'
            '        network\'s ``opening_selection`` selected."""',
            '"""Made to fail: a real Python exception inside bridge.handle."""\n        return 1 / 0',
        )
    )
    site = opened({"**/py/backprop_explorer.zip": serve_bytes(raising)})
    page = site.page
    wait_ready(page)
    before = page.evaluate("backpropExplorer.getState()")
    page.locator("#presets [data-preset='deep']").click()
    status = page.locator("#status")
    expect(status).to_be_visible()
    assert status.text_content() == "internal error: ZeroDivisionError: division by zero"
    # The traceback went to the console.
    traceback = [
        text for text in site.console if text.startswith("Traceback (most recent call last)")
    ]
    assert traceback and "ZeroDivisionError: division by zero" in traceback[0]
    assert "session.py" in traceback[0] and "apply_preset" in traceback[0]
    # Nothing changed and Python still runs: the next operation works.
    assert page.evaluate("backpropExplorer.getState()") == before
    assert page.evaluate("document.body.dataset.python") == "ready"
    expect(retry_button(page)).to_be_hidden()
    click_connection(page, "1-1-1")
    assert page.evaluate("backpropExplorer.getState().selected") == {"layer": 1, "to": 1, "from": 1}
    expect(status).to_be_hidden()
    assert_works(page)


# --- The single file -----------------------------------------------------------------------


def test_single_file_that_cannot_start_says_so_and_offers_retry(browser, tmp_path) -> None:
    altered = tmp_path / "backprop-explorer.html"
    altered_copy(SINGLE_FILE, altered, NUMPY_WHEEL)
    opened = SingleFilePage(browser, altered)
    try:
        page = opened.page
        text = wait_failed(page)
        assert text.startswith(
            f"Python could not start: Refusing to load {NUMPY_WHEEL}: its sha256 is "
        )
        assert text.endswith(
            "This copy of backprop-explorer.html is damaged or was altered: download it again."
        )
        assert page.locator("svg#diagram [data-weight]").count() == 9  # the pre-rendered view
        assert ready_outcome(page) == text
        # Retry unpacks and checks the file again: the same answer, from a fresh start.
        retry_button(page).focus()
        page.keyboard.press("Enter")
        page.wait_for_function(FAILED, timeout=BOOT_TIMEOUT_MS)
        stages = page.evaluate("bpxStages")
        assert stages.count("Unpacking Python and numpy") == 2
        assert "Restarting Python" in stages
        assert wait_failed(page) == text
        assert page.evaluate("document.activeElement.id") == "retry-python"
    finally:
        opened.close()
    assert opened.errors == []
