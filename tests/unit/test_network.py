"""The core's gradients against two independent references, on many random networks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_explorer import ACTIVATIONS, LOSSES, Session
from backprop_explorer.activations import get_activation
from backprop_explorer.network import backward, forward, gradient_descent_step, init_params
from backprop_explorer.session import params_of
from reference import autodiff_gradients, mp_finite_difference, rel_close

ACTS = sorted(ACTIVATIONS)
finite = st.floats(-2.0, 2.0, allow_nan=False)


@st.composite
def random_states(draw, max_layers: int = 5, max_neurons: int = 4) -> dict:
    layers = draw(st.lists(st.integers(1, max_neurons), min_size=2, max_size=max_layers))
    n_layers = len(layers) - 1
    bias = draw(st.booleans())
    state = {
        "layers": layers,
        "activations": draw(st.lists(st.sampled_from(ACTS), min_size=n_layers, max_size=n_layers)),
        "loss": draw(st.sampled_from(sorted(LOSSES))),
        "bias": bias,
        "weights": [
            [[draw(finite) for _ in range(layers[l - 1])] for _ in range(layers[l])]
            for l in range(1, n_layers + 1)
        ],
        "input": [draw(finite) for _ in range(layers[0])],
        "target": [draw(finite) for _ in range(layers[-1])],
    }
    if bias:
        state["biases"] = [[draw(finite) for _ in range(n)] for n in layers[1:]]
    return state


def _kink_free(state: dict) -> bool:
    """True unless some pre-activation sits within 1e-9 of a ReLU kink (FD is undefined there)."""
    params = params_of(state)
    fwd = forward(params, np.array(state["input"]))
    return all(np.all(np.abs(z) > 1e-9) for z in fwd.z)


@settings(max_examples=150, deadline=None)
@given(random_states())
def test_gradients_match_scalar_autodiff(partial: dict) -> None:
    session = Session(partial)
    got = session.gradients()
    want = autodiff_gradients(session.get_state())
    assert rel_close(got["loss"], want["loss"])
    for a, b in zip(got["output"], want["output"], strict=True):
        assert rel_close(a, b)
    for gl, wl in zip(got["weights"], want["weights"], strict=True):
        for grow, wrow in zip(gl, wl, strict=True):
            for g, w in zip(grow, wrow, strict=True):
                assert rel_close(g, w), (g, w)
    assert len(got["biases"]) == len(want["biases"])
    for gl, wl in zip(got["biases"], want["biases"], strict=True):
        for g, w in zip(gl, wl, strict=True):
            assert rel_close(g, w), (g, w)


@settings(max_examples=60, deadline=None)
@given(random_states(max_layers=4, max_neurons=3))
def test_gradients_match_high_precision_finite_differences(partial: dict) -> None:
    session = Session(partial)
    state = session.get_state()
    if not _kink_free(state):
        return
    got = session.gradients()["weights"]
    for l, W in enumerate(state["weights"], start=1):
        for j, row in enumerate(W, start=1):
            for k in range(1, len(row) + 1):
                want = mp_finite_difference(state, l, j, k)
                assert rel_close(got[l - 1][j - 1][k - 1], want, rel=1e-9, abs_=1e-13)


@pytest.mark.parametrize(
    ("name", "z", "value", "slope"),
    [
        ("relu", 0.0, 0.0, 0.0),  # ReLU'(0) = 0, as PyTorch
        ("relu", -2.0, 0.0, 0.0),
        ("relu", 3.0, 3.0, 1.0),
        ("leaky_relu", 0.0, 0.0, 0.01),  # leaky ReLU'(0) = 0.01, as PyTorch
        ("leaky_relu", -2.0, -0.02, 0.01),
        ("leaky_relu", 2.0, 2.0, 1.0),
        ("sigmoid", 0.0, 0.5, 0.25),
        ("tanh", 0.0, 0.0, 1.0),
        ("linear", -1.5, -1.5, 1.0),
    ],
)
def test_activation_values_and_kinks(name: str, z: float, value: float, slope: float) -> None:
    act = get_activation(name)
    assert act.f(np.array([z]))[0] == pytest.approx(value)
    assert act.df(np.array([z]))[0] == pytest.approx(slope)


def test_sigmoid_does_not_overflow() -> None:
    act = get_activation("sigmoid")
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out = act.f(np.array([-1000.0, 1000.0]))
    assert out.tolist() == [0.0, 1.0]


def test_worked_example_by_hand() -> None:
    """2-2-1 network, ReLU then linear, half squared error, numbers done on paper."""
    state = {
        "layers": [2, 2, 1],
        "activations": ["relu", "linear"],
        "weights": [[[0.5, -1.0], [0.25, 0.5]], [[2.0, -1.0]]],
        "input": [1.0, 0.5],
        "target": [1.0],
    }
    g = Session(state).gradients()
    # z1 = [0.5 - 0.5, 0.25 + 0.25] = [0, 0.5] -> a1 = [0, 0.5]; yhat = -0.5; L = 1/2 (1.5)^2
    assert g["output"] == [-0.5]
    assert g["loss"] == 1.125
    # delta2 = yhat - y = -1.5; dL/dw2 = delta2 * a1 = [0, -0.75]
    assert g["weights"][1] == [[-0.0, -0.75]]
    # delta1 = w2^T delta2 * relu'(z1) = [2 * -1.5 * 0 (kink: 0), -1 * -1.5 * 1] = [0, 1.5]
    assert g["weights"][0] == [[0.0, 0.0], [1.5, 0.75]]


def test_mse_divides_by_number_of_outputs() -> None:
    base = {
        "layers": [1, 2],
        "activations": ["linear"],
        "weights": [[[1.0], [2.0]]],
        "input": [1.0],
        "target": [0.0, 0.0],
    }
    half = Session({**base, "loss": "half_sse"}).gradients()
    mse = Session({**base, "loss": "mse"}).gradients()
    assert half["loss"] == 2.5  # 1/2 (1 + 4)
    assert mse["loss"] == 2.5  # 1/2 (1 + 4): n_L = 2
    assert mse["weights"] == [[[1.0], [2.0]]]  # 2 (a - y) / 2


def test_gradient_descent_step_uses_pre_step_gradients() -> None:
    session = Session({"learningRate": 0.1, "bias": True})
    before = session.get_state()
    grads = session.gradients()
    after = session.step(1)["state"]
    for W0, G, W1 in zip(before["weights"], grads["weights"], after["weights"], strict=True):
        assert np.allclose(np.array(W1), np.array(W0) - 0.1 * np.array(G), rtol=0, atol=1e-15)
    for b0, g, b1 in zip(before["biases"], grads["biases"], after["biases"], strict=True):
        assert np.allclose(np.array(b1), np.array(b0) - 0.1 * np.array(g), rtol=0, atol=1e-15)


def test_k_steps_equal_k_independent_steps() -> None:
    session = Session({"learningRate": 0.05})
    state = session.get_state()
    params = params_of(state)
    x, y = np.array(state["input"]), np.array(state["target"])
    for _ in range(7):
        params = gradient_descent_step(
            params, backward(params, forward(params, x), y, "half_sse"), 0.05
        )
    after = session.step(7)["state"]
    for W, want in zip(after["weights"], params.weights, strict=True):
        assert np.array_equal(np.array(W), want)


def test_init_is_seeded_and_reproducible() -> None:
    a = init_params([3, 4, 2], ["tanh", "linear"], seed=7, bias=True)
    b = init_params([3, 4, 2], ["tanh", "linear"], seed=7, bias=True)
    c = init_params([3, 4, 2], ["tanh", "linear"], seed=8, bias=True)
    assert all(np.array_equal(x, y) for x, y in zip(a.weights, b.weights, strict=True))
    assert not all(np.array_equal(x, y) for x, y in zip(a.weights, c.weights, strict=True))
    assert [w.shape for w in a.weights] == [(4, 3), (2, 4)]
    assert all(np.all(b == 0) for b in a.biases)
    # Glorot-uniform bound sqrt(6 / (n_in + n_out))
    assert np.all(np.abs(a.weights[0]) <= np.sqrt(6 / 7))
    # Mersenne Twister is stable across Python versions: pin the first weights.
    assert a.weights[0][0].tolist() == [-0.326, -0.647, 0.279]
