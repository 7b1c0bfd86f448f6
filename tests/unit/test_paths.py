"""Gradient paths and the diagram roles derived from them."""

from __future__ import annotations

import math

import pytest

from backprop_explorer import Session, StateError, gradient_paths, path_count
from backprop_explorer.diagram import ROLES
from backprop_explorer.paths import path_edges
from backprop_explorer.presets import preset_partial


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
    model = Session({"layers": [4, 3, 3, 2], "selected": None}).diagram()
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


def _path_table(session: Session) -> dict:
    steps = session.derivation()["steps"]
    return next(step["table"] for step in steps if step["id"] == "numbers-paths")


def test_deep_offers_all_nine_paths_on_one_page() -> None:
    session = Session(preset_partial("deep"))
    session.select({"layer": 1, "to": 2, "from": 1})
    table = _path_table(session)
    assert len(table["rows"]) == 6 and table["moreText"] == "⋮  3 more paths"
    assert table["showAll"] == "Show all 9 paths"
    page = session.path_page(1)
    assert (page["page"], page["pages"], page["pathCount"]) == (1, 1, 9)
    assert page["text"] == "All 9 paths"
    assert page["previous"] is None and page["next"] is None
    assert [row["path"] for row in page["rows"]] == list(range(9))
    assert page["rows"][:6] == table["rows"]  # the same rows as the table, and three more
    assert page["rows"][8]["label"] == "m = 3, p = 3, q = 1"
    paths = list(gradient_paths(session.get_state()["layers"], 1, 2))
    assert [term["path"] for term in page["terms"]] == paths
    assert page["terms"][8]["neurons"] == ["1-2", "2-3", "3-3", "4-1"]
    assert page["terms"][8]["edges"] == ["2-3-2", "3-3-3", "4-1-3"]
    # the products add up to the gradient
    total = sum(term["value"] for term in page["terms"])
    assert math.isclose(total, session.derivation()["gradient"], rel_tol=1e-12)


def test_a_4096_path_network_pages_100_rows_at_a_time_to_the_last_row() -> None:
    layers = [2, 8, 8, 8, 8, 8, 1]
    session = Session({"layers": layers})
    session.select({"layer": 1, "to": 1, "from": 1})
    assert _path_table(session)["showAll"] == "Show all 4096 paths, 100 a page"
    first = session.path_page(1)
    assert (first["pages"], len(first["rows"])) == (41, 100)
    assert first["text"] == "Paths 1–100 of 4096"
    assert first["previous"] is None and first["next"] == "Next 100 paths"
    middle = session.path_page(2)
    assert middle["text"] == "Paths 101–200 of 4096" and middle["previous"] == "Previous 100 paths"
    assert middle["rows"][0]["path"] == 100
    last = session.path_page(41)
    assert last["text"] == "Paths 4001–4096 of 4096"
    assert last["next"] is None and last["previous"] == "Previous 100 paths"
    assert len(last["rows"]) == 96 and last["rows"][-1]["path"] == 4095
    assert last["terms"][-1]["path"] == list(gradient_paths(layers, 1, 1))[-1]
    assert last["rows"][-1]["label"] == "m = 8, p = 8, q = 8, r = 8, s = 1"
    total = sum(term["value"] for n in range(1, 42) for term in session.path_page(n)["terms"])
    assert math.isclose(total, session.derivation()["gradient"], rel_tol=1e-9, abs_tol=1e-15)


def test_a_page_that_is_not_there_is_named() -> None:
    session = Session(preset_partial("deep"))
    with pytest.raises(StateError) as err:
        session.path_page(1)
    assert (
        str(err.value) == "Selected weight: select a connection first: the paths are its gradient's"
    )
    session.select({"layer": 1, "to": 1, "from": 1})
    for page in (0, 2, "1", True):
        with pytest.raises(StateError) as err:
            session.path_page(page)
        assert err.value.field == "page"
    assert str(err.value) == "page: must be an integer between 1 and 1, got true"
