"""backprop_explorer.widget without a browser: the Explorer runs the page's bridge operations on
a Session of its own, validates with the page's messages, and answers the widget's messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backprop_explorer import bridge, widget
from backprop_explorer.state import StateError
from backprop_explorer.widget import Explorer
from sitebuild.mathjax import bundle_mathjax, load_texmacros
from sitebuild.project import NODE_MODULES
from sitebuild.widget import widget_assets


@pytest.fixture(scope="module")
def assets(tmp_path_factory) -> Path:
    """The widget's script and stylesheet as the build writes them into the wheel."""
    where = tmp_path_factory.mktemp("static")
    bundle_mathjax(NODE_MODULES, where / "mathjax.js", load_texmacros().TEX_MACROS)
    for name, data in widget_assets((where / "mathjax.js").read_text()).items():
        (where / name).write_bytes(data)
    return where


@pytest.fixture(autouse=True)
def built(assets, monkeypatch) -> None:
    monkeypatch.setattr(widget, "ASSETS", assets)


def page_reply(op: str, args: dict) -> dict:
    """What the page's worker gets for the same request (the module's own session)."""
    return json.loads(bridge.handle(json.dumps({"op": op, "args": args})))


def test_an_explorer_opens_with_the_state_the_page_opens_with_for_the_same_fields() -> None:
    explorer = Explorer(layers=[2, 3, 1], view="training")
    page = page_reply("init", {"state": {"layers": [2, 3, 1], "view": "training"}})["render"]
    assert explorer.state == page["state"]
    assert explorer.selected == page["state"]["selected"] == {"layer": 1, "to": 2, "from": 1}
    assert explorer._render == page
    assert explorer._render["training"]["summary"] == page["training"]["summary"]
    assert explorer.notice is None


def test_the_widget_carries_its_built_script_and_stylesheet() -> None:
    explorer = Explorer()
    assert explorer._esm.endswith("export {\n  widget_default as default\n};\n")
    assert "window.MathJax = " in explorer._esm
    assert explorer._css.startswith("@scope (.bpx-widget) {\n:scope {")
    assert ":root" not in explorer._css
    assert explorer._words["diagram"].startswith("Network diagram: each connection is a button")


def test_without_its_built_files_the_widget_says_how_to_get_them(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(widget, "ASSETS", tmp_path)
    with pytest.raises(
        FileNotFoundError, match=r"widget\.js is missing: the widget's files are built by build\.py"
    ):
        Explorer()


def test_bad_fields_are_refused_with_the_pages_messages() -> None:
    with pytest.raises(StateError) as err:
        Explorer(learningRate=0)
    assert (
        str(err.value) == "Learning rate η: must be a number greater than 0 and at most 1000, got 0"
    )
    explorer = Explorer()
    before = explorer.state
    with pytest.raises(StateError) as err:
        explorer.set_state(input=[1, float("nan")])
    page = page_reply("setState", {"partial": {"input": [1, float("nan")]}})
    assert (
        str(err.value) == page["error"]["message"] == "Input x₂: must be a finite number, got NaN"
    )
    assert err.value.field == "input[1]"
    assert explorer.state == before


def test_select_and_step_change_state_selected_and_the_render() -> None:
    explorer = Explorer(layers=[2, 3, 1])
    seen: list[str] = []
    explorer.observe(lambda change: seen.append(change["name"]), names=["state", "selected"])
    result = explorer.select((2, 1, 3))
    assert result["gradient"] == explorer.gradients()["weights"][1][0][2]
    assert explorer.selected == {"layer": 2, "to": 1, "from": 3}
    assert explorer._render["pick"].startswith("w⁽²⁾₁,₃ selected: ∂𝓛/∂w = ")
    assert seen == ["state", "selected"]
    with pytest.raises(StateError) as err:
        explorer.select((3, 1, 1))
    assert (
        str(err.value) == "Selected weight, its layer l: must be an integer between 1 and 2, got 3"
    )
    assert explorer.selected == {"layer": 2, "to": 1, "from": 3}
    weights = explorer.state["weights"]
    result = explorer.step(3)
    assert (result["taken"], result["requested"], result["stopped"]) == (3, 3, None)
    assert explorer.state["weights"] != weights
    assert explorer._render["state"] == explorer.state
    explorer.select(None)
    assert explorer.selected is None
    assert explorer._render["derivation"] is None


def test_gradients_are_the_pages_for_the_same_state_and_the_link_reopens_it() -> None:
    explorer = Explorer(layers=[2, 3, 1], view="training")
    explorer.step(3)
    page_reply("init", {"state": explorer.state})
    assert explorer.gradients() == page_reply("gradients", {})["result"]
    link = explorer.link("https://example.test/bpx/")
    assert link == f"https://example.test/bpx/#state={explorer._render['link']}"
    again = Explorer(link=link.split("#state=")[1])
    assert again.state == explorer.state
    assert Explorer(link="v1.nonsense").notice.startswith("This link could not be opened")


def test_explorers_keep_their_own_sessions_and_leave_the_pages_alone() -> None:
    bridge.reset()
    page_state = page_reply("getState", {})["result"]
    one, two = Explorer(layers=[1, 1, 1]), Explorer(layers=[3, 2, 1])
    one.step(2)
    assert two.state["layers"] == [3, 2, 1]
    assert one.state["layers"] == [1, 1, 1]
    assert page_reply("getState", {})["result"] == page_state


def test_the_widgets_calls_get_the_pages_replies(monkeypatch) -> None:
    explorer = Explorer()
    sent: list[dict] = []
    monkeypatch.setattr(explorer, "send", sent.append)
    request = json.dumps({"op": "select", "args": {"selection": {"layer": 1, "to": 1, "from": 2}}})
    explorer._on_message(explorer, {"call": 7, "request": request}, [])
    (message,) = sent
    assert message["reply"] == 7
    reply = json.loads(message["text"])
    assert reply["ok"] is True
    assert reply["render"] == explorer._render
    assert explorer.selected == {"layer": 1, "to": 1, "from": 2}
    before = explorer.state
    explorer._on_message(explorer, {"call": 8, "request": '{"op": "step", "args": {"n": 0}}'}, [])
    refused = json.loads(sent[1]["text"])
    assert refused["ok"] is False
    assert refused["error"]["field"] == "n"
    assert explorer.state == before
    explorer._on_message(explorer, {"something": "else"}, [])
    assert len(sent) == 2
