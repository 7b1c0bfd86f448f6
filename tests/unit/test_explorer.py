"""The explorer's presets, typed fields and derivation structure, on every weight of every preset."""

from __future__ import annotations

import math

import numpy as np
import pytest

from backprop_explorer import Session, StateError
from backprop_explorer.fields import parse_layers, parse_number
from backprop_explorer.presets import PRESETS, match_preset, preset_partial
from reference import autodiff_gradients, mp_finite_difference

ALL_WEIGHTS = [
    (name, l, j, k)
    for name, p in PRESETS.items()
    for l in range(1, len(p.layers))
    for j in range(1, p.layers[l] + 1)
    for k in range(1, p.layers[l - 1] + 1)
]


def test_presets_are_the_seeds_topologies() -> None:
    assert [p.label for p in PRESETS.values()][:4] == ["Basic", "Classic", "Special", "Deep"]
    assert PRESETS["classic"].layers == (3, 2, 1)  # the notation guide's example, L = 2
    assert PRESETS["basic"].layers == (1, 1, 1)  # smallest network with a hidden layer
    assert PRESETS["special"].layers[-1] >= 2  # several outputs
    assert len(PRESETS["deep"].layers) - 2 >= 3  # at least three hidden layers
    assert PRESETS["demo"].layers == (2, 3, 1)


def test_applying_a_preset_sets_its_network_and_selects_its_opening_weight() -> None:
    session = Session({"selected": {"layer": 2, "to": 1, "from": 1}, "seed": 5})
    state = session.apply_preset("deep")
    assert state["layers"] == [2, 3, 3, 3, 1]
    assert state["activations"] == ["sigmoid", "sigmoid", "sigmoid", "linear"]
    assert state["selected"] == {"layer": 1, "to": 1, "from": 1}
    assert state["seed"] == 5
    assert [np.shape(W) for W in state["weights"]] == [(3, 2), (3, 3), (3, 3), (1, 3)]
    assert match_preset(state["layers"]) == "deep"
    assert match_preset([4, 3, 3, 2]) is None


def test_unknown_preset_is_refused_and_state_kept() -> None:
    session = Session()
    before = session.get_state()
    with pytest.raises(StateError) as err:
        session.apply_preset("huge")
    assert str(err.value) == (
        'Topology preset: must be one of "basic", "classic", "special", "deep", "demo", got "huge"'
    )
    assert session.get_state() == before


@pytest.mark.parametrize("name,l,j,k", ALL_WEIGHTS)
def test_every_weight_of_every_preset_matches_independent_references(
    name: str, l: int, j: int, k: int
) -> None:
    session = Session(preset_partial(name))
    result = session.select({"layer": l, "to": j, "from": k})
    state = session.get_state()
    want = autodiff_gradients(state)["weights"][l - 1][j - 1][k - 1]
    assert math.isclose(result["gradient"], want, rel_tol=1e-12, abs_tol=1e-15)
    d = session.derivation()
    fd = mp_finite_difference(state, l, j, k)
    assert math.isclose(d["finiteDifference"], fd, rel_tol=1e-6, abs_tol=1e-10)
    assert math.isclose(d["gradient"], d["finiteDifference"], rel_tol=1e-6, abs_tol=1e-10)
    # one path per combination of neurons in the layers above l
    layers = state["layers"]
    assert result["pathCount"] == math.prod(layers[l + 1 :])
    assert len(result["paths"]) == result["pathCount"]
    assert len({tuple(map(tuple, p)) for p in result["paths"]}) == result["pathCount"]


@pytest.mark.parametrize("name,l,j,k", ALL_WEIGHTS)
def test_every_derivation_has_bp3_bp2_bp1_in_each_notation(
    name: str, l: int, j: int, k: int
) -> None:
    session = Session({**preset_partial(name), "selected": {"layer": l, "to": j, "from": k}})
    L = len(PRESETS[name].layers) - 1
    for notation in ("explicit", "einstein", "vector"):
        session.set_state({"notation": notation})
        steps = session.derivation()["steps"]
        labels = [s["label"] for s in steps]
        first_bp1 = labels.index("BP1")
        assert labels[0] == "BP3" and labels[1:first_bp1] == ["BP2"] * max(1, L - l)
        symbolic = "".join(s["tex"] for s in steps[: first_bp1 + 2])
        if l < L:
            if notation == "explicit":
                assert r"\sum_{m=1}" in symbolic
            if notation == "einstein":
                assert rf"w^{{({l + 1})}}_{{\cdot,{j}}}" in symbolic
        else:
            assert r"\text{not needed: }" in steps[1]["tex"]
        if notation == "vector":
            assert r"\odot" in symbolic and r"^{\top}" in symbolic


@pytest.mark.parametrize(
    "text,value",
    [("0.25", 0.25), (" -1.5 ", -1.5), ("1e-3", 0.001), (".5", 0.5), ("-0", 0.0), ("\u22122", -2)],
)
def test_numbers_typed_by_hand(text: str, value: float) -> None:
    got = parse_number("input[0]", text)
    assert got == value and math.copysign(1, got) == math.copysign(1, value or 1)


@pytest.mark.parametrize(
    "text,message",
    [
        ("", "Input x₁: is empty: type a number, like 0.5"),
        ("1,5", 'Input x₁: "1,5" is not a number: write decimals with a dot: 1.5'),
        ("abc", 'Input x₁: "abc" is not a number'),
        ("NaN", 'Input x₁: must be a finite number, got "NaN"'),
        ("-Infinity", 'Input x₁: must be a finite number, got "-Infinity"'),
        ("1e309", 'Input x₁: "1e309" is too large: use a number between -1e6 and 1e6'),
        ("0x10", 'Input x₁: "0x10" is not a number'),
        ("1/2", 'Input x₁: "1/2" is not a number'),
    ],
)
def test_bad_numbers_are_named(text: str, message: str) -> None:
    with pytest.raises(StateError) as err:
        parse_number("input[0]", text)
    assert str(err.value) == message


@pytest.mark.parametrize(
    "text,layers",
    [("4,3,3,2", [4, 3, 3, 2]), ("2 3 1", [2, 3, 1]), ("2 → 3 → 1", [2, 3, 1]), ("2->1", [2, 1])],
)
def test_layers_typed_by_hand(text: str, layers: list[int]) -> None:
    assert parse_layers(text) == layers


@pytest.mark.parametrize(
    "text,message",
    [
        ("0", "Topology: the input layer has 0 neurons: each layer can have 1 to 10 neurons"),
        ("3", "Topology: needs an input and an output layer at least, like 4,3,3,2"),
        ("3,,2", 'Topology: "3,,2" has an empty entry: separate sizes by commas, like 4,3,3,2'),
        ("2,100,1", "Topology: layer 1 has 100 neurons: each layer can have 1 to 10 neurons"),
        ("2,1e3,1", 'Topology: "1e3" is not a whole number of neurons: each layer has 1 to 10'),
        (
            ",".join(["2"] * 50),
            "Topology: has 50 layers: at most 8 layers (input and output included)",
        ),
        ("", "Topology: is empty: type the layer sizes, input first, like 4,3,3,2"),
    ],
)
def test_bad_layers_are_named(text: str, message: str) -> None:
    with pytest.raises(StateError) as err:
        parse_layers(text)
    assert str(err.value) == message


def test_edit_changes_one_value_and_keeps_state_on_error() -> None:
    session = Session()
    session.edit("weights[1][0][2]", "0.75")
    assert session.get_state()["weights"][1][0][2] == 0.75
    session.edit("input[1]", "-2")
    assert session.get_state()["input"] == [1.0, -2.0]
    session.edit("layers", "3, 4, 2")
    assert session.get_state()["layers"] == [3, 4, 2]
    before = session.get_state()
    cases = {
        ("input[5]", "1"): "Input x₆: does not exist in this network",
        ("biases[0][0]", "1"): "Bias b(1)1: biases are switched off: turn them on first",
        ("weights[0][0]", "1"): "Weights W(1), row j=1: does not exist in this network",
        ("target[0]", "1e7"): "Target y₁: must be between -1e6 and 1e6, got 10000000",
        ("learningRate", "0"): (
            "Learning rate η: must be a number greater than 0 and at most 1000, got 0"
        ),
        ("seed", "1.5"): 'Seed: must be a whole number, got "1.5"',
        ("name", "x"): "name: is not a field that can be edited",
    }
    for (field, text), message in cases.items():
        with pytest.raises(StateError) as err:
            session.edit(field, text)
        assert str(err.value) == message
        assert session.get_state() == before


def test_edit_biases_when_switched_on() -> None:
    session = Session({"bias": True})
    session.edit("biases[0][2]", "0.1")
    assert session.get_state()["biases"] == [[0.0, 0.0, 0.1], [0.0]]
