"""The built site boots Python + numpy offline and its app API tells the truth."""

from __future__ import annotations

import functools
import json
import operator
import random

import pytest

from backprop_explorer.names import field_label
from conftest import BOOT_TIMEOUT_MS, guard_context
from reference import autodiff_gradients, mp_finite_difference, rel_close, without_check

ACTS = ["linear", "relu", "sigmoid", "tanh", "leaky_relu"]


def test_page_shows_diagram_and_becomes_ready(fresh_page) -> None:
    page = fresh_page
    state = page.evaluate("backpropExplorer.getState()")
    assert state["layers"] == [2, 3, 1]
    assert page.locator("#loading").is_hidden()
    assert page.locator("svg#diagram [data-weight]").count() == 2 * 3 + 3 * 1
    assert page.locator("svg#diagram [data-neuron]").count() == 6
    ids = page.eval_on_selector_all(
        "#diagram [data-weight]", "els => els.map(e => e.dataset.weight)"
    )
    assert sorted(ids) == sorted(
        f"{l}-{j}-{k}"
        for l, n, m in [(1, 3, 2), (2, 1, 3)]
        for j in range(1, n + 1)
        for k in range(1, m + 1)
    )
    assert page.locator("[data-neuron='0-1'] text").text_content() == "1.00"
    body = page.inner_text("body")
    assert "NaN" not in body and "Infinity" not in body
    # it opens with Python's opening selection (the first layer-1 weight with a gradient)
    assert state["selected"] == {"layer": 1, "to": 2, "from": 1}
    labels = page.eval_on_selector_all(
        "#derivation .step-label", "els => els.map(e => e.textContent)"
    )
    assert labels[:1] == ["BP3"] and page.locator("#derivation mjx-container").count() > 0


def open_with_numpy_held(context, site_url):
    """Open the site with the numpy wheel's request held back; return the page and the held
    routes once that request has been made (Python cannot finish until they continue)."""
    page = context.new_page()
    held = []
    page.route("**/numpy-*.whl", lambda route: held.append(route))
    with context.expect_event(
        "request", predicate=lambda r: "/numpy-" in r.url, timeout=BOOT_TIMEOUT_MS
    ):
        page.goto(site_url)
    page.wait_for_function(
        "() => document.querySelector('#loading-stage').textContent.includes('numpy')"
    )
    return page, held


def release_and_wait(page, held) -> None:
    assert held, "the numpy wheel's request was not held"
    for route in held:
        route.continue_()
    page.wait_for_function(
        "() => document.body.classList.contains('ready')", timeout=BOOT_TIMEOUT_MS
    )


def test_loading_state_is_visible_before_python_is_ready(browser, site_url) -> None:
    context = browser.new_context()
    guard = guard_context(context)
    page, release = open_with_numpy_held(context, site_url)
    assert page.locator("#loading").is_visible()
    assert page.evaluate("document.body.classList.contains('ready')") is False
    release_and_wait(page, release)
    assert page.locator("#loading").is_hidden()
    context.close()
    guard.check()


def _random_state(rng: random.Random, act: str, loss: str, bias: bool) -> dict:
    layers = [rng.randint(1, 4) for _ in range(rng.randint(2, 5))]
    n_layers = len(layers) - 1
    u = lambda: round(rng.uniform(-1.5, 1.5), 6)  # noqa: E731
    state = {
        "layers": layers,
        "activations": [act] * (n_layers - 1) + [rng.choice([act, "linear"])],
        "loss": loss,
        "bias": bias,
        "weights": [
            [[u() for _ in range(layers[l - 1])] for _ in range(layers[l])]
            for l in range(1, n_layers + 1)
        ],
        "input": [u() for _ in range(layers[0])],
        "target": [u() for _ in range(layers[-1])],
    }
    if bias:
        state["biases"] = [[u() for _ in range(n)] for n in layers[1:]]
    return state


@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("loss", ["half_sse", "mse"])
@pytest.mark.parametrize("act", ACTS)
def test_gradients_match_independent_references(explorer, act: str, loss: str, bias: bool) -> None:
    rng = random.Random(f"{act}-{loss}-{bias}")
    for _ in range(3):
        partial = _random_state(rng, act, loss, bias)
        state = explorer.evaluate("(p) => backpropExplorer.setState(p)", partial)
        got = explorer.evaluate("backpropExplorer.gradients()")
        want = autodiff_gradients(state)
        assert rel_close(got["loss"], want["loss"])
        flat = lambda g: [x for layer in g for row in layer for x in row]  # noqa: E731
        for g, w in zip(flat(got["weights"]), flat(want["weights"]), strict=True):
            assert rel_close(g, w), (g, w)
        if bias:
            for g, w in zip(
                functools.reduce(operator.iadd, got["biases"], []),
                functools.reduce(operator.iadd, want["biases"], []),
                strict=True,
            ):
                assert rel_close(g, w), (g, w)
        else:
            assert got["biases"] == []
        # and against a 60-digit central difference for one weight per layer
        for l, W in enumerate(state["weights"], start=1):
            j, k = rng.randint(1, len(W)), rng.randint(1, len(W[0]))
            fd = mp_finite_difference(state, l, j, k)
            assert rel_close(got["weights"][l - 1][j - 1][k - 1], fd, rel=1e-9, abs_=1e-12)


def test_seeded_weights_match_cpython(explorer) -> None:
    from backprop_explorer import Session

    state = explorer.evaluate("backpropExplorer.setState({layers: [3, 4, 2], seed: 1234})")
    assert state["weights"] == Session({"layers": [3, 4, 2], "seed": 1234}).get_state()["weights"]


BAD = [
    (
        {"learningRate": "abc"},
        "learningRate",
        'Learning rate η: must be a number greater than 0 and at most 1000, got "abc"',
    ),
    ({"input": [1, float("nan")]}, "input[1]", "Input x₂: must be a finite number, got NaN"),
    (
        {"layers": [2, 11, 1]},
        "layers[1]",
        "Size of layer 1: must be an integer between 1 and 10, got 11",
    ),
    ({"activations": ["relu", "swish"]}, "activations[1]", None),
    ({"selected": {"layer": 9, "to": 1, "from": 1}}, "selected.layer", None),
    ({"nonsense": 1}, "nonsense", "nonsense: is not a State field"),
]


@pytest.mark.parametrize(("partial", "field", "message"), BAD)
def test_bad_set_state_is_rejected_and_changes_nothing(explorer, partial, field, message) -> None:
    before = explorer.evaluate("backpropExplorer.getState()")
    rendered = explorer.evaluate("document.body.dataset.rendered")
    # NaN cannot travel through JSON: build it in the page.
    js = json.dumps(partial).replace("NaN", "NaN")
    error = explorer.evaluate(
        f"backpropExplorer.setState({js}).then(() => null, (e) => ({{message: e.message, field: e.field, isError: e instanceof Error}}))"
    )
    assert error is not None and error["isError"]
    assert error["field"] == field
    assert error["message"].startswith(f"{field_label(field)}: ")
    if message:
        assert error["message"] == message
    assert explorer.evaluate("backpropExplorer.getState()") == before
    assert explorer.evaluate("document.body.dataset.rendered") == rendered
    status = explorer.locator("#status")
    assert status.is_visible() and status.text_content() == error["message"]


def test_select_traces_paths_and_renders_derivation(explorer) -> None:
    explorer.evaluate(
        "backpropExplorer.setState({layers: [3, 2, 2], activations: ['sigmoid', 'linear']})"
    )
    result = explorer.evaluate("backpropExplorer.select({layer: 1, to: 2, from: 3})")
    assert result["paths"] == [[[1, 2], [2, 1]], [[1, 2], [2, 2]]]
    assert result["pathCount"] == 2
    grads = explorer.evaluate("backpropExplorer.gradients()")
    assert result["gradient"] == grads["weights"][0][1][2]
    # The page's LaTeX is what CPython renders for the same State (the finite-difference
    # check's last digits depend on float summation order, so it is compared as a number).
    from backprop_explorer import Session

    state = explorer.evaluate("backpropExplorer.getState()")
    want = Session(state).derivation()
    assert without_check(result["latex"]) == without_check([s["tex"] for s in want["steps"]])
    assert result["latex"][0].startswith(
        r"\keep{\err{\frac{\partial\mathcal{L}}{\partial \wt{w^{(1)}_{2,3}}}}}"
    )
    assert any("relative error against backprop" in tex for tex in result["latex"])
    roles = explorer.eval_on_selector_all(
        "[data-role]", "els => els.map(e => [e.dataset.weight || e.dataset.neuron, e.dataset.role])"
    )
    assert sorted(roles) == [
        ["1-2", "destination"],
        ["1-2-3", "selected-weight"],
        ["2-1", "output"],
        ["2-1-2", "path-edge"],
        ["2-2", "output"],
        ["2-2-2", "path-edge"],
    ]
    steps = explorer.locator("#derivation .step")
    assert steps.count() == len(result["latex"])
    # every step is typeset, except the path table, an HTML table with typeset column heads
    typeset = explorer.locator("#derivation .step > .math > mjx-container svg")
    assert typeset.count() == len(result["latex"]) - 1
    table = explorer.locator("#derivation .step[data-step='numbers-paths'] table.paths")
    assert table.locator("tbody tr").count() == 2  # one row per path
    assert table.locator("thead mjx-container").count() == 5
    assert explorer.locator("#derivation [data-mjx-error], #derivation merror").count() == 0


def test_clicking_a_connection_selects_it(explorer) -> None:
    # the page opens with a weight selected: wait for the click's own render, not any selection
    before = int(explorer.evaluate("document.body.dataset.rendered || 0"))
    explorer.locator("#diagram [data-weight='2-1-2']").click()
    explorer.wait_for_function(f"() => Number(document.body.dataset.rendered || 0) > {before}")
    assert explorer.evaluate("backpropExplorer.getState().selected") == {
        "layer": 2,
        "to": 1,
        "from": 2,
    }
    assert (
        explorer.locator("#diagram [data-weight='2-1-2']").get_attribute("data-role")
        == "selected-weight"
    )


def test_step_moves_weights_downhill(explorer) -> None:
    from backprop_explorer import Session

    start = explorer.evaluate("backpropExplorer.getState()")
    before = explorer.evaluate("backpropExplorer.gradients()")
    result = explorer.evaluate("backpropExplorer.step(3)")
    assert (result["taken"], result["requested"], result["stopped"]) == (3, 3, None)
    state = result["state"]
    after = explorer.evaluate("backpropExplorer.gradients()")
    assert after["loss"] < before["loss"]
    assert state == explorer.evaluate("backpropExplorer.getState()")
    # three independent steps in CPython from the same start give the same weights
    want = Session(start).step(3)["state"]["weights"]
    flat = lambda ws: [x for W in ws for row in W for x in row]  # noqa: E731
    for got, exp in zip(flat(state["weights"]), flat(want), strict=True):
        assert rel_close(got, exp, rel=1e-12, abs_=1e-15)
    assert state["weights"] != start["weights"]


def test_the_prerendered_view_is_what_python_renders(site_url) -> None:
    import re
    from pathlib import Path

    from backprop_explorer import bridge

    html = (Path(__file__).resolve().parents[2] / "dist" / "index.html").read_text()
    slot = re.search(
        r'<script type="application/json" id="bpx-prerender">(.*?)</script>', html, re.S
    )
    bridge.reset()
    want = json.loads(bridge.handle(json.dumps({"op": "init", "args": {}})))
    assert json.loads(slot.group(1).replace("<\\/", "</")) == want


def test_the_diagram_is_clickable_before_python_is_ready(browser, site_url) -> None:
    context = browser.new_context()
    guard = guard_context(context)
    page, held = open_with_numpy_held(context, site_url)  # Python cannot finish
    assert page.locator("#diagram [data-weight]").count() == 9  # drawn from the pre-render
    assert page.evaluate("document.body.classList.contains('ready')") is False
    assert page.locator("#loading").is_visible()  # a status line under the diagram
    page.locator("#diagram [data-weight='2-1-2']").click()  # queued behind Python's start
    release_and_wait(page, held)
    page.wait_for_function("() => backpropExplorer.getState().selected !== null")
    assert page.evaluate("backpropExplorer.getState().selected") == {"layer": 2, "to": 1, "from": 2}
    role = page.locator("#diagram [data-weight='2-1-2']").get_attribute("data-role")
    assert role == "selected-weight"
    context.close()
    guard.check()
