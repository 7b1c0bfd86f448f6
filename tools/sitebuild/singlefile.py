"""The single file, dist/backprop-explorer.html: the whole site in one HTML file that works when
opened from disk (file://), where a page may load no other file. docs/ARCHITECTURE.md explains
how it boots."""

from __future__ import annotations

import base64
import gzip
import html
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from sitebuild.csp import csp_meta, read_site_csp, single_file_csp
from sitebuild.inline import inline_index_html, outside_references
from sitebuild.licences import licences_html
from sitebuild.package import PACKAGE_ZIP
from sitebuild.project import NODE_MODULES, SINGLE_FILE_SRC, WEB, BuildError, log
from sitebuild.runtime import pyodide_dir

SINGLE_FILE = "backprop-explorer.html"
ESBUILD_VERSION = "0.28.2"
PYTHON_GLOBAL = "bpxInlinePython"  # esbuild's global name for python.js (see python.js)
ABOUT = (
    "<!-- Backprop Explorer in one file: open it in a browser (no server, no network needed).\n"
    "     Written by build.py from the project's web/ and py/ folders; after the page itself,\n"
    "     the data blocks hold MathJax, Pyodide, numpy and our Python package, gzip + base64. -->\n"
)


def write_single_file(site: Path, out: Path) -> None:
    """Write the staged site as one self-contained HTML file.

    The page markup and CSS are index.html's and style.css's, inlined. Scripts and Pyodide's
    files are inlined gzip-compressed and base64-encoded in data blocks
    (<script type="application/octet-stream" data-bpx-asset=...>) that the page unpacks with
    DecompressionStream. The app is bundled by esbuild from the same web/js modules as the served
    site, with single-file/python-worker.js in place of web/js/python-worker.js.
    """
    page_js, python_js = bundle_single_file_js()
    pyodide = site / "pyodide"
    python_script = "\n;\n".join(
        [
            (pyodide / "pyodide.asm.js").read_text(encoding="utf-8"),
            without_source_map((pyodide_dir() / "pyodide.js").read_text(encoding="utf-8")),
            python_js,
        ]
    )
    lock = json.loads((pyodide / "pyodide-lock.json").read_text())
    wheels = sorted(entry["file_name"] for entry in lock["packages"].values())
    assets = [
        ("mathjax.js", "page-script", (site / "mathjax" / "mathjax.js").read_bytes()),
        ("python.js", "python-script", python_script.encode()),
        *[
            (name, "python-file", (pyodide / name).read_bytes())
            for name in ("pyodide-lock.json", "pyodide.asm.wasm", "python_stdlib.zip", *wheels)
        ],
        (PACKAGE_ZIP, "python-file", (site / "py" / PACKAGE_ZIP).read_bytes()),
    ]
    page = inline_index_html(site)
    mathjax_js = (site / "mathjax" / "mathjax.js").read_text(encoding="utf-8")
    page_script = script_block(page_js)
    # The inline scripts this page may run: its own bundle, and the texts it inserts as inline
    # scripts (page.js runScript): MathJax, and Python when no worker can be made.
    inline_scripts = [page_script[len("<script>") : -len("</script>")], mathjax_js, python_script]
    site_csp = read_site_csp()
    page = page.replace(csp_meta(site_csp), csp_meta(single_file_csp(site_csp, inline_scripts)), 1)
    bad = outside_references(page)
    if bad:
        raise BuildError(
            "index.html refers to other files that the single file cannot inline: "
            + ", ".join(bad)
            + " (teach sitebuild/inline.py's inline_index_html to inline them)"
        )
    tail = [licences_html(site), *(asset_block(*asset) for asset in assets), page_script]
    if "</body>" not in page:
        raise BuildError("index.html has no </body>")
    head, body_end = page.rsplit("</body>", 1)
    page = head + "\n".join(tail) + "\n</body>" + body_end
    doctype = len("<!doctype html>\n") if page.lower().startswith("<!doctype html>\n") else 0
    out.write_text(page[:doctype] + ABOUT + page[doctype:], encoding="utf-8")
    log(f"{out.name}: {out.stat().st_size / 1e6:.1f} MB")


def bundle_single_file_js() -> tuple[str, str]:
    """Bundle single-file/main.js (the page: app and boot) and single-file/python.js (Python's
    shell) with esbuild, from a copy of web/js in which python-worker.js re-exports
    single-file/python-worker.js. Both are classic scripts (IIFE): the page cannot load modules.
    """
    esbuild = NODE_MODULES / ".bin" / "esbuild"
    version = json.loads((NODE_MODULES / "esbuild" / "package.json").read_text())["version"]
    if version != ESBUILD_VERSION:
        raise BuildError(f"node_modules has esbuild {version}, expected {ESBUILD_VERSION}")
    with tempfile.TemporaryDirectory(prefix="bpx-single-") as tmp:
        work = Path(tmp)
        shutil.copytree(WEB / "js", work / "web" / "js")
        shutil.copytree(SINGLE_FILE_SRC, work / "single-file")
        replaced = work / "web" / "js" / "python-worker.js"
        if not replaced.exists():
            raise BuildError("web/js/python-worker.js is gone: the single file replaces it")
        replacement = "../../single-file/python-worker.js"
        replaced.write_text(f'export {{ startPythonWorker }} from "{replacement}";\n')
        page = run_esbuild(esbuild, work, "single-file/main.js")
        global_name = "--global-name=" + PYTHON_GLOBAL
        python = run_esbuild(esbuild, work, "single-file/python.js", global_name)
    return page, python


def run_esbuild(esbuild: Path, cwd: Path, entry: str, *extra: str) -> str:
    """One IIFE bundle on stdout; any warning fails the build (e.g. import.meta, which an IIFE
    cannot have). Paths in its comments are relative to cwd, so the output is deterministic."""
    cmd = [str(esbuild), entry, "--bundle", "--format=iife", "--target=es2020", "--charset=utf8"]
    cmd += ["--log-level=warning", *extra]
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, encoding="utf-8")
    if result.returncode != 0 or result.stderr.strip():
        raise BuildError(f"esbuild {entry} failed:\n{result.stderr}")
    return result.stdout


def without_source_map(js: str) -> str:
    """Drop `//# sourceMappingURL=...` lines: the map is not shipped, and they name a file."""
    return re.sub(r"^//# sourceMappingURL=.*$", "", js, flags=re.MULTILINE)


def asset_block(name: str, role: str, data: bytes) -> str:
    """One inlined file: gzip (fixed mtime, so the same bytes each build), then base64."""
    packed = base64.b64encode(gzip.compress(data, compresslevel=9, mtime=0)).decode("ascii")
    name = html.escape(name)
    return (
        f'<script type="application/octet-stream" data-bpx-asset="{name}" '
        f'data-bpx-role="{role}" data-size="{len(data)}">{packed}</script>'
    )


def script_block(js: str) -> str:
    """An inline classic script. esbuild escapes "</script" in strings; check nothing is left
    that would end the element or start an HTML comment inside it."""
    lowered = js.lower()
    if "</script" in lowered or "<!--" in lowered:
        raise BuildError("the single-file bundle contains '</script' or '<!--'")
    return f"<script>\n{js.rstrip()}\n</script>"
