"""Every bad input of the corpus (tests/bad_inputs.py) gets its own message, reviewed in
tests/golden/bad-inputs.jsonl, and leaves the State as it was.

    BPX_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/test_bad_inputs.py
"""

from __future__ import annotations

import copy
import json
import math
import os
from pathlib import Path

import pytest
from bad_inputs import Case, cases, request, setup
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_explorer import bridge
from backprop_explorer.fields import parse_layers, parse_number
from backprop_explorer.names import field_label
from backprop_explorer.state import (
    FIELDS,
    MAX_LAYERS,
    MAX_NEURONS,
    StateError,
    default_state,
    merge,
)

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "bad-inputs.jsonl"


def answer(case: Case) -> str:
    """The message the app gives for `case`, starting from the default State (or, for
    trainEdit, the training set-up: unchanged after)."""
    bridge.reset()
    if (first := setup(case)) is not None:
        assert json.loads(bridge.handle(first))["ok"]
    before = json.loads(bridge.handle('{"op": "getState"}'))["result"]
    reply = json.loads(bridge.handle(request(case)))
    after = json.loads(bridge.handle('{"op": "getState"}'))["result"]
    assert after == before, f"{case.key()} changed the State"
    if case.channel == "link":
        assert reply["ok"], reply
        return reply["result"]["notice"]
    assert reply["ok"] is False, f"{case.key()} was accepted"
    return reply["error"]["message"]


def load_golden() -> dict[str, str]:
    lines = GOLDEN.read_text(encoding="utf-8").splitlines()
    return {(e := json.loads(line))["case"]: e["message"] for line in lines}


def test_the_corpus_has_at_least_200_distinct_bad_inputs() -> None:
    keys = [c.key() for c in cases()]
    assert len(set(keys)) == len(keys), "a case is listed twice"
    assert len(keys) >= 200


def test_every_bad_input_gets_its_reviewed_message_and_changes_nothing() -> None:
    got = {c.key(): answer(c) for c in cases()}
    if os.environ.get("BPX_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(
            "".join(
                json.dumps({"case": k, "message": m}, ensure_ascii=False) + "\n"
                for k, m in got.items()
            ),
            encoding="utf-8",
        )
    golden = load_golden()
    assert list(got) == list(golden), "the corpus changed: regenerate the golden file and review"
    for key, message in got.items():
        assert message == golden[key], key


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.key()[:60])
def test_messages_are_specific(case: Case) -> None:
    """No case is answered by a catch-all: the message names the field, as the page labels
    it, or the link."""
    message = load_golden()[case.key()]
    assert "internal error" not in message
    if case.channel in ("edit", "trainEdit") and isinstance(case.target, str):
        named = (field_label(case.target), field_label("layers"))
        assert message.startswith(tuple(f"{name}: " for name in named))
    if case.channel == "link":
        assert message.startswith("This link could not be opened (")


# -- generated bad input (hypothesis) ------------------------------------------------------
# Whatever comes in, the answer is a State or a StateError with a one-line message that names
# a field; never an internal error, a NaN in the State, or a changed State after an error.

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=6) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
FIELD_NAMES = st.sampled_from(sorted(FIELDS))
PARTIALS = st.dictionaries(FIELD_NAMES, JSON, min_size=1, max_size=3)
NUMBERISH = st.text(alphabet="0123456789.,eE+-−naNifty ½x\n\t", max_size=12)


def assert_message(err: StateError) -> None:
    message = str(err)
    assert message and "\n" not in message and "internal error" not in message
    assert message == f"{field_label(err.field)}: {err.problem}"
    assert err.problem and message.endswith(err.problem)


def assert_finite_state(state: dict) -> None:
    def walk(v):
        if isinstance(v, float):
            assert math.isfinite(v)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)

    walk(state)
    assert merge(default_state(), state) == state  # a State that comes out is valid as a whole


@settings(max_examples=400, deadline=None)
@given(st.one_of(NUMBERISH, st.text(max_size=20)))
def test_any_text_in_a_number_field_is_a_finite_number_or_a_message(text: str) -> None:
    try:
        value = parse_number("input[0]", text)
    except StateError as err:
        assert_message(err)
    else:
        assert math.isfinite(value)
        assert value == float(text.strip().replace("\u2212", "-"))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(alphabet="0123456789, ;->→x.", max_size=40), st.text(max_size=20)))
def test_any_text_in_the_layers_field_is_a_topology_or_a_message(text: str) -> None:
    try:
        layers = parse_layers(text)
    except StateError as err:
        assert_message(err)
    else:
        assert 2 <= len(layers) <= MAX_LAYERS and all(1 <= n <= MAX_NEURONS for n in layers)


@settings(max_examples=400, deadline=None)
@given(PARTIALS)
def test_any_partial_state_merges_or_is_refused_and_changes_nothing(partial: dict) -> None:
    state = default_state()
    before = copy.deepcopy(state)
    try:
        merged = merge(state, partial)
    except StateError as err:
        assert_message(err)
    else:
        assert_finite_state(merged)
    assert state == before


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), JSON.map(lambda v: json.dumps(v, allow_nan=True))))
def test_any_request_text_gets_a_json_reply_never_an_internal_error(text: str) -> None:
    bridge.reset()
    before = bridge.handle('{"op": "getState"}')
    reply = json.loads(bridge.handle(text))
    if not reply["ok"]:
        assert "internal error" not in reply["error"]["message"]
        assert bridge.handle('{"op": "getState"}') == before


OPS_WITH_ARGS = st.sampled_from(
    [
        ("setState", "partial"),
        ("select", "selection"),
        ("step", "n"),
        ("preset", "name"),
        ("edit", "field"),
        ("edit", "text"),
        ("openLink", "link"),
        ("export", "kind"),
        ("init", "state"),
        ("init", "link"),
    ]
)


@settings(max_examples=500, deadline=None)
@given(OPS_WITH_ARGS, JSON)
def test_any_argument_of_any_operation_is_answered_with_a_specific_message(op_arg, value) -> None:
    op, name = op_arg
    bridge.reset()
    args = {name: value}
    if op == "edit":
        args.setdefault("field", "input[0]")
        args.setdefault("text", "1")
    reply = json.loads(bridge.handle(json.dumps({"op": op, "args": args}, allow_nan=True)))
    if reply["ok"]:
        if reply["render"] is not None:
            assert_finite_state(reply["render"]["state"])
    else:
        error = reply["error"]
        assert "internal error" not in error["message"], error
        assert error["message"] == f"{field_label(error['field'])}: {error['problem']}"
