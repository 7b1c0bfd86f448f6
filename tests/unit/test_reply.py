"""Every reply of the bridge against its declaration (py/backprop_explorer/reply.py), and the
page's TypeScript view of it (web/js/reply.d.ts) against the text generated from it."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from reply_schema import DECLARATION, problems, typescript

from backprop_explorer import bridge
from backprop_explorer.presets import PRESETS
from backprop_explorer.reply import RESULTS, ErrorReply, OkReply, Render


def call(op: str, /, **args: Any) -> dict[str, Any]:
    return json.loads(bridge.handle(json.dumps({"op": op, "args": args})))


def check(op: str, /, **args: Any) -> dict[str, Any]:
    """Run ``op`` and assert its reply, result and render have their declared types."""
    got = call(op, **args)
    assert got["ok"], got
    assert problems(got, OkReply) == []
    assert problems(got["result"], RESULTS[op], f"{op}.result") == []
    if op in bridge.QUERIES:
        assert got["render"] is None
    else:
        assert problems(got["render"], Render, f"{op}.render") == []
    return got


@pytest.mark.parametrize("bias", [False, True], ids=["no-bias", "bias"])
@pytest.mark.parametrize("name", list(PRESETS))
def test_every_operation_replies_as_declared(name: str, bias: bool) -> None:
    link = check("init")["render"]["link"]
    check("init", link=link)
    check("init", link=link, panels=["tables", "no-such-panel"])
    check("preset", name=name)
    check("setState", partial={"bias": bias, "loss": "mse"})
    for view in ("explorer", "training"):
        check("setState", partial={"view": view})
        for notation in ("explicit", "einstein", "vector"):
            check("setState", partial={"notation": notation})
            check("select", selection={"layer": 1, "to": 1, "from": 1})
            check("pathPage", page=1)
            check("derivationOf", selection={"layer": 1, "to": 1, "from": 1})
        layers = check("getState")["result"]["layers"]
        check("select", selection={"layer": len(layers) - 1, "to": 1, "from": 1})
        check("edit", field="input[0]", text="0.25")
        check("step", n=3)
        check("step", n="2")
        check("resetWeights")
        check("restoreSeed")
        check("gradients")
        check("export", kind="latex")
        check("export", kind="csv")
        check("openLink", link=link)
        check("hostOp", op="select")
        check("select", selection=None)
    check("diagnostics")


def test_a_long_run_and_a_diverging_step_reply_as_declared() -> None:
    check("init", state={"view": "training", "learningRate": 50})
    check("step", n=1)  # the loss jumps: a warning notice
    check("setState", partial={"learningRate": 0.01})
    got = check("step", n=150)  # more rows than the table shows
    assert got["render"]["training"]["notes"]["history"]


@pytest.mark.parametrize(
    "request_text",
    [
        '{"op": "setState", "args": {"partial": {"layers": [2, 99]}}}',
        '{"op": "edit", "args": {"field": "weights[0][0][0]", "text": "1,5"}}',
        '{"op": "hostOp", "args": {"op": "export"}}',
        '{"op": "explode"}',
        "not json",
    ],
)
def test_error_replies_are_as_declared(request_text: str) -> None:
    bridge.reset()
    got = json.loads(bridge.handle(request_text))
    assert got["ok"] is False
    assert problems(got, ErrorReply) == []


def test_an_internal_error_reply_is_as_declared(monkeypatch) -> None:
    def explode(args: dict[str, Any]) -> None:
        raise RuntimeError("boom")

    monkeypatch.setitem(bridge._OPS, "getState", explode)
    got = call("getState")
    assert problems(got, ErrorReply) == [] and "traceback" in got["error"]


def test_the_checker_finds_what_does_not_match() -> None:
    bridge.reset()
    good = call("getState")
    assert problems(good, OkReply) == []
    render = call("setState", partial={})["render"]
    del render["form"]["about"]
    render["diagram"]["nodes"][0]["kind"] = "weight"
    render["training"] = {"step": "3"}
    render["extra"] = 1
    found = problems(render, Render, "render")
    assert "render.form.about: missing from Form" in found
    assert (
        "render.diagram.nodes[0].kind: 'weight' is not one of ('input', 'hidden', 'output', 'bias')"
        in found
    )
    assert "render.extra: not in Render" in found
    assert any(p.startswith("render.training") for p in found)


def test_the_pages_declaration_is_generated_from_reply_py() -> None:
    if os.environ.get("BPX_UPDATE_GOLDEN"):
        DECLARATION.write_text(typescript(), encoding="utf-8")
    assert DECLARATION.read_text(encoding="utf-8") == typescript(), (
        "web/js/reply.d.ts is out of date: run python3 tests/reply_schema.py"
    )
