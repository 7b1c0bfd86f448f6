"""Fixtures for driving the built site (dist/) in headless Chromium.

The site is served from 127.0.0.1 by the build's own handler (sitebuild.server). Every request
to any other host is aborted and recorded; each test fails if one was attempted.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from across import checked_page, finish

from engines import ENGINES, RefusingProxy, open_engine
from engines.chromium import launch_options
from engines.guard import stays_local
from engines.server import serve
from sitebuild.dist import build

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
BOOT_TIMEOUT_MS = 60_000


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def site_url() -> str:
    """Serve dist/ on an ephemeral loopback port for the whole session."""
    if not (DIST / "index.html").exists():
        build()
    server, url = serve(DIST, {"/test-pages/": ROOT / "tests" / "engines" / "pages"})
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium, with its background traffic off (see engines.chromium)."""
    return {**browser_type_launch_args, **launch_options()}


class OutsideRequests:
    """Aborts and records every request that leaves the loopback interface, and records every
    Content-Security-Policy violation the browser reports (our own pages must cause none)."""

    def __init__(self) -> None:
        self.blocked: list[str] = []
        self.csp: list[str] = []

    def console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.csp.append(message.text)

    def check(self) -> None:
        assert self.blocked == [], f"requests left 127.0.0.1: {self.blocked}"
        assert self.csp == [], f"Content-Security-Policy violations: {self.csp}"

    def route(self, route) -> None:
        url = route.request.url
        if stays_local(url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()


def guard_context(context) -> OutsideRequests:
    guard = OutsideRequests()
    context.route("**/*", guard.route)
    context.on("console", guard.console)
    return guard


READY = "() => document.body.classList.contains('ready')"


def wait_ready(page) -> None:
    """Wait until the app is ready, with a time limit (awaiting `backpropExplorer.ready`
    directly would wait forever on a page that never finishes booting)."""
    page.wait_for_function("() => window.backpropExplorer && true", timeout=BOOT_TIMEOUT_MS)
    page.wait_for_function(READY, timeout=BOOT_TIMEOUT_MS)


@contextlib.contextmanager
def booted_page(browser, url: str, **context_options):
    """A page of its own context (`context_options`: viewport, has_touch, …) at `url`, booted,
    with the network guard; checked when the block ends."""
    context = browser.new_context(**context_options)
    guard = guard_context(context)
    page = context.new_page()
    page.goto(url)
    wait_ready(page)
    yield page
    context.close()
    guard.check()


@pytest.fixture
def fresh_page(browser, site_url):
    """A new context and page with the network guard; the app is booted and ready."""
    context = browser.new_context()
    guard = guard_context(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(site_url)
    wait_ready(page)
    yield page
    context.close()
    guard.check()
    assert errors == [], f"uncaught page errors: {errors}"


@pytest.fixture(scope="module")
def app(browser, site_url):
    """One booted page shared by a module's tests (Python boots once); reset between tests."""
    context = browser.new_context()
    guard = guard_context(context)
    page = context.new_page()
    page.goto(site_url)
    wait_ready(page)
    page.bpx_default = page.evaluate("backpropExplorer.getState()")
    yield page
    context.close()
    guard.check()


@pytest.fixture
def explorer(app):
    """The shared page, put back in its default State before the test."""
    app.evaluate("(s) => backpropExplorer.setState(s)", app.bpx_default)
    return app


# The engines of tests/engines, for the tests written once for all three (test_engines*.py).


@pytest.fixture(scope="session")
def proxy():
    guard = RefusingProxy()
    yield guard
    guard.close()


@pytest.fixture(scope="session", params=ENGINES)
def engine(request, proxy):
    browser = request.getfixturevalue("browser") if request.param == "chromium" else None
    with open_engine(request.param, proxy, playwright_browser=browser) as started:
        yield started


@pytest.fixture
def tab(engine, proxy, site_url):
    """A booted page of the served site in `engine`, checked when the test is done."""
    opened = checked_page(engine, proxy, site_url)
    yield opened
    finish(opened, proxy)
