"""Names and number styles (py/backprop_explorer/names.py): one name per thing, wherever the
page shows it."""

from __future__ import annotations

import pytest

from backprop_explorer import Session
from backprop_explorer.form import form_model
from backprop_explorer.names import (
    bias_symbol,
    field_label,
    field_text,
    fixed,
    layer_title,
    neuron_name,
    route,
    sig,
    weight_plain,
    weight_symbol,
    weight_tex,
)


def test_layers_and_neurons_are_numbered_only_when_there_are_several_hidden_layers() -> None:
    one, deep = [2, 3, 1], [2, 3, 3, 2]
    assert [layer_title(one, l) for l in range(3)] == ["Input", "Hidden", "Output"]
    assert [layer_title(deep, l) for l in range(4)] == ["Input", "Hidden 1", "Hidden 2", "Output"]
    assert neuron_name(one, 1, 3) == "hidden neuron 3"
    assert neuron_name(one, 1, 3, short=True) == "H3"
    assert neuron_name(deep, 2, 3) == "hidden layer 2 neuron 3"
    assert neuron_name(deep, 2, 3, short=True) == "H2.3"
    assert neuron_name(one, 2, 1) == "output 1" and neuron_name(one, 2, 1, short=True) == "Output"
    assert neuron_name(deep, 3, 2, short=True) == "O2" and neuron_name(deep, 0, 2) == "input 2"
    assert route(one, 1, 2, 1) == "I1 → H2"


def test_a_weight_in_its_three_spellings() -> None:
    assert weight_symbol(2, 1, 3) == "w⁽²⁾₁,₃" and weight_symbol(10, 10, 12) == "w⁽¹⁰⁾₁₀,₁₂"
    assert weight_plain(2, 1, 3) == "w(2)1,3"
    assert weight_tex(2, 1, 3) == "w^{(2)}_{1,3}" and weight_tex(2, "m", 1) == "w^{(2)}_{m,1}"
    assert bias_symbol(1, 2) == "b⁽¹⁾₂"


def test_diagram_derivation_and_tables_name_a_weight_alike() -> None:
    session = Session({"view": "training", "layers": [2, 3, 2], "bias": True})
    session.step(1)
    titles = {e["id"]: e["title"].split(" = ")[0] for e in session.diagram()["edges"]}
    updates = {u["id"]: u for u in session.training()["lastUpdate"]}
    cells = {
        c["id"]: c["title"]
        for b in session.training()["weights"]
        for r in b["rows"]
        for c in r["cells"]
    }
    for l, j, k in ((1, 2, 1), (2, 2, 3)):
        key = f"{l}-{j}-{k}"
        assert titles[key] == updates[key]["name"] == weight_symbol(l, j, k)
        assert cells[key] == f"{weight_symbol(l, j, k)} ({updates[key]['route']})"
        session.select({"layer": l, "to": j, "from": k})
        assert rf"\wt{{{weight_tex(l, j, k)}}}" in session.derivation()["steps"][0]["tex"]
    assert updates["2-1-0"]["name"] == "b⁽²⁾₁" and updates["2-1-0"]["kind"] == "bias"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.0, "1"),
        (0.5, "0.5"),
        (-0.758, "-0.758"),
        (1e-7, "1e-7"),
        (1.5e-7, "1.5e-7"),
        (0.000001, "0.000001"),
        (0.00001, "0.00001"),
        (1e21, "1e+21"),
        (1.5e20, "150000000000000000000"),
        (0.1 + 0.2, "0.30000000000000004"),
        (123e-20, "1.23e-18"),
        (4294967295.0, "4294967295"),
        (0.0, "0"),
    ],
)
def test_field_text_spells_a_number_as_javascripts_string_does(value: float, text: str) -> None:
    assert field_text(value) == text


def test_fixed_never_writes_a_negative_zero() -> None:
    assert fixed(-0.00001, 3) == "0.000" and fixed(-0.25, 3) == "-0.250"


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("learningRate", "Learning rate η"),
        ("input[0]", "Input x₁"),
        ("target[1]", "Target y₂"),
        ("input[10]", "Input x₁₁"),
        ("input", "Inputs x"),
        ("weights[0][2][1]", "Weight w(1)3,2"),
        ("weights[1]", "Weights W(2)"),
        ("weights[0][1]", "Weights W(1), row j=2"),
        ("biases[1][0]", "Bias b(2)1"),
        ("biases[0]", "Biases b(1)"),
        ("layers", "Topology"),
        ("layers[0]", "Size of the input layer"),
        ("layers[2]", "Size of layer 2"),
        ("activations[1]", "σ of layer 2"),
        ("selected.from", "Selected weight, its neuron k"),
        ("n", "Number of steps"),
        # no field of the page: the API's own name
        ("op", "op"),
        ("input[0][0]", "input[0][0]"),
        ("weights[0][1][2][3]", "weights[0][1][2][3]"),
    ],
)
def test_a_field_is_named_as_the_page_labels_it(field: str, label: str) -> None:
    assert field_label(field) == label


def test_the_form_labels_its_fields_with_the_words_of_the_messages() -> None:
    form = form_model(Session().get_state(), "demo")
    assert form["learningRateLabel"] == "Learning rate η"
    inputs, targets = form["vectors"]
    assert (inputs["title"], targets["title"]) == ("Inputs x", "Targets y")
    assert [(f["label"], f["symbol"]) for f in inputs["fields"]] == [
        ("Input x₁", "x₁"),
        ("Input x₂", "x₂"),
    ]
    assert form["matrices"][0]["rows"][2]["cells"][1]["label"] == "Weight w(1)3,2"
    assert form["activations"] == ["σ of layer 1 (hidden)", "σ of layer 2 (output)"]


@pytest.mark.parametrize(
    ("value", "digits", "plain", "table"),
    [
        (0.399, 6, "0.399", "0.399000"),
        (0.2434731234, 6, "0.243473", "0.243473"),
        (-0.0851194123, 6, "-0.0851194", "-0.0851194"),
        (1.5e-7, 6, "1.5e-07", "1.50000e-07"),
        (0.0, 6, "0", "0.00000"),
        (-0.0, 6, "0", "0.00000"),
        (1234.0, 4, "1234", "1234"),
        (1.0, 6, "1", "1.00000"),
    ],
)
def test_sig_drops_or_keeps_trailing_zeros(value, digits, plain, table) -> None:
    assert sig(value, digits) == plain
    assert sig(value, digits, zeros=True) == table


def test_the_weights_table_shows_every_weight_in_one_style() -> None:
    session = Session()
    session.step(1)
    training = session.training()
    texts = [c["text"] for b in training["weights"] for r in b["rows"] for c in r["cells"]]
    assert texts[:3] == ["0.399000", "-0.895000", "0.251118"]
    # six significant digits each: the Weights table and the new w of the updates agree
    assert all(len(t.lstrip("-0.")) == 6 for t in texts), texts
    news = {u["id"]: u["text"]["new"] for u in training["lastUpdate"]}
    cells = {c["id"]: c["text"] for b in training["weights"] for r in b["rows"] for c in r["cells"]}
    assert cells == {key: news[key] for key in cells}
