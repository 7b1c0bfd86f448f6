"""Biases in every engine (issue 16 item 1): with biases on, a click, the keyboard (Tab and
the arrow keys, then Enter) and a finger's tap in the 360 px phone frame select the bias
{layer, to, from: 0}, mark it as a selected weight and derive it by the bias rule, with the
gradient the scalar autodiff gives."""

from __future__ import annotations

import json
import math

from across import act_and_render, apply_preset, click_connection, finish
from test_accessibility import CLEAR_SPOT

from backprop_explorer.names import pick_line
from backprop_explorer.presets import PRESETS
from reference import autodiff_gradients, with_biases


def test_clicking_every_bias_of_every_preset_derives_it(tab) -> None:
    """Issue 16's Done-when: every bias of every preset, biases on and non-zero, selected by a
    click, is marked as the selected weight and derived (bias rule, BP2, BP1, the forward pass
    and the numbers) with the scalar autodiff's gradient; the API's select() gives it too."""
    tab.set_viewport(1280, 900)
    tab.wait_for("() => innerWidth === 1280")
    for name, preset in PRESETS.items():
        apply_preset(tab, name)
        biases_on(tab)
        layers = preset.layers
        for l in range(1, len(layers)):
            for j in range(1, layers[l] + 1):
                where = (tab.engine, name, l, j)
                click_connection(tab, f"{l}-{j}-0")
                role = tab.evaluate(
                    "(id) => document.querySelector(`#diagram [data-weight='${id}']`).dataset.role",
                    f"{l}-{j}-0",
                )
                assert role == "selected-weight", where
                seen = shown(tab)
                assert_bias_derived(seen, l, j, where)
                numbers = [x for x in seen["labels"] if x.endswith("with numbers")]
                later = ["BP2 with numbers"] if l < len(layers) - 1 else []
                assert numbers == ["Forward pass with numbers", "BP1 with numbers", *later,
                                   "Bias rule with numbers"], (where, numbers)  # fmt: skip
                result = tab.evaluate(
                    "(s) => backpropExplorer.select(s)", {"layer": l, "to": j, "from": 0}
                )
                want = autodiff_gradients(seen["state"])["biases"][l - 1][j - 1]
                assert math.isclose(result["gradient"], want, rel_tol=1e-9, abs_tol=1e-15), where


FOCUSED = "() => document.activeElement?.dataset?.weight ?? null"
PHONE = "document.getElementById('phone').contentWindow"
# What the page shows after a selection, read in its window `w` (the top one, or the phone
# frame's): the State, the step labels, the line under the diagram and every gradient.
SHOWN = """(w) => ({
  state: w.backpropExplorer.getState(),
  labels: [...w.document.querySelectorAll('#derivation .step-label')].map((e) => e.textContent),
  pick: w.document.querySelector('#pick').textContent,
})"""


def shown(page, window: str = "window") -> dict:
    return page.evaluate(f"async () => {{ const w = {window}; const s = ({SHOWN})(w);"
                         " s.gradients = await w.backpropExplorer.gradients(); return s; }")  # fmt: skip


def biases_on(page, window: str = "window") -> None:
    """Biases on, non-zero (reference.with_biases), set in `window` and drawn."""
    state = page.evaluate(f"() => {window}.backpropExplorer.getState()")
    partial = json.dumps({"bias": True, "biases": with_biases(state)["biases"]})
    # parsed in that window: the app's JSON check refuses another window's objects
    act = f"(p) => {window}.backpropExplorer.setState({window}.JSON.parse(p))"
    rendered = f"() => Number({window}.document.body.dataset.rendered || 0)"
    before = page.evaluate(rendered)
    page.evaluate(act, partial)
    page.wait_for(f"(n) => ({rendered})() > n", before)


def assert_bias_derived(seen: dict, l: int, j: int, where) -> None:
    """The bias b(l)j is selected and derived: the bias rule, BP2 and BP1 first, its gradient the scalar
    autodiff's (1e-12), and the line under the diagram the text CPython writes for it."""
    state = seen["state"]
    assert state["selected"] == {"layer": l, "to": j, "from": 0}, (where, state["selected"])
    # BP2 once per layer after l (for an output neuron: "not needed"), then BP1
    L = len(state["layers"]) - 1
    symbolic = ["Bias rule"] + ["BP2"] * max(L - l, 1) + ["BP1"]
    assert seen["labels"][: len(symbolic)] == symbolic, (where, seen["labels"])
    assert "Bias rule with numbers" in seen["labels"], (where, seen["labels"])
    want = autodiff_gradients(state)["biases"][l - 1][j - 1]
    got = seen["gradients"]["biases"][l - 1][j - 1]
    assert math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-15), (where, got, want)
    assert seen["pick"] == pick_line((l, j, 0), want), (where, seen["pick"], want)


def test_the_keyboard_selects_a_bias(tab) -> None:
    tab.set_viewport(1280, 900)
    tab.wait_for("() => innerWidth === 1280")
    biases_on(tab)
    opening = tab.evaluate("() => backpropExplorer.getState().selected")
    assert opening == {"layer": 1, "to": 2, "from": 1}, tab.engine
    # the diagram is one Tab stop, the selected connection; each neuron's bias comes first
    tab.evaluate("() => document.activeElement?.blur()")
    for _ in range(80):
        tab.press("Tab")
        if tab.evaluate(FOCUSED) is not None:
            break
    assert tab.evaluate(FOCUSED) == "1-2-1", tab.engine
    tab.press("ArrowUp")
    assert tab.evaluate(FOCUSED) == "1-2-0", tab.engine
    act_and_render(tab, lambda: tab.press("Enter"))
    assert_bias_derived(shown(tab), 1, 2, tab.engine)
    # on along the path from hidden neuron 2 to the output, and up to the output's bias
    for key, want in [("ArrowRight", "2-1-2"), ("ArrowUp", "2-1-1"), ("ArrowUp", "2-1-0")]:
        tab.press(key)
        assert tab.evaluate(FOCUSED) == want, (tab.engine, key)
    act_and_render(tab, lambda: tab.press(" "))
    assert_bias_derived(shown(tab), 2, 1, tab.engine)


def test_a_tap_in_the_phone_frame_selects_a_bias(engine, proxy, site_url) -> None:
    """The 360 x 740 frame (tests/engines/pages/phone.html: WebKit's window stops at 447 px):
    with biases on the layers run down, each bias connection has a spot 12 px clear of every
    other connection, and a tap there selects it."""
    page = engine.new_page()
    page.goto(site_url + "test-pages/phone.html")
    page.wait_for(
        f"() => {PHONE}.backpropExplorer && {PHONE}.document.body.classList.contains('ready')",
        timeout_s=90,
    )
    biases_on(page, PHONE)
    layout = page.evaluate(f"() => {PHONE}.document.querySelector('#diagram').dataset.layout")
    assert layout == "down", engine.name
    rendered = f"() => Number({PHONE}.document.body.dataset.rendered)"
    for l, j in [(1, 3), (2, 1)]:
        edge = f"{l}-{j}-0"
        # the spot CLEAR_SPOT finds, on the frame's document, brought to the middle of the
        # diagram's box (pinned, it scrolls; scrollIntoView of an SVG group does not move it in
        # Firefox), then moved by where the frame is in the window; `mine`: it is the
        # connection's own point, no other element over it
        spot = page.evaluate(
            f"""(id) => {{
              const d = {PHONE}.document;
              const at = () => ((document) => ({CLEAR_SPOT})(id))(d);
              const box = d.querySelector('.diagram-wrap');
              box.scrollIntoView({{block: 'nearest'}});
              const first = at(), r = box.getBoundingClientRect();
              box.scrollTop += first.y - (r.top + r.height / 2);
              box.scrollLeft += first.x - (r.left + r.width / 2);
              const inner = at();
              const hit = d.elementFromPoint(inner.x, inner.y)?.closest('[data-weight]');
              const frame = document.getElementById('phone').getBoundingClientRect();
              return {{x: frame.left + inner.x, y: frame.top + inner.y, clear: inner.clear,
                       mine: hit?.dataset.weight === id}};
            }}""",
            edge,
        )
        assert spot["mine"], (engine.name, edge, spot)
        assert spot["clear"] >= 12, (engine.name, edge, spot)
        before = page.evaluate(rendered)
        page.tap(spot["x"], spot["y"])
        page.wait_for(f"(n) => ({rendered})() > n", before)
        assert_bias_derived(shown(page, PHONE), l, j, engine.name)
    problems = page.evaluate(f"() => {PHONE}.bpxProblems || []")
    finish(page, proxy)
    assert problems == [], problems
