"""The dev server: dist/ on 127.0.0.1 with the MIME types Pyodide needs, never cached."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
from typing import ClassVar

from sitebuild.project import DIST, log


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder (pass ``directory``) with wasm, module and zip MIME types, and tells the
    browser to revalidate every file; quiet when BPX_QUIET=1 (the tests and benchmarks)."""

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".whl": "application/zip",
        ".zip": "application/zip",
    }

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:
        if os.environ.get("BPX_QUIET") != "1":
            super().log_message(format, *args)


def serve(port: int) -> None:
    """Serve dist/ at http://127.0.0.1:port/ until Ctrl+C."""
    handler = functools.partial(Handler, directory=str(DIST))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as httpd:
        log(f"serving dist/ at http://127.0.0.1:{port}/ (Ctrl+C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            httpd.serve_forever()
