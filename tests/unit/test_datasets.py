"""Data sets and mini-batches (issue 17 items 1, 2, 5): the State's ``samples`` and
``batchSize``, k steps against torch.optim's rules fed by the scalar autodiff's batch means,
the history's batch columns, the fields, the exports."""

from __future__ import annotations

import csv
import io

import pytest
from optim_reference import CONFIGS, flat_params, torch_style, with_params
from reply_schema import problems

from backprop_explorer import Session
from backprop_explorer.datasets import dataset_samples
from backprop_explorer.form import form_model
from backprop_explorer.links import encode_state
from backprop_explorer.reply_views import Form, Training
from backprop_explorer.state import StateError, default_state
from latex_check import compile_latex
from reference import batch_gradients, rel_close

XOR = [
    {"input": [0.0, 0.0], "target": [0.0]},
    {"input": [0.0, 1.0], "target": [1.0]},
    {"input": [1.0, 0.0], "target": [1.0]},
    {"input": [1.0, 1.0], "target": [0.0]},
]


@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: "-".join(map(str, c.values())))
def test_xor_in_batches_of_two_matches_torch_on_the_scalar_autodiff(config, bias) -> None:
    """k = 7 Steps on XOR, batch size 2: batches 1-2, 3-4, 1-2, …, each step the mean gradient
    of its batch (tests/reference.py) through torch's rules (tests/optim_reference.py)."""
    session = Session(
        {"optimizer": config, "bias": bias, "learningRate": 0.05, "samples": XOR, "batchSize": 2}
    )
    if bias:
        session.set_state({"biases": [[0.1, -0.2, 0.3], [0.05]]})
    state = session.get_state()
    reference = torch_style(config, 0.05)
    params = flat_params(state["weights"], state.get("biases", []))
    for step in range(7):
        batch = XOR[:2] if step % 2 == 0 else XOR[2:]
        g = batch_gradients(with_params(state, params), batch)
        reference.step(params, flat_params(g["weights"], g["biases"]))
    session.step(3)
    session.step(4)  # the batches and the optimizer's state carry over between calls
    got = session.get_state()
    mine = flat_params(got["weights"], got.get("biases", []))
    assert all(rel_close(a, b) for a, b in zip(mine, params, strict=True)), (mine, params)
    rows = session.run.history
    assert [r["batch"] for r in rows] == [None] + [[1, 2], [3, 4]] * 3 + [[1, 2]]
    whole = batch_gradients(with_params(state, params), XOR)["loss"]
    assert rel_close(rows[-1]["loss"], whole)


def test_the_last_batch_of_an_epoch_may_be_smaller() -> None:
    session = Session({"samples": XOR[:3], "batchSize": 2})
    session.step(5)
    assert [r["batch"] for r in session.run.history[1:]] == [[1, 2], [3], [1, 2], [3], [1, 2]]


def test_no_data_set_is_the_seeds_demo_and_its_default_state() -> None:
    assert "samples" not in default_state() and "batchSize" not in default_state()
    plain, pair = Session(), Session({"samples": [{"input": [1.0, 0.5], "target": [2.0]}]})
    plain.step(5)
    pair.step(5)
    # a data set of the one pair trains exactly as the seed's demo does
    assert plain.get_state()["weights"] == pair.get_state()["weights"]
    assert [r["loss"] for r in plain.run.history] == [r["loss"] for r in pair.run.history]
    # an old permalink (no samples) opens as before
    old = Session()
    assert old.open_link(encode_state(default_state())) is None
    assert old.get_state() == default_state()


def test_the_batch_size_defaults_to_all_and_is_checked() -> None:
    session = Session({"samples": XOR})
    assert "batchSize" not in session.get_state()
    session.step(2)
    assert [r["batch"] for r in session.run.history[1:]] == [[1, 2, 3, 4]] * 2
    with pytest.raises(StateError) as err:
        session.set_state({"batchSize": 5})
    assert str(err.value) == "Batch size: must be an integer between 1 and 4, got 5"
    with pytest.raises(StateError) as err:
        Session().set_state({"batchSize": 2})
    assert str(err.value) == "Batch size: can only be given with samples: choose a data set first"
    with pytest.raises(StateError) as err:
        session.set_state({"samples": [{"input": [1.0], "target": [0.0]}]})
    assert str(err.value) == "Sample 1, inputs x: must have 2 entries (input values), got 1"
    session.set_state({"batchSize": 3})
    session.set_state({"samples": XOR[:2]})
    assert "batchSize" not in session.get_state()  # too large for the smaller set: all of it


def test_a_new_topology_resizes_the_samples() -> None:
    session = Session({"samples": XOR})
    session.set_state({"layers": [3, 2, 2]})
    sample = session.get_state()["samples"][1]
    assert sample == {"input": [0.0, 1.0, -1.0], "target": [1.0, -1.0]}


def test_fields_choose_a_set_edit_a_sample_the_batch_size_and_the_sample_shown() -> None:
    session = Session()
    session.edit("samples", "xor")
    assert session.get_state()["samples"] == XOR == dataset_samples("xor")
    session.edit("batchSize", "2")
    session.edit("samples[3].target[0]", "0.5")
    assert session.get_state()["samples"][3]["target"] == [0.5]
    session.edit("sample", "2")
    assert (session.state["input"], session.state["target"]) == ([0.0, 1.0], [1.0])
    form = session_form(session)
    data = form["training"]["dataset"]
    assert data["chosen"] == "own" and [o["label"] for o in data["options"]] == [
        "The current input and target only",
        "XOR (4 samples)",
        "AND (4 samples)",
        "OR (4 samples)",
        "Your own samples",
    ]
    assert data["heads"] == ["Sample", "x₁", "x₂", "y₁", ""]
    assert [r["shown"] for r in data["rows"]] == [False, True, False, False]
    assert data["batch"]["help"] == "2 batches per epoch, taken in order; 1 to 4"
    assert form["values"]["samples[3].target[0]"] == "0.5" and form["values"]["batchSize"] == "2"
    for field, text, message in [
        ("batchSize", "1.5", 'Batch size: must be a whole number, got "1.5"'),
        ("samples", "curve", 'Data set: must be one of "pair", "xor", "and", "or", got "curve"'),
        ("sample", "9", 'Sample shown: must be a sample\'s number, 1 to 4, got "9"'),
        ("samples[0].input[0]", "1,5", 'Sample 1, input x₁: "1,5" is not a number: write '
         "decimals with a dot: 1.5"),
        ("optimizer.beta1", "0.9", "Optimizer setting β₁: is not a setting of the chosen optimizer"),
    ]:  # fmt: skip
        before = session.get_state()
        with pytest.raises(StateError) as err:
            session.edit(field, text)
        assert str(err.value) == message
        assert session.get_state() == before
    session.edit("samples", "pair")
    assert "samples" not in session.get_state()


def session_form(session: Session) -> dict:
    return form_model(session.state, None)


def test_the_optimizer_fields() -> None:
    session = Session()
    session.edit("optimizer.name", "adam")
    assert session.get_state()["optimizer"] == {
        "name": "adam", "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}  # fmt: skip
    session.edit("optimizer.beta2", "0.99")
    assert session.get_state()["optimizer"]["beta2"] == 0.99
    with pytest.raises(StateError) as err:
        session.edit("optimizer.beta1", "1")
    assert str(err.value) == (
        "Optimizer setting β₁: must be a number at least 0 and less than 1, got 1"
    )
    form = session_form(session)["training"]["optimizer"]
    assert form["chosen"] == "adam" and [s["label"] for s in form["settings"]] == ["β₁", "β₂", "ε"]
    assert form["settings"][0]["help"] == "a number at least 0 and less than 1"


def test_the_training_view_shows_batch_columns_and_both_losses() -> None:
    session = Session({"samples": XOR, "batchSize": 2, "view": "training"})
    session.step(3)
    t = session.training()
    assert t["heads"]["history"] == [
        "Step", "Batch", "Batch loss", "Loss, whole set", "Prediction", "Target", "ΔLoss"]  # fmt: skip
    newest = t["rows"][-1]
    assert newest["cells"][:2] == ["1, 2", newest["text"]["batchLoss"]]
    assert t["heads"]["updates"][2] == "∂𝓛/∂w, batch mean"
    kinds = [s["kind"] for s in t["lossPlot"]["series"]]
    assert kinds == ["set", "batch"] and t["lossPlot"]["legend"] is True
    assert [p[0] for p in t["lossPlot"]["series"][1]["points"]] == [1, 2, 3]
    assert problems(t, Training) == []


def test_the_derivation_ends_with_the_batch_mean_one_term_per_sample() -> None:
    session = Session(
        {"samples": XOR, "batchSize": 2, "selected": {"layer": 2, "to": 1, "from": 1}}
    )
    last = session.derivation()["steps"][-1]
    assert last["label"] == "Next step of Gradient descent (step 1)"
    assert r"\sum_{i \in \{1, 2\}}" in last["tex"]


def test_exports_name_the_optimizer_and_the_data_set(tmp_path) -> None:
    session = Session({"samples": XOR, "batchSize": 2, "optimizer": {"name": "adam"}})
    session.step(2)
    rows = list(csv.DictReader(io.StringIO(session.export("csv")["text"])))
    assert list(rows[0])[-4:] == ["batch", "batch_loss", "batch_size", "optimizer"]
    assert [r["batch"] for r in rows] == ["", "1 2", "3 4"]
    assert rows[2]["optimizer"] == "Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-08)"
    assert float(rows[1]["batch_loss"]) == session.run.history[1]["batchLoss"]
    tex = session.export("latex")["text"]
    assert (
        r"Trained with Adam ($\beta_1$ = 0.9, $\beta_2$ = 0.999, $\varepsilon$ = 1e-08),"
        " learning rate 0.01, on 4 samples in batches of 2" in tex
    )
    compile_latex(tex, tmp_path)  # raises on any LaTeX error (pdflatex reads no Greek)
    assert "Trained with" not in Session().export("latex")["text"]


def test_the_form_model_declares_its_training_part() -> None:
    assert problems(form_model(Session({"samples": XOR}).state, None), Form) == []


def test_a_permalink_carries_the_data_set_batch_size_and_optimizer() -> None:
    state = Session(
        {"samples": XOR, "batchSize": 2, "optimizer": {"name": "rmsprop", "alpha": 0.9}}
    ).get_state()
    opened = Session()
    assert opened.open_link(encode_state(state)) is None
    assert opened.get_state() == state
