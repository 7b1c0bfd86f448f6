"""The gradient path explorer in the built site: presets, clicks on every connection, the
data-role marks, the derivation in three notations, typed values and the keyboard."""

from __future__ import annotations

import itertools
import math

import pytest
from across import CLICK_POINT

from backprop_explorer import Session
from backprop_explorer.presets import PRESETS
from backprop_explorer.state import opening_selection
from conftest import guard_context, wait_ready
from reference import autodiff_gradients, without_check

RENDERED = "Number(document.body.dataset.rendered || 0)"


def rendered(page) -> int:
    return page.evaluate(RENDERED)


def wait_render(page, before: int) -> None:
    page.wait_for_function(f"() => {RENDERED} > {before}")


def expected_roles(layers: list[int], l: int, j: int, k: int) -> dict[str, set[str]]:
    """The data-role words by element id, straight from the definitions in the issue."""
    L = len(layers) - 1
    paths = [
        [(l, j), *zip(range(l + 1, L + 1), rest, strict=True)]
        for rest in itertools.product(*(range(1, n + 1) for n in layers[l + 1 :]))
    ]
    roles: dict[str, set[str]] = {f"{l}-{j}-{k}": {"selected-weight"}, f"{l}-{j}": {"destination"}}
    for path in paths:
        for layer, neuron in path[1:-1]:
            roles.setdefault(f"{layer}-{neuron}", set()).add("path-neuron")
        out_layer, out = path[-1]
        roles.setdefault(f"{out_layer}-{out}", set()).add("output")
        for (_, a), (lb, b) in itertools.pairwise(path):
            roles.setdefault(f"{lb}-{b}-{a}", set()).add("path-edge")
    return roles


def dom_roles(page) -> dict[str, set[str]]:
    pairs = page.eval_on_selector_all(
        "[data-role]",
        "els => els.map(e => [e.dataset.weight || e.dataset.neuron, e.dataset.role])",
    )
    return {key: set(words.split()) for key, words in pairs}


def click_connection(page, edge_id: str) -> None:
    page.locator(f"#diagram [data-weight='{edge_id}']").scroll_into_view_if_needed()
    point = page.evaluate(CLICK_POINT, edge_id)
    assert point is not None, f"connection {edge_id} has no visible point that can be clicked"
    before = rendered(page)
    page.mouse.click(point["x"], point["y"])
    wait_render(page, before)


def apply_preset(page, name: str) -> None:
    before = rendered(page)
    page.locator(f"#presets [data-preset='{name}']").click()
    wait_render(page, before)


def mathml_text(page) -> str:
    return page.eval_on_selector_all(
        "#derivation mjx-assistive-mml", "els => els.map(e => e.textContent).join(' ')"
    )


def test_preset_buttons_show_the_seeds_topologies(explorer) -> None:
    buttons = explorer.locator("#presets [data-preset]")
    assert buttons.all_text_contents()[:4] == [
        "Basic1-1-1",
        "Classic3-2-1",
        "Special2-3-2",
        "Deep2-3-3-3-1",
    ]
    assert explorer.locator("#presets [aria-pressed=true]").get_attribute("data-preset") == "demo"
    for name, preset in PRESETS.items():
        apply_preset(explorer, name)
        state = explorer.evaluate("backpropExplorer.getState()")
        assert state["layers"] == list(preset.layers)
        assert state["activations"] == preset.activations()
        assert state["selected"] == opening_selection(state)  # Python's choice for the network
        pressed = explorer.locator("#presets [aria-pressed=true]")
        assert pressed.count() == 1 and pressed.get_attribute("data-preset") == name
        edges = sum(a * b for a, b in itertools.pairwise(preset.layers))
        assert explorer.locator("#diagram [data-weight]").count() == edges
        assert explorer.locator("#layers-field").input_value() == ",".join(map(str, preset.layers))
        assert preset.about in explorer.locator("#preset-about").text_content()


@pytest.mark.parametrize("name", list(PRESETS))
def test_clicking_every_connection_marks_roles_and_derives_the_gradient(explorer, name) -> None:
    apply_preset(explorer, name)
    state = explorer.evaluate("backpropExplorer.getState()")
    layers = state["layers"]
    L = len(layers) - 1
    reference = autodiff_gradients(state)["weights"]
    for l in range(1, L + 1):
        for j in range(1, layers[l] + 1):
            for k in range(1, layers[l - 1] + 1):
                click_connection(explorer, f"{l}-{j}-{k}")
                sel = {"layer": l, "to": j, "from": k}
                assert explorer.evaluate("backpropExplorer.getState().selected") == sel
                assert dom_roles(explorer) == expected_roles(layers, l, j, k), (l, j, k)
                labels = explorer.locator("#derivation .step-label").all_text_contents()
                assert labels[0] == "BP3" and labels[1] == "BP2" and "BP1" in labels
                text = mathml_text(explorer)
                if l < L:
                    assert "\u2211" in text  # the explicit sums
                assert explorer.locator("#derivation merror").count() == 0

                result = explorer.evaluate("(s) => backpropExplorer.select(s)", sel)
                assert result["pathCount"] == math.prod(layers[l + 1 :])
                assert len(result["paths"]) == result["pathCount"]
                want = reference[l - 1][j - 1][k - 1]
                assert math.isclose(result["gradient"], want, rel_tol=1e-12, abs_tol=1e-15)
                fd = result["finiteDifference"]
                assert math.isclose(fd, result["gradient"], rel_tol=1e-6, abs_tol=1e-10)
                cpython = Session({**state, "selected": sel}).derivation()["steps"]
                assert without_check(result["latex"]) == without_check([s["tex"] for s in cpython])


@pytest.mark.parametrize("name", ["basic", "classic", "special", "deep"])
def test_notation_toggle_shows_einstein_dots_and_vector_products(explorer, name) -> None:
    apply_preset(explorer, name)
    layers = list(PRESETS[name].layers)
    for sel in ({"layer": 1, "to": 1, "from": 1}, {"layer": len(layers) - 1, "to": 1, "from": 1}):
        explorer.evaluate("(s) => backpropExplorer.select(s)", sel)
        for notation in ("einstein", "vector", "explicit"):
            before = rendered(explorer)
            explorer.locator(f"input[name=notation][value={notation}]").check()
            wait_render(explorer, before)
            assert explorer.evaluate("backpropExplorer.getState().notation") == notation
            text = mathml_text(explorer)
            labels = explorer.locator("#derivation .step-label").all_text_contents()
            assert labels[:2] == ["BP3", "BP2"] and "BP1" in labels
            if notation == "einstein" and sel["layer"] < len(layers) - 1:
                assert "\u22c5" in text  # the dot of a summed index
            if notation == "vector":
                assert "\u2299" in text and "\u22a4" in text  # Hadamard product, transpose
            if notation == "explicit" and sel["layer"] < len(layers) - 1:
                assert "\u2211" in text


def test_hovering_a_path_row_lights_that_path(explorer) -> None:
    apply_preset(explorer, "deep")
    result = explorer.evaluate("backpropExplorer.select({layer: 1, to: 2, from: 1})")
    row = explorer.locator("#derivation table.paths tr[data-path='4']")
    assert row.locator("th").text_content() == "m = 2, p = 2, q = 1"
    cells = row.locator("td").all_text_contents()
    assert len(cells) == 2 + 2 * 3 + 1 + 1  # a, sigma', (w, sigma') x 3, dL/da, product
    row.hover()
    assert "lit" in row.get_attribute("class")
    lit = explorer.eval_on_selector_all(
        "#diagram .hover-path", "els => els.map(e => e.dataset.weight || e.dataset.neuron)"
    )
    path = result["paths"][4]
    want = {f"{a}-{b}" for a, b in path}
    want |= {f"{lb}-{b}-{a}" for (_, a), (lb, b) in itertools.pairwise(path)}
    assert set(lit) == want
    explorer.mouse.move(1, 1)
    assert explorer.locator("#diagram .hover-path").count() == 0


def test_deep_network_shows_first_rows_and_the_count(explorer) -> None:
    explorer.evaluate("backpropExplorer.setState({layers: [2, 10, 10, 10, 10, 10, 10, 2]})")
    result = explorer.evaluate("backpropExplorer.select({layer: 1, to: 1, from: 1})")
    assert result["pathCount"] == 2 * 10**5
    assert len(result["paths"]) == 4096
    more = explorer.locator("#derivation table.paths tr.more").text_content()
    assert more == f"⋮  {2 * 10**5 - 6} more paths"
    assert explorer.locator("#derivation table.paths tr[data-path]").count() == 6
    assert "all 200000 paths" in mathml_text(explorer)


def test_custom_topology_and_its_limit_messages(explorer) -> None:
    field = explorer.locator("#layers-field")
    before = rendered(explorer)
    field.fill("4,3,3,2")
    field.press("Enter")
    wait_render(explorer, before)
    state = explorer.evaluate("backpropExplorer.getState()")
    assert state["layers"] == [4, 3, 3, 2]
    assert explorer.locator("#presets [aria-pressed=true]").count() == 0
    assert "Custom topology: 4 → 3 → 3 → 2" in explorer.locator("#preset-about").text_content()
    cases = {
        "3,,2": '"3,,2" has an empty entry: separate sizes by commas, like 4,3,3,2',
        "100": "the input layer has 100 neurons: each layer can have 1 to 10 neurons",
        ",".join(["2"] * 50): "has 50 layers: at most 8 layers (input and output included)",
        "2,1e3,1": '"1e3" is not a whole number of neurons: each layer has 1 to 10',
        "0": "the input layer has 0 neurons: each layer can have 1 to 10 neurons",
    }
    for text, problem in cases.items():
        field.fill(text)
        field.press("Enter")
        error = explorer.locator("#layers-error")
        error.wait_for(state="visible")
        assert error.text_content() == f"Topology: {problem}"
        assert explorer.locator("#status").text_content() == f"Topology: {problem}"
        assert field.get_attribute("aria-invalid") == "true"
        assert field.input_value() == text  # what the user typed stays to be corrected
        assert explorer.evaluate("backpropExplorer.getState()") == state
        explorer.evaluate("document.querySelector('#layers-error').textContent = ''")


def test_typed_weights_inputs_and_targets_update_the_derivation(explorer) -> None:
    apply_preset(explorer, "classic")
    explorer.evaluate("backpropExplorer.select({layer: 1, to: 2, from: 3})")
    edits = {"weights[0][1][2]": "0.5", "input[2]": "-2", "target[0]": "1.25"}
    for field, text in edits.items():
        before = rendered(explorer)
        cell = explorer.locator(f"#numbers [data-field='{field}']")
        cell.fill(text)
        cell.press("Tab")
        wait_render(explorer, before)
    state = explorer.evaluate("backpropExplorer.getState()")
    assert state["weights"][0][1][2] == 0.5
    assert state["input"] == [1.0, 0.5, -2.0]
    assert state["target"] == [1.25]
    assert explorer.locator("#selected-field").input_value() == "0.5"
    assert explorer.locator("td.selected [data-field='weights[0][1][2]']").count() == 1
    want = Session(state).derivation()
    latex = explorer.evaluate("backpropExplorer.select({layer: 1, to: 2, from: 3})")["latex"]
    assert without_check(latex) == without_check([s["tex"] for s in want["steps"]])
    # the selected weight's own field, above its derivation
    before = rendered(explorer)
    explorer.locator("#selected-field").fill("-0.75")
    explorer.locator("#selected-field").press("Enter")
    wait_render(explorer, before)
    assert explorer.evaluate("backpropExplorer.getState().weights[0][1][2]") == -0.75


@pytest.mark.parametrize(
    "field,text,shown",
    [
        ("input[0]", "1,5", 'Input x₁: "1,5" is not a number: write decimals with a dot: 1.5'),
        ("input[1]", "abc", 'Input x₂: "abc" is not a number'),
        ("target[0]", "", "Target y₁: is empty: type a number, like 0.5"),
        ("weights[1][0][0]", "NaN", 'Weight w(2)1,1: must be a finite number, got "NaN"'),
        (
            "weights[0][2][1]",
            "1e309",
            'Weight w(1)3,2: "1e309" is too large: use a number between -1e6 and 1e6',
        ),
        ("weights[0][0][0]", "2e6", "Weight w(1)1,1: must be between -1e6 and 1e6, got 2000000"),
    ],
)
def test_bad_typed_value_is_explained_next_to_the_field(explorer, field, text, shown) -> None:
    """#status and the message next to the field name it as the page labels it."""
    state = explorer.evaluate("backpropExplorer.getState()")
    cell = explorer.locator(f"#numbers [data-field='{field}']")
    cell.fill(text)
    cell.press("Tab")
    explorer.locator("#status").wait_for(state="visible")
    message = explorer.locator("#numbers .field-error:not(:empty)")
    assert message.count() == 1 and message.text_content() == shown
    assert explorer.locator("#status").text_content() == message.text_content()
    assert cell.get_attribute("aria-invalid") == "true"
    described = cell.get_attribute("aria-describedby")
    assert message.get_attribute("id") in described.split()
    assert explorer.evaluate("backpropExplorer.getState()") == state
    assert "NaN" not in explorer.locator("#diagram").text_content()


def test_activation_bias_and_loss_controls(explorer) -> None:
    apply_preset(explorer, "special")
    before = rendered(explorer)
    explorer.locator("[data-activation='0']").select_option("tanh")
    wait_render(explorer, before)
    before = rendered(explorer)
    explorer.locator("#bias-field").check()
    wait_render(explorer, before)
    before = rendered(explorer)
    explorer.locator("#loss-field").select_option("mse")
    wait_render(explorer, before)
    state = explorer.evaluate("backpropExplorer.getState()")
    assert state["activations"] == ["tanh", "linear"]
    assert state["bias"] is True and state["loss"] == "mse"
    assert explorer.locator("#numbers [data-field^='biases']").count() == 3 + 2
    before = rendered(explorer)
    bias = explorer.locator("#numbers [data-field='biases[0][1]']")
    bias.fill("0.3")
    bias.press("Enter")
    wait_render(explorer, before)
    state = explorer.evaluate("backpropExplorer.getState()")
    assert state["biases"][0] == [0.0, 0.3, 0.0]
    result = explorer.evaluate("backpropExplorer.select({layer: 1, to: 2, from: 1})")
    want = autodiff_gradients(state)["weights"][0][1][0]
    assert math.isclose(result["gradient"], want, rel_tol=1e-12, abs_tol=1e-15)


def test_keyboard_moves_between_connections_and_selects(explorer) -> None:
    apply_preset(explorer, "special")  # 2-3-2
    tab_stops = explorer.locator("#diagram [data-weight][tabindex='0']")
    assert tab_stops.count() == 1 and tab_stops.get_attribute("data-weight") == "1-1-1"
    tab_stops.focus()
    focused = "document.activeElement.dataset.weight"
    moves = [
        ("ArrowDown", "1-1-2"),
        ("ArrowDown", "1-2-1"),
        ("ArrowRight", "2-1-2"),  # follow the path on from neuron 2 of layer 1
        ("ArrowDown", "2-1-3"),
        ("End", "2-2-3"),
        ("ArrowLeft", "1-3-1"),  # back to a connection arriving at neuron 3
        ("Home", "1-1-1"),
        ("ArrowUp", "1-1-1"),
    ]
    for key, want in moves:
        explorer.keyboard.press(key)
        assert explorer.evaluate(focused) == want, key
    explorer.keyboard.press("ArrowDown")
    before = rendered(explorer)
    explorer.keyboard.press("Enter")
    wait_render(explorer, before)
    assert explorer.evaluate("backpropExplorer.getState().selected") == {
        "layer": 1,
        "to": 1,
        "from": 2,
    }
    assert explorer.evaluate(focused) == "1-1-2"  # focus survives the redraw
    explorer.keyboard.press("ArrowRight")
    before = rendered(explorer)
    explorer.keyboard.press(" ")
    wait_render(explorer, before)
    assert explorer.evaluate("backpropExplorer.getState().selected") == {
        "layer": 2,
        "to": 1,
        "from": 1,
    }
    assert explorer.locator("#diagram [data-weight][tabindex='0']").count() == 1


def test_notation_guide_is_typeset_with_every_symbol(explorer) -> None:
    guide = explorer.locator(".guide-panel")
    explorer.wait_for_function(
        "() => document.querySelectorAll('.guide-panel [data-tex]:not(.typeset)').length === 0"
    )
    assert guide.locator("[data-tex]").count() >= 20
    assert guide.locator("merror, [data-mjx-error]").count() == 0
    text = guide.text_content()
    for words in (
        "Indices & layers",
        "Component chain conventions",
        "Vector & matrix notation",
        "Colour code",
        "How it works",
        "orange",
        "blue",
        "green",
        "red",
        "Hadamard",
        "transpose",
    ):
        assert words in text


def test_tapping_a_connection_selects_it_on_a_touch_screen(browser, site_url) -> None:
    context = browser.new_context(
        has_touch=True, is_mobile=True, viewport={"width": 390, "height": 800}
    )
    guard = guard_context(context)
    page = context.new_page()
    page.goto(site_url)
    page.wait_for_function("() => window.backpropExplorer && true")
    wait_ready(page)
    page.locator("#diagram [data-weight='2-1-3']").scroll_into_view_if_needed()
    point = page.evaluate(CLICK_POINT, "2-1-3")
    before = rendered(page)
    page.touchscreen.tap(point["x"], point["y"])
    wait_render(page, before)
    assert page.evaluate("backpropExplorer.getState().selected") == {"layer": 2, "to": 1, "from": 3}
    assert dom_roles(page) == expected_roles([2, 3, 1], 2, 1, 3)
    context.close()
    guard.check()
