"""The diagram model: accessible names decided in Python, and layouts a phone can read and tap.

Which layout the page draws in a box of a given width, and whether each connection can be
tapped there, is tested on these models by tests/js/diagram.test.mjs with web/js/diagram.js's
own functions.
"""

from __future__ import annotations

import itertools
import math

import pytest

from backprop_explorer import Session
from backprop_explorer.diagram import LABEL_PX, MIN_TEXT_PX, RADIUS, diagram_model
from backprop_explorer.presets import PRESETS


def model_of(layers, weights=None, activations=None):
    weights = weights or [
        [[0.1 * (j + k) for k in range(a)] for j in range(b)] for a, b in itertools.pairwise(layers)
    ]
    activations = activations or [[0.5] * n for n in layers]
    return diagram_model(layers, weights, activations, None)


def test_connection_names_follow_the_issue() -> None:
    weights = [[[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], [[0.7, 0.8, 0.505]]]
    model = model_of([2, 3, 1], weights)
    names = {e["id"]: e["name"] for e in model["edges"]}
    assert names["2-1-3"] == "weight w(2)1,3 from hidden neuron 3 to output 1, value 0.505"
    assert names["1-2-1"] == "weight w(1)2,1 from input 1 to hidden neuron 2, value 0.300"
    assert {e["id"]: e["title"] for e in model["edges"]}["2-1-3"] == "w⁽²⁾₁,₃ = 0.505"


def test_several_hidden_layers_are_told_apart() -> None:
    model = model_of([2, 3, 3, 3, 1])
    names = {e["id"]: e["name"] for e in model["edges"]}
    assert names["2-3-1"].startswith(
        "weight w(2)3,1 from hidden layer 1 neuron 1 to hidden layer 2 neuron 3, value "
    )
    assert names["1-1-2"].startswith("weight w(1)1,2 from input 2 to hidden layer 1 neuron 1, ")
    assert names["4-1-3"].startswith("weight w(4)1,3 from hidden layer 3 neuron 3 to output 1, ")


def test_neuron_names_and_no_negative_zero() -> None:
    model = model_of(
        [2, 3, 1], [[[-0.00001] * 2] * 3, [[-0.25] * 3]], [[1.0, 0.5], [0.25] * 3, [0.75]]
    )
    nodes = {n["id"]: n["name"] for n in model["nodes"]}
    assert nodes == {
        "0-1": "input 1, value 1.00",
        "0-2": "input 2, value 0.50",
        "1-1": "hidden neuron 1, value 0.25",
        "1-2": "hidden neuron 2, value 0.25",
        "1-3": "hidden neuron 3, value 0.25",
        "2-1": "output 1, value 0.75",
    }
    names = [e["name"] for e in model["edges"]]
    assert names[0].endswith("value 0.000") and names[-1].endswith("value -0.250")
    deep = {n["id"]: n["name"] for n in model_of([2, 3, 3, 1])["nodes"]}
    assert deep["2-3"] == "hidden layer 2 neuron 3, value 0.50"


def test_a_neuron_lists_its_connections_arriving_then_leaving() -> None:
    nodes = {n["id"]: n["connections"] for n in model_of([2, 3, 1])["nodes"]}
    assert nodes["1-2"] == {
        "title": "Connections of hidden neuron 2",
        "edges": ["1-2-1", "1-2-2", "2-1-2"],
    }
    assert nodes["0-1"]["edges"] == ["1-1-1", "1-2-1", "1-3-1"]
    assert nodes["2-1"] == {
        "title": "Connections of output 1",
        "edges": ["2-1-1", "2-1-2", "2-1-3"],
    }


def test_each_terms_neurons_and_connections_are_those_of_its_path() -> None:
    session = Session({"layers": [2, 3, 3, 2]})
    session.select({"layer": 1, "to": 2, "from": 1})
    roles = {e["id"]: e["roles"] for e in session.diagram()["edges"]}
    terms = session.derivation()["terms"]
    assert terms[0] == {
        "path": [[1, 2], [2, 1], [3, 1]],
        "value": terms[0]["value"],
        "neurons": ["1-2", "2-1", "3-1"],
        "edges": ["2-1-2", "3-1-1"],
    }
    for term in terms:
        assert all(roles[e] == ["path-edge"] for e in term["edges"])


NETWORKS = [list(p.layers) for p in PRESETS.values()] + [[3, 10, 1], [4, 10, 10, 2], [10] * 8]


@pytest.mark.parametrize("layers", NETWORKS, ids=str)
def test_every_layout_says_where_its_text_gets_too_small(layers) -> None:
    model = Session({"layers": layers}).diagram()
    names = [lay["name"] for lay in model["layouts"]]
    assert names[0] == "across" and names[-1] == "down"
    for lay in model["layouts"]:
        assert LABEL_PX * lay["minWidth"] / lay["width"] >= MIN_TEXT_PX
        # neurons inside the drawing and apart from each other
        points = [n["at"][lay["name"]] for n in model["nodes"]]
        for x, y in points:
            assert RADIUS <= x <= lay["width"] - RADIUS and RADIUS <= y <= lay["height"] - RADIUS
        for i, (x, y) in enumerate(points):
            for u, v in points[i + 1 :]:
                assert math.hypot(x - u, y - v) >= 2 * RADIUS + 10
    down = next(lay for lay in model["layouts"] if lay["name"] == "down")
    # down: the layer titles stand in their own column, left of every neuron
    assert all(c["at"]["down"][0] < 10 for c in model["columns"])
    assert min(n["at"]["down"][0] for n in model["nodes"]) - RADIUS >= 80
    assert down["titleAnchor"] == "start"
