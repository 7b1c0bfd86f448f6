"""State validation: every bad field is rejected with an exact message; nothing changes."""

from __future__ import annotations

import copy
import math

import pytest

from backprop_explorer import Session, StateError, default_state, merge
from backprop_explorer.state import opening_selection

NAN = math.nan
INF = math.inf


@pytest.mark.parametrize(
    ("partial", "message"),
    [
        (
            {"learningRate": NAN},
            "Learning rate η: must be a number greater than 0 and at most 1000, got NaN",
        ),
        (
            {"learningRate": "abc"},
            'Learning rate η: must be a number greater than 0 and at most 1000, got "abc"',
        ),
        (
            {"learningRate": 0},
            "Learning rate η: must be a number greater than 0 and at most 1000, got 0",
        ),
        (
            {"learningRate": -INF},
            "Learning rate η: must be a number greater than 0 and at most 1000, got -Infinity",
        ),
        (
            {"learningRate": True},
            "Learning rate η: must be a number greater than 0 and at most 1000, got true",
        ),
        ({"input": [1.0, "x"]}, 'Input x₂: must be a finite number, got "x"'),
        ({"input": [1.0, INF]}, "Input x₂: must be a finite number, got Infinity"),
        ({"input": [1.0]}, "Inputs x: must have 2 entries (input values), got 1"),
        ({"input": 3}, "Inputs x: must be a list of 2 input values, got 3"),
        ({"target": [None]}, "Target y₁: must be a finite number, got null"),
        ({"target": [1e7]}, "Target y₁: must be between -1e6 and 1e6, got 10000000"),
        (
            {"layers": [2]},
            "Topology: must be a list of 2 to 8 layer sizes (input first), got 1 entry",
        ),
        (
            {"layers": [1] * 9},
            "Topology: must be a list of 2 to 8 layer sizes (input first), got 9 entries",
        ),
        (
            {"layers": "2,3,1"},
            'Topology: must be a list of 2 to 8 layer sizes (input first), got "2,3,1"',
        ),
        ({"layers": [2, 11, 1]}, "Size of layer 1: must be an integer between 1 and 10, got 11"),
        ({"layers": [2, 0, 1]}, "Size of layer 1: must be an integer between 1 and 10, got 0"),
        ({"layers": [2, 2.5, 1]}, "Size of layer 1: must be an integer between 1 and 10, got 2.5"),
        ({"activations": ["relu"]}, "Activations: must have 2 entries (activation names), got 1"),
        (
            {"activations": ["relu", "softmax"]},
            'σ of layer 2: must be one of "linear", "relu", "sigmoid", "tanh", "leaky_relu", got "softmax"',
        ),
        ({"loss": "l1"}, 'Loss: must be one of "half_sse", "mse", got "l1"'),
        ({"bias": 1}, "Biases: must be true or false, got 1"),
        ({"biases": [[0, 0, 0], [0]]}, "Bias values: can only be given when bias is true"),
        ({"seed": -1}, "Seed: must be an integer between 0 and 4294967295, got -1"),
        ({"seed": 1.5}, "Seed: must be an integer between 0 and 4294967295, got 1.5"),
        ({"view": "other"}, 'View: must be one of "explorer", "training", got "other"'),
        (
            {"notation": "tensor"},
            'Notation: must be one of "explicit", "einstein", "vector", got "tensor"',
        ),
        ({"colour": "red"}, "colour: is not a State field"),
        (
            {"weights": [[[0.1, 0.2]] * 3]},
            "Weights: must have 2 entries (matrices W(1)..W(L)), got 1",
        ),
        (
            {"weights": [[[0.1, 0.2]] * 2, [[1, 2, 3]]]},
            "Weights W(1): must have 3 entries (rows, one per neuron of layer 1), got 2",
        ),
        (
            {"weights": [[[0.1, 0.2]] * 3, [[1, 2]]]},
            "Weights W(2), row j=1: must have 3 entries (weights, one per neuron of layer 1), got 2",
        ),
        (
            {"weights": [[[0.1, 0.2], [0.1, NAN], [0.1, 0.2]], [[1, 2, 3]]]},
            "Weight w(1)2,2: must be a finite number, got NaN",
        ),
        (
            {"selected": {"layer": 3, "to": 1, "from": 1}},
            "Selected weight, its layer l: must be an integer between 1 and 2, got 3",
        ),
        (
            {"selected": {"layer": 2, "to": 2, "from": 1}},
            "Selected weight, its neuron j: must be an integer between 1 and 1, got 2",
        ),
        (
            {"selected": {"layer": 2, "to": 1, "from": 4}},
            "Selected weight, its neuron k: must be an integer between 1 and 3, got 4",
        ),
        (
            {"selected": [2, 1, 1]},
            'Selected weight: must be null or an object {"layer", "to", "from"}, got a list',
        ),
        ([1, 2], "state: must be an object of State fields, got a list"),
    ],
)
def test_bad_input_is_rejected_with_exact_message(partial, message) -> None:
    session = Session()
    before = copy.deepcopy(session.get_state())
    with pytest.raises(StateError) as info:
        session.set_state(partial)
    assert str(info.value) == message
    assert session.get_state() == before


def test_error_names_the_field() -> None:
    with pytest.raises(StateError) as info:
        merge(default_state(), {"input": [1.0, "x"]})
    assert info.value.field == "input[1]"


def test_defaults_are_the_training_seed() -> None:
    s = default_state()
    assert s["layers"] == [2, 3, 1]
    assert s["activations"] == ["relu", "linear"]
    assert s["loss"] == "half_sse"
    assert s["bias"] is False and "biases" not in s
    assert s["input"] == [1.0, 0.5] and s["target"] == [2.0]
    assert s["learningRate"] == 0.01
    assert [len(W) for W in s["weights"]] == [3, 1]


def test_changing_layers_reinitialises_and_resizes() -> None:
    s = merge(default_state(), {"layers": [3, 4, 4, 2]})
    assert [len(W) for W in s["weights"]] == [4, 4, 2]
    assert [len(W[0]) for W in s["weights"]] == [3, 4, 4]
    assert s["activations"] == ["relu", "relu", "linear"]
    assert s["input"] == [1.0, 0.5, -1.0]  # new entries take the defaults of their position
    assert s["target"] == [2.0, -1.0]


def test_same_seed_and_layers_give_same_weights() -> None:
    a = merge(default_state(), {"layers": [3, 2, 1], "seed": 5})
    b = merge(merge(default_state(), {"seed": 5}), {"layers": [3, 2, 1]})
    assert a["weights"] == b["weights"]


def test_bias_switch_adds_zero_biases_and_removes_them() -> None:
    s = merge(default_state(), {"bias": True})
    assert s["biases"] == [[0.0, 0.0, 0.0], [0.0]]
    assert "biases" not in merge(s, {"bias": False})


def test_selection_survives_compatible_layer_change_only() -> None:
    s = merge(default_state(), {"selected": {"layer": 2, "to": 1, "from": 3}})
    assert merge(s, {"layers": [2, 4, 1]})["selected"] == {"layer": 2, "to": 1, "from": 3}
    assert merge(s, {"layers": [2, 2, 1]})["selected"] is None


def test_merge_does_not_mutate_its_input() -> None:
    s = default_state()
    snapshot = copy.deepcopy(s)
    merge(s, {"layers": [4, 4, 4], "input": [1, 2, 3, 4], "target": [1, 2, 3, 4]})
    assert s == snapshot


def test_the_opening_selection_is_the_first_layer_1_weight_with_a_gradient() -> None:
    state = default_state()
    # seed 37's first ReLU is dead (z < 0): w(1)1,1 and w(1)1,2 derive zeros, w(1)2,1 does not
    assert state["selected"] == {"layer": 1, "to": 2, "from": 1}
    assert opening_selection({**state, "input": [0.0, 0.0]}) == {"layer": 1, "to": 1, "from": 1}
    sigmoid = merge(state, {"activations": ["sigmoid", "linear"]})
    assert opening_selection(sigmoid) == {"layer": 1, "to": 1, "from": 1}
