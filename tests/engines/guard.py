"""The network guard every engine shares: an HTTP proxy on 127.0.0.1 that refuses and records.

Each browser is started with this proxy for every request that does not go to the loopback
interface (Chromium and WebKitGTK bypass the proxy for loopback by default, Firefox because
`network.proxy.allow_hijacking_localhost` is off). So any request that would leave 127.0.0.1 —
from the page, a worker, the browser itself — reaches the proxy instead, which answers
`403 Forbidden`, records where it was going, and never connects anywhere. A test then asserts
that the record is empty. Requests to `data:`, `blob:` and `file:` URLs never reach a proxy.
"""

from __future__ import annotations

import socketserver
import threading
from urllib.parse import urlparse

LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}


def stays_local(url: str) -> bool:
    """Whether a request for `url` stays on this machine: loopback, data: or blob:."""
    return url.startswith(("data:", "blob:")) or (urlparse(url).hostname or "") in LOOPBACK


class RefusingProxy:
    """A proxy server that records the target of every request and refuses it."""

    def __init__(self) -> None:
        self.attempts: list[str] = []
        self._lock = threading.Lock()
        proxy = self

        class Refuse(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                line = self.rfile.readline(8192).decode("latin-1").strip()
                # "CONNECT host:443 HTTP/1.1" (https) or "GET http://host/path HTTP/1.1".
                parts = line.split()
                if len(parts) >= 2:
                    proxy.record(parts[1])
                self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")

        socketserver.ThreadingTCPServer.daemon_threads = True
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Refuse)
        self.port: int = self._server.server_address[1]
        self.address = f"127.0.0.1:{self.port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def record(self, target: str) -> None:
        with self._lock:
            self.attempts.append(target)

    def take(self) -> list[str]:
        """The targets recorded since the last call (and forget them)."""
        with self._lock:
            taken, self.attempts = self.attempts, []
        return taken

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
