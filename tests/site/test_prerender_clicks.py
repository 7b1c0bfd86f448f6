"""The clicks answered before Python is up (tools/sitebuild/prerender.py, web/js/prerender.js):
every view the build wrote into dist/index.html is, to the last character, the render CPython
gives for the same request from the same view, and the changes it is stored as come back to
those renders (applied here independently of the page's applyPatch)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from backprop_explorer import bridge
from sitebuild.prerender import fill_slot, patch
from sitebuild.project import DIST


def slot(html: str, name: str) -> Any:
    found = re.search(rf'<script type="application/json" id="{name}">(.*?)</script>', html, re.S)
    assert found, name
    return json.loads(found.group(1).replace("<\\/", "</"))


def applied(base: Any, change: Any) -> Any:
    if isinstance(change, list):
        return change[0]
    out = list(base) if isinstance(base, list) else dict(base)
    for key, part in change.items():
        index = int(key) if isinstance(base, list) else key
        out[index] = applied(base[index], part)
    return out


def call(op: str, args: dict) -> dict:
    reply = json.loads(bridge.handle(json.dumps({"op": op, "args": args})))
    assert reply["ok"], reply
    return reply["render"]


@pytest.fixture(scope="module")
def built() -> tuple[dict, dict]:
    html = (DIST / "index.html").read_text(encoding="utf-8")
    return slot(html, "bpx-prerender"), slot(html, "bpx-prerender-clicks")


def test_every_click_on_every_reached_view_is_what_python_renders(built) -> None:
    opening, table = built
    views = [applied(opening["render"], change) for change in table["views"]]
    assert table["views"][0] == {} and views[0] == opening["render"]
    requests = [json.loads(key) for key in table["actions"]]
    # every connection of the opening network (2-3-1: 9) and each notation (3)
    assert [r["op"] for r in requests] == ["select"] * 9 + ["setState"] * 3
    assert len(views) == 27 and len({json.dumps(v) for v in views}) == 27
    for i, view in enumerate(views):
        for request, reached in zip(requests, table["next"][i], strict=True):
            bridge.reset()
            call("init", {"state": view["state"]})
            assert call(request["op"], request["args"]) == views[reached], (i, request)
    # what a click on w(2)1,2 in the opening view shows: its derivation, in explicit notation
    key = '{"args":{"selection":{"from":2,"layer":2,"to":1}},"op":"select"}'
    shown = views[table["next"][0][table["actions"].index(key)]]
    assert shown["state"]["selected"] == {"layer": 2, "to": 1, "from": 2}
    assert shown["derivation"]["steps"][0]["tex"].startswith(
        r"\keep{\err{\frac{\partial\mathcal{L}}{\partial \wt{w^{(2)}_{1,2}}}}}"
    )


def test_a_change_is_as_small_as_what_changed() -> None:
    base = {"a": 1, "b": {"c": [10, 20, 30], "d": "x"}, "e": [1, 2], "f": True}
    target = {"a": 1, "b": {"c": [10, 21, 30], "d": "x"}, "e": [3], "f": 1}
    change = patch(base, target)
    assert change == {"b": {"c": {"1": [21]}}, "e": [[3]], "f": [1]}  # True is not 1 in JSON
    assert applied(base, change) == target
    assert patch(base, base) is None
    assert patch({"a": 1}, {"b": 1}) == [{"b": 1}]


def test_a_slot_is_filled_once_and_cannot_close_its_script() -> None:
    empty = '<script type="application/json" id="x"></script>'
    html = fill_slot(f"<head>{empty}</head>", empty, '{"t": "</script>"}')
    assert (
        html == '<head><script type="application/json" id="x">{"t": "<\\/script>"}</script></head>'
    )
    with pytest.raises(ValueError, match="must hold"):
        fill_slot(empty * 2, empty, "{}")
