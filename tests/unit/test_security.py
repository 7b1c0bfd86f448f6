"""Static checks of what the browser tests cannot see: our JavaScript builds no markup from
strings and evaluates no code, and every page we build carries the Content-Security-Policy."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
OUR_JS = sorted(
    [*(ROOT / "web").rglob("*.js"), *(ROOT / "single-file").glob("*.js"), ROOT / "web/embed.js"]
)
FORBIDDEN = {
    "innerHTML": r"\.innerHTML\b",
    "outerHTML": r"\.outerHTML\b",
    "insertAdjacentHTML": r"insertAdjacentHTML",
    "document.write": r"document\.write",
    "eval": r"(?<![\w.])eval\s*\(",
    "new Function": r"new\s+Function\b",
    "setTimeout with a string": r"set(?:Timeout|Interval)\(\s*[\"'`]",
    "javascript: URL": r"javascript:",
}
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def policy(page: str) -> dict[str, list[str]]:
    found = CSP_META.findall(page)
    assert len(found) == 1, "one Content-Security-Policy meta"
    head = page[: page.index("</head>")]
    first_script = head.find("<script")
    if first_script >= 0:
        assert head.index("Content-Security-Policy") < first_script, "before any script"
    return {p.split()[0]: p.split()[1:] for p in found[0].split(";") if p.strip()}


@pytest.mark.parametrize("path", OUR_JS, ids=lambda p: str(p.relative_to(ROOT)))
def test_our_javascript_builds_no_markup_from_strings_and_evaluates_no_code(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = [name for name, pattern in FORBIDDEN.items() if re.search(pattern, text)]
    assert found == []


def test_the_served_page_forbids_inline_scripts_eval_plugins_and_other_hosts() -> None:
    csp = policy((DIST / "index.html").read_text(encoding="utf-8"))
    assert csp["default-src"] == ["'none'"]
    assert csp["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    assert csp["connect-src"] == ["'self'"]
    assert csp["worker-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    for sources in csp.values():
        assert "*" not in sources and "http:" not in sources and "https:" not in sources
    # The pre-render is data, never run: a JSON block, not a script.
    page = (DIST / "index.html").read_text(encoding="utf-8")
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert inline == [' type="application/json" id="bpx-prerender"']


def test_the_single_file_allows_exactly_its_own_inline_scripts() -> None:
    page = (DIST / "backprop-explorer.html").read_text(encoding="utf-8")
    csp = policy(page)
    hashes = {s.strip("'") for s in csp["script-src"] if s.startswith("'sha256-")}
    assert set(csp["script-src"]) - {f"'{h}'" for h in hashes} == {"'wasm-unsafe-eval'"}
    assert csp["worker-src"] == ["blob:"] and csp["connect-src"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    # Every classic inline script of the page is allowed by its hash, and only those run.
    classic = re.findall(r"<script>(.*?)</script>", page, flags=re.S)
    assert len(classic) == 1
    digest = base64.b64encode(hashlib.sha256(classic[0].encode()).digest()).decode()
    assert f"sha256-{digest}" in hashes
    assert len(hashes) == 3  # the page bundle, MathJax and Python's script (inserted inline)


def test_the_example_host_page_has_its_own_policy() -> None:
    csp = policy((DIST / "embed-example.html").read_text(encoding="utf-8"))
    assert csp["script-src"] == ["'self'"] and csp["frame-src"] == ["'self'"]


def test_page_predicates_in_tests_and_benchmarks_are_functions() -> None:
    """Playwright polls a string predicate with eval, which the page's CSP refuses."""
    calls = re.compile(r"wait_for_function\(\s*f?(\"|')(?!\(\w*\) =>|\(\) =>|\(\[)")
    files = [*(ROOT / "tests").rglob("*.py"), *(ROOT / "bench").rglob("*.py")]
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in files
        for match in calls.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
