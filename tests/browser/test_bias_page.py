"""Biases in the built site (issue 16 item 1): a bias unit's connection is clicked like a
weight, marked with a weight's roles, derived by the bias rule, and linked from the Weight
updates table by its data-weight "l-j-0"."""

from __future__ import annotations

import math

from test_explorer_page import (
    apply_preset,
    click_connection,
    dom_roles,
    expected_roles,
    rendered,
    wait_render,
)

from backprop_explorer.presets import preset_partial
from reference import autodiff_gradients, with_biases


def test_clicking_a_bias_derives_the_bias_rule_and_its_update_links_to_it(explorer) -> None:
    apply_preset(explorer, "classic")
    before = rendered(explorer)
    biases = with_biases(preset_partial("classic"))["biases"]
    explorer.evaluate("(b) => backpropExplorer.setState({bias: true, biases: b})", biases)
    wait_render(explorer, before)
    units = explorer.locator("#diagram [data-neuron$='-0']")
    assert units.all_text_contents() == ["+1", "+1"]
    assert units.first.get_attribute("aria-label") == "bias unit of the input layer, constant 1"
    edge = explorer.locator("#diagram [data-weight='2-1-0']")
    assert edge.get_attribute("aria-label") == "bias b(2)1 into output 1, value -0.150"

    click_connection(explorer, "1-2-0")
    state = explorer.evaluate("backpropExplorer.getState()")
    assert state["selected"] == {"layer": 1, "to": 2, "from": 0}
    assert dom_roles(explorer) == expected_roles(state["layers"], 1, 2, 0)
    labels = explorer.locator("#derivation .step-label").all_text_contents()
    assert labels[:3] == ["Bias rule", "BP2", "BP1"] and "Bias rule with numbers" in labels
    assert explorer.locator("#derivation merror").count() == 0
    want = autodiff_gradients(state)["biases"][0][1]
    result = explorer.evaluate("backpropExplorer.select({layer: 1, to: 2, from: 0})")
    assert math.isclose(result["gradient"], want, rel_tol=1e-12, abs_tol=1e-15)
    assert explorer.locator("#pick").text_content().startswith("b⁽¹⁾₂ selected: ∂𝓛/∂b = ")

    before = rendered(explorer)
    explorer.locator(".views [data-view='training']").click()
    wait_render(explorer, before)
    before = rendered(explorer)
    explorer.locator("#step-button").click()
    wait_render(explorer, before)
    cell = explorer.locator("#updates-table td[data-weight='1-2-0']").first
    cell.hover()
    explorer.wait_for_function(
        "() => document.querySelector(\"#diagram [data-weight='1-2-0']\")"
        ".dataset.role?.split(' ').includes('highlighted')"
    )
