"""The built site in every engine students use: Chromium, Firefox ESR and WebKitGTK (Safari's).

Each test runs once per engine through the one harness in tests/engines/: the same clicks,
taps and keys, the same checks against independent references (the scalar autodiff of
tests/reference.py, CPython's Session, the golden messages). Every page is checked at the end
for Content-Security-Policy violations and uncaught errors, and the refusing proxy for any
request that tried to leave 127.0.0.1.
"""

from __future__ import annotations

import itertools
import json
import math
import os
from pathlib import Path

import pytest
from across import CLICK_POINT, act_and_render, apply_preset, checked_page, click_connection, finish
from test_accessibility import CLEAR_SPOT
from test_explorer_page import expected_roles

from backprop_explorer import Session
from backprop_explorer.presets import PRESETS
from conftest import DIST, ROOT
from engines import open_engine
from reference import autodiff_gradients, independent_steps, rel_close, without_check

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "bad-inputs.jsonl"
ROLES = """() => Object.fromEntries([...document.querySelectorAll('#diagram [data-role]')]
  .map((e) => [e.dataset.weight || e.dataset.neuron, e.dataset.role]))"""
MATHML = """() => [...document.querySelectorAll('#derivation mjx-assistive-mml')]
  .map((e) => e.textContent).join(' ')"""
LABELS = "() => [...document.querySelectorAll('#derivation .step-label')].map((e) => e.textContent)"


def flat(weights: list) -> list[float]:
    return [w for W in weights for row in W for w in row]


def test_the_guard_catches_a_request_that_leaves(engine, proxy) -> None:
    """The network check of every test can fail: a page without our CSP reaches the proxy."""
    page = engine.new_page()
    page.goto("about:blank")
    page.evaluate("() => fetch('http://guard-check.invalid/').catch(() => 'refused')")
    page.close()
    assert proxy.take() == ["http://guard-check.invalid/"]


def test_starts_and_computes_what_cpython_computes(tab) -> None:
    state = tab.evaluate("() => backpropExplorer.getState()")
    got = tab.evaluate("() => backpropExplorer.gradients()")
    want = Session(state).gradients()
    assert math.isclose(got["loss"], want["loss"], rel_tol=1e-12)
    assert all(
        rel_close(a, b, rel=1e-12, abs_=1e-15)
        for a, b in zip(flat(got["weights"]), flat(want["weights"]), strict=True)
    )
    assert tab.evaluate("() => document.body.dataset.python") == "ready"
    assert tab.evaluate("() => document.querySelectorAll('#diagram [data-weight]').length") == 9


@pytest.mark.parametrize("name", list(PRESETS))
def test_clicking_every_connection_marks_roles_and_derives_the_gradient(tab, name) -> None:
    apply_preset(tab, name)
    state = tab.evaluate("() => backpropExplorer.getState()")
    layers = state["layers"]
    reference = autodiff_gradients(state)["weights"]
    for l in range(1, len(layers)):
        for j, k in itertools.product(range(1, layers[l] + 1), range(1, layers[l - 1] + 1)):
            click_connection(tab, f"{l}-{j}-{k}")
            sel = {"layer": l, "to": j, "from": k}
            assert tab.evaluate("() => backpropExplorer.getState().selected") == sel
            roles = {key: set(words.split()) for key, words in tab.evaluate(ROLES).items()}
            assert roles == expected_roles(layers, l, j, k), (tab.engine, l, j, k)
            labels = tab.evaluate(LABELS)
            assert labels[:2] == ["BP3", "BP2"] and "BP1" in labels
            assert tab.evaluate("() => document.querySelectorAll('#derivation merror').length") == 0
            result = tab.evaluate("(s) => backpropExplorer.select(s)", sel)
            assert result["pathCount"] == math.prod(layers[l + 1 :])
            want = reference[l - 1][j - 1][k - 1]
            assert math.isclose(result["gradient"], want, rel_tol=1e-12, abs_tol=1e-15)


def test_the_three_notations_are_typeset(tab) -> None:
    apply_preset(tab, "deep")
    sel = {"layer": 1, "to": 2, "from": 1}
    tab.evaluate("(s) => backpropExplorer.select(s)", sel)
    state = tab.evaluate("() => backpropExplorer.getState()")
    marks = {"einstein": "\u22c5", "vector": "\u2299", "explicit": "\u2211"}
    for notation, mark in marks.items():
        act_and_render(
            tab, lambda n=notation: tab.click_element(f"input[name=notation][value={n}]")
        )
        assert tab.evaluate("() => backpropExplorer.getState().notation") == notation
        typeset = tab.evaluate(
            "() => ({formulas: document.querySelectorAll('#derivation mjx-container svg').length,"
            " errors: document.querySelectorAll('#derivation merror').length})"
        )
        assert typeset["formulas"] >= 5 and typeset["errors"] == 0, (notation, typeset)
        assert mark in tab.evaluate(MATHML), (tab.engine, notation)
        result = tab.evaluate("(s) => backpropExplorer.select(s)", sel)
        cpython = Session({**state, "notation": notation, "selected": sel}).derivation()
        want = without_check([step["tex"] for step in cpython["steps"]])
        assert without_check(result["latex"]) == want


def test_three_steps_are_three_independent_gradient_descent_steps(tab) -> None:
    act_and_render(tab, lambda: tab.click_element(".views [data-view='training']"))
    start = tab.evaluate("() => backpropExplorer.getState()")
    assert start["view"] == "training"
    want = independent_steps(start, 3)
    for i in range(3):
        act_and_render(tab, lambda: tab.click_element("#step-button"))
        points = tab.evaluate("() => document.querySelector('#loss-plot').dataset.points")
        assert points == str(i + 2)
    got = flat(tab.evaluate("() => backpropExplorer.getState().weights"))
    assert all(
        rel_close(a, b, rel=1e-12, abs_=1e-15)
        for a, b in zip(got, flat(want[-1]["weights"]), strict=True)
    )
    losses = tab.evaluate(
        "() => [1, 2, 3].map((i) => document.querySelector("
        "`#history-table tr[data-step='${i}'] td`).textContent)"
    )
    assert losses == [f"{w['loss']:.4f}" for w in want]


def test_a_permalink_restores_the_same_state(engine, proxy, site_url) -> None:
    first = checked_page(engine, proxy, site_url)
    first.evaluate(
        "async () => { await backpropExplorer.preset('special');"
        " await backpropExplorer.setState({notation: 'vector', seed: 99});"
        " await backpropExplorer.edit('weights[1][0][2]', '0.123456789');"
        " await backpropExplorer.select({layer: 2, to: 1, from: 3}); }"
    )
    state = first.evaluate("() => backpropExplorer.getState()")
    link = first.wait_for("() => location.hash.includes('state=v1.') && location.href")
    finish(first, proxy)

    second = checked_page(engine, proxy, link)
    assert second.evaluate("() => backpropExplorer.getState()") == state
    selected = "#diagram [data-role~='selected-weight']"
    assert second.evaluate(f'() => document.querySelector("{selected}").dataset.weight') == "2-1-3"
    assert second.evaluate("() => document.querySelector('#status').hidden") is True
    finish(second, proxy)


def test_a_bad_number_is_named_where_the_user_looks_and_changes_nothing(tab) -> None:
    messages = {
        (entry := json.loads(line))["case"]: entry["message"]
        for line in GOLDEN.read_text(encoding="utf-8").splitlines()
    }
    message = messages['edit input[0] "1,5"']
    state = tab.evaluate("() => backpropExplorer.getState()")
    field = "#numbers [data-field='input[0]']"
    tab.click_element(field)
    tab.evaluate("(sel) => document.querySelector(sel).select()", field)
    tab.type("1,5")
    tab.press("Enter")
    tab.wait_for("(m) => document.querySelector('#status').textContent === m", message)
    shown = tab.evaluate(
        """(sel) => { const f = document.querySelector(sel);
             return {invalid: f.getAttribute('aria-invalid'),
                     described: f.getAttribute('aria-describedby').split(' ')
                       .map((id) => document.getElementById(id).textContent)}; }""",
        field,
    )
    assert shown["invalid"] == "true"
    assert message.startswith("Input x₁: ") and message in shown["described"]
    assert tab.evaluate("() => backpropExplorer.getState()") == state


def test_the_single_file_works_from_disk(engine, proxy, site_url) -> None:
    served = checked_page(engine, proxy, site_url)
    sel = {"layer": 1, "to": 3, "from": 2}
    want = served.evaluate("(s) => backpropExplorer.select(s)", sel)
    finish(served, proxy)

    page = checked_page(engine, proxy, (DIST / "backprop-explorer.html").as_uri())
    assert page.evaluate("() => location.protocol") == "file:"
    got = page.evaluate("(s) => backpropExplorer.select(s)", sel)
    assert got["gradient"] == want["gradient"] and got["latex"] == want["latex"]
    assert page.evaluate("() => document.querySelectorAll('#derivation mjx-container').length") > 5
    finish(page, proxy)


def test_a_tap_on_a_phone_selects_a_connection(tab) -> None:
    arrives_as = tab.touch_arrives_as()
    if arrives_as != "touch":
        pytest.skip(
            f"{tab.engine} cannot emulate a finger: its tap reaches the page as {arrives_as}"
        )
    tab.set_viewport(360, 740)
    tab.wait_for("() => innerWidth === 360")
    apply_preset(tab, "deep")
    # pinned above what it links to, Deep runs down the phone at a readable size (its box
    # scrolls)
    tab.wait_for("() => document.querySelector('#diagram').dataset.layout === 'down'")
    tab.evaluate(
        "() => document.querySelector(\"#diagram [data-weight='2-3-3']\").scrollIntoView("
        "{block: 'center'})"
    )
    # some connections pass within 7 px of another where they cross (a tap there lists them,
    # test_accessibility); this one has a finger's width to itself
    spot = tab.evaluate(CLEAR_SPOT, "2-3-3")
    assert spot["clear"] >= 12
    act_and_render(tab, lambda: tab.tap(spot["x"], spot["y"]))
    assert tab.evaluate("() => backpropExplorer.getState().selected") == {
        "layer": 2,
        "to": 3,
        "from": 3,
    }
    announced = tab.evaluate("() => document.querySelector('#announce').textContent")
    assert announced.startswith("Selected weight w(2)3,3 = ")


SHOTS = Path(os.environ.get("BPX_SCREENSHOTS", ROOT / "test-results" / "screenshots")) / "engines"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_at_phone_tablet_and_desktop_widths(request, engine, proxy, site_url, scheme):
    """Screenshots to look at (each engine, light and dark, 360/800/1280 px, both views); the
    page must never scroll sideways and must follow the colour scheme."""
    browser = request.getfixturevalue("browser") if engine.name == "chromium" else None
    SHOTS.mkdir(parents=True, exist_ok=True)
    with open_engine(engine.name, proxy, dark=scheme == "dark", playwright_browser=browser) as own:
        page = checked_page(own, proxy, site_url)
        dark = page.evaluate("() => matchMedia('(prefers-color-scheme: dark)').matches")
        assert dark is (scheme == "dark")
        page.evaluate(
            "async () => { await backpropExplorer.preset('deep');"
            " await backpropExplorer.select({layer: 1, to: 2, from: 1}); }"
        )
        for view in ("explorer", "training"):
            page.evaluate("(v) => backpropExplorer.setState({view: v})", view)
            for width in (360, 800, 1280):
                page.set_viewport(width, 900)
                shown = page.wait_for("(w) => innerWidth >= w && innerWidth", width)
                sideways = page.evaluate(
                    "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert sideways <= 0, (engine.name, scheme, view, width, sideways)
                page.screenshot(SHOTS / f"{engine.name}-{scheme}-{view}-{shown}.png")
        finish(page, proxy)


PHONE = "document.getElementById('phone').contentWindow"


def test_a_360px_frame_gets_the_phone_layout_and_takes_a_click(engine, proxy, site_url) -> None:
    """The phone layout in every engine, WebKit included (its window stops at 447 px): the
    site in a 360 x 740 iframe of a page on the same origin, clicked for real."""
    page = engine.new_page()
    page.goto(site_url + "test-pages/phone.html")
    page.wait_for(
        f"() => {PHONE}.backpropExplorer && {PHONE}.document.body.classList.contains('ready')",
        timeout_s=90,
    )
    assert page.evaluate(f"() => [{PHONE}.innerWidth, {PHONE}.innerHeight]") == [360, 740]
    page.evaluate(f"() => {PHONE}.backpropExplorer.preset('deep')")
    # pinned at the top (style.css), the drawing keeps the layout whose text is readable at
    # this width (diagram.chooseLayout): Deep's layers run down, in a box that scrolls
    page.wait_for(f"() => {PHONE}.document.querySelector('#diagram').dataset.layout === 'down'")
    sideways = page.evaluate(
        f"() => {PHONE}.document.documentElement.scrollWidth - {PHONE}.innerWidth"
    )
    assert sideways <= 0, (engine.name, sideways)
    page.evaluate(
        f"() => {PHONE}.document.querySelector(\"#diagram [data-weight='2-3-1']\")"
        ".scrollIntoView({block: 'center'})"
    )
    # CLICK_POINT run on the frame's document (the parameter shadows the top page's), then
    # moved by where the frame is in the window (the window may have scrolled to show it).
    point = page.evaluate(
        f"""(id) => {{
          const inner = ((document) => ({CLICK_POINT})(id))({PHONE}.document);
          const frame = document.getElementById('phone').getBoundingClientRect();
          return inner && {{x: frame.left + inner.x, y: frame.top + inner.y}};
        }}""",
        "2-3-1",
    )
    assert point is not None, engine.name
    before = page.evaluate(f"() => Number({PHONE}.document.body.dataset.rendered)")
    page.click(point["x"], point["y"])
    page.wait_for(f"(n) => Number({PHONE}.document.body.dataset.rendered) > n", before)
    selected = page.evaluate(f"() => {PHONE}.backpropExplorer.getState().selected")
    assert selected == {"layer": 2, "to": 3, "from": 1}
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(SHOTS / f"{engine.name}-light-explorer-framed-360.png")
    problems = page.evaluate(f"() => {PHONE}.bpxProblems || []")
    finish(page, proxy)
    assert problems == [], problems
