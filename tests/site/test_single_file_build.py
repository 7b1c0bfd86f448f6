"""The single-file writer (sitebuild.singlefile): dist/backprop-explorer.html refers to no other
file, carries exactly the files the served site ships, and is the same bytes every time it is
written."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
from html.parser import HTMLParser

import pytest

from sitebuild.dist import build
from sitebuild.inline import inline_index_html, outside_references
from sitebuild.project import DIST, BuildError
from sitebuild.runtime import NUMPY_WHEEL
from sitebuild.singlefile import PYTHON_GLOBAL, SINGLE_FILE, write_single_file


@pytest.fixture(scope="module")
def single_file() -> str:
    if not (DIST / SINGLE_FILE).exists():
        build()
    return (DIST / SINGLE_FILE).read_text(encoding="utf-8")


class Page(HTMLParser):
    """Every URL the page's elements and CSS name, its inline scripts, and its data blocks."""

    URL_ATTRIBUTES = frozenset({"src", "href", "srcset", "poster", "data", "action", "formaction"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str]] = []  # (tag, url)
        self.scripts: list[str] = []
        self.data_blocks: list[str] = []
        self.assets: dict[str, dict] = {}
        self.styles: list[str] = []
        self._open: tuple[str, dict] | None = None

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name in self.URL_ATTRIBUTES and value is not None:
                self.urls.append((tag, value))
            if name == "style" and value:
                self.styles.append(value)
        if tag in ("script", "style"):
            self._open = (tag, attrs)

    def handle_data(self, data) -> None:
        if self._open is None:
            return
        tag, attrs = self._open
        if tag == "style":
            self.styles.append(data)
        elif "data-bpx-asset" in attrs:
            self.assets[attrs["data-bpx-asset"]] = {**attrs, "text": data}
        elif attrs.get("type") == "application/json":
            self.data_blocks.append(data)  # the pre-rendered first view: data, never run
        else:
            self.scripts.append(data)

    def handle_endtag(self, tag) -> None:
        self._open = None


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def unpack(asset: dict) -> bytes:
    return gzip.decompress(base64.b64decode(asset["text"], validate=True))


def test_the_page_refers_to_no_other_file(single_file) -> None:
    page = parse(single_file)
    for tag, url in page.urls:
        web_link = tag == "a" and url.startswith(("https:", "http:", "mailto:"))
        assert url.startswith(("data:", "blob:", "#")) or web_link, (tag, url)
    css = "\n".join(page.styles)
    assert css, "style.css is inlined"
    for url in re.findall(r"""url\(\s*['"]?([^'")]+)""", css):
        assert url.startswith(("data:", "#")), url
    assert "@import" not in css
    assert len(page.scripts) == 1, "one inline script boots the page"
    assert "sourceMappingURL" not in single_file
    assert not re.search(r"<script[^>]*\ssrc=", single_file)
    assert not re.search(r"<link[^>]*\shref=\"(?!data:)", single_file)
    # The footer's licence link points into the page, at the licence texts.
    assert 'href="#third-party-licences"' in single_file
    assert '<details class="licences" id="third-party-licences">' in single_file


def test_the_page_carries_the_served_sites_files(single_file) -> None:
    assets = parse(single_file).assets
    lock = json.loads(unpack(assets["pyodide-lock.json"]))
    wheels = [entry["file_name"] for entry in lock["packages"].values()]
    assert wheels == [NUMPY_WHEEL]
    served = {
        "pyodide-lock.json": DIST / "pyodide" / "pyodide-lock.json",
        "pyodide.asm.wasm": DIST / "pyodide" / "pyodide.asm.wasm",
        "python_stdlib.zip": DIST / "pyodide" / "python_stdlib.zip",
        NUMPY_WHEEL: DIST / "pyodide" / NUMPY_WHEEL,
        "backprop_explorer.zip": DIST / "py" / "backprop_explorer.zip",
        "mathjax.js": DIST / "mathjax" / "mathjax.js",
    }
    assert set(assets) == {*served, "python.js"}
    for name, asset in assets.items():
        data = unpack(asset)
        assert len(data) == int(asset["data-size"]), name
        if name in served:
            assert data == served[name].read_bytes(), name
    wheel = unpack(assets[NUMPY_WHEEL])
    assert hashlib.sha256(wheel).hexdigest() == lock["packages"]["numpy"]["sha256"]
    # the shipped lock names the precompiled wheel (the build checked the download against
    # the official hash, sitebuild.runtime.NUMPY_SHA256, before precompiling it)
    served_lock = json.loads((DIST / "pyodide" / "pyodide-lock.json").read_text())
    assert lock["packages"]["numpy"]["sha256"] == served_lock["packages"]["numpy"]["sha256"]
    roles = {name: asset["data-bpx-role"] for name, asset in assets.items()}
    assert roles.pop("mathjax.js") == "page-script"
    assert roles.pop("python.js") == "python-script"
    assert set(roles.values()) == {"python-file"}
    # Python's script: Pyodide's two classic scripts, then our shell (global bpxInlinePython).
    python = unpack(assets["python.js"]).decode()
    assert python.startswith((DIST / "pyodide" / "pyodide.asm.js").read_text())
    assert "globalThis.loadPyodide" in python
    assert f"var {PYTHON_GLOBAL} = (() => {{" in python


def test_the_page_bundles_the_app_from_web_js(single_file) -> None:
    script = parse(single_file).scripts[0]
    # esbuild names each bundled module in a comment: the app comes from web/js, with
    # single-file/python-worker.js in place of the served worker's starter.
    modules = set(re.findall(r"^  // (\S+\.js)$", script, flags=re.MULTILINE))
    assert {"web/js/app.js", "web/js/engine.js", "single-file/main.js"} <= modules
    assert "single-file/python-worker.js" in modules
    assert all(m.startswith(("web/js/", "single-file/")) for m in modules), modules
    assert "web/js/worker.js" not in modules  # the served worker is not in the bundle
    assert "new Worker(new URL(" not in script
    assert "import.meta" not in script


def test_writing_it_again_gives_the_same_bytes(single_file, tmp_path) -> None:
    """Deterministic: two writes, and the build that made dist/, agree byte for byte."""
    first, second = tmp_path / "first.html", tmp_path / "second.html"
    write_single_file(DIST, first)
    write_single_file(DIST, second)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == single_file.encode("utf-8"), "dist/ is stale: run build.py"


def test_outside_references_finds_files_and_allows_inline_data() -> None:
    page = """<link rel="stylesheet" href="style.css"><img src="logo.png">
    <a href="https://pyodide.org">Pyodide</a><a href="#licences">licences</a>
    <img src="data:image/png;base64,AAAA"><link rel="icon" href="data:image/svg+xml,x">
    <style>.a { background: url(bg.png) } .b { background: url("data:image/png;base64,A") }
    @import "more.css";</style><script src="blob:null/1234"></script><script src="app.js">
    </script><script>const s = '<img src="inside-a-script.png">';</script>"""
    want = ["style.css", "logo.png", "app.js", "bg.png", "more.css"]
    assert outside_references(page) == want


def test_an_unknown_script_fails_the_build(tmp_path) -> None:
    (tmp_path / "index.html").write_text(
        '<html><head><script src="extra.js"></script></head><body></body></html>'
    )
    with pytest.raises(BuildError, match=r"index.html loads extra.js"):
        inline_index_html(tmp_path)


def test_stylesheets_icons_and_images_are_inlined(tmp_path) -> None:
    (tmp_path / "index.html").write_text(
        '<html><head><link rel="icon" href="i.svg" type="image/svg+xml">'
        '<link rel="stylesheet" href="s.css"><script src="js/app.js" type="module"></script>'
        '</head><body><img alt="" src="i.svg"><a href="LICENSES/THIRD-PARTY.txt">l</a>'
        "</body></html>"
    )
    (tmp_path / "i.svg").write_text("<svg/>")
    (tmp_path / "s.css").write_text(".x { background: url(i.svg) }\n")
    html = inline_index_html(tmp_path)
    svg = base64.b64encode(b"<svg/>").decode()
    assert f'<link rel="icon" href="data:image/svg+xml;base64,{svg}"' in html
    assert f'.x {{ background: url("data:image/svg+xml;base64,{svg}") }}' in html
    assert f'<img alt="" src="data:image/svg+xml;base64,{svg}">' in html
    assert "<script" not in html
    assert 'href="#third-party-licences"' in html
    assert outside_references(html) == []
