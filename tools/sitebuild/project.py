"""Where the project's files are, and what every build step shares: BuildError, log, sha256."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
WEB = ROOT / "web"
PKG = ROOT / "py" / "backprop_explorer"
NODE_MODULES = ROOT / "node_modules"
SINGLE_FILE_SRC = ROOT / "single-file"  # the single file's own JS and CSS (the app is web/)
CACHE = Path(os.environ.get("BPX_CACHE", Path.home() / ".cache" / "backprop-explorer"))
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: the same sources give the same bytes


class BuildError(RuntimeError):
    """A build step failed; the message says what and how to fix it."""


def log(msg: str) -> None:
    """Print one line of the build's progress."""
    print(f"[build] {msg}", flush=True)


def sha256_of(path: Path) -> str:
    """The hex SHA-256 of a file, read in chunks."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
