"""Biases in the built site (issue 16 item 1): a bias unit's connection is clicked like a
weight, marked with a weight's roles, derived by the bias rule, and linked from the Weights
and Weight-updates tables by its data-weight "l-j-0"."""

from __future__ import annotations

import math

from test_accessibility import (
    assert_clean,
    focus_info,
    highlighted,
    open_page,
    open_training,
    tab_until,
)
from test_explorer_page import (
    apply_preset,
    click_connection,
    dom_roles,
    expected_roles,
    rendered,
    wait_render,
)

from backprop_explorer.names import sig
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


def test_the_weights_tables_bias_column_links_to_the_bias_connections(browser, site_url) -> None:
    context, guard, page = open_page(browser, site_url)  # the 2-3-1 demo
    state = page.evaluate("backpropExplorer.getState()")
    before = rendered(page)
    page.evaluate("(b) => backpropExplorer.setState({bias: true, biases: b})",
                  with_biases(state)["biases"])  # fmt: skip
    wait_render(page, before)
    open_training(page)  # one step taken: the biases moved
    biases = page.evaluate("backpropExplorer.getState().biases")
    block = page.locator("#weights-table tbody").first
    heads = block.locator("tr:nth-child(2) th").all_text_contents()
    assert heads == ["From I1", "From I2", "Bias"]
    cell = block.locator("td[data-weight='1-2-0']")
    assert cell.text_content() == sig(biases[0][1], zeros=True)
    assert cell.get_attribute("title") == "b⁽¹⁾₂ (+1 → H2)"
    assert page.locator("#weights-table td[data-weight$='-0']").count() == 4
    # the keyboard: the table's one Tab stop, End to the row's bias, down to the next one
    page.locator("#run-steps").focus()
    assert tab_until(page, lambda f: f["tag"] == "TD")["weight"] == "1-1-1"
    page.keyboard.press("End")
    assert focus_info(page)["weight"] == "1-1-0"
    assert highlighted(page) == (["1-1-0"], ["1-1-0"])
    page.keyboard.press("ArrowDown")
    assert focus_info(page)["weight"] == "1-2-0"
    assert highlighted(page) == (["1-2-0"], ["1-2-0"])
    assert_clean(page)
    # the mouse: pointing at the output's bias lights its connection, and no other
    page.locator("#run-steps").focus()
    page.locator("#weights-table td[data-weight='2-1-0']").hover()
    assert highlighted(page) == (["2-1-0"], ["2-1-0"])
    # and focus on the bias connection marks its cells in both tables
    page.mouse.move(0, 0)
    page.locator("#diagram [data-weight='1-3-0']").focus()
    assert highlighted(page) == (["1-3-0"], ["1-3-0"])
    assert page.locator(".tables-panel td.highlighted").count() > 1
    context.close()
    assert guard.blocked == []
