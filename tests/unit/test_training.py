"""The training-step demo in CPython: steps against an independent gradient descent, the
history, the weight-update record, Reset Weights, divergence and the dead-ReLU notices."""

from __future__ import annotations

import math

import pytest

from backprop_explorer import Session, StateError
from backprop_explorer import training as training_module
from backprop_explorer.loss_plot import PLOT_POINTS, plot_points
from backprop_explorer.names import neuron_name, sig, sig_tex
from backprop_explorer.session import next_seed
from backprop_explorer.training import Run
from reference import independent_steps, rel_close


def test_defaults_are_the_seeds() -> None:
    s = Session().get_state()
    assert s["layers"] == [2, 3, 1]
    assert s["activations"] == ["relu", "linear"]
    assert s["bias"] is False and s["loss"] == "half_sse"
    assert s["input"] == [1.0, 0.5] and s["target"] == [2.0]
    assert s["learningRate"] == 0.01


def test_k_steps_match_an_independent_gradient_descent() -> None:
    session = Session({"view": "training"})
    start = session.get_state()
    want = independent_steps(start, 5)
    for i in range(5):
        session.step(1)
        state = session.get_state()
        flat = [w for W in state["weights"] for row in W for w in row]
        ref = [w for W in want[i]["weights"] for row in W for w in row]
        assert all(rel_close(a, b, rel=1e-12, abs_=1e-15) for a, b in zip(flat, ref, strict=True))
    rows = session.training()["rows"]
    assert [r["step"] for r in rows] == [0, 1, 2, 3, 4, 5]
    for row, ref in zip(rows[1:], want, strict=True):
        assert rel_close(row["loss"], ref["loss"], rel=1e-12)
        assert rel_close(row["prediction"][0], ref["output"][0], rel=1e-12)
        assert row["target"] == [2.0]
    assert rows[0]["lossChange"] is None and rows[0]["text"]["lossChange"] == "—"
    assert rows[1]["lossChange"] == rows[1]["loss"] - rows[0]["loss"]
    assert rows[1]["text"]["loss"] == f"{rows[1]['loss']:.4f}"


def test_step_n_at_once_equals_n_single_steps() -> None:
    a, b = Session(), Session()
    a.step(7)
    for _ in range(7):
        b.step(1)
    assert a.get_state() == b.get_state()
    assert a.training()["rows"] == b.training()["rows"]


def test_history_starts_at_step_zero_with_the_seeds_numbers() -> None:
    t = Session({"view": "training"}).training()
    assert t["step"] == 0 and t["total"] == 1
    row = t["rows"][0]
    assert row["text"] == {
        "step": "0",
        "loss": f"{t['loss']:.4f}",
        "prediction": f"{t['prediction'][0]:.3f}",
        "target": "2.000",
        "lossChange": "—",
        "batch": "—",
        "batchLoss": "—",
    }
    assert row["cells"] == [row["text"][p] for p in ("loss", "prediction", "target", "lossChange")]
    assert t["lastUpdate"] is None


def test_last_update_records_old_gradient_delta_new_and_agrees_with_the_derivation() -> None:
    session = Session()
    selected = session.select({"layer": 1, "to": 2, "from": 1})
    derivation = session.derivation()
    session.step(1)
    update = {u["id"]: u for u in session.training()["lastUpdate"]}
    assert len(update) == 9
    u = update["1-2-1"]
    assert u["gradient"] == selected["gradient"]  # the very same float
    assert u["delta"] == -0.01 * u["gradient"]
    assert u["new"] == u["old"] + u["delta"] == session.get_state()["weights"][0][1][0]
    assert u["text"] == {k: sig(u[k], zeros=True) for k in ("old", "gradient", "delta", "new")}
    assert u["name"] == "w⁽¹⁾₂,₁" and u["route"] == "I1 → H2" and u["kind"] == "weight"
    line = next(s for s in derivation["steps"] if s["id"] == "numbers-update")["tex"]
    assert rf"\wt{{{sig_tex(u['old'])}}}" in line
    assert rf"\wt{{{sig_tex(u['new'])}}}" in line
    assert sig_tex(abs(u["gradient"])) in line


def test_bias_updates_are_recorded_too() -> None:
    session = Session({"bias": True})
    session.step(1)
    ids = [u["id"] for u in session.training()["lastUpdate"]]
    assert ids[-1] == "2-1-0" and "1-3-0" in ids


def test_the_loss_note_says_it_plainly() -> None:
    assert Session().training()["lossFormula"]["note"] == (
        "(often called MSE too; the ½ makes ∂𝓛/∂a = a − y)"
    )


def test_reset_weights_moves_to_the_next_seed_and_restore_brings_back_the_trained_weights() -> None:
    session = Session({"bias": True})
    session.step(3)
    trained = session.get_state()
    assert trained["weights"] != Session({"bias": True}).get_state()["weights"]
    state = session.reset_weights()
    assert state["seed"] == next_seed(37) != 37
    assert state["weights"] != trained["weights"]
    t = session.training()
    assert t["step"] == 0 and t["previousSeed"] == 37 and t["lastUpdate"] is None
    assert t["restore"] == "Restore the weights from before Reset"
    restored = session.restore_seed()
    assert restored["seed"] == 37
    assert restored["weights"] == trained["weights"]  # the trained weights, not the seed's
    assert restored["biases"] == trained["biases"]
    t = session.training()
    assert t["previousSeed"] is None and t["restore"] is None


def test_weights_of_another_shape_are_not_restored() -> None:
    session = Session()
    session.reset_weights()
    session.set_state({"layers": [2, 2, 1]})
    assert session.training()["restore"] is None


def test_restore_without_reset_is_explained() -> None:
    with pytest.raises(StateError) as err:
        Session().restore_seed()
    assert str(err.value) == (
        "Seed: there are no weights from before a Reset to restore: reset the weights first"
    )


def test_learning_rate_50_stops_before_the_blow_up_and_keeps_the_steps_taken() -> None:
    session = Session({"learningRate": 50})
    result = session.step(60)
    assert (result["taken"], result["requested"]) == (1, 60)
    want = (
        "Training stopped before step 2: it would take weight w(1)3,1 to −3.253 × 10⁶, beyond"
        " the ±10⁶ a weight may hold. The steps taken stay on screen (the loss is now"
        " 325319.0158). The learning rate η = 50 is too high for this network: lower it, or"
        " press Reset Weights."
    )
    assert result["stopped"] == want
    history = session.training()
    assert [n["text"] for n in history["notices"] if n["kind"] == "warn"] == [want]
    assert history["step"] == 1 and history["lastUpdate"]
    before = session.get_state()
    for _ in range(3):  # pressing Step again takes nothing and says it once
        again = session.step(1)
        assert again["taken"] == 0 and again["stopped"] == want
    assert session.get_state() == before
    assert [n["text"] for n in session.training()["notices"] if n["kind"] == "warn"] == [want]
    for row in session.training()["rows"]:
        assert math.isfinite(row["loss"]) and all(map(math.isfinite, row["prediction"]))
    session.reset_weights()
    assert session.training()["notices"] == [] or all(
        n["kind"] == "info" for n in session.training()["notices"]
    )


def test_a_loss_that_is_no_longer_finite_is_named() -> None:
    session = Session({"learningRate": 1000, "input": [1000, 1000], "target": [-1000]})
    result = session.step(50)
    assert result["taken"] == 0
    assert result["stopped"].startswith("Training stopped before step 1: it would take weight ")


def test_dead_relu_is_pointed_out() -> None:
    t = Session({"view": "training"}).training()
    dead = [n for n in t["notices"] if "dead ReLU" in n["text"]]
    assert len(dead) == 1 and dead[0]["text"].startswith("H1 is a dead ReLU for this input: z = ")
    assert dead[0]["kind"] == "info"
    assert Session({"activations": ["sigmoid", "linear"]}).training()["notices"] == []


def test_a_run_restarts_for_another_network_but_not_for_a_new_target() -> None:
    session = Session()
    session.step(2)
    session.set_state({"target": [1.5]})
    assert session.training()["step"] == 2
    session.step(1)
    assert session.training()["rows"][-1]["target"] == [1.5]
    session.edit("weights[1][0][0]", "0.5")
    assert session.training()["step"] == 0
    session.set_state({"input": [0.5, 0.5]})  # no step yet: step 0 shows the new numbers
    assert session.training()["rows"][0]["loss"] == session.gradients()["loss"]


def test_weights_table_names_neurons_like_the_seed() -> None:
    table = Session().training()["weights"]
    assert [b["title"] for b in table] == ["Input → Hidden", "Hidden → Output"]
    assert table[0]["heads"] == ["From I1", "From I2"]
    assert [r["head"] for r in table[0]["rows"]] == ["→ H1", "→ H2", "→ H3"]
    assert table[1]["rows"][0]["cells"][2]["id"] == "2-1-3"
    assert table[1]["rows"][0]["cells"][2]["title"] == "w⁽²⁾₁,₃ (H3 → Output)"
    assert neuron_name([2, 3, 3, 2], 2, 1, short=True) == "H2.1"
    assert neuron_name([2, 3, 3, 2], 3, 2, short=True) == "O2"


def test_plot_points_keep_first_last_and_extremes() -> None:
    history = [
        {"step": i, "loss": 1.0 / (i + 1) + (5.0 if i == 777 else 0.0)} for i in range(10_000)
    ]
    points = plot_points(history)
    assert len(points) <= PLOT_POINTS + 1
    assert points[0] == [0, 1.0] and points[-1][0] == 9_999
    assert [777, history[777]["loss"]] in points
    assert [p[0] for p in points] == sorted(p[0] for p in points)


def test_long_runs_thin_old_history_but_keep_recent_rows(monkeypatch) -> None:
    monkeypatch.setattr(training_module, "MAX_HISTORY", 300)
    monkeypatch.setattr(training_module, "KEEP_RECENT", 100)
    run = Run()
    run.start(1.0, [0.0], [1.0])
    for i in range(1, 1001):
        run.record(1.0 / i, [0.0], [1.0], [], 0.01)
    steps = [r["step"] for r in run.history]
    assert len(steps) <= 300 and steps[0] == 0 and steps[-100:] == list(range(901, 1001))
    assert run.step == 1000


def test_tiny_losses_are_not_shown_as_zero() -> None:
    session = Session({"learningRate": 0.1})
    session.step(40)
    rows = session.training()["rows"]
    assert rows[-1]["loss"] < 1e-4
    assert rows[-1]["text"]["loss"] == f"{rows[-1]['loss']:.1e}"
    assert rows[-1]["text"]["lossChange"] == f"{rows[-1]['lossChange']:+.1e}"
    assert rows[0]["text"]["loss"] == f"{rows[0]['loss']:.4f}"
