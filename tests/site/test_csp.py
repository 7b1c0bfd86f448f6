"""Every page the build writes carries the Content-Security-Policy: the served page, the single
file (its inline scripts allowed by hash, and only those), the embed example's host page."""

from __future__ import annotations

import base64
import hashlib
import re

from sitebuild.project import DIST

CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def policy(page: str) -> dict[str, list[str]]:
    found = CSP_META.findall(page)
    assert len(found) == 1, "one Content-Security-Policy meta"
    head = page[: page.index("</head>")]
    first_script = head.find("<script")
    if first_script >= 0:
        assert head.index("Content-Security-Policy") < first_script, "before any script"
    return {p.split()[0]: p.split()[1:] for p in found[0].split(";") if p.strip()}


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
    assert inline == [
        ' type="application/json" id="bpx-prerender"',
        ' type="application/json" id="bpx-prerender-clicks"',
    ]


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
