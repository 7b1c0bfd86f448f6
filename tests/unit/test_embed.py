"""Embed mode's panels, decided in Python (embed.py): what shows, the view it needs, and the
notice for names it does not know; the catalogue is the page's own sections."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from backprop_explorer import bridge
from backprop_explorer.embed import DEFAULT_PANELS, PANELS, embed_layout
from backprop_explorer.state import StateError

INDEX = Path(__file__).resolve().parents[2] / "web" / "index.html"


def test_the_catalogue_is_the_pages_sections() -> None:
    sections = set(re.findall(r'data-panel="([a-z]+)"', INDEX.read_text(encoding="utf-8")))
    assert set(PANELS) == sections


def test_named_panels_show_in_the_order_given_without_repeats() -> None:
    got = embed_layout(["derivation", "diagram", "derivation"], "explorer")
    assert got == {"panels": ["derivation", "diagram"], "view": "explorer", "notice": None}


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
    assert reply["result"]["embed"] == {"panels": ["tables"], "view": "training", "notice": None}
    assert reply["render"]["state"]["view"] == "training"
    plain = json.loads(bridge.handle(json.dumps({"op": "init", "args": {}})))
    assert plain["result"]["embed"] is None
    assert plain["render"]["state"]["view"] == "explorer"
