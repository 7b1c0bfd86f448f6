"""Gradient paths and the diagram roles derived from them."""

from __future__ import annotations

from backprop_explorer import Session, gradient_paths, path_count
from backprop_explorer.diagram import ROLES
from backprop_explorer.paths import path_edges


def test_paths_of_a_first_layer_weight_in_classic_network() -> None:
    # [3, 2, 1]: w^(1)_{2,3} reaches the single output through neuron 2 of layer 1 only.
    assert list(gradient_paths([3, 2, 1], 1, 2)) == [[[1, 2], [2, 1]]]
    assert path_count([3, 2, 1], 1) == 1


def test_paths_multiply_through_layers() -> None:
    layers = [2, 3, 4, 2]
    paths = list(gradient_paths(layers, 1, 3))
    assert len(paths) == 4 * 2 == path_count(layers, 1)
    assert paths[0] == [[1, 3], [2, 1], [3, 1]]
    assert paths[-1] == [[1, 3], [2, 4], [3, 2]]
    assert len({tuple(map(tuple, p)) for p in paths}) == len(paths)


def test_output_layer_weight_has_one_trivial_path() -> None:
    assert list(gradient_paths([2, 3, 2], 2, 2)) == [[[2, 2]]]
    assert path_count([2, 3, 2], 2) == 1


def test_path_edges() -> None:
    assert path_edges([[1, 3], [2, 1], [3, 2]]) == [(2, 1, 3), (3, 2, 1)]


def _roles(model: dict) -> tuple[dict, dict]:
    nodes = {n["id"]: n["roles"] for n in model["nodes"] if n["roles"]}
    edges = {e["id"]: e["roles"] for e in model["edges"] if e["roles"]}
    return nodes, edges


def test_diagram_roles_for_a_hidden_weight() -> None:
    session = Session({"layers": [2, 3, 2, 2], "selected": {"layer": 1, "to": 2, "from": 1}})
    nodes, edges = _roles(session.diagram())
    assert nodes == {
        "1-2": ["destination"],
        "2-1": ["path-neuron"],
        "2-2": ["path-neuron"],
        "3-1": ["output"],
        "3-2": ["output"],
    }
    assert edges["1-2-1"] == ["selected-weight"]
    path_edges_ = sorted(k for k, v in edges.items() if v == ["path-edge"])
    assert path_edges_ == ["2-1-2", "2-2-2", "3-1-1", "3-1-2", "3-2-1", "3-2-2"]
    # every role word used is one of the legend's
    assert {r for v in [*nodes.values(), *edges.values()] for r in v} <= set(ROLES)


def test_diagram_roles_for_an_output_weight() -> None:
    session = Session({"layers": [2, 3, 2], "selected": {"layer": 2, "to": 1, "from": 3}})
    nodes, edges = _roles(session.diagram())
    assert nodes == {"2-1": ["destination", "output"]}
    assert edges == {"2-1-3": ["selected-weight"]}


def test_diagram_has_every_neuron_and_connection() -> None:
    model = Session({"layers": [4, 3, 3, 2]}).diagram()
    assert len(model["nodes"]) == 12
    assert len(model["edges"]) == 4 * 3 + 3 * 3 + 3 * 2
    assert {e["id"] for e in model["edges"]} >= {"1-1-4", "3-2-3"}
    assert all(not n["roles"] for n in model["nodes"])


def test_select_returns_every_path_and_count() -> None:
    session = Session({"layers": [2, 3, 3, 2]})
    result = session.select({"layer": 1, "to": 1, "from": 2})
    assert result["pathCount"] == 6
    assert result["paths"] == [list(p) for p in gradient_paths([2, 3, 3, 2], 1, 1)]
    assert result["gradient"] == session.gradients()["weights"][0][0][1]
