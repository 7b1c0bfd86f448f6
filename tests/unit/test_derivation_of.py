"""``derivationOf``: the steps another selection's derivation would show, computed without
changing the State, so the page can typeset the neighbours of the selection ahead of a click."""

from __future__ import annotations

import json

import pytest

from backprop_explorer import Session, bridge
from backprop_explorer.presets import preset_partial
from backprop_explorer.state import StateError


@pytest.mark.parametrize(
    "partial",
    [
        preset_partial("demo"),
        {**preset_partial("deep"), "notation": "vector", "bias": True},
        {"optimizer": {"name": "adam"}, "notation": "einstein"},
    ],
)
def test_the_steps_are_those_the_selection_would_show_and_the_state_stays(partial) -> None:
    session = Session({**partial, "selected": {"layer": 1, "to": 1, "from": 1}})
    session.step(2)
    before = session.get_state()
    other = {"layer": 2, "to": 1, "from": 2}
    ahead = session.derivation_of(other)
    assert session.get_state() == before
    assert session.derivation()["steps"][0]["tex"] != ahead["steps"][0]["tex"]
    session.select(other)
    assert ahead == {"steps": session.derivation()["steps"]}


def test_a_bad_selection_is_named_and_nothing_changes() -> None:
    session = Session()
    before = session.get_state()
    with pytest.raises(
        StateError,
        match=r"^Selected weight, its layer l: must be an integer between 1 and 2, got 9$",
    ):
        session.derivation_of({"layer": 9, "to": 1, "from": 1})
    with pytest.raises(StateError, match="name a connection to derive"):
        session.derivation_of(None)
    assert session.get_state() == before


def test_the_bridge_answers_it_as_a_query_without_a_render() -> None:
    bridge.reset()
    reply = json.loads(
        bridge.handle(
            json.dumps(
                {"op": "derivationOf", "args": {"selection": {"layer": 1, "to": 1, "from": 1}}}
            )
        )
    )
    assert reply["ok"] and reply["render"] is None
    assert reply["result"]["steps"][0]["id"] == "bp3"
