"""The boundary between the page and Python: JSON text in, JSON text out.

The Web Worker (web/js/worker.js) is the only caller. It passes one request string
``{"op": name, "args": {...}}`` to ``handle`` and posts the returned string back to the page,
so no JavaScript object or Pyodide proxy outlives a call. Non-finite numbers travel as the
JSON extensions NaN / Infinity, which Python's json module reads, so validation can name them.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable
from typing import Any

from .session import Session
from .state import StateError

__all__ = ["handle", "reset"]

_session = Session()


def reset(initial: dict[str, Any] | None = None) -> None:
    """Start a fresh session (used by tests and by the page on load)."""
    global _session
    _session = Session(initial)


def _render() -> dict[str, Any]:
    """Everything the page draws for the current State."""
    return {
        "state": _session.get_state(),
        "diagram": _session.diagram(),
        "derivation": _session.derivation(),
    }


_OPS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "init": lambda args: reset(args.get("state")),
    "getState": lambda args: _session.get_state(),
    "setState": lambda args: _session.set_state(args.get("partial")),
    "gradients": lambda args: _session.gradients(),
    "step": lambda args: _session.step(args.get("n", 1)),
    "select": lambda args: _session.select(args.get("selection")),
}


def handle(request: str) -> str:
    """Run one request and return ``{"ok": true, "result", "render"}`` or an error reply."""
    try:
        message = json.loads(request)
        op = message["op"]
        args = message.get("args") or {}
        if op not in _OPS:
            raise StateError("op", f"unknown operation {op!r}")
        result = _OPS[op](args)
        reply = {"ok": True, "result": result, "render": _render()}
    except StateError as err:
        reply = {"ok": False, "error": {"field": err.field, "message": str(err)}}
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
