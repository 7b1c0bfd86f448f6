"""The training-step demo in the built site: the seed's defaults, Step against an independent
gradient descent, the three tables, the loss plot, hover links, Reset and divergence."""

from __future__ import annotations

import json
import math

import pytest
from across import CLICK_POINT
from test_explorer_page import apply_preset, rendered, wait_render

from backprop_explorer.names import sig
from reference import independent_steps, rel_close


@pytest.fixture
def trainer(explorer):
    """The shared page in its default State, switched to the training view by its button."""
    before = rendered(explorer)
    explorer.locator(".views [data-view='training']").click()
    wait_render(explorer, before)
    explorer.locator(".training-panel").wait_for(state="visible")
    return explorer


def click_and_render(page, selector: str) -> None:
    before = rendered(page)
    page.locator(selector).click()
    wait_render(page, before)


def flat(weights: list) -> list[float]:
    return [w for W in weights for row in W for w in row]


def test_defaults_are_the_seeds(trainer) -> None:
    state = trainer.evaluate("backpropExplorer.getState()")
    assert state["view"] == "training"
    assert state["layers"] == [2, 3, 1] and state["activations"] == ["relu", "linear"]
    assert state["bias"] is False and state["loss"] == "half_sse"
    values = trainer.locator("#training-values")
    assert values.locator("[data-field='input[0]']").input_value() == "1"
    assert values.locator("[data-field='input[1]']").input_value() == "0.5"
    assert values.locator("[data-field='target[0]']").input_value() == "2"
    assert values.locator("[data-field='learningRate']").input_value() == "0.01"
    assert trainer.locator("#bias-note").text_content() == "This network has no biases."
    assert trainer.locator("#loss-formula mjx-container").count() == 1  # the formula, typeset
    assert "MSE" in trainer.locator("#loss-note").text_content()
    for caption in ("Weights", "Weight updates (last step)", "Training history"):
        assert trainer.locator(f"table caption:text-is('{caption}')").count() == 1
    cells = trainer.locator("#weights-table [data-weight]")
    assert cells.count() == 9
    assert cells.first.text_content() == sig(state["weights"][0][0][0], zeros=True)
    assert cells.first.text_content() == "0.399000"  # every entry six significant digits
    assert trainer.locator("#history-table tbody tr").count() == 1
    assert "Step Optimization" in trainer.locator("#updates-table").text_content()


def test_k_steps_give_exactly_k_independent_gradient_descent_steps(trainer) -> None:
    start = trainer.evaluate("backpropExplorer.getState()")
    k = 4
    want = independent_steps(start, k)
    for i in range(k):
        click_and_render(trainer, "#step-button")
        assert trainer.locator("#loss-plot").get_attribute("data-points") == str(i + 2)
    state = trainer.evaluate("backpropExplorer.getState()")
    got, ref = flat(state["weights"]), flat(want[-1]["weights"])
    assert all(rel_close(a, b, rel=1e-12, abs_=1e-15) for a, b in zip(got, ref, strict=True))
    rows = trainer.locator("#history-table tbody tr")
    assert rows.count() == k + 1
    for i, w in enumerate(want, start=1):
        cells = trainer.locator(f"#history-table tr[data-step='{i}']").locator("th, td")
        cells = cells.all_text_contents()
        assert cells[0] == str(i)
        assert cells[1] == f"{w['loss']:.4f}"
        assert cells[2] == f"{w['output'][0]:.3f}"
        assert cells[3] == "2.000"
    assert "Loss history" in trainer.locator("#loss-plot").get_attribute("aria-label")
    weights_table = trainer.locator("#weights-table [data-weight='2-1-3']").text_content()
    assert weights_table == sig(state["weights"][1][0][2], zeros=True)


def test_update_table_agrees_with_the_derivation_to_the_last_digit(trainer) -> None:
    trainer.locator("#diagram [data-weight='1-2-1']").scroll_into_view_if_needed()
    point = trainer.evaluate(CLICK_POINT, "1-2-1")
    before = rendered(trainer)
    trainer.mouse.click(point["x"], point["y"])
    wait_render(trainer, before)
    derivation = trainer.locator(".derivation-panel")
    assert derivation.is_visible()
    labels = derivation.locator(".step-label").all_text_contents()
    assert labels[0] == "BP3" and labels[-2:] == ["Check", "Next gradient-descent step"]
    result = trainer.evaluate("backpropExplorer.select({layer: 1, to: 2, from: 1})")
    w = trainer.evaluate("backpropExplorer.getState().weights[0][1][0]")
    line = next(t for t in result["latex"] if r"\leftarrow" in t)
    new = w - 0.01 * result["gradient"]
    assert sig(w) in line and sig(abs(result["gradient"])) in line and sig(new) in line
    click_and_render(trainer, "#step-button")
    row = {
        part: trainer.locator(
            f"#updates-table [data-weight='1-2-1'][data-part='{part}']"
        ).text_content()
        for part in ("old", "gradient", "delta", "new")
    }
    # the same significant digits; the table keeps trailing zeros, one style per table
    assert row == {
        "old": sig(w, zeros=True),
        "gradient": sig(result["gradient"], zeros=True),
        "delta": sig(-0.01 * result["gradient"], zeros=True),
        "new": sig(new, zeros=True),
    }
    assert trainer.evaluate("backpropExplorer.getState().weights[0][1][0]") == new


def test_hover_links_tables_and_diagram_both_ways(trainer) -> None:
    click_and_render(trainer, "#step-button")
    trainer.locator("#weights-table [data-weight='1-3-2']").hover()
    edge = trainer.locator("#diagram [data-weight='1-3-2']")
    assert "highlighted" in edge.get_attribute("data-role").split()
    others = trainer.eval_on_selector_all(
        "#diagram [data-role~='highlighted']", "els => els.map(e => e.dataset.weight)"
    )
    assert others == ["1-3-2"]
    trainer.mouse.move(1, 1)
    assert (edge.get_attribute("data-role") or "").split().count("highlighted") == 0
    trainer.locator("#diagram [data-weight='2-1-2']").scroll_into_view_if_needed()
    point = trainer.evaluate(CLICK_POINT, "2-1-2")
    trainer.mouse.move(point["x"], point["y"])
    lit = trainer.eval_on_selector_all(
        ".tables-panel .highlighted", "els => els.map(e => e.dataset.weight)"
    )
    assert set(lit) == {"2-1-2"} and len(lit) == 1 + 4  # weights table + the update row
    trainer.mouse.move(1, 1)
    assert trainer.locator(".tables-panel .highlighted").count() == 0


def test_reset_draws_new_weights_and_restore_brings_them_back(trainer) -> None:
    click_and_render(trainer, "#step-button")
    start = trainer.evaluate("backpropExplorer.getState()")
    click_and_render(trainer, "#reset-button")
    state = trainer.evaluate("backpropExplorer.getState()")
    assert state["seed"] != start["seed"] and state["weights"] != start["weights"]
    assert trainer.locator("#history-table tbody tr").count() == 1
    restore = trainer.locator("#restore-button")
    assert restore.is_visible()
    assert restore.text_content() == "Restore the weights from before Reset"
    shown = trainer.locator("#weights-table [data-weight]").all_text_contents()
    click_and_render(trainer, "#restore-button")
    restored = trainer.evaluate("backpropExplorer.getState()")
    assert restored["seed"] == start["seed"]
    assert restored["weights"] == start["weights"]  # trained by one step, exactly
    assert trainer.locator("#weights-table [data-weight]").all_text_contents() != shown
    assert restore.is_hidden()


def test_a_bad_learning_rate_is_named_as_its_field_is_labelled(trainer) -> None:
    state = trainer.evaluate("backpropExplorer.getState()")
    eta = trainer.locator("#training-values [data-field='learningRate']")
    label = trainer.locator("#learning-rate-label")
    assert label.text_content() == "Learning rate η"
    assert eta.get_attribute("aria-labelledby") == "learning-rate-label"
    eta.fill("1,5")
    eta.press("Enter")
    want = 'Learning rate η: "1,5" is not a number: write decimals with a dot: 1.5'
    trainer.wait_for_function(
        "(m) => document.querySelector('#status').textContent === m", arg=want
    )
    assert trainer.locator("#training-values-error").text_content() == want
    assert eta.get_attribute("aria-invalid") == "true"
    assert trainer.evaluate("backpropExplorer.getState()") == state


def test_learning_rate_50_stops_before_the_blow_up_with_one_notice_and_no_nan(trainer) -> None:
    eta = trainer.locator("#training-values [data-field='learningRate']")
    before = rendered(trainer)
    eta.fill("50")
    eta.press("Tab")
    wait_render(trainer, before)
    click_and_render(trainer, "#step-button")  # accepted: the loss jumps to 325,319
    assert "training is diverging" in trainer.locator("#training-notices").text_content()
    state = trainer.evaluate("backpropExplorer.getState()")
    for _ in range(3):  # refused each time, said once
        click_and_render(trainer, "#step-button")
    warnings = trainer.locator("#training-notices .notice.warn").all_text_contents()
    assert len(warnings) == 1 and warnings[0].startswith("Training stopped before step 2: ")
    assert trainer.locator("#status").is_hidden()
    assert trainer.evaluate("backpropExplorer.getState()") == state
    result = trainer.evaluate("backpropExplorer.step(60)")
    assert result["taken"] == 0 and result["stopped"] == warnings[0]
    text = trainer.locator("body").inner_text()
    assert "NaN" not in text and "Infinity" not in text
    for cell in trainer.locator("#history-table td").all_text_contents():
        assert "nan" not in cell.lower() and "inf" not in cell.lower()
    # Reset recovers: new weights, a sane rate, and steps work again
    eta.fill("0.01")
    eta.press("Tab")
    click_and_render(trainer, "#reset-button")
    click_and_render(trainer, "#step-button")
    loss = trainer.evaluate("backpropExplorer.gradients()")["loss"]
    assert math.isfinite(loss) and loss < 100


def test_run_n_steps_and_its_message(trainer) -> None:
    field = trainer.locator("#run-steps")
    field.fill("abc")
    trainer.locator("#run-form button").click()
    error = trainer.locator("#run-error")
    error.wait_for(state="visible")
    assert error.text_content() == '"abc" is not a number'
    assert field.get_attribute("aria-invalid") == "true"
    field.fill("25")
    click_and_render(trainer, "#run-form button")
    assert trainer.evaluate("backpropExplorer.getState()")["weights"] != []
    newest = trainer.locator("#history-table tbody tr").first  # newest first
    assert newest.locator("th").text_content() == "25"
    assert trainer.locator("#loss-plot").get_attribute("data-points") == "26"


def test_play_and_pause(trainer) -> None:
    trainer.locator("#play-button").click()
    trainer.wait_for_function(
        "() => Number(document.querySelector('#history-table tbody tr')?.dataset.step) >= 3"
    )
    trainer.locator("#play-button").click()
    trainer.wait_for_function(
        "() => document.querySelector('#play-button').ariaPressed === 'false'"
    )
    trainer.evaluate("backpropExplorer.gradients()")  # runs after any step already queued
    first = trainer.locator("#history-table tbody tr").count()
    trainer.evaluate("backpropExplorer.gradients()")
    assert trainer.locator("#history-table tbody tr").count() == first >= 4


def test_log_scale_toggle_redraws_the_plot(trainer) -> None:
    trainer.evaluate("backpropExplorer.step(30)")
    trainer.locator("input[name=loss-scale][value=log]").check()
    label = trainer.locator("#loss-plot").get_attribute("aria-label")
    assert "logarithmic" in label and "steps 0 to 30" in label
    assert "Loss (log scale)" in trainer.locator("#loss-plot").text_content()
    trainer.locator("input[name=loss-scale][value=linear]").check()


def test_any_topology_from_the_explorer_trains_here(trainer) -> None:
    apply_preset(trainer, "deep")
    trainer.evaluate("backpropExplorer.setState({bias: true, loss: 'mse'})")
    start = trainer.evaluate("backpropExplorer.getState()")
    want = independent_steps(start, 3)
    for _ in range(3):
        click_and_render(trainer, "#step-button")
    state = trainer.evaluate("backpropExplorer.getState()")
    got, ref = flat(state["weights"]), flat(want[-1]["weights"])
    assert all(rel_close(a, b, rel=1e-12, abs_=1e-15) for a, b in zip(got, ref, strict=True))
    assert trainer.locator("#weights-table tbody").count() == 4
    assert trainer.locator("#updates-table [data-weight$='-0']").count() == 4 * (3 + 3 + 3 + 1)


def test_each_click_renders_exactly_once(trainer) -> None:
    for selector in (
        ".views [data-view='explorer']",
        ".views [data-view='training']",
        "#step-button",
    ):
        before = rendered(trainer)
        trainer.locator(selector).click()
        wait_render(trainer, before)
        trainer.evaluate("backpropExplorer.gradients()")  # queued after anything the click started
        assert rendered(trainer) == before + 1, selector


def test_playing_fetches_nothing(trainer) -> None:
    # Every render writes the State into the address; Chromium then fetches the page's icon
    # again unless it is a data: URL (build.py inlines it): a request per step of Play.
    requests: list[str] = []

    def record(request) -> None:
        requests.append(request.url)

    trainer.on("request", record)
    resources = "performance.getEntriesByType('resource').length"
    before = trainer.evaluate(resources)
    trainer.locator("#play-button").click()
    trainer.wait_for_function(
        "() => Number(document.querySelector('#history-table tbody tr')?.dataset.step) >= 5"
    )
    trainer.locator("#play-button").click()
    trainer.evaluate("backpropExplorer.gradients()")  # after any step already queued
    trainer.remove_listener("request", record)
    assert requests == []
    assert trainer.evaluate(resources) == before


def live_blink_objects(page, name: str) -> int:
    """How many objects called `name` a heap snapshot of the page holds, after a full GC."""
    cdp = page.context.new_cdp_session(page)
    chunks: list[str] = []
    cdp.on("HeapProfiler.addHeapSnapshotChunk", lambda event: chunks.append(event["chunk"]))
    cdp.send("HeapProfiler.collectGarbage")
    cdp.send("HeapProfiler.takeHeapSnapshot", {"reportProgress": False})
    cdp.detach()
    snapshot = json.loads("".join(chunks))
    fields = snapshot["snapshot"]["meta"]["node_fields"]
    at, width = fields.index("name"), len(fields)
    strings, nodes = snapshot["strings"], snapshot["nodes"]
    return sum(strings[nodes[i + at]] == name for i in range(0, len(nodes), width))


def test_redrawing_the_tables_retains_nothing(trainer) -> None:
    # Chromium 156 kept a media query object each time it styled a new thead (style.css says
    # break-inside on screen to avoid it): Play redraws two tables with one at every step.
    trainer.evaluate("backpropExplorer.step(1)")
    before = live_blink_objects(trainer, "blink::MediaQuerySet")
    trainer.evaluate("async () => { for (let i = 0; i < 20; i++) await backpropExplorer.step(1); }")
    assert live_blink_objects(trainer, "blink::MediaQuerySet") - before < 5
