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
    background thread. Returns (server, base URL); `server.shutdown()` stops it, and
    `server.bytes_served` counts the bytes of the responses."""
    folders = dict(extra or {})
    counter = BytesServed()

    class Handler(SiteHandler):
        def send_header(self, keyword: str, value: str) -> None:
            if keyword.lower() == "content-length":
                counter.add(int(value))
            super().send_header(keyword, value)

        def translate_path(self, path: str) -> str:
            for prefix, folder in folders.items():
                if path.startswith(prefix):
                    return str(folder / path[len(prefix) :].split("?")[0])
            return super().translate_path(path)

    os.environ["BPX_QUIET"] = "1"
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(directory))
    )
    server.bytes_served = counter  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


class BytesServed:
    """The response bytes the server has announced (Content-Length) since the last `take()`:
    what a page downloaded, counted the same way for every engine (bench/run.py)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._bytes = 0

    def add(self, n: int) -> None:
        with self._lock:
            self._bytes += n

    def take(self) -> int:
        with self._lock:
            taken, self._bytes = self._bytes, 0
        return taken
