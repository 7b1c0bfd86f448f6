"""The optimizers against torch.optim's rules written out independently (tests/optim_reference.py)."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from optim_reference import CONFIGS, flat_params, torch_style, with_params

from backprop_explorer import Session
from backprop_explorer.names import sig, sig_tex
from backprop_explorer.optimizers import OPTIMIZERS, SLOT_NAMES, update
from backprop_explorer.state import StateError
from latex_check import compile_latex
from reference import autodiff_gradients, rel_close


def _run(config: dict, lr: float, start: list[float], grads: list[list[float]]):
    theta, slots = np.array(start), {}
    for t, g in enumerate(grads, start=1):
        theta, slots = update(config, lr, theta, np.array(g), slots, t)
    return theta, slots


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: "-".join(map(str, c.values())))
def test_k_steps_match_the_torch_rules(config) -> None:
    rng = random.Random(7)
    start = [rng.uniform(-1, 1) for _ in range(6)]
    # Gradients of every size and sign, a zero among them (RMSprop and Adam divide by roots).
    grads = [[rng.choice([-1, 1]) * 10 ** rng.uniform(-4, 1) for _ in start] for _ in range(12)]
    grads[3][2] = 0.0
    theta, _ = _run(config, 0.05, start, grads)
    reference = torch_style(config, 0.05)
    params = list(start)
    for g in grads:
        reference.step(params, g)
    for mine, theirs in zip(theta, params, strict=True):
        assert rel_close(float(mine), theirs), (config, float(mine), theirs)


def test_the_first_adam_step_moves_each_weight_by_the_learning_rate() -> None:
    # m^ = g and v^ = g^2 after one step, so the step is lr g / (|g| + eps): lr sign(g).
    config = {"name": "adam", "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    theta, slots = update(config, 0.1, np.array([1.0, 1.0]), np.array([3.0, -0.02]), {}, 1)
    assert theta.tolist() == pytest.approx([0.9, 1.1], rel=1e-6)
    assert slots["m"].tolist() == pytest.approx([0.3, -0.002])
    assert slots["mHat"].tolist() == pytest.approx([3.0, -0.02])
    assert slots["vHat"].tolist() == pytest.approx([9.0, 0.0004])


def test_momentum_starts_from_the_gradient_then_accumulates() -> None:
    # b_1 = g_1 (no dampening at the first step); b_2 = mu b_1 + (1 - tau) g_2.
    config = {"name": "momentum", "momentum": 0.9, "dampening": 0.5}
    theta, slots = update(config, 1.0, np.array([0.0]), np.array([2.0]), {}, 1)
    assert slots["velocity"].tolist() == [2.0] and theta.tolist() == [-2.0]
    theta, slots = update(config, 1.0, theta, np.array([2.0]), slots, 2)
    assert slots["velocity"].tolist() == pytest.approx([2.8]) and theta.tolist() == pytest.approx(
        [-4.8]
    )


def test_every_optimizer_names_its_slots_and_hyper_parameters() -> None:
    assert set(SLOT_NAMES) == set(OPTIMIZERS)
    for name, optimizer in OPTIMIZERS.items():
        config = {"name": name, **{k: h.default for k, h in optimizer.hypers.items()}}
        _, slots = update(config, 0.1, np.array([1.0]), np.array([0.5]), {}, 1)
        assert set(slots) == set(SLOT_NAMES[name]), name
        for hyper in optimizer.hypers.values():
            assert hyper.allows(hyper.default)
            assert not hyper.allows(math.nextafter(hyper.low, -math.inf))
            assert not hyper.allows(math.nextafter(hyper.high, math.inf))


def test_torch_defaults() -> None:
    assert {k: h.default for k, h in OPTIMIZERS["adam"].hypers.items()} == {
        "beta1": 0.9,
        "beta2": 0.999,
        "eps": 1e-8,
    }
    assert {k: h.default for k, h in OPTIMIZERS["rmsprop"].hypers.items()} == {
        "alpha": 0.99,
        "eps": 1e-8,
    }
    assert OPTIMIZERS["nesterov"].hypers["momentum"].default == 0.9
    assert OPTIMIZERS["momentum"].hypers["dampening"].default == 0.0


def test_the_span_is_said_in_words() -> None:
    assert OPTIMIZERS["adam"].hypers["beta1"].span() == "a number at least 0 and less than 1"
    assert OPTIMIZERS["adam"].hypers["eps"].span() == "a number greater than 0 and at most 1"


@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: "-".join(map(str, c.values())))
def test_session_steps_match_the_torch_rules_on_the_scalar_autodiff(config, bias) -> None:
    """k Steps of the Session against torch's rules fed by tests/reference.py's gradients."""
    session = Session({"optimizer": config, "bias": bias, "learningRate": 0.05})
    if bias:
        session.set_state({"biases": [[0.1, -0.2, 0.3], [0.05]]})
    state = session.get_state()
    reference, params = (
        torch_style(config, 0.05),
        flat_params(state["weights"], state.get("biases")),
    )
    for _ in range(7):
        grads = autodiff_gradients(with_params(state, params))
        reference.step(params, flat_params(grads["weights"], grads["biases"]))
    session.step(3)
    session.step(4)  # the optimizer's state carries over from one call to the next
    got = flat_params(session.get_state()["weights"], session.get_state().get("biases"))
    assert all(rel_close(a, b) for a, b in zip(got, params, strict=True)), (got, params)


def test_the_update_table_shows_the_optimizer_state_before_and_after() -> None:
    session = Session({"optimizer": {"name": "adam"}, "view": "training"})
    session.step(2)
    first = session.training()["lastUpdate"][0]
    assert [s["name"] for s in first["slots"]] == ["m", "v", "mHat", "vHat"]
    m = first["slots"][0]
    beta1, g = 0.9, first["gradient"]
    assert m["after"] == pytest.approx(beta1 * m["before"] + (1 - beta1) * g, rel=1e-12)
    assert first["delta"] == pytest.approx(first["new"] - first["old"], rel=1e-12)
    assert m["text"]["after"] == sig(m["after"], zeros=True)
    heads = session.training()["heads"]["updates"]
    assert heads == [
        "Weight", "old w", "∂𝓛/∂w", "m before", "m after", "v before", "v after", "m̂", "v̂",
        "Δw by Adam", "new w",
    ]  # fmt: skip
    # one cell per head after the weight's own: the page lays rows out by them
    assert [c["text"] for c in first["cells"]] == [
        first["text"]["old"], first["text"]["gradient"], m["text"]["before"], m["text"]["after"],
        first["slots"][1]["text"]["before"], first["slots"][1]["text"]["after"],
        first["slots"][2]["text"]["after"], first["slots"][3]["text"]["after"],
        first["text"]["delta"], first["text"]["new"],
    ]  # fmt: skip
    momentum = Session({"optimizer": {"name": "momentum"}, "view": "training"})
    momentum.step(1)
    assert momentum.training()["heads"]["updates"][3:5] == ["b before", "b after"]


def test_changing_the_optimizer_starts_its_state_and_the_run_again() -> None:
    session = Session({"optimizer": {"name": "momentum"}})
    session.step(3)
    assert session.run.step == 3 and session.run.slots is not None
    session.set_state({"optimizer": {"name": "adam"}})
    assert session.run.step == 0 and session.run.slots is None
    session.step(1)
    assert session.training()["lastUpdate"][0]["slots"][0]["before"] == 0.0


def test_bad_optimizers_are_named_as_the_page_would() -> None:
    messages = {}
    for bad in (
        "adam",
        {"name": "adamw"},
        {"name": "adam", "beta1": 1},
        {"name": "rmsprop", "eps": 0},
        {"name": "gd", "momentum": 0.9},
    ):
        with pytest.raises(StateError) as err:
            Session().set_state({"optimizer": bad})
        messages[err.value.field] = str(err.value)
    assert messages == {
        "optimizer": 'Optimizer: "momentum" is not a setting of Gradient descent; its settings: none',
        "optimizer.name": 'Optimizer: must be one of "gd", "momentum", "nesterov", "rmsprop",'
        ' "adam", got "adamw"',
        "optimizer.beta1": "Optimizer setting β₁: must be a number at least 0 and less than 1,"
        " got 1",
        "optimizer.eps": "Optimizer setting ε: must be a number greater than 0 and at most 1,"
        " got 0",
    }


def test_the_default_demo_is_plain_gradient_descent() -> None:
    assert Session().get_state()["optimizer"] == {"name": "gd"}


@pytest.mark.parametrize("name", ["momentum", "nesterov", "rmsprop", "adam"])
def test_the_derivation_ends_with_the_step_the_optimizer_takes(name, tmp_path) -> None:
    """Its last line's value is the weight after the next Step; the export compiles."""
    sel = {"layer": 2, "to": 1, "from": 2}
    session = Session({"optimizer": {"name": name}, "selected": sel})
    session.step(2)
    last = session.derivation()["steps"][-1]
    assert last["id"] == "numbers-update"
    assert last["label"] == f"Next step of {OPTIMIZERS[name].label} (step 3)"
    session.step(1)
    after = session.get_state()["weights"][1][0][1]
    assert last["tex"].endswith(rf"= \wt{{{sig_tex(after)}}}\end{{aligned}}")
    text = compile_latex(session.export("latex")["text"], tmp_path)
    assert f"Next step of {OPTIMIZERS[name].label}" in text


def test_gradient_descent_keeps_its_own_line() -> None:
    session = Session({"selected": {"layer": 2, "to": 1, "from": 2}})
    assert session.derivation()["steps"][-1]["label"] == "Next gradient-descent step"


def test_the_update_table_says_which_optimizer_changed_the_weights() -> None:
    words = {}
    for config in ({"name": "gd"}, {"name": "adam"}):
        session = Session({"optimizer": config, "view": "training"})
        session.step(1)
        view = session.training()
        words[config["name"]] = (view["heads"]["updates"][-2], view["notes"]["updates"])
    assert words == {
        "gd": ("Δw = −η ∂𝓛/∂w", "Step 1 used gradient descent, η = 0.01."),
        "adam": ("Δw by Adam", "Step 1 used Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-08), η = 0.01."),
    }
