"""dist/ served on an ephemeral 127.0.0.1 port with the build's own handler (the MIME types and
headers of `python3 build.py --serve`), for the tests and for bench/."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

from sitebuild.server import Handler as SiteHandler


def serve(directory: Path, extra: dict[str, Path] | None = None):
    """Serve `directory`, and each URL prefix of `extra` (e.g. "/bench/") from its folder, in a
    background thread. Returns (server, base URL); `server.shutdown()` stops it."""
    folders = dict(extra or {})

    class Handler(SiteHandler):
        def translate_path(self, path: str) -> str:
            for prefix, folder in folders.items():
                if path.startswith(prefix):
                    return str(folder / path[len(prefix) :].split("?")[0])
            return super().translate_path(path)

    os.environ["BPX_QUIET"] = "1"
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(directory))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"
