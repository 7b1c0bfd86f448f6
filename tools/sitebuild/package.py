"""Our Python package as the site ships it: py/backprop_explorer.zip, the same bytes each build."""

from __future__ import annotations

import zipfile
from pathlib import Path

from sitebuild.project import PKG, ZIP_DATE

PACKAGE_ZIP = "backprop_explorer.zip"


def deterministic_zip(src: Path, dest: Path, arc_root: str) -> None:
    """Zip the .py files under src with fixed dates and modes, in sorted order."""
    files = sorted(p for p in src.rglob("*.py") if "__pycache__" not in p.parts)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
        for path in files:
            info = zipfile.ZipInfo(f"{arc_root}/{path.relative_to(src).as_posix()}", ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, path.read_bytes())


def write_package(out: Path) -> None:
    """out/backprop_explorer.zip from py/backprop_explorer."""
    out.mkdir()
    deterministic_zip(PKG, out / PACKAGE_ZIP, "backprop_explorer")
