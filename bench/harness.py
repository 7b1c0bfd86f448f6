"""What bench/run.py and bench/soak.py share: the environment, the server and the browser (the
last two from the tests' harness, tests/engines, so tests and benchmarks start them alike).

Standard library only at import time: the scripts import it before they re-run themselves in
the test environment (.venv), where Playwright is.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

# the build's package, and the tests' browser harness (server, Chromium options, guard)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from engines import server
from engines.chromium import launch_options
from engines.guard import stays_local

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
VENV_PY = ROOT / ".venv" / "bin" / "python"


def load_module(name: str, path: Path):
    """Import a file that is not on sys.path (tests/run.py)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ensure_environment(build: bool) -> None:
    """Use the test environment (tests/run.py installs it); build dist/ unless told not to."""
    if Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
        runner = load_module("bpx_tests_run", ROOT / "tests" / "run.py")
        runner.ensure_system()
        runner.ensure_venv()
        os.execv(str(VENV_PY), [str(VENV_PY), *sys.argv])
    if build or not (DIST / "index.html").exists():
        subprocess.run([sys.executable, str(ROOT / "build.py")], check=True, cwd=ROOT)


def serve(extra: dict[str, Path] | None = None):
    """Serve dist/ (and each URL prefix of `extra` from its folder); returns (server, URL)."""
    return server.serve(DIST, extra)


def launch(playwright):
    """Headless Debian Chromium, started as the tests start it (engines.chromium)."""
    return playwright.chromium.launch(**launch_options())


def block_outside(context) -> list[str]:
    """Abort every request of `context` that would leave the loopback interface; the returned
    list collects their URLs (it should stay empty: the site fetches nothing from elsewhere)."""
    blocked: list[str] = []

    def route(route) -> None:
        url = route.request.url
        if stays_local(url):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", route)
    return blocked
