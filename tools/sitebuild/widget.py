"""The notebook widget (backprop_explorer.widget): its script and stylesheet, built from the
page's own sources, and the wheel that carries them, dist/notebook/backprop_explorer-*.whl.

- ``static/widget.js``: one ES module (anywidget's format) = the offline MathJax bundle of
  mathjax.py, run once per page, then web/js/widget.js bundled by esbuild with the page's
  view modules (diagram.js, derivation-view.js, training-view.js, …) it imports and
  web/index.html as text (the training and tables sections it shows are the page's markup);
- ``static/widget.css``: web/style.css inside ``@scope (.bpx-widget)``, its ``:root`` and
  ``body`` rules made the widget's own box's, so nothing leaks into the notebook, plus
  web/widget.css (the widget's own layout);
- the wheel: py/backprop_explorer with both files, its metadata (name, version, the pinned
  dependencies and the ``notebook`` extra) read from pyproject.toml. Same sources, same bytes;
  ``pip install .`` builds the same wheel (sitebuild/backend.py, pyproject's build backend).
"""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import tomllib
import zipfile
from pathlib import Path

from sitebuild.package import package_files
from sitebuild.project import NODE_MODULES, PKG, ROOT, WEB, ZIP_DATE, BuildError, log

WIDGET_DIR = "notebook"  # dist/notebook/: the wheel
ENTRY = "js/widget.js"
STATIC = "static"  # inside the package, where widget.py finds its files


def widget_module(mathjax_js: str) -> str:
    """The widget's ES module: MathJax (when the page has none yet), then our views."""
    esbuild = NODE_MODULES / ".bin" / "esbuild"
    cmd = [str(esbuild), ENTRY, "--bundle", "--format=esm", "--target=es2020", "--charset=utf8"]
    cmd.append("--loader:.html=text")  # widget.js imports index.html: the training panels' markup
    result = subprocess.run(
        [*cmd, "--log-level=warning"], cwd=WEB, capture_output=True, encoding="utf-8"
    )
    if result.returncode != 0 or result.stderr.strip():
        raise BuildError(f"esbuild {ENTRY} failed:\n{result.stderr}")
    return (
        "/* Backprop Explorer's notebook widget, written by build.py: MathJax (Apache-2.0),\n"
        "   then web/js/widget.js with the page's view modules. */\n"
        # A second widget on the page (or the cell run again) finds MathJax there already.
        "if (!globalThis.MathJax?.startup) {\n"
        f"{mathjax_js.rstrip()}\n"
        "}\n"
        f"{result.stdout}"
    )


def scoped_stylesheet(css: str) -> str:
    """style.css for inside the widget's box: wrapped in @scope (.bpx-widget), where the
    page's :root (its colours) and body rules become the widget root's own."""
    css = css.replace(":root", ":scope")
    css = re.sub(r"(?<![\w.#-])body(?![\w-])", ":scope", css)
    return f"@scope (.bpx-widget) {{\n{css.rstrip()}\n}}\n"


def widget_stylesheet() -> str:
    """The widget's stylesheet: the page's, scoped, then web/widget.css."""
    page = scoped_stylesheet((WEB / "style.css").read_text(encoding="utf-8"))
    return page + (WEB / "widget.css").read_text(encoding="utf-8")


def metadata() -> tuple[str, str, str]:
    """The wheel's name-version stem, its METADATA text, and its version, from pyproject."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    name, version = project["name"], project["version"]
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {name}",
        f"Version: {version}",
        f"Summary: {project['description']}",
        f"License: {project['license']['text']}",
        f"Requires-Python: {project['requires-python']}",
        *(f"Requires-Dist: {dep}" for dep in project["dependencies"]),
        "Provides-Extra: notebook",
        *(
            f'Requires-Dist: {dep}; extra == "notebook"'
            for dep in project["optional-dependencies"]["notebook"]
        ),
    ]
    stem = f"{name.replace('-', '_')}-{version}"
    return stem, "\n".join(lines) + "\n", version


def write_wheel(out_dir: Path, files: dict[str, bytes]) -> Path:
    """A pure-Python wheel of ``files`` (archive path -> bytes) plus its dist-info."""
    stem, meta, _ = metadata()
    info = f"{stem}.dist-info"
    wheel_text = "Wheel-Version: 1.0\nGenerator: backprop-explorer build.py\n"
    wheel_text += "Root-Is-Purelib: true\nTag: py3-none-any\n"
    entries = {**files, f"{info}/METADATA": meta.encode(), f"{info}/WHEEL": wheel_text.encode()}
    record = []
    for arc, data in entries.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{arc},sha256={digest},{len(data)}")
    record.append(f"{info}/RECORD,,")
    entries[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    out_dir.mkdir(parents=True, exist_ok=True)
    wheel = out_dir / f"{stem}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as z:
        for arc, data in entries.items():
            item = zipfile.ZipInfo(arc, ZIP_DATE)
            item.external_attr = 0o644 << 16
            item.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(item, data)
    return wheel


def widget_assets(mathjax_js: str) -> dict[str, bytes]:
    """The widget's two files, by their name under the package's static/."""
    return {
        "widget.js": widget_module(mathjax_js).encode(),
        "widget.css": widget_stylesheet().encode(),
    }


def wheel_files(mathjax_js: str) -> dict[str, bytes]:
    """The wheel's files by archive path: the package (widget.py included) and the widget's."""
    files = {
        f"backprop_explorer/{path.relative_to(PKG).as_posix()}": path.read_bytes()
        for path in package_files(PKG)
    }
    for name, data in widget_assets(mathjax_js).items():
        files[f"backprop_explorer/{STATIC}/{name}"] = data
    return files


def write_widget(site: Path) -> Path:
    """site/notebook/<wheel>, with the MathJax bundle the build wrote for the site."""
    mathjax_js = (site / "mathjax" / "mathjax.js").read_text(encoding="utf-8")
    wheel = write_wheel(site / WIDGET_DIR, wheel_files(mathjax_js))
    log(f"{WIDGET_DIR}/{wheel.name}: {wheel.stat().st_size / 1e6:.1f} MB")
    return wheel
