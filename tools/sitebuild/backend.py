"""The project's build backend (PEP 517), named in pyproject.toml's [build-system]: what
``pip install ".[notebook]"`` runs in the repository.

It builds the same wheel as ``python3 build.py`` writes into dist/notebook/ (widget.py:
the package, the widget's ES module bundled from web/ with MathJax, its stylesheet, the
metadata of pyproject.toml), with the standard library and Node.js only, so nothing is
downloaded to build it but the npm packages of package-lock.json, when node_modules does not
hold them yet (``npm ci``, as the site's build does). Same sources, same bytes.

The source distribution holds what the wheel is built from: pyproject.toml, README.md, the
npm lock, py/backprop_explorer, tools/sitebuild and web/.
"""

from __future__ import annotations

import gzip
import io
import tarfile
import tempfile
from pathlib import Path

from sitebuild.mathjax import write_mathjax
from sitebuild.project import PKG, ROOT, WEB
from sitebuild.runtime import ensure_node_modules
from sitebuild.widget import metadata, wheel_files, write_wheel

__all__ = [
    "build_sdist",
    "build_wheel",
    "get_requires_for_build_sdist",
    "get_requires_for_build_wheel",
]

# What the source distribution carries besides the package, tools/sitebuild and web/.
SDIST_FILES = ("pyproject.toml", "README.md", "package.json", "package-lock.json")


def get_requires_for_build_wheel(config_settings: dict | None = None) -> list[str]:
    """Nothing from PyPI: the backend is the standard library (and Node.js for the bundle)."""
    return []


def get_requires_for_build_sdist(config_settings: dict | None = None) -> list[str]:
    """Nothing from PyPI."""
    return []


def build_wheel(
    wheel_directory: str,
    config_settings: dict | None = None,
    metadata_directory: str | None = None,
) -> str:
    """The wheel of dist/notebook/, written into ``wheel_directory``; its file name."""
    ensure_node_modules()
    with tempfile.TemporaryDirectory() as tmp:
        mathjax = Path(tmp) / "mathjax" / "mathjax.js"
        write_mathjax(mathjax)
        files = wheel_files(mathjax.read_text(encoding="utf-8"))
    return write_wheel(Path(wheel_directory), files).name


def sdist_members() -> list[Path]:
    """The files of the source distribution, in sorted order."""
    trees = [PKG, ROOT / "tools" / "sitebuild", WEB]
    found = [ROOT / name for name in SDIST_FILES]
    for tree in trees:
        found += [p for p in tree.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return sorted(found)


def build_sdist(sdist_directory: str, config_settings: dict | None = None) -> str:
    """backprop_explorer-<version>.tar.gz in ``sdist_directory`` (fixed dates and owners: the
    same sources give the same bytes); its file name."""
    stem, meta, _ = metadata()
    name = f"{stem}.tar.gz"
    members = {f"{stem}/{p.relative_to(ROOT).as_posix()}": p.read_bytes() for p in sdist_members()}
    members[f"{stem}/PKG-INFO"] = meta.encode()
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for arc in sorted(members):
            item = tarfile.TarInfo(arc)
            item.size = len(members[arc])
            item.mode = 0o644
            tar.addfile(item, io.BytesIO(members[arc]))
    out = Path(sdist_directory) / name
    out.write_bytes(gzip.compress(raw.getvalue(), compresslevel=9, mtime=0))
    return name
