"""The single-file page, dist/backprop-explorer.html, opened from disk (file://) in headless
Chromium with no flags that loosen file:// rules: it boots offline, computes what the served
site and CPython compute, typesets derivations, and explains on the page why it cannot start.

Every request whose scheme is not file:, data: or blob: is aborted and recorded; none may be
made (the page's Pyodide files live at https://backprop-explorer.invalid/, answered by a fetch
shim inside the page, so a request that slipped past the shim would show up here).
"""

from __future__ import annotations

import base64
import gzip
import json
import math
import re
from pathlib import Path

import pytest

from conftest import BOOT_TIMEOUT_MS, DIST
from sitebuild.dist import build
from sitebuild.runtime import NUMPY_WHEEL

SINGLE_FILE = DIST / "backprop-explorer.html"
LOCAL_SCHEMES = ("file", "data", "blob")

# Record every loading stage the page shows, checked after boot: no timing involved. The
# observer is set up before the page is parsed (the stages can all pass before
# DOMContentLoaded when unpacking is quick). Each textContent assignment adds a new text node,
# so each record keeps its own stage even when several stages are set in one task.
RECORD_STAGES = """
window.bpxStages = [];
new MutationObserver((records) => {
  for (const record of records) {
    if (record.target.id !== "loading-stage") continue;
    for (const node of record.addedNodes) window.bpxStages.push(node.textContent);
  }
}).observe(document, {childList: true, subtree: true});
"""

STATES = [
    {},  # the defaults: 2-3-1, ReLU then linear, ½Σ(a−y)²
    {"layers": [3, 4, 2], "activations": ["tanh", "sigmoid"], "loss": "mse", "seed": 1234},
    {
        "layers": [2, 3, 3, 3, 1],
        "activations": ["relu", "leaky_relu", "sigmoid", "linear"],
        "bias": True,
        "seed": 7,
        "input": [0.3, -1.25],
        "target": [0.75],
    },
    {
        "layers": [1, 1, 1],
        "activations": ["sigmoid", "tanh"],
        "weights": [[[0.5]], [[-1.5]]],
        "input": [2.0],
        "target": [-0.25],
    },
]


class NonLocalRequests:
    """Aborts and records every request whose scheme is not file:, data: or blob:."""

    def __init__(self) -> None:
        self.made: list[str] = []

    def route(self, route) -> None:
        url = route.request.url
        if url.split(":", 1)[0].lower() in LOCAL_SCHEMES:
            route.continue_()
        else:
            self.made.append(url)
            route.abort()


class SingleFilePage:
    """A fresh context with the page of `path` opened from disk."""

    def __init__(self, browser, path: Path = SINGLE_FILE, init_script: str | None = None) -> None:
        self.context = browser.new_context()
        self.requests = NonLocalRequests()
        self.context.route("**/*", self.requests.route)
        self.csp: list[str] = []  # Content-Security-Policy violations the browser reports
        self.context.on(
            "console",
            lambda m: self.csp.append(m.text) if "Content Security Policy" in m.text else None,
        )
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda err: self.errors.append(str(err)))
        self.page.add_init_script(RECORD_STAGES)
        if init_script:
            self.page.add_init_script(init_script)
        self.page.goto(path.as_uri())

    def boot(self) -> None:
        self.page.wait_for_function(
            "() => window.backpropExplorer && true", timeout=BOOT_TIMEOUT_MS
        )
        self.page.evaluate("backpropExplorer.ready")

    def failure_text(self) -> str:
        """Wait until the page says it could not start, and return what it says."""
        stage = self.page.locator("#loading-stage")
        self.page.wait_for_function(
            "() => document.querySelector('#loading').classList.contains('failed')",
            timeout=BOOT_TIMEOUT_MS,
        )
        assert self.page.locator("#loading").is_visible()
        assert "failed" in (self.page.locator("#loading").get_attribute("class") or "")
        return stage.text_content()

    def close(self) -> None:
        self.context.close()
        assert self.requests.made == [], f"requests that left the file: {self.requests.made}"
        assert self.csp == [], f"Content-Security-Policy violations: {self.csp}"


@pytest.fixture(scope="module")
def single_file_path() -> Path:
    if not SINGLE_FILE.exists():
        build()
    return SINGLE_FILE


@pytest.fixture(scope="module")
def single_file(browser, single_file_path):
    """One booted single-file page shared by the module's tests (Python boots once)."""
    opened = SingleFilePage(browser, single_file_path)
    opened.boot()
    opened.default = opened.page.evaluate("backpropExplorer.getState()")
    yield opened
    errors = list(opened.errors)
    opened.close()
    assert errors == [], f"uncaught page errors: {errors}"


@pytest.fixture
def single(single_file):
    """The shared single-file page, put back in its default State before the test."""
    single_file.page.evaluate("(s) => backpropExplorer.setState(s)", single_file.default)
    return single_file


def numbers(value) -> list[float]:
    """Every number of a gradients() result, flattened in a fixed order."""
    if isinstance(value, dict):
        return [x for key in sorted(value) for x in numbers(value[key])]
    if isinstance(value, list):
        return [x for item in value for x in numbers(item)]
    return [float(value)]


def test_boots_from_disk_in_a_worker_showing_its_stages(single) -> None:
    page = single.page
    assert page.evaluate("location.protocol") == "file:"
    assert page.locator("#loading").is_hidden()
    assert page.evaluate("document.body.classList.contains('ready')")
    assert page.evaluate("backpropExplorer.getState().layers") == [2, 3, 1]
    assert page.locator("svg#diagram [data-weight]").count() == 9
    stages = page.evaluate("window.bpxStages")
    for stage in (
        "Unpacking MathJax",
        "Unpacking Python and numpy",
        "Checking numpy against pyodide-lock.json (sha256)",
        "Starting Python (Pyodide)",
        "Loading numpy",
        "Loading the Backprop Explorer package",
    ):
        assert stage in stages, stages
    # Python runs in a worker made from a blob: URL, not on the page.
    assert [w.url.split(":", 1)[0] for w in page.workers] == ["blob"]
    assert "Starting Python on the page (no worker allowed)" not in stages
    # The notation guide was typeset by the inlined MathJax.
    assert page.locator(".guide-panel [data-tex].typeset mjx-container svg").count() > 10


def test_licences_are_in_the_page(single) -> None:
    page = single.page
    details = page.locator("details#third-party-licences")
    assert details.get_attribute("open") is None
    page.locator("footer a[href='#third-party-licences']").click()
    assert details.get_attribute("open") is not None
    text = details.inner_text()
    for needle in ("Mozilla Public License", "NumPy Developers", "Apache License"):
        assert needle in text


@pytest.mark.parametrize("partial", STATES, ids=["default", "3-4-2-mse", "deep-bias", "1-1-1"])
def test_gradients_equal_the_served_site_and_cpython(single, explorer, partial) -> None:
    from backprop_explorer import Session

    served = explorer  # the served site (conftest), in its default State
    state = single.page.evaluate("(p) => backpropExplorer.setState(p)", partial)
    assert served.evaluate("(p) => backpropExplorer.setState(p)", partial) == state
    got = single.page.evaluate("backpropExplorer.gradients()")
    # The same Pyodide and numpy as the served site: the very same numbers.
    assert got == served.evaluate("backpropExplorer.gradients()")
    for g, w in zip(numbers(got), numbers(Session(state).gradients()), strict=True):
        assert g == w or math.isclose(g, w, rel_tol=1e-12), (g, w)


def test_select_renders_its_derivation(single, explorer) -> None:
    page = single.page
    partial = {"layers": [3, 2, 2], "activations": ["sigmoid", "linear"], "seed": 42}
    page.evaluate("(p) => backpropExplorer.setState(p)", partial)
    result = page.evaluate("backpropExplorer.select({layer: 1, to: 2, from: 3})")
    assert result["pathCount"] == 2
    explorer.evaluate("(p) => backpropExplorer.setState(p)", partial)
    served = explorer.evaluate("backpropExplorer.select({layer: 1, to: 2, from: 3})")
    assert result == served
    assert page.locator("#derivation .step").count() == len(result["latex"])
    typeset = page.locator("#derivation .step > .math > mjx-container svg")
    assert typeset.count() == len(result["latex"]) - 1  # all but the table of paths
    assert page.locator("#derivation table.paths tbody tr").count() == result["pathCount"]
    assert page.locator("#derivation [data-mjx-error], #derivation merror").count() == 0


def test_python_runs_on_the_page_when_workers_are_refused(browser, single_file_path) -> None:
    from backprop_explorer import Session

    refuse = """window.Worker = function Worker() {
      throw new DOMException("workers are refused here", "SecurityError");
    };"""
    opened = SingleFilePage(browser, single_file_path, init_script=refuse)
    try:
        opened.boot()
        page = opened.page
        assert "Starting Python on the page (no worker allowed)" in page.evaluate("bpxStages")
        assert page.workers == []
        state = page.evaluate("(p) => backpropExplorer.setState(p)", STATES[2])
        got = page.evaluate("backpropExplorer.gradients()")
        for g, w in zip(numbers(got), numbers(Session(state).gradients()), strict=True):
            assert g == w or math.isclose(g, w, rel_tol=1e-12), (g, w)
        result = page.evaluate("backpropExplorer.select({layer: 2, to: 1, from: 1})")
        assert page.locator("#derivation .step").count() == len(result["latex"])
        typeset = page.locator("#derivation .step > .math > mjx-container svg")
        assert typeset.count() == len(result["latex"]) - 1  # all but the table of paths
        assert page.locator("#derivation table.paths tbody tr").count() == result["pathCount"]
    finally:
        opened.close()
    assert opened.errors == []


def test_a_browser_without_decompression_stream_is_told_so(browser, single_file_path) -> None:
    opened = SingleFilePage(
        browser, single_file_path, init_script="delete window.DecompressionStream;"
    )
    try:
        text = opened.failure_text()
        assert "this browser lacks DecompressionStream" in text
        assert "Chrome, Edge, Firefox or Safari" in text
        assert opened.page.locator("#status").text_content() == text
    finally:
        opened.close()
    assert opened.errors == []


def altered_copy(source: Path, dest: Path, asset: str) -> None:
    """Copy the single file with one byte of an inlined file changed (same size, valid gzip)."""
    html = source.read_text(encoding="utf-8")
    pattern = re.compile(rf'(data-bpx-asset="{re.escape(asset)}"[^>]*>)([A-Za-z0-9+/=]+)(<)')
    match = pattern.search(html)
    assert match, asset
    data = bytearray(gzip.decompress(base64.b64decode(match.group(2))))
    data[len(data) // 2] ^= 0xFF
    packed = base64.b64encode(gzip.compress(bytes(data), mtime=0)).decode()
    dest.write_text(html[: match.start(2)] + packed + html[match.end(2) :], encoding="utf-8")


def test_an_altered_numpy_wheel_is_refused(browser, single_file_path, tmp_path) -> None:
    altered = tmp_path / "backprop-explorer.html"
    altered_copy(single_file_path, altered, NUMPY_WHEEL)
    opened = SingleFilePage(browser, altered)
    try:
        text = opened.failure_text()
        assert text.startswith(
            f"Python could not start: Refusing to load {NUMPY_WHEEL}: its sha256 is "
        )
        lock = json.loads((single_file_path.parent / "pyodide" / "pyodide-lock.json").read_text())
        assert f"but pyodide-lock.json expects {lock['packages']['numpy']['sha256']}" in text
        assert "download it again" in text
        stages = opened.page.evaluate("bpxStages")
        assert "Starting Python (Pyodide)" not in stages  # refused before Python started
    finally:
        opened.close()
    # backpropExplorer.ready rejects with the same message, which the page handles: no
    # uncaught error (test_runtime_failures.py presses its Retry).
    assert opened.errors == []


# What WebKit did to the single file opened from disk before assets.js stopped reading
# through Blob streams: every read of the inlined data failed with NotReadableError.
REFUSE_READS = """{
  const Native = window.DecompressionStream;
  window.DecompressionStream = class extends Native {
    constructor(format) {
      super(format);
      Object.defineProperty(this, "readable", {
        value: new ReadableStream({
          start(controller) {
            controller.error(new DOMException("The I/O read operation failed.", "NotReadableError"));
          },
        }),
      });
    }
  };
}"""


def test_a_browser_that_refuses_to_read_the_data_is_named_not_the_file(
    browser, single_file_path
) -> None:
    opened = SingleFilePage(browser, single_file_path, init_script=REFUSE_READS)
    try:
        text = opened.failure_text()
        assert text == (
            "Could not start: This browser could not unpack mathjax.js (NotReadableError: The "
            "I/O read operation failed.). The file itself may be fine: open it in another "
            "browser (a current Chrome, Edge, Firefox or Safari), or put it on a web server and "
            "open it from there."
        )
        assert "damaged" not in text
    finally:
        opened.close()
    assert opened.errors == []


def test_gzip_data_that_fails_its_checksum_is_called_damaged(
    browser, single_file_path, tmp_path
) -> None:
    html = single_file_path.read_text(encoding="utf-8")
    match = re.search(r'(data-bpx-asset="mathjax.js"[^>]*>)([A-Za-z0-9+/=]+)(<)', html)
    packed = bytearray(base64.b64decode(match.group(2)))
    packed[-8] ^= 0xFF  # the gzip trailer's CRC-32: the data no longer matches its checksum
    damaged = tmp_path / "backprop-explorer.html"
    damaged.write_text(
        html[: match.start(2)] + base64.b64encode(bytes(packed)).decode() + html[match.end(2) :],
        encoding="utf-8",
    )
    opened = SingleFilePage(browser, damaged)
    try:
        text = opened.failure_text()
        assert text.startswith("Could not start: mathjax.js is damaged in this file (")
        assert text.endswith("download it again.")
    finally:
        opened.close()
    assert opened.errors == []
