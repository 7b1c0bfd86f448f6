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
from across import CLICK_POINT, RENDERED, apply_preset, click_connection, finish

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


AHEAD_DONE = "() => document.body.dataset.ahead === document.body.dataset.rendered"


def test_neighbours_typeset_ahead_change_nothing_and_a_click_on_one_draws_python_s_derivation(
    tab,
) -> None:
    """Issue 18 item 3: once a selection is drawn, its neighbours' derivations are typeset in
    idle time (body[data-ahead] names the render they were prepared for). That asks Python
    only questions: the State, the page and its render count stay as they were; a click on a
    prepared neighbour then draws the derivation CPython gives, formula for formula."""
    from backprop_explorer import Session

    apply_preset(tab, "deep")  # a network none of whose formulas are typeset yet
    click_connection(tab, "2-2-1")
    # right after the render, before its neighbours are prepared: what must stay as it is
    state, rendered, html = tab.evaluate(
        f"() => [backpropExplorer.getState(), ({RENDERED})(), ({SHOWN})().html]"
    )
    assert tab.evaluate("() => document.body.dataset.ahead") != str(rendered), tab.engine
    tab.wait_for(AHEAD_DONE)
    assert tab.evaluate(f"() => ({RENDERED})()") == rendered, tab.engine
    assert tab.evaluate("() => backpropExplorer.getState()") == state, tab.engine
    assert tab.evaluate(f"() => ({SHOWN})().html") == html, tab.engine
    # the next connection into the same neuron: the first neighbour prepared
    other = {"layer": 2, "to": 2, "from": 2}
    click_connection(tab, "2-2-2")
    shown = tab.evaluate(SHOWN)
    assert shown["selected"] == other, tab.engine
    session = Session(state)
    session.select(other)
    want = [None if s.get("table") else s["tex"] for s in session.derivation()["steps"]]
    assert shown["latex"] == want, tab.engine
