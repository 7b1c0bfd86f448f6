"""A click before Python is up (issue 18, item 1), in every engine: the served site with the
numpy wheel held back by the server until the test lets it go (a signal, not a sleep), so
Python cannot be ready when the connection is clicked. The click is answered at once from the
views the build pre-rendered; once Python is up it holds the State on screen, nothing is
drawn again, and the derivation Python then gives has the same LaTeX and the same DOM.
"""

from __future__ import annotations

import functools
import http.server
import threading

import pytest
from across import CLICK_POINT, RENDERED, finish

from sitebuild.project import DIST
from sitebuild.server import Handler

SHOWN = """() => ({
  latex: [...document.querySelectorAll('#derivation .step')].map((step) =>
    step.querySelector('table') ? null : step.querySelector('mjx-container [data-latex]').dataset.latex),
  html: document.querySelector('#derivation').innerHTML,
  pick: document.querySelector('#pick').textContent,
  selected: backpropExplorer.getState().selected,
})"""


@pytest.fixture
def held_site():
    """dist/ served with every request for the numpy wheel held until `release` is set."""
    release = threading.Event()
    asked = threading.Event()

    class Held(Handler):
        def do_GET(self) -> None:
            if "/pyodide/numpy-" in self.path:
                asked.set()
                release.wait(120)
            super().do_GET()

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Held, directory=str(DIST))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", asked, release
    release.set()
    server.shutdown()
    server.server_close()


def test_a_click_before_python_is_up_shows_the_derivation_python_then_gives(
    engine, proxy, held_site
) -> None:
    url, asked, release = held_site
    page = engine.new_page()
    try:
        page.goto(url)
        assert asked.wait(60), f"{page.engine}: the numpy wheel was never asked for"
        page.wait_for(f"() => ({RENDERED})() >= 1")  # the pre-rendered opening view
        assert page.evaluate("() => document.body.dataset.python") == "starting"
        point = page.evaluate(CLICK_POINT, "2-1-2")
        assert point is not None, f"{page.engine}: connection 2-1-2 has no visible point"
        before = page.evaluate(RENDERED)
        page.click(point["x"], point["y"])
        page.wait_for(f"(n) => ({RENDERED})() > n", before)
        assert page.evaluate("() => document.body.dataset.python") == "starting"
        ahead = page.evaluate(SHOWN)
        assert ahead["selected"] == {"layer": 2, "to": 1, "from": 2}
        assert ahead["pick"].startswith("w⁽²⁾₁,₂ selected: ∂𝓛/∂w = ")
        drawn = page.evaluate(RENDERED)
        page.evaluate("() => { window.bpxAheadSteps = document.querySelector('#derivation ol'); }")

        release.set()
        page.wait_ready()
        assert page.evaluate(SHOWN) == ahead  # Python holds the same State, nothing redrawn
        assert page.evaluate(RENDERED) == drawn
        assert page.evaluate(
            "() => document.querySelector('#derivation ol') === window.bpxAheadSteps"
        )
        # Python's own answer for that weight, drawn afresh: the same LaTeX and the same DOM.
        page.evaluate("() => backpropExplorer.select({layer: 1, to: 1, from: 1})")
        result = page.evaluate("() => backpropExplorer.select({layer: 2, to: 1, from: 2})")
        assert [tex for tex in ahead["latex"] if tex] == [
            tex for tex, shown in zip(result["latex"], ahead["latex"], strict=True) if shown
        ]
        assert page.evaluate(SHOWN) == ahead
    except BaseException:
        page.close()
        raise
    finish(page, proxy)
