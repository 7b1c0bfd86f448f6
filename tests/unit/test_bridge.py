"""The JSON boundary the Web Worker calls: requests in, replies out, no exception escapes."""

from __future__ import annotations

import json

import pytest

from backprop_explorer import bridge


@pytest.fixture(autouse=True)
def fresh() -> None:
    bridge.reset()


def call(op: str, **args) -> dict:
    return json.loads(bridge.handle(json.dumps({"op": op, "args": args})))


def test_init_and_render() -> None:
    reply = call("init")
    assert reply["ok"] is True
    render = reply["render"]
    assert render["state"]["layers"] == [2, 3, 1]
    # it opens with a weight selected (state.opening_selection: ReLU neuron 1 is dead at
    # seed 37, so w(1)1,1's gradient is zero and w(1)2,1 is chosen), and says how to pick another
    assert render["state"]["selected"] == {"layer": 1, "to": 2, "from": 1}
    assert render["derivation"]["summary"].startswith("Selected weight w(1)2,1 = ")
    assert render["hint"] is None
    assert render["pick"] == (
        "w⁽¹⁾₂,₁ selected: ∂𝓛/∂w = 0.6882. Click or tap another connection to derive its gradient."
    )
    assert len(render["diagram"]["edges"]) == 9


def test_set_state_then_select_renders_derivation() -> None:
    assert call("setState", partial={"notation": "vector"})["result"]["notation"] == "vector"
    reply = call("select", selection={"layer": 1, "to": 3, "from": 2})
    assert reply["ok"] is True
    assert reply["result"]["paths"] == [[[1, 3], [2, 1]]]
    assert reply["result"]["latex"] == [s["tex"] for s in reply["render"]["derivation"]["steps"]]
    assert reply["render"]["state"]["selected"] == {"layer": 1, "to": 3, "from": 2}


def test_nan_from_the_page_is_named() -> None:
    # web/js/json.js sends NaN as a bare JSON extension token
    reply = json.loads(
        bridge.handle('{"op": "setState", "args": {"partial": {"input": [NaN, 1]}}}')
    )
    assert reply == {
        "ok": False,
        "error": {
            "field": "input[0]",
            "label": "Input x₁",
            "message": "Input x₁: must be a finite number, got NaN",
            "problem": "must be a finite number, got NaN",
        },
    }


def test_unknown_op_and_malformed_request() -> None:
    assert call("explode")["error"]["message"] == 'op: unknown operation "explode"'
    messages = {
        "{not json": "request: is not JSON text (Expecting property name enclosed in double "
        "quotes: line 1 column 2 (char 1))",
        "[1, 2]": 'request: must be an object {"op", "args"}, got a list',
        '{"args": {}}': "op: unknown operation null",
        '{"op": "select", "args": [1, 1, 1]}': "args: must be an object of named arguments, "
        "got a list",
        '{"op": "step", "args": 3}': "args: must be an object of named arguments, got 3",
    }
    for request, message in messages.items():
        reply = json.loads(bridge.handle(request))
        assert reply["ok"] is False
        assert reply["error"]["message"] == message


def test_step_divergence_keeps_state() -> None:
    before = call("getState")["result"]
    reply = call(
        "setState", partial={"learningRate": 1000, "input": [1000, 1000], "target": [-1000]}
    )
    assert reply["ok"] is True
    reply = call("step", n=50)
    assert reply["ok"] is True
    assert reply["result"]["taken"] == 0 and reply["result"]["requested"] == 50
    assert reply["result"]["stopped"].startswith("Training stopped before step 1: ")
    state = call("getState")["result"]
    assert state["weights"] == before["weights"]


def test_step_rejects_bad_counts() -> None:
    assert (
        call("step", n=0)["error"]["message"]
        == "Number of steps: must be an integer between 1 and 10000, got 0"
    )
    assert call("step", n=2.5)["error"]["message"] == (
        "Number of steps: must be an integer between 1 and 10000, got 2.5"
    )
    # the text of the page's "Run n steps" field is parsed like any typed number
    assert call("step", n="abc")["error"]["message"] == 'Number of steps: "abc" is not a number'
    assert call("step", n="1e5")["error"]["message"] == (
        "Number of steps: must be an integer between 1 and 10000, got 100000"
    )
    assert call("step", n=" 3 ")["render"]["state"]["view"] == "explorer"


def test_replies_are_strict_json() -> None:
    text = bridge.handle(json.dumps({"op": "gradients"}))
    json.loads(text, parse_constant=lambda c: pytest.fail(f"non-standard JSON constant {c}"))


def test_init_offers_presets_activations_losses_and_limits() -> None:
    options = call("init")["result"]["options"]
    assert [p["name"] for p in options["presets"]] == [
        "basic",
        "classic",
        "special",
        "deep",
        "demo",
    ]
    assert {a["name"] for a in options["activations"]} == {
        "linear",
        "relu",
        "sigmoid",
        "tanh",
        "leaky_relu",
    }
    assert [f["name"] for f in options["losses"]] == ["half_sse", "mse"]
    assert options["limits"] == {"maxLayers": 8, "maxNeurons": 10, "maxSteps": 10000}


def test_preset_and_edit_ops_render_and_name_the_preset() -> None:
    assert call("init")["render"]["preset"] == "demo"
    assert call("getState")["render"] is None  # queries change nothing on screen
    reply = call("preset", name="classic")
    assert reply["render"]["preset"] == "classic"
    assert reply["result"]["layers"] == [3, 2, 1]
    reply = call("edit", field="layers", text="4,3,3,2")
    assert reply["render"]["preset"] is None
    reply = call("edit", field="weights[0][1][2]", text="abc")
    assert reply["error"] == {
        "field": "weights[0][1][2]",
        "label": "Weight w(1)2,3",
        "message": 'Weight w(1)2,3: "abc" is not a number',
        "problem": '"abc" is not a number',
    }
    reply = call("edit", field="input[0]", text="1,5")
    assert reply == {
        "ok": False,
        "error": {
            "field": "input[0]",
            "label": "Input x₁",
            "message": 'Input x₁: "1,5" is not a number: write decimals with a dot: 1.5',
            "problem": '"1,5" is not a number: write decimals with a dot: 1.5',
        },
    }


def test_diagnostics_is_a_query_of_plain_figures() -> None:
    reply = call("diagnostics")
    assert reply["ok"] is True
    assert reply["render"] is None  # a query: nothing to redraw
    figures = reply["result"]
    assert set(figures) == {
        "gcObjects",
        "collected",
        "garbage",
        "jsProxies",
        "historyRows",
        "types",
    }
    assert figures["jsProxies"] == 0  # CPython has none
    assert figures["garbage"] == 0
    assert figures["historyRows"] == 1  # step 0
    assert all(isinstance(n, int) and n > 0 for n in figures["types"].values())
    assert sum(figures["types"].values()) == figures["gcObjects"]
    assert figures["types"]["dict"] > 0
    call("step", n=5)
    assert call("diagnostics")["result"]["historyRows"] == 6


def test_diagnostics_counts_js_proxies_by_type_name() -> None:
    class JsProxy:  # the name Pyodide gives its proxies of JavaScript values
        pass

    class JsCallable(JsProxy):
        pass

    kept = [JsProxy(), JsCallable()]
    assert call("diagnostics")["result"]["jsProxies"] == 2
    del kept
    assert call("diagnostics")["result"]["jsProxies"] == 0


def test_a_long_session_leaves_no_python_objects_behind() -> None:
    from backprop_explorer.presets import PRESETS

    def session() -> None:
        for n, preset in enumerate(PRESETS.values()):
            call("setState", partial={"notation": ("explicit", "einstein", "vector")[n % 3]})
            call("preset", name=preset.name)
            layers = preset.layers
            for l in range(1, len(layers)):
                for j in range(1, layers[l] + 1):
                    for k in range(1, layers[l - 1] + 1):
                        call("select", selection={"layer": l, "to": j, "from": k})
            call("setState", partial={"view": "training"})
            call("step", n=20)
            call("setState", partial={"view": "explorer"})
        call("preset", name="basic")  # another network: its run is back at step 0

    call("init")
    for _ in range(2):  # warm-up: modules load, caches fill (the ABCs' ones too)
        session()
        call("diagnostics")
    before = call("diagnostics")["result"]
    for _ in range(3):
        session()
    after = call("diagnostics")["result"]
    assert after["historyRows"] == before["historyRows"] == 1
    assert after["collected"] == 0
    # a few objects of slack: `before` itself is alive now, and was not when it was counted
    assert after["gcObjects"] - before["gcObjects"] <= 5, {
        name: count - before["types"].get(name, 0)
        for name, count in after["types"].items()
        if count != before["types"].get(name, 0)
    }
