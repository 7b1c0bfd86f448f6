"""Firefox ESR (Debian `firefox-esr`) over WebDriver BiDi, spoken directly over a WebSocket.

Firefox's Remote Agent is started with `--remote-debugging-port=0`; it prints the address it
listens on, and the client below sends BiDi commands there (no geckodriver, no browser
download). Each page is a tab in a user context of its own, so pages share nothing. Firefox
runs headless; its profile sends every non-loopback request to the refusing proxy.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from .page import RECORD_PROBLEMS, Page, key_sequence, pointer_sequence

FIREFOX = Path("/usr/bin/firefox-esr")
LISTENING = re.compile(r"WebDriver BiDi listening on (ws://\S+)")
COMMAND_TIMEOUT_S = 180


def _prefs(proxy_port: int, dark: bool) -> dict[str, Any]:
    return {
        # Every request off the loopback interface goes to the refusing proxy (loopback never
        # does: network.proxy.allow_hijacking_localhost stays false).
        "network.proxy.type": 1,
        "network.proxy.http": "127.0.0.1",
        "network.proxy.http_port": proxy_port,
        "network.proxy.ssl": "127.0.0.1",
        "network.proxy.ssl_port": proxy_port,
        "network.proxy.no_proxies_on": "",
        "network.proxy.allow_hijacking_localhost": False,
        # The browser's own background traffic, off (the Remote Agent's recommended
        # preferences cover most of it; these are what it leaves on).
        "app.normandy.enabled": False,
        "messaging-system.rsexperimentloader.enabled": False,
        "services.settings.server": "http://127.0.0.1:9/",
        "browser.region.network.url": "",
        "media.gmp-manager.updateEnabled": False,
        "media.gmp-manager.url": "http://127.0.0.1:9/",
        "browser.safebrowsing.update.enabled": False,
        "browser.safebrowsing.malware.enabled": False,
        "browser.safebrowsing.phishing.enabled": False,
        "browser.safebrowsing.blockedURIs.enabled": False,
        "browser.safebrowsing.downloads.remote.enabled": False,
        "browser.safebrowsing.provider.google4.updateURL": "",
        "browser.safebrowsing.provider.mozilla.updateURL": "",
        "network.dns.disablePrefetch": True,
        "network.prefetch-next": False,
        # prefers-color-scheme (0 dark, 1 light), and the system theme that scrollbars and
        # form controls are drawn in, as on a machine set to dark mode.
        "layout.css.prefers-color-scheme.content-override": 0 if dark else 1,
        "ui.systemUsesDarkTheme": 1 if dark else 0,
    }


class FirefoxEngine:
    """One Firefox process; `new_page()` opens an isolated tab."""

    name = "firefox"

    def __init__(self, proxy_port: int, dark: bool = False) -> None:
        self._profile = Path(tempfile.mkdtemp(prefix="bpx-firefox-"))
        prefs = _prefs(proxy_port, dark)
        (self._profile / "user.js").write_text(
            "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in prefs.items())
        )
        self._process = subprocess.Popen(
            [str(FIREFOX), "--headless", "--no-remote", "--profile", str(self._profile),
             "--remote-debugging-port=0", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            # Release builds take services.settings.server only with this set.
            env={**os.environ, "MOZ_REMOTE_SETTINGS_DEVTOOLS": "1"},
        )  # fmt: skip
        address = self._listening_address()
        self._connection = contextlib.ExitStack()
        self._ws: ClientConnection = self._connection.enter_context(
            connect(address + "/session", max_size=None)
        )
        self._ids = itertools.count(1)
        self._listeners: dict[str, list] = {}
        self._errors: dict[str, list[str]] = {}
        self.command("session.new", {"capabilities": {"alwaysMatch": {}}})
        self.command("session.subscribe", {"events": ["log.entryAdded"]})
        self._on("log.entryAdded", self._log_entry)

    def _listening_address(self) -> str:
        assert self._process.stderr is not None
        for line in self._process.stderr:
            match = LISTENING.search(line)
            if match:
                # Keep draining Firefox's log so it never blocks on a full pipe.
                threading.Thread(target=self._process.stderr.read, daemon=True).start()
                return match.group(1)
        raise RuntimeError(f"{FIREFOX} exited with {self._process.wait()} before listening")

    # -- BiDi -------------------------------------------------------------------------------
    def command(self, method: str, params: dict) -> dict:
        """Send one BiDi command and return its result; events that arrive meanwhile are
        handed to their listeners."""
        ident = next(self._ids)
        self._ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self._ws.recv(timeout=COMMAND_TIMEOUT_S))
            if message.get("id") == ident:
                if message.get("type") == "error":
                    raise RuntimeError(f"{method}: {message['error']}: {message['message']}")
                return message["result"]
            for listener in self._listeners.get(message.get("method", ""), []):
                listener(message["params"])

    def _on(self, event: str, listener) -> None:
        self._listeners.setdefault(event, []).append(listener)

    def _log_entry(self, entry: dict) -> None:
        # Uncaught exceptions anywhere in a tab (page or its worker); console output is not
        # a problem by itself.
        if entry.get("type") == "javascript" and entry.get("level") == "error":
            context = entry.get("source", {}).get("context", "")
            self._errors.setdefault(context, []).append(f"uncaught error: {entry.get('text')}")

    def new_page(self) -> FirefoxPage:
        user_context = self.command("browser.createUserContext", {})["userContext"]
        context = self.command(
            "browsingContext.create", {"type": "tab", "userContext": user_context}
        )["context"]
        return FirefoxPage(self, context, user_context)

    def close(self) -> None:
        # Firefox may close the socket as it quits, before it answers.
        with contextlib.suppress(ConnectionClosed):
            self.command("browser.close", {})
        self._connection.close()
        self._process.wait(timeout=30)
        shutil.rmtree(self._profile, ignore_errors=True)


class FirefoxPage(Page):
    engine = "firefox"

    def __init__(self, engine: FirefoxEngine, context: str, user_context: str) -> None:
        self._engine = engine
        self._context = context
        self._user_context = user_context
        engine.command(
            "script.addPreloadScript",
            {"functionDeclaration": RECORD_PROBLEMS, "userContexts": [user_context]},
        )

    def goto(self, url: str) -> None:
        self._engine.command(
            "browsingContext.navigate", {"context": self._context, "url": url, "wait": "complete"}
        )

    def _evaluate(self, function_expression: str) -> str:
        result = self._engine.command(
            "script.callFunction",
            {
                "functionDeclaration": function_expression,
                "awaitPromise": True,
                "target": {"context": self._context},
            },
        )
        if result["type"] == "exception":
            raise RuntimeError(result["exceptionDetails"]["text"])
        return result["result"]["value"]

    def _pointer(self, pointer_type: str, actions: list[dict]) -> None:
        self._actions([pointer_sequence(pointer_type, actions)])

    def _keys(self, actions: list[dict]) -> None:
        self._actions([key_sequence(actions)])

    def _actions(self, sources: list[dict]) -> None:
        self._engine.command("input.performActions", {"context": self._context, "actions": sources})
        self._engine.command("input.releaseActions", {"context": self._context})

    def set_viewport(self, width: int, height: int) -> None:
        self._engine.command(
            "browsingContext.setViewport",
            {"context": self._context, "viewport": {"width": width, "height": height}},
        )

    def screenshot(self, path: Path) -> None:
        data = self._engine.command(
            "browsingContext.captureScreenshot", {"context": self._context, "origin": "document"}
        )["data"]
        path.write_bytes(base64.b64decode(data))

    def _engine_problems(self) -> list[str]:
        return list(self._engine._errors.get(self._context, []))

    def close(self) -> None:
        self._engine.command("browsingContext.close", {"context": self._context})
        self._engine.command("browser.removeUserContext", {"userContext": self._user_context})
