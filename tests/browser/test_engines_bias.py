"""Biases in every engine (issue 16 item 1): with biases on, a click on a bias unit's
connection selects the bias {layer, to, from: 0}, marks it as a selected weight and derives it
by the bias rule."""

from __future__ import annotations

import math

from across import act_and_render, click_connection

from reference import autodiff_gradients, with_biases

LABELS = """() => [...document.querySelectorAll('#derivation .step-label')]
  .map((e) => e.textContent)"""


def test_clicking_a_bias_selects_and_derives_it(tab) -> None:
    state = tab.evaluate("() => backpropExplorer.getState()")
    biases = with_biases(state)["biases"]
    act_and_render(
        tab,
        lambda: tab.evaluate("(b) => backpropExplorer.setState({bias: true, biases: b})", biases),
    )
    click_connection(tab, "2-1-0")
    state = tab.evaluate("() => backpropExplorer.getState()")
    assert state["selected"] == {"layer": 2, "to": 1, "from": 0}, tab.engine
    role = tab.evaluate(
        "() => document.querySelector(\"#diagram [data-weight='2-1-0']\").dataset.role"
    )
    assert role == "selected-weight", tab.engine
    labels = tab.evaluate(LABELS)
    assert labels[:3] == ["Bias rule", "BP2", "BP1"], (tab.engine, labels)
    result = tab.evaluate("() => backpropExplorer.select({layer: 2, to: 1, from: 0})")
    want = autodiff_gradients(state)["biases"][1][0]
    assert math.isclose(result["gradient"], want, rel_tol=1e-12, abs_tol=1e-15), tab.engine
