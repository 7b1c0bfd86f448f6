"""What bench/run.py and bench/soak.py share: the environment, the server and the browser.

Standard library only at import time: the scripts import it before they re-run themselves in
the test environment (.venv), where Playwright is.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))  # the build's package

from sitebuild.server import Handler as SiteHandler

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
VENV_PY = ROOT / ".venv" / "bin" / "python"
CHROMIUM = Path("/usr/bin/chromium")
LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}


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
    """Serve dist/ on an ephemeral 127.0.0.1 port with the build's handler, and each URL prefix
    of `extra` (e.g. "/bench/") from its folder. Returns (server, base URL)."""
    folders = dict(extra or {})

    class Handler(SiteHandler):
        def translate_path(self, path: str) -> str:
            for prefix, folder in folders.items():
                if path.startswith(prefix):
                    return str(folder / path[len(prefix) :].split("?")[0])
            return super().translate_path(path)

    os.environ["BPX_QUIET"] = "1"
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(DIST))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def launch(playwright):
    """Headless Chromium: Debian's when present (Playwright cannot download browsers here)."""
    options = {"executable_path": str(CHROMIUM)} if CHROMIUM.exists() else {}
    return playwright.chromium.launch(**options, args=["--no-sandbox", "--disable-gpu"])


def block_outside(context) -> list[str]:
    """Abort every request of `context` that would leave the loopback interface; the returned
    list collects their URLs (it should stay empty: the site fetches nothing from elsewhere)."""
    blocked: list[str] = []

    def route(route) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:")) or (urlparse(url).hostname or "") in LOOPBACK:
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", route)
    return blocked
