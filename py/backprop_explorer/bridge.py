"""The boundary between the page and Python: JSON text in, JSON text out.

The page's Python host (web/js/python-host.js, run in the Web Worker or, for the single file,
on the page when a worker is refused) is the only caller. It passes one request string
``{"op": name, "args": {...}}`` to ``handle`` and posts the returned string back to the page,
so no JavaScript object or Pyodide proxy outlives a call. Non-finite numbers travel as the
JSON extensions NaN / Infinity, which Python's json module reads, so validation can name them.
"""

from __future__ import annotations

import gc
import json
import traceback
from collections import Counter
from collections.abc import Callable
from typing import Any

from .activations import ACTIVATIONS
from .address import address_options
from .embed import embed_layout
from .form import form_model
from .losses import LOSSES
from .names import PICK, PRESENT_WORDS
from .presets import PRESETS, match_preset
from .session import MAX_STEPS, Session
from .state import MAX_LAYERS, MAX_NEURONS, StateError, show_value

__all__ = ["HOST_OPS", "diagnostics", "handle", "handle_in", "options", "reset"]

# What the page says where the derivation goes while no connection is selected.
HINT = PICK

# The operations a host page may call through postMessage (web/js/share.js asks `hostOp`).
HOST_OPS = (
    "getState",
    "setState",
    "select",
    "step",
    "gradients",
    "preset",
    "edit",
    "resetWeights",
    "restoreSeed",
)

_session = Session()


def reset(initial: dict[str, Any] | None = None) -> None:
    """Start a fresh session (used by tests and by the page on load)."""
    global _session
    _session = Session(initial)


def options() -> dict[str, Any]:
    """What the page's controls offer: presets, activations, losses and the limits."""
    return {
        "presets": [
            {"name": p.name, "label": p.label, "layers": list(p.layers), "about": p.about}
            for p in PRESETS.values()
        ],
        "activations": [
            {"name": a.name, "label": a.label, "tex": a.tex} for a in ACTIVATIONS.values()
        ],
        "losses": [{"name": f.name, "label": f.label, "tex": f.tex} for f in LOSSES.values()],
        "limits": {"maxLayers": MAX_LAYERS, "maxNeurons": MAX_NEURONS, "maxSteps": MAX_STEPS},
    }


def _init(args: dict[str, Any]) -> dict[str, Any]:
    """Start afresh, from a State, or from a permalink's text (``link``); an embed gives its
    ``panels`` (and ``controls``) too, and gets the panels and controls to show, in the view
    they need. The address's ``select``, ``notation`` and ``present`` apply on top."""
    reset(args.get("state"))
    notices = [_session.open_link(args["link"], opening=True) if args.get("link") else None]
    embed = None
    if "panels" in args:
        embed = embed_layout(args["panels"], _session.get_state()["view"], args.get("controls"))
        notices.append(embed["notice"])
        if embed["view"] != _session.get_state()["view"]:
            _session.set_state({"view": embed["view"]})
    asked = address_options(
        _session.get_state(), args.get("select"), args.get("notation"), args.get("present")
    )
    if asked["partial"]:
        _session.set_state(asked["partial"])
    notices += asked["notices"]
    notice = " ".join(n for n in notices if n) or None
    present = {
        "on": asked["present"],
        "label": PRESENT_WORDS["label"],
        "hint": PRESENT_WORDS["hint"],
    }
    return {"options": options(), "notice": notice, "embed": embed, "present": present}


def _render() -> dict[str, Any]:
    """Everything the page draws for the current State."""
    state = _session.get_state()
    preset = match_preset(state["layers"])
    derivation = _session.derivation()
    return {
        "state": state,
        "link": _session.link(),
        "preset": preset,
        "form": form_model(state, preset),
        "diagram": _session.diagram(),
        "derivation": derivation,
        "hint": HINT if derivation is None else None,
        "pick": _session.pick(),
        "training": _session.training() if state["view"] == "training" else None,
    }


def _host_op(op: Any) -> dict[str, str]:
    """``op`` when a host page may call it (``HOST_OPS``); else the message for the host."""
    if not isinstance(op, str) or op not in HOST_OPS:
        raise StateError("op", f"unknown operation {show_value(op)}")
    return {"op": op}


def diagnostics() -> dict[str, Any]:
    """Live-object figures for bench/soak.py, taken after a full garbage collection.

    ``gcObjects``: objects the collector tracks; ``types``: those by type name; ``collected``:
    unreachable objects the collection just freed (cycles); ``garbage``: uncollectable ones;
    ``jsProxies``: Pyodide's proxies of JavaScript values. They are counted by type name, so
    this module imports nothing of Pyodide, and since Pyodide does not track them (they hold
    no references) they are looked for among what the tracked objects refer to as well.
    ``historyRows``: rows of the training run, which grows by one per step by design.
    """
    collected = gc.collect()
    objects = gc.get_objects()
    types = Counter(type(o).__name__ for o in objects)
    candidates = [*objects, *gc.get_referents(*objects)]
    proxy_types = {t for t in set(map(type, candidates)) if _is_js_proxy_type(t)}
    proxies = {id(o) for o in candidates if type(o) in proxy_types}
    figures = {
        "gcObjects": len(objects),
        "collected": collected,
        "garbage": len(gc.garbage),
        "jsProxies": len(proxies),
        "historyRows": len(_session.run.history),
        "types": dict(sorted(types.items())),
    }
    del objects, candidates
    return figures


def _is_js_proxy_type(cls: type) -> bool:
    return any(base.__name__ == "JsProxy" for base in cls.__mro__)


QUERIES = frozenset(
    {"getState", "gradients", "pathPage", "derivationOf", "export", "diagnostics", "hostOp"}
)

_OPS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "init": _init,
    "getState": lambda args: _session.get_state(),
    "setState": lambda args: _session.set_state(args.get("partial")),
    "gradients": lambda args: _session.gradients(),
    "pathPage": lambda args: _session.path_page(args.get("page")),
    "derivationOf": lambda args: _session.derivation_of(args.get("selection")),
    "step": lambda args: _session.step(args.get("n", 1)),
    "select": lambda args: _session.select(args.get("selection")),
    "edit": lambda args: _session.edit(args.get("field"), args.get("text")),
    "preset": lambda args: _session.apply_preset(args.get("name")),
    "resetWeights": lambda args: _session.reset_weights(),
    "restoreSeed": lambda args: _session.restore_seed(),
    "openLink": lambda args: {"notice": _session.open_link(args.get("link"))},
    "export": lambda args: _session.export(args.get("kind")),
    "diagnostics": lambda args: diagnostics(),
    "hostOp": lambda args: _host_op(args.get("op")),
}


def _parse(request: Any) -> tuple[str, dict[str, Any]]:
    """The operation name and arguments of a request, or a StateError saying what is wrong."""
    try:
        message = json.loads(request)
    except (TypeError, ValueError) as err:
        raise StateError("request", f"is not JSON text ({err})") from None
    if not isinstance(message, dict):
        raise StateError(
            "request", f'must be an object {{"op", "args"}}, got {show_value(message)}'
        )
    op = message.get("op")
    if not isinstance(op, str) or op not in _OPS:
        raise StateError("op", f"unknown operation {show_value(op)}")
    args = message.get("args")
    if args is None:
        args = {}
    if not isinstance(args, dict):
        raise StateError("args", f"must be an object of named arguments, got {show_value(args)}")
    return op, args


def handle(request: str) -> str:
    """Run one request and return ``{"ok": true, "result", "render"}`` or an error reply."""
    try:
        op, args = _parse(request)
        result = _OPS[op](args)
        # Queries change nothing on screen: their replies carry no render.
        reply = {"ok": True, "result": result, "render": None if op in QUERIES else _render()}
    except StateError as err:
        reply = {
            "ok": False,
            "error": {
                "field": err.field,
                "label": err.label,
                "message": str(err),
                "problem": err.problem,
            },
        }
    except Exception as err:  # reported to the page, never swallowed
        reply = {
            "ok": False,
            "error": {
                "field": None,
                "message": f"internal error: {type(err).__name__}: {err}",
                "traceback": traceback.format_exc(),
            },
        }
    return json.dumps(reply, allow_nan=False)


def handle_in(session: Session, request: str) -> tuple[str, Session]:
    """``handle`` run on ``session`` instead of the module's own, for a host that keeps one
    Session per view (a notebook kernel with several widgets, backprop_explorer.widget).

    Returns the reply and the session the request left behind: ``init`` starts a new one.
    The module's own session is back in place afterwards, whatever happened.
    """
    global _session
    own = _session
    _session = session
    try:
        return handle(request), _session
    finally:
        _session = own
