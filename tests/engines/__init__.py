"""One browser harness for the engines students use: Chromium, Firefox ESR and WebKitGTK.

    with open_engine("firefox", proxy) as engine:
        page = engine.new_page()
        page.goto(url); page.wait_ready()
        page.evaluate("() => backpropExplorer.gradients()")

Every engine comes from a Debian package (`chromium`, `firefox-esr`, `webkit2gtk-driver` with
`xvfb`) and is driven by what works without downloading a browser: Playwright for Chromium,
WebDriver BiDi for Firefox, W3C WebDriver for WebKitGTK. A test is written once against
`page.Page`; `guard.RefusingProxy` refuses and records every request that would leave
127.0.0.1, in all three.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from .guard import RefusingProxy
from .page import EvaluateError, Page

ENGINES = ("chromium", "firefox", "webkit")

__all__ = ["ENGINES", "EvaluateError", "Page", "RefusingProxy", "open_engine"]


@contextlib.contextmanager
def open_engine(
    name: str, proxy: RefusingProxy, *, dark: bool = False, playwright_browser: Any = None
) -> Iterator[Any]:
    """Start engine `name` with every non-loopback request sent to `proxy`; Chromium needs
    the Playwright browser to open its pages in."""
    if name == "chromium":
        from .chromium import ChromiumEngine

        engine: Any = ChromiumEngine(playwright_browser, proxy.port, dark)
    elif name == "firefox":
        from .firefox import FirefoxEngine

        engine = FirefoxEngine(proxy.port, dark)
    elif name == "webkit":
        from .webkit import WebKitEngine

        engine = WebKitEngine(proxy.port, dark)
    else:
        raise ValueError(f"unknown engine {name!r}; one of {', '.join(ENGINES)}")
    try:
        yield engine
    finally:
        engine.close()
