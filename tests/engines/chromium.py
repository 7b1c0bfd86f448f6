"""Chromium (Debian `chromium`) through Playwright, behind the same `Page` as the other engines.

The browser is pytest-playwright's (started with `launch_options()` by tests/browser/conftest.py);
each page gets a context of its own with the refusing proxy and touch enabled, so a finger's
tap reaches the page as pointerType "touch". Playwright's own request routing and console
events remain available to the Chromium-only suites; here the proxy is the guard, as in the
other engines.
"""

from __future__ import annotations

from pathlib import Path

from .page import KEYS, RECORD_PROBLEMS, Page

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Chromium asks Google for autofill hints even so; the refusing proxy would see it.
    "--disable-features=AutofillServerCommunication",
]


def launch_options() -> dict:
    """Playwright's launch options for Debian's Chromium (Playwright cannot download one here);
    the tests' pytest-playwright browser and bench/ both start it with these."""
    options: dict = {"args": list(LAUNCH_ARGS)}
    if CHROMIUM.exists():
        options["executable_path"] = str(CHROMIUM)
    return options


class ChromiumEngine:
    """Pages in the Playwright `browser` given; `close()` leaves the browser to its owner."""

    name = "chromium"

    def __init__(self, browser, proxy_port: int, dark: bool = False) -> None:
        self._browser = browser
        self._proxy = f"http://127.0.0.1:{proxy_port}"
        self._dark = dark

    def new_page(self) -> ChromiumPage:
        context = self._browser.new_context(
            # Playwright sends loopback through a context's proxy unless told otherwise.
            proxy={"server": self._proxy, "bypass": "127.0.0.1,localhost,[::1]"},
            has_touch=True,
            color_scheme="dark" if self._dark else "light",
        )
        context.add_init_script(f"({RECORD_PROBLEMS})()")
        return ChromiumPage(context)

    def close(self) -> None:
        """Nothing to do: the pages' contexts are closed by their pages."""


class ChromiumPage(Page):
    engine = "chromium"

    def __init__(self, context) -> None:
        self._context = context
        self._page = context.new_page()
        self._errors: list[str] = []
        self._page.on("pageerror", lambda err: self._errors.append(f"uncaught error: {err}"))

    def goto(self, url: str) -> None:
        self._page.goto(url)

    def _evaluate(self, function_expression: str) -> str:
        return self._page.evaluate(f"({function_expression})()")

    def _pointer(self, pointer_type: str, actions: list[dict]) -> None:
        # Playwright has no W3C action API: replay the two gestures Page makes (a mouse moved to
        # a point; a press at a point: move, down, up), and refuse any other rather than replay
        # it wrongly.
        if pointer_type == "mouse" and [a["type"] for a in actions] == ["pointerMove"]:
            self._page.mouse.move(actions[0]["x"], actions[0]["y"])
            return
        if [a["type"] for a in actions] != ["pointerMove", "pointerDown", "pointerUp"]:
            raise ValueError(f"only a press at a point is replayed in Chromium, not {actions}")
        move = actions[0]
        if pointer_type == "touch":
            self._page.touchscreen.tap(move["x"], move["y"])
        else:
            self._page.mouse.click(move["x"], move["y"])

    def _keys(self, actions: list[dict]) -> None:
        names = {value: name for name, value in KEYS.items()}
        for action in actions:
            key = names.get(action["value"], action["value"])
            if action["type"] == "keyDown":
                self._page.keyboard.down(key)
            else:
                self._page.keyboard.up(key)

    def set_viewport(self, width: int, height: int) -> None:
        self._page.set_viewport_size({"width": width, "height": height})

    def screenshot(self, path: Path) -> None:
        self._page.screenshot(path=str(path), full_page=True)

    def _engine_problems(self) -> list[str]:
        return list(self._errors)

    def close(self) -> None:
        self._context.close()
