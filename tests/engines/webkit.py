"""WebKitGTK (Safari's engine; Debian `webkit2gtk-driver`) over W3C WebDriver.

`/usr/bin/WebKitWebDriver` drives WebKitGTK's MiniBrowser, which needs an X display: the
engine starts its own Xvfb, on a display number Xvfb picks and reports (`-displayfd`). The
WebDriver protocol is plain HTTP + JSON, spoken here with the standard library. Each page is a
WebDriver session of its own (a fresh MiniBrowser), so pages share nothing.

What WebKitGTK's WebDriver cannot do here, said where it matters: it turns touch pointer
actions into mouse events (`Page.touch_arrives_as` says "mouse"), MiniBrowser's window is at least 447 CSS
px wide (its toolbar), and there are no preload scripts, so the problem recorder starts after
the page has loaded.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path
from typing import Any

from .page import RECORD_PROBLEMS, Page, key_sequence, pointer_sequence

DRIVER = Path("/usr/bin/WebKitWebDriver")
# Debian installs it under the architecture's library folder (x86_64-linux-gnu, aarch64-…).
MINIBROWSER = next(Path("/usr/lib").glob("*/webkit2gtk-4.1/MiniBrowser"), Path("MiniBrowser"))
SCRIPT_TIMEOUT_MS = 180_000
# A MiniBrowser that has not connected to the driver by then never will: under CI's load one
# start in some hundreds hangs (POST /session never answers). The engine then starts a fresh
# driver and asks once more, with a warning that names what the driver logged.
SESSION_TIMEOUT_S = 60


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebDriverError(RuntimeError):
    pass


class WebKitEngine:
    """One Xvfb and one WebKitWebDriver; `new_page()` starts a MiniBrowser session."""

    name = "webkit"

    def __init__(self, proxy_port: int, dark: bool = False) -> None:
        self._proxy_port = proxy_port
        self._dark = dark
        read, write = os.pipe()
        self._xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x1000x24", "-nolisten", "tcp"],
            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(write)
        with os.fdopen(read) as reported:
            display = reported.readline().strip()  # Xvfb writes it once the display is up
        if not display:
            raise RuntimeError(f"Xvfb exited with {self._xvfb.wait()} before it reported a display")
        self._display = display
        # The driver's and MiniBrowser's messages, for as long as the engine lives.
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close())
        self._start_driver()

    def _start_driver(self) -> None:
        port = _free_port()
        self._driver = subprocess.Popen(
            [str(DRIVER), f"--port={port}", "--host=127.0.0.1"],
            env={**os.environ, "DISPLAY": f":{self._display}"},
            stdout=self._log, stderr=self._log, start_new_session=True,
        )  # fmt: skip
        self.base = f"http://127.0.0.1:{port}"
        self._wait_for_driver()

    def _stop_driver(self) -> None:
        # The driver's process group holds the MiniBrowser it started, too.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._driver.pid, signal.SIGKILL)
        self._driver.wait(timeout=30)

    def _log_tail(self) -> str:
        self._log.seek(0)
        lines = self._log.read().decode(errors="replace").splitlines()
        return "\n".join(lines[-20:]) or "(nothing)"

    def _wait_for_driver(self) -> None:
        # The driver's /status answers once it listens; ask until it does or the driver quits.
        while True:
            try:
                if self.request("GET", "/status")["ready"]:
                    return
            except (urllib.error.URLError, ConnectionError):
                if self._driver.poll() is not None:
                    raise RuntimeError(f"{DRIVER} exited with {self._driver.returncode}") from None
                time.sleep(0.05)  # the interval between two questions, not a wait for a result

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        timeout: float = SCRIPT_TIMEOUT_MS / 1000 + 30,
    ) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.base + path, data=data, method=method,
            headers={"Content-Type": "application/json; charset=utf-8"},
        )  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=timeout) as reply:
                return json.loads(reply.read())["value"]
        except urllib.error.HTTPError as err:
            value = json.loads(err.read())["value"]
            raise WebDriverError(f"{method} {path}: {value['error']}: {value['message']}") from None

    def new_page(self) -> WebKitPage:
        args = [
            "--automation",
            # Every request off the loopback interface goes to the refusing proxy, https too
            # (as CONNECT; WebDriver's "sslProxy" capability would speak TLS to the proxy).
            f"--proxy=http://127.0.0.1:{self._proxy_port}",
            *(f"--ignore-host={host}" for host in ("127.0.0.1", "localhost", "::1")),
            *(["--dark-mode"] if self._dark else []),
        ]
        capabilities = {
            "browserName": "MiniBrowser",
            "webkitgtk:browserOptions": {"binary": str(MINIBROWSER), "args": args},
        }
        body = {"capabilities": {"alwaysMatch": capabilities}}
        try:
            session = self.request("POST", "/session", body, timeout=SESSION_TIMEOUT_S)
        except TimeoutError:
            warnings.warn(
                f"MiniBrowser did not start in {SESSION_TIMEOUT_S} s; starting WebKitWebDriver"
                f" again. It had logged:\n{self._log_tail()}",
                stacklevel=2,
            )
            self._stop_driver()
            self._start_driver()
            session = self.request("POST", "/session", body, timeout=SESSION_TIMEOUT_S)
        return WebKitPage(self, session["sessionId"])

    def close(self) -> None:
        self._driver.terminate()
        self._driver.wait(timeout=30)
        self._xvfb.terminate()
        self._xvfb.wait(timeout=30)
        self._log.close()


class WebKitPage(Page):
    engine = "webkit"

    def __init__(self, engine: WebKitEngine, session: str) -> None:
        self._engine = engine
        self._path = f"/session/{session}"
        self._call("POST", "/timeouts", {"script": SCRIPT_TIMEOUT_MS, "pageLoad": 120_000})

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        return self._engine.request(method, self._path + path, body)

    def goto(self, url: str) -> None:
        self._call("POST", "/url", {"url": url})
        self._evaluate("async () => (" + RECORD_PROBLEMS + ")()")

    def _evaluate(self, function_expression: str) -> str:
        script = (
            "const done = arguments[arguments.length - 1];"
            f" ({function_expression})().then(done, (e) => done(String(e)));"
        )
        return self._call("POST", "/execute/async", {"script": script, "args": []})

    def _pointer(self, pointer_type: str, actions: list[dict]) -> None:
        self._actions([pointer_sequence(pointer_type, actions)])

    def _keys(self, actions: list[dict]) -> None:
        self._actions([key_sequence(actions)])

    def _actions(self, sources: list[dict]) -> None:
        self._call("POST", "/actions", {"actions": sources})
        self._call("DELETE", "/actions")

    def set_viewport(self, width: int, height: int) -> None:
        # The window's outer size; the page gets what the toolbar leaves (and never less than
        # 447 px of width). Grow the window by the difference once to land on the viewport.
        self._call("POST", "/window/rect", {"width": width, "height": height})
        inner = self.evaluate("() => [innerWidth, innerHeight]")
        self._call(
            "POST", "/window/rect",
            {"width": 2 * width - inner[0], "height": 2 * height - inner[1]},
        )  # fmt: skip

    def screenshot(self, path: Path) -> None:
        path.write_bytes(base64.b64decode(self._call("GET", "/screenshot")))

    def close(self) -> None:
        self._call("DELETE", "")
