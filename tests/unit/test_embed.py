"""Embed mode's panels, decided in Python (embed.py): what shows, the view it needs, and the
notice for names it does not know; the catalogue is the page's own sections."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from backprop_explorer import bridge
from backprop_explorer.address import address_options
from backprop_explorer.embed import CONTROL_GROUPS, CONTROLS, DEFAULT_PANELS, PANELS, embed_layout
from backprop_explorer.state import StateError, default_state

INDEX = Path(__file__).resolve().parents[2] / "web" / "index.html"


def test_the_catalogue_is_the_pages_sections() -> None:
    sections = set(re.findall(r'data-panel="([a-z]+)"', INDEX.read_text(encoding="utf-8")))
    assert set(PANELS) == sections


def test_named_panels_show_in_the_order_given_without_repeats() -> None:
    got = embed_layout(["derivation", "diagram", "derivation"], "explorer")
    assert got == {
        "panels": ["derivation", "diagram"],
        "view": "explorer",
        "controls": list(CONTROL_GROUPS),
        "notice": None,
    }


def test_a_panel_of_the_training_demo_switches_to_its_view() -> None:
    assert embed_layout(["diagram", "tables"], "explorer")["view"] == "training"
    assert embed_layout(["numbers"], "training")["view"] == "training"  # never back
    assert embed_layout(["guide"], "explorer")["view"] == "explorer"


@pytest.mark.parametrize("view", ["explorer", "training"])
def test_no_known_panel_gives_the_views_defaults(view) -> None:
    assert embed_layout([], view)["panels"] == DEFAULT_PANELS[view]
    assert embed_layout(["nope"], view)["panels"] == DEFAULT_PANELS[view]


def test_unknown_panels_are_named_in_the_notice() -> None:
    assert embed_layout(["diagram", "plot"], "explorer")["notice"] == (
        'Unknown panels ignored: "plot".'
    )
    many = [f"p{i}" for i in range(8)]
    assert embed_layout(many, "explorer")["notice"] == (
        'Unknown panels ignored: "p0", "p1", "p2", "p3", "p4" and 3 more.'
    )


def test_panels_must_be_a_list_of_names() -> None:
    with pytest.raises(StateError) as err:
        embed_layout("diagram", "explorer")
    assert str(err.value) == 'panels: must be a list of panel names, got "diagram"'


def test_init_with_panels_sets_the_view_and_says_what_to_show() -> None:
    reply = json.loads(bridge.handle(json.dumps({"op": "init", "args": {"panels": ["tables"]}})))
    assert reply["ok"]
    assert reply["result"]["embed"] == {
        "panels": ["tables"],
        "view": "training",
        "controls": list(CONTROL_GROUPS),
        "notice": None,
    }
    assert reply["render"]["state"]["view"] == "training"
    plain = json.loads(bridge.handle(json.dumps({"op": "init", "args": {}})))
    assert plain["result"]["embed"] is None
    assert plain["render"]["state"]["view"] == "explorer"


def test_the_control_groups_are_the_pages() -> None:
    marked = set(re.findall(r'data-control="([a-z]+)"', INDEX.read_text(encoding="utf-8")))
    assert set(CONTROL_GROUPS) == marked


@pytest.mark.parametrize(
    ("choice", "shown"),
    [
        (None, ["topology", "settings", "notation", "editor", "exports", "present"]),
        ("all", ["topology", "settings", "notation", "editor", "exports", "present"]),
        ("settings", ["settings", "notation"]),
        ("none", []),
    ],
)
def test_controls_choose_the_groups_shown(choice, shown) -> None:
    got = embed_layout(["diagram"], "explorer", choice)
    assert got["controls"] == shown and got["notice"] is None
    assert set(CONTROLS["all"]) == set(CONTROL_GROUPS)


def test_an_unknown_controls_choice_is_named_and_all_show() -> None:
    got = embed_layout(["diagram", "plot"], "explorer", "few")
    assert got["controls"] == list(CONTROL_GROUPS)
    assert got["notice"] == (
        'Unknown panels ignored: "plot". Unknown controls "few" ignored: showing all controls'
        " (choose none, settings or all)."
    )
    assert embed_layout([], "explorer", ["none"])["notice"] == (
        "Unknown controls a list ignored: showing all controls (choose none, settings or all)."
    )


# -- select=, notation=, present= (address.py) ----------------------------------------------
def test_select_and_notation_from_the_address_change_the_state() -> None:
    got = address_options(default_state(), "2-1-3", "vector", "1")
    assert got == {
        "partial": {"notation": "vector", "selected": {"layer": 2, "to": 1, "from": 3}},
        "present": True,
        "notices": [],
    }
    assert address_options(default_state()) == {"partial": {}, "present": False, "notices": []}
    assert address_options(default_state(), present="0")["present"] is False


@pytest.mark.parametrize(
    ("select", "notice"),
    [
        (
            "2-1",
            "The link's select=2-1 was not applied: Selected weight: write it as layer-to-from,"
            " like 2-1-3 for the weight w(2)1,3.",
        ),
        (
            "3-1-1",
            "The link's select=3-1-1 was not applied: Selected weight: this 2-3-1 network has"
            " weights in layers 1 to 2.",
        ),
        (
            "1-2-3",
            "The link's select=1-2-3 was not applied: Selected weight: this 2-3-1 network has no"
            " weight w(1)2,3: in layer 1, j goes from 1 to 3 and k from 1 to 2.",
        ),
        (
            "<b>x</b>-1-1",
            "The link's select=<b>x</b>-1-1 was not applied: Selected weight: write it as"
            " layer-to-from, like 2-1-3 for the weight w(2)1,3.",
        ),
    ],
)
def test_a_bad_select_is_named_and_left_out(select, notice) -> None:
    got = address_options(default_state(), select, "einstein")
    assert got["notices"] == [notice]
    assert got["partial"] == {"notation": "einstein"}  # the rest still applies


def test_a_bad_notation_or_present_is_named_and_left_out() -> None:
    got = address_options(default_state(), "1-1-1", "matrix", "yes")
    assert got["partial"] == {"selected": {"layer": 1, "to": 1, "from": 1}}
    assert got["present"] is False
    assert got["notices"] == [
        "The link's notation=matrix was not applied: Notation: must be one of"
        ' "explicit", "einstein", "vector", got "matrix".',
        "The link's present=yes was not applied: Presentation mode: write present=1 to open in"
        " it, or leave it out.",
    ]


def test_a_long_value_is_cut_short_in_the_notice() -> None:
    got = address_options(default_state(), notation="v" * 100)
    assert got["notices"][0].startswith("The link's notation=" + "v" * 37 + "... was not")


def test_init_applies_the_address_and_says_every_problem_in_one_notice() -> None:
    args = {"panels": ["diagram", "derivation"], "controls": "none", "select": "2-1-3"}
    reply = json.loads(bridge.handle(json.dumps({"op": "init", "args": {**args, "present": "1"}})))
    assert reply["result"]["embed"]["controls"] == []
    assert reply["result"]["present"] == {
        "on": True,
        "label": "Presentation mode",
        "hint": "Large type and thick lines for a projector; press again or Esc to leave.",
    }
    assert reply["render"]["state"]["selected"] == {"layer": 2, "to": 1, "from": 3}
    assert reply["result"]["notice"] is None
    bad = {"link": "garbage", "panels": ["plot"], "notation": "matrix"}
    reply = json.loads(bridge.handle(json.dumps({"op": "init", "args": bad})))
    assert reply["result"]["notice"] == (
        'This link could not be opened (the link\'s state does not start with "v1." (made by'
        ' another version?)). Showing the default network. Unknown panels ignored: "plot".'
        " The link's notation=matrix was not applied: Notation: must be one of"
        ' "explicit", "einstein", "vector", got "matrix".'
    )
    assert reply["render"]["state"]["notation"] == "explicit"
