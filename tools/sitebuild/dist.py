"""dist/, the whole static site: staged in a temporary folder part by part, then swapped in."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from sitebuild.embeds import write_embed_pages
from sitebuild.in_pyodide import precompile_and_prerender
from sitebuild.inline import inline_icon
from sitebuild.licences import write_licenses
from sitebuild.mathjax import write_mathjax
from sitebuild.package import write_package
from sitebuild.project import DIST, ROOT, WEB, log
from sitebuild.runtime import ensure_node_modules, ensure_numpy_wheel, write_pyodide
from sitebuild.singlefile import SINGLE_FILE, write_single_file
from sitebuild.widget import write_widget


def build() -> None:
    """Build dist/ from web/, py/, docs/EMBEDDING.md and the vendored runtime, and the
    notebook widget's wheel (dist/notebook/)."""
    ensure_node_modules()
    wheel = ensure_numpy_wheel()
    stage = Path(tempfile.mkdtemp(prefix="dist-", dir=ROOT))
    try:
        # web/ minus its docs and the reply declaration (for editors and JSDoc, never loaded)
        shutil.copytree(
            WEB, stage, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.md", "*.d.ts")
        )
        inline_icon(stage / "index.html")
        write_pyodide(stage / "pyodide", wheel)
        write_package(stage / "py")
        write_mathjax(stage / "mathjax" / "mathjax.js")
        write_licenses(stage / "LICENSES")
        write_embed_pages(stage / "embed")
        write_widget(stage)  # the notebook widget's wheel, with the same MathJax and views
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
