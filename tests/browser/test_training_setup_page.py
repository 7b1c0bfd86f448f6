"""The training panel's optimizer and data set controls in the built site (issue 17): the
menus and fields Python builds, Adam on XOR in batches of two against torch's rules fed by the
scalar autodiff, the update table's optimizer state, a bad setting named next to its field,
and the loss plot's distinct ticks when training blows up."""

from __future__ import annotations

import pytest
from optim_reference import torch_style
from test_explorer_page import rendered, wait_render

from reference import batch_gradients, rel_close

XOR = [
    {"input": [0.0, 0.0], "target": [0.0]},
    {"input": [0.0, 1.0], "target": [1.0]},
    {"input": [1.0, 0.0], "target": [1.0]},
    {"input": [1.0, 1.0], "target": [0.0]},
]


@pytest.fixture
def trainer(app):
    """The shared page in its default State (no data set), in the training view."""
    app.evaluate(
        "(s) => backpropExplorer.setState({...s, samples: null, view: 'explorer'})", app.bpx_default
    )
    before = rendered(app)
    app.locator(".views [data-view='training']").click()
    wait_render(app, before)
    app.locator("#training-setup select").first.wait_for(state="visible")
    return app


def choose(page, field: str, value: str) -> None:
    before = rendered(page)
    page.locator(f"#training-setup select[data-field='{field}']").select_option(value)
    wait_render(page, before)


def type_into(page, field: str, text: str) -> None:
    before = rendered(page)
    box = page.locator(f"#training-values [data-field='{field}']")
    box.fill(text)
    box.press("Tab")
    wait_render(page, before)


def flat(state: dict) -> list[float]:
    return [w for W in state["weights"] for row in W for w in row]


def unflat(state: dict, values: list[float]) -> dict:
    it = iter(values)
    return {**state, "weights": [[[next(it) for _ in r] for r in W] for W in state["weights"]]}


def test_adam_on_xor_in_batches_of_two_matches_torch(trainer) -> None:
    menu = trainer.locator("#training-setup select[data-field='optimizer.name']")
    assert menu.locator("option").all_text_contents() == [
        "Gradient descent", "Momentum", "Nesterov momentum", "RMSprop", "Adam"]  # fmt: skip
    sets = trainer.locator("#training-setup select[data-field='samples']")
    assert sets.locator("option").all_text_contents() == [
        "The current input and target only", "XOR (4 samples)", "AND (4 samples)",
        "OR (4 samples)"]  # fmt: skip
    choose(trainer, "optimizer.name", "adam")
    choose(trainer, "samples", "xor")
    type_into(trainer, "batchSize", "2")
    setup = trainer.locator("#training-setup")
    assert setup.locator("[data-field='optimizer.beta1']").input_value() == "0.9"
    assert setup.locator(".samples-table tbody tr").count() == 4
    assert "2 batches per epoch" in setup.text_content()
    state = trainer.evaluate("backpropExplorer.getState()")
    assert state["samples"] == XOR and state["batchSize"] == 2
    assert state["optimizer"] == {"name": "adam", "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}

    reference, params = torch_style(state["optimizer"], state["learningRate"]), flat(state)
    for step in range(5):
        g = batch_gradients(unflat(state, params), XOR[:2] if step % 2 == 0 else XOR[2:])
        reference.step(params, [w for W in g["weights"] for row in W for w in row])
    for _ in range(5):
        before = rendered(trainer)
        trainer.locator("#step-button").click()
        wait_render(trainer, before)
    got = flat(trainer.evaluate("backpropExplorer.getState()"))
    assert all(rel_close(a, b) for a, b in zip(got, params, strict=True)), (got, params)

    heads = trainer.locator("#updates-table thead th").all_text_contents()
    assert heads[2:9] == ["∂𝓛/∂w, batch mean", "m before", "m after", "v before", "v after",
                          "m̂", "v̂"]  # fmt: skip
    assert trainer.locator("#updates-table tbody tr").first.locator("td").count() == 10
    history = trainer.locator("#history-table thead th").all_text_contents()
    assert history[:4] == ["Step", "Batch", "Batch loss", "Loss, whole set"]
    newest = trainer.locator("#history-table tbody tr").first.locator("td")
    assert newest.first.text_content() == "1, 2"  # step 5: the third epoch's first batch
    assert trainer.locator("#loss-plot polyline.loss-line.batch").count() == 1
    assert trainer.locator("#loss-plot .legend text").all_text_contents() == [
        "Loss of the whole set", "Loss of the step's batch"]  # fmt: skip
    note = trainer.locator("#updates-note").text_content()
    assert note == "Step 5 used Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-08), η = 0.01."


def test_a_samples_derive_button_shows_its_derivation(trainer) -> None:
    choose(trainer, "samples", "xor")
    rows = trainer.locator("#training-setup .samples-table tbody tr")
    assert rows.nth(0).locator("button[data-key^='derive-']").count() == 1
    before = rendered(trainer)
    button = rows.nth(2).locator("button[data-key='derive-3']")
    assert button.get_attribute("aria-label") == "Derive sample 3: show its derivation"
    button.click()
    wait_render(trainer, before)
    state = trainer.evaluate("backpropExplorer.getState()")
    assert (state["input"], state["target"]) == ([1.0, 0.0], [1.0])
    assert "shown" in rows.nth(2).get_attribute("class")


def test_a_bad_setting_is_named_next_to_its_field_and_changes_nothing(trainer) -> None:
    choose(trainer, "optimizer.name", "rmsprop")
    state = trainer.evaluate("backpropExplorer.getState()")
    box = trainer.locator("#training-values [data-field='optimizer.alpha']")
    box.fill("1")
    box.press("Enter")
    want = "Optimizer setting Smoothing α: must be a number at least 0 and less than 1, got 1"
    trainer.wait_for_function(
        "(m) => document.querySelector('#status').textContent === m", arg=want
    )
    assert trainer.locator("#training-values-error").text_content() == want
    assert box.get_attribute("aria-invalid") == "true"
    assert trainer.evaluate("backpropExplorer.getState()") == state


def test_the_plot_ticks_stay_distinct_when_training_blows_up(trainer) -> None:
    type_into(trainer, "learningRate", "50")
    result = trainer.evaluate("backpropExplorer.step(60)")
    assert result["taken"] == 1 and result["stopped"].startswith("Training stopped before step 2")
    for scale in ("linear", "log"):
        before = rendered(trainer)
        trainer.locator(f"input[name=loss-scale][value={scale}]").check()
        trainer.wait_for_function(
            "(s) => document.querySelector('#loss-plot').getAttribute('aria-label').endsWith("
            "s === 'log' ? 'logarithmic scale' : 'linear scale')",
            arg=scale,
        )
        assert rendered(trainer) == before  # redrawn by the page alone
        ticks = trainer.evaluate(
            "() => [...document.querySelectorAll('#loss-plot .axes text[text-anchor=end]')]"
            ".map((t) => t.textContent)"
        )
        assert len(ticks) >= 2 and len(set(ticks)) == len(ticks), ticks
    warnings = trainer.locator("#training-notices .notice.warn").all_text_contents()
    assert len(warnings) == 1
    text = trainer.locator("body").inner_text()
    assert "NaN" not in text and "Infinity" not in text
    trainer.locator("input[name=loss-scale][value=linear]").check()
