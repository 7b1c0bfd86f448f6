"""Our Python package as the site ships it: py/backprop_explorer.zip, the same bytes each build."""

from __future__ import annotations

import zipfile
from pathlib import Path

from sitebuild.project import PKG, ZIP_DATE

PACKAGE_ZIP = "backprop_explorer.zip"
# Modules the page never runs: the notebook widget imports anywidget, which Pyodide lacks.
NOT_ON_THE_PAGE = frozenset({"widget.py"})


def package_files(src: Path, exclude: frozenset[str] = frozenset()) -> list[Path]:
    """The .py files under src (not those named in ``exclude``), in sorted order."""
    return sorted(
        p
        for p in src.rglob("*.py")
        if "__pycache__" not in p.parts and p.relative_to(src).as_posix() not in exclude
    )


def deterministic_zip(
    src: Path, dest: Path, arc_root: str, exclude: frozenset[str] = frozenset()
) -> None:
    """Zip the .py files under src with fixed dates and modes, in sorted order."""
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
        for path in package_files(src, exclude):
            info = zipfile.ZipInfo(f"{arc_root}/{path.relative_to(src).as_posix()}", ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, path.read_bytes())


def write_package(out: Path) -> None:
    """out/backprop_explorer.zip from py/backprop_explorer, without the notebook widget."""
    out.mkdir()
    deterministic_zip(PKG, out / PACKAGE_ZIP, "backprop_explorer", NOT_ON_THE_PAGE)
