"""Biases as first-class parameters (issue 16 item 1): selected as {layer, to, from: 0}, drawn
as a "+1" bias unit's connections, derived by the bias rule, checked against scalar autodiff."""

from __future__ import annotations

import pytest

from backprop_explorer import Session
from backprop_explorer.address import address_options
from backprop_explorer.presets import PRESETS, preset_partial
from backprop_explorer.state import StateError
from reference import autodiff_gradients, rel_close, with_biases


def _session(name: str) -> Session:
    return Session(with_biases(preset_partial(name)))


def test_from_0_is_refused_without_biases_and_out_of_range_with_them() -> None:
    session = Session()
    with pytest.raises(StateError) as off:
        session.select({"layer": 1, "to": 1, "from": 0})
    assert off.value.field == "selected.from"
    assert (
        str(off.value)
        == "Selected weight, its neuron k: can be 0 (the bias) only when bias is true"
    )
    session.set_state({"bias": True})
    with pytest.raises(StateError) as low:
        session.select({"layer": 1, "to": 1, "from": -1})
    assert (
        str(low.value)
        == "Selected weight, its neuron k: must be an integer between 0 and 2, got -1"
    )
    assert session.select({"layer": 1, "to": 1, "from": 0})["pathCount"] == 1


def test_switching_biases_off_drops_a_selected_bias_but_keeps_a_weight() -> None:
    session = _session("classic")
    session.select({"layer": 2, "to": 1, "from": 0})
    session.set_state({"bias": False})
    assert session.state["selected"] is None
    session.set_state({"bias": True, "selected": {"layer": 2, "to": 1, "from": 2}})
    session.set_state({"bias": False})
    assert session.state["selected"] == {"layer": 2, "to": 1, "from": 2}


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_bias_gradient_matches_scalar_autodiff(name: str) -> None:
    session = _session(name)
    want = autodiff_gradients(session.state)["biases"]
    assert any(b != 0 for layer in session.state["biases"] for b in layer)
    for l, layer in enumerate(want, start=1):
        for j, grad in enumerate(layer, start=1):
            got = session.select({"layer": l, "to": j, "from": 0})
            assert rel_close(got["gradient"], grad), (l, j, got["gradient"], grad)
            assert got["relativeError"] < 1e-6
            steps = session.derivation()["steps"]  # type: ignore[index]
            assert steps[0]["label"] == "Bias rule"
            assert "Bias rule with numbers" in [s["label"] for s in steps]
            assert "BP3" not in [s["label"] for s in steps]


def test_a_bias_has_the_roles_and_paths_of_a_weight_into_the_same_neuron() -> None:
    session = _session("deep")
    bias = session.select({"layer": 2, "to": 3, "from": 0})
    weight = session.select({"layer": 2, "to": 3, "from": 1})
    assert bias["paths"] == weight["paths"] and bias["pathCount"] == weight["pathCount"] == 3
    weight_roles = {e["id"]: e["roles"] for e in session.diagram()["edges"]}
    weight_nodes = {n["id"]: n["roles"] for n in session.diagram()["nodes"]}
    session.select({"layer": 2, "to": 3, "from": 0})
    diagram = session.diagram()
    bias_roles = {e["id"]: e["roles"] for e in diagram["edges"]}
    assert bias_roles.pop("2-3-0") == weight_roles.pop("2-3-1") == ["selected-weight"]
    assert bias_roles.pop("2-3-1") == weight_roles.pop("2-3-0") == []
    assert bias_roles == weight_roles
    assert {n["id"]: n["roles"] for n in diagram["nodes"]} == weight_nodes


def test_the_diagram_draws_a_bias_unit_per_layer_and_names_its_connections() -> None:
    session = _session("classic")  # 3-2-1
    diagram = session.diagram()
    units = [n for n in diagram["nodes"] if n["kind"] == "bias"]
    assert [(n["id"], n["label"], n["name"]) for n in units] == [
        ("0-0", "+1", "bias unit of the input layer, constant 1"),
        ("1-0", "+1", "bias unit of the hidden layer, constant 1"),
    ]
    assert units[1]["connections"]["edges"] == ["2-1-0"]
    layouts = {lay["name"] for lay in diagram["layouts"]}
    assert all(set(n["at"]) == layouts for n in units)
    bias_edges = [e for e in diagram["edges"] if e["from"] == 0]
    assert [e["id"] for e in bias_edges] == ["1-1-0", "1-2-0", "2-1-0"]
    assert bias_edges[2]["name"] == "bias b(2)1 into output 1, value -0.150"
    assert bias_edges[2]["title"] == "b⁽²⁾₁ = -0.150"
    # model order (layer, to, from): the arrow keys reach a bias first in each neuron's group
    assert [e["id"] for e in diagram["edges"]][:4] == ["1-1-0", "1-1-1", "1-1-2", "1-1-3"]
    hidden = next(n for n in diagram["nodes"] if n["id"] == "1-1")
    assert hidden["connections"]["edges"][0] == "1-1-0"
    assert Session(preset_partial("classic")).diagram()["nodes"][-1]["kind"] == "output"


def test_pick_line_summary_export_and_next_steps_of_a_bias() -> None:
    session = _session("basic")
    session.select({"layer": 2, "to": 1, "from": 0})
    g = session.derivation()["gradient"]  # type: ignore[index]
    assert session.pick().startswith("b⁽²⁾₁ selected: ∂𝓛/∂b = ")
    assert session.derivation()["summary"].startswith("Selected bias b(2)1 = −0.1500;")  # type: ignore[index]
    export = session.export("latex")
    assert export["filename"] == "backprop-b2-1.tex"
    assert r"\frac{\partial\mathcal{L}}{\partial b}" in export["text"]
    b = session.state["biases"][1][0]
    lr = session.state["learningRate"]
    session.step(1)
    assert session.state["biases"][1][0] == b - lr * g
    session.set_state({"optimizer": {"name": "momentum"}})
    session.step(1)
    last = session.derivation()["steps"][-1]  # type: ignore[index]
    assert last["label"] == "Next step of Momentum (step 2)"
    assert last["tex"].startswith(
        r"\begin{aligned}\err{g} &= \err{\frac{\partial\mathcal{L}}{\partial b}}"
    )


def test_an_address_and_a_permalink_select_a_bias_and_the_latex_title_names_it() -> None:
    state = _session("classic").state
    assert address_options(state, "2-1-0")["partial"] == {
        "selected": {"layer": 2, "to": 1, "from": 0}
    }
    off = address_options(Session(preset_partial("classic")).state, "2-1-0")
    assert off["partial"] == {}
    assert off["notices"] == [
        "The link's select=2-1-0 was not applied: Selected weight: b(2)1 is a bias:"
        " switch biases on to select it."
    ]
    session = _session("classic")
    session.select({"layer": 1, "to": 2, "from": 0})
    opened = Session()
    assert opened.open_link(session.link()) is None
    assert opened.state["selected"] == {"layer": 1, "to": 2, "from": 0}
    assert opened.state["biases"] == session.state["biases"]
    text = opened.export("latex")["text"]
    assert "the gradient of $b^{(1)}_{2}$ in a" in text


def test_the_weights_table_has_a_bias_column_linked_to_the_bias_connections() -> None:
    session = _session("classic")  # 3-2-1
    table = session.training()["weights"]
    assert table[0]["heads"] == ["From I1", "From I2", "From I3", "Bias"]
    assert table[1]["heads"] == ["From H1", "From H2", "Bias"]
    edges = {e["id"] for e in session.diagram()["edges"]}
    for l, block in enumerate(table, start=1):
        for j, row in enumerate(block["rows"], start=1):
            bias = row["cells"][-1]
            assert bias["id"] == f"{l}-{j}-0" and bias["id"] in edges
            assert bias["value"] == session.state["biases"][l - 1][j - 1]
            assert len(row["cells"]) == len(block["heads"])
    out = table[1]["rows"][0]["cells"][-1]
    assert (out["text"], out["title"]) == ("-0.150000", "b⁽²⁾₁ (+1 → Output)")
    assert table[0]["rows"][1]["cells"][-1]["title"] == "b⁽¹⁾₂ (+1 → H2)"
    session.step(1)  # the bias moves, and the table shows where it went
    moved = session.training()["weights"][1]["rows"][0]["cells"][-1]
    assert moved["value"] == session.state["biases"][1][0] != out["value"]
    off = Session(preset_partial("classic")).training()["weights"]
    assert off[0]["heads"] == ["From I1", "From I2", "From I3"]
    assert all(c["id"][-2:] != "-0" for b in off for r in b["rows"] for c in r["cells"])
