"""Training as it is done for real, in every engine (issue 17): an optimizer and a data set
chosen in the training panel, mini-batch Steps against torch's rules fed by the scalar
autodiff, the update table's optimizer state and the loss plot's lines and ticks."""

from __future__ import annotations

from across import act_and_render
from optim_reference import torch_style

from reference import batch_gradients, rel_close

XOR = [
    {"input": [0.0, 0.0], "target": [0.0]},
    {"input": [0.0, 1.0], "target": [1.0]},
    {"input": [1.0, 0.0], "target": [1.0]},
    {"input": [1.0, 1.0], "target": [0.0]},
]
# A menu's choice as the user's pick makes it: the value set, then the change event (a native
# menu's popup cannot be driven alike in the three engines).
CHOOSE = """([field, value]) => {
  const menu = document.querySelector(`#training-setup select[data-field="${field}"]`);
  menu.value = value;
  menu.dispatchEvent(new Event("change", { bubbles: true }));
}"""


def flat(weights: list) -> list[float]:
    return [w for W in weights for row in W for w in row]


def test_momentum_on_xor_in_batches_of_two_matches_torch(tab) -> None:
    act_and_render(tab, lambda: tab.click_element(".views [data-view='training']"))
    act_and_render(tab, lambda: tab.evaluate(CHOOSE, ["optimizer.name", "nesterov"]))
    act_and_render(tab, lambda: tab.evaluate(CHOOSE, ["samples", "xor"]))
    field = "#training-setup [data-field='batchSize']"
    tab.click_element(field)
    tab.evaluate("(sel) => document.querySelector(sel).select()", field)

    def batch_of_two() -> None:
        tab.type("2")
        tab.press("Tab")

    act_and_render(tab, batch_of_two)
    state = tab.evaluate("() => backpropExplorer.getState()")
    assert state["samples"] == XOR and state["batchSize"] == 2
    assert state["optimizer"] == {"name": "nesterov", "momentum": 0.9}

    reference, params = (
        torch_style(state["optimizer"], state["learningRate"]),
        flat(state["weights"]),
    )
    for step in range(3):
        it = iter(params)
        now = {**state, "weights": [[[next(it) for _ in r] for r in W] for W in state["weights"]]}
        g = batch_gradients(now, XOR[:2] if step % 2 == 0 else XOR[2:])
        reference.step(params, flat(g["weights"]))
    for _ in range(3):
        act_and_render(tab, lambda: tab.click_element("#step-button"))
    got = flat(tab.evaluate("() => backpropExplorer.getState().weights"))
    assert all(rel_close(a, b) for a, b in zip(got, params, strict=True)), (tab.engine, got)

    shown = tab.evaluate(
        """() => ({
          heads: [...document.querySelectorAll('#updates-table thead th')].map((t) => t.textContent),
          batch: document.querySelector('#history-table tbody tr td').textContent,
          lines: document.querySelectorAll('#loss-plot polyline').length,
          ticks: [...document.querySelectorAll('#loss-plot .axes text[text-anchor=end]')]
            .map((t) => t.textContent),
        })"""
    )
    assert shown["heads"][2:5] == ["∂𝓛/∂w, batch mean", "b before", "b after"], shown
    assert shown["batch"] == "1, 2" and shown["lines"] == 2, shown
    assert len(shown["ticks"]) == len(set(shown["ticks"])) >= 2, shown
    # a sample's Derive button: the derivation is for that sample now
    act_and_render(tab, lambda: tab.click_element("#training-setup button[data-key='derive-4']"))
    state = tab.evaluate("() => backpropExplorer.getState()")
    assert (state["input"], state["target"]) == ([1.0, 1.0], [0.0])
