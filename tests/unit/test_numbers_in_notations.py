"""The steps with numbers in every notation (issue 16): the forward pass before BP1, Einstein's
dotted forms with the numbers they run over, vector notation's matrices and column vectors; the
numbers against an independent forward pass and scalar autodiff, and the three notations
giving the same digits."""

from __future__ import annotations

import math
import re

import pytest

from backprop_explorer import Session
from backprop_explorer.activations import LEAKY_SLOPE
from backprop_explorer.presets import PRESETS, preset_partial
from reference import autodiff_gradients, with_biases

NOTATIONS = ("explicit", "einstein", "vector")
PMATRIX = re.compile(r"\\begin\{pmatrix\}(.*?)\\end\{pmatrix\}")
NUMBER = r"-?\d+(?:\.\d+)?(?: \\times 10\^\{-?\d+\})?"


def _number(text: str) -> float:
    """A number as the derivation writes it: 0.1234, -2, 3.742 \\times 10^{-4}."""
    mantissa, _, exponent = text.strip().partition(r" \times 10^{")
    return float(mantissa) * (10 ** int(exponent.rstrip("}")) if exponent else 1)


def _entries(pmatrix_body: str) -> list[list[str]]:
    """The cells of a pmatrix, row by row, \\boxed{} taken off (kept as a leading "!")."""
    rows = [r.split("&") for r in pmatrix_body.split(r"\\")]
    return [[re.sub(r"\\boxed\{(.*)\}", r"!\1", c.strip()) for c in r] for r in rows]


def _cases() -> list[tuple[str, bool, tuple[int, int, int]]]:
    """Every preset, biases off and on, a weight of the first layer, one of the output layer
    and (biases on) a bias of each."""
    out = []
    for name, preset in PRESETS.items():
        L = len(preset.layers) - 1
        for bias in (False, True):
            sels = [(1, 1, 1), (L, preset.layers[L], preset.layers[L - 1])]
            if bias:
                sels += [(1, preset.layers[1], 0), (L, 1, 0)]
            out += [(name, bias, sel) for sel in sels]
    return out


def _session(name: str, bias: bool, sel: tuple[int, int, int], notation: str) -> Session:
    partial = preset_partial(name)
    partial = with_biases(partial) if bias else partial
    layer, to, frm = sel
    return Session(
        {**partial, "notation": notation, "selected": {"layer": layer, "to": to, "from": frm}}
    )


def _steps(session: Session) -> dict[str, str]:
    return {s["id"]: s["tex"] for s in session.derivation()["steps"]}


def _act(name: str, z: float) -> tuple[float, float]:
    """sigma(z) and sigma'(z), written out again."""
    if name == "sigmoid":
        s = 1 / (1 + math.exp(-z))
        return s, s * (1 - s)
    if name == "tanh":
        return math.tanh(z), 1 - math.tanh(z) ** 2
    if name == "relu":
        return max(z, 0.0), 1.0 if z > 0 else 0.0
    if name == "leaky_relu":
        return (z, 1.0) if z > 0 else (LEAKY_SLOPE * z, LEAKY_SLOPE)
    return z, 1.0


def _forward(state: dict) -> list[list[float]]:
    """z^(l) of every layer, by plain loops over the State's numbers."""
    a, zs = list(state["input"]), []
    for l, W in enumerate(state["weights"]):
        z = [
            sum(w * v for w, v in zip(row, a, strict=True))
            + (state["biases"][l][j] if state["bias"] else 0.0)
            for j, row in enumerate(W)
        ]
        zs.append(z)
        a = [_act(state["activations"][l], v)[0] for v in z]
    return zs


def _close(shown: str, want: float) -> bool:
    """``shown`` is ``want`` to the digits written (4 decimals, or 4 significant figures)."""
    got = _number(shown.lstrip("!"))
    return abs(got - want) <= 0.5e-4 + 5e-4 * abs(want)


@pytest.mark.parametrize(("name", "bias", "sel"), _cases())
def test_vector_notation_writes_matrices_of_numbers_right(name, bias, sel) -> None:
    session = _session(name, bias, sel, "vector")
    steps, state = _steps(session), session.state
    layer, to, frm = sel
    L = len(state["layers"]) - 1
    ids = ["numbers-forward", "numbers-bp1", "numbers-bp3" if frm else "numbers-bias-rule"]
    ids += ["numbers-bp2"] if layer < L else []
    for step in ids:
        assert PMATRIX.search(steps[step]), step
        body = PMATRIX.search(steps[step]).group(1)  # type: ignore[union-attr]
        assert re.fullmatch(rf"(\s*(\\boxed\{{)?{NUMBER}\}}?\s*(&|\\\\)?)+", body), body
    ref = autodiff_gradients(state)
    last = PMATRIX.findall(steps[ids[2]])[-1]
    cells = _entries(last)
    if frm:  # the whole gradient matrix dL/dW^(l), entry (to, frm) boxed
        want = ref["weights"][layer - 1]
        assert [len(r) for r in cells] == [len(r) for r in want]
        for r, row in enumerate(cells):
            for c, cell in enumerate(row):
                assert _close(cell, want[r][c]), (r, c, cell)
                assert cell.startswith("!") == ((r + 1, c + 1) == (to, frm))
    else:  # dL/db^(l) = delta^(l), entry `to` boxed
        want_b = ref["biases"][layer - 1]
        assert [c for (c,) in cells if c.startswith("!")] == [cells[to - 1][0]]
        assert all(_close(c, w) for (c,), w in zip(cells, want_b, strict=True))
    zs = _forward(state)
    forward = PMATRIX.findall(steps["numbers-forward"])
    # z^(l) is the first column after the weights, inputs (and biases) of layer l
    z_cells = [c for (c,) in _entries(forward[3 if bias else 2])]
    assert all(_close(c, z) for c, z in zip(z_cells, zs[layer - 1], strict=True))
    assert [c.startswith("!") for c in z_cells] == [n == to for n in range(1, len(z_cells) + 1)]


@pytest.mark.parametrize(("name", "bias", "sel"), _cases())
def test_the_three_notations_give_the_same_digits(name, bias, sel) -> None:
    """The gradient, delta^(l)_j and z^(l)_j read the same in explicit, Einstein and vector."""
    found = {}
    for notation in NOTATIONS:
        session = _session(name, bias, sel, notation)
        steps, d = _steps(session), session.derivation()
        last = steps["numbers-bp3" if sel[2] else "numbers-bias-rule"]
        gradient = re.findall(rf"\\err\{{({NUMBER})\}}", last)[-1]
        assert _close(gradient, d["gradient"])
        forward = steps["numbers-forward"]
        z = re.search(rf"\\boxed\{{({NUMBER})\}}", forward) if notation == "vector" else None
        z_text = (
            z.group(1)
            if z
            else re.search(rf"= \\keep\{{\\act\{{({NUMBER})\}}\}}", forward).group(1)  # type: ignore[union-attr]
        )
        found[notation] = (gradient, z_text)
    assert found["explicit"] == found["einstein"] == found["vector"]


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_einstein_writes_dotted_forms_with_numbers(name) -> None:
    """Each neuron's z as a row of weights dotted with the vector it runs over; BP2 as sigma'
    times the column of weights dotted with the next layer's deltas."""
    session = _session(name, True, (1, 1, 1), "einstein")
    steps, state = _steps(session), session.state
    tuple_ = rf"\\bigl\(\{{{NUMBER}\}}(?:,\\ \{{{NUMBER}\}})*\\bigr\)"
    forward = steps["numbers-forward"]
    assert re.search(r"w\^\{\(1\)\}_\{1,\\cdot\}", forward)
    assert re.search(rf"\\wt\{{{tuple_}\}} \\cdot \\inp\{{{tuple_}\}}", forward)
    if len(state["layers"]) > 2:
        bp2 = steps["numbers-bp2"]
        assert re.search(rf"\\wt\{{{tuple_}\}} \\cdot \\err\{{{tuple_}\}}", bp2), bp2


def test_forward_pass_comes_before_bp1_and_names_each_activation() -> None:
    session = _session("demo", True, (1, 3, 2), "explicit")
    ids = [s["id"] for s in session.derivation()["steps"]]
    assert ids.index("numbers-forward") + 1 == ids.index("numbers-bp1")
    forward = _steps(session)["numbers-forward"]
    assert r"\text{(ReLU)}" in forward and r"\text{(linear)}" in forward
    assert r"\wt{b^{(1)}_{3}}" in forward  # the bias is in the weighted sum when biases are on
    plain = _steps(_session("demo", False, (1, 3, 2), "explicit"))["numbers-forward"]
    assert "b^{(1)}" not in plain


def test_a_wide_layer_is_abbreviated_with_the_pick_kept() -> None:
    """Ten neurons: a vector keeps its first two, last two and the selected entry; explicit
    notation lists four neurons of a later layer and says how many more."""
    partial = {"layers": [10, 10, 10], "activations": ["tanh", "linear"]}
    vector = _steps(_session_from(partial, (1, 5, 7), "vector"))
    body = _entries(PMATRIX.findall(vector["numbers-bp3"])[-1])
    # rows 1, 2, 5, 9, 10 and columns 1, 2, 7, 9, 10, with dots where others were left out
    assert len(body) == 7 and all(len(r) == 7 for r in body)
    assert body[2] == [r"\vdots", r"\vdots", r"\ddots", r"\vdots", r"\ddots", r"\vdots", r"\vdots"]
    assert [c for r in body for c in r if c.startswith("!")] == [body[3][3]]
    assert body[0][2] == body[0][4] == r"\cdots"
    explicit = _steps(_session_from(partial, (1, 5, 7), "explicit"))["numbers-forward"]
    assert r"\text{(6 more neurons of layer 2, the same way)}" in explicit


def _session_from(partial: dict, sel: tuple[int, int, int], notation: str) -> Session:
    layer, to, frm = sel
    return Session(
        {**partial, "notation": notation, "selected": {"layer": layer, "to": to, "from": frm}}
    )
