"""The explorer as a Jupyter widget (anywidget): the page's views in a notebook cell, with the
same Python core running in the kernel.

    from backprop_explorer.widget import Explorer
    explorer = Explorer(layers=[2, 3, 1], view="training")
    explorer                      # the diagram, the derivation and the training panel
    explorer.step(3)              # the view follows
    explorer.gradients()          # the same numbers as the page gives for this State

Every operation, from a click in the widget or a call in a cell, is one JSON request to
``bridge.handle`` (through ``bridge.handle_in``, on this widget's own Session), exactly as the
page's Pyodide worker sends it; the widget's script (``static/widget.js``, bundled by build.py
from web/js) draws the render of each reply with the page's own view modules.

Needs the ``notebook`` extra (anywidget); the rest of the package never imports this module,
and the site's Python bundle leaves it out (tools/sitebuild/package.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from .bridge import handle_in
from .session import Session
from .state import StateError

__all__ = ["ASSETS", "WORDS", "Explorer", "ExplorerError"]

# The widget's script and stylesheet, written by build.py into the wheel (dist/notebook/).
ASSETS = Path(__file__).with_name("static")


# What the widget's own boxes are called (their accessible names): its script shows no words
# of its own; its training panels are the page's (index.html's markup, with its words).
WORDS = {
    "diagram": (
        "Network diagram: each connection is a button that selects its weight; "
        "arrow keys move between connections"
    ),
    "derivation": "Derivation of the selected weight's gradient",
}


class ExplorerError(RuntimeError):
    """Python failed inside an operation (an internal error): the message and the traceback
    bridge.handle reported. Refused values raise ``StateError`` instead, as on the page."""


def _asset(name: str) -> str:
    path = ASSETS / name
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing: the widget's files are built by build.py into the wheel "
            "dist/notebook/backprop_explorer-*.whl; install that wheel with the notebook extra"
        )
    return path.read_text(encoding="utf-8")


def _plain(value: Any) -> Any:
    """numpy arrays and numbers as JSON sends them (anything else is refused by json.dumps)."""
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not plain data (numbers, lists, text, dicts)")


class Explorer(anywidget.AnyWidget):
    """Backprop Explorer in a notebook cell.

    ``Explorer(**fields)`` starts from the default State changed by ``fields`` (any State
    field: ``layers``, ``activations``, ``weights``, ``input``, ``view``, …), validated by the
    same ``merge`` as the page's, so a bad value raises the page's ``StateError`` message;
    ``Explorer(link="v1.…")`` opens a permalink's State. ``state`` and ``selected`` follow every
    change, clicks in the widget included (observe them with ``explorer.observe``).
    """

    state = traitlets.Dict(read_only=True, help="the State on screen (a copy)")
    selected = traitlets.Dict(
        allow_none=True, read_only=True, help="the selected weight {layer, to, from}, or None"
    )
    notice = traitlets.Unicode(
        None, allow_none=True, read_only=True, help="what a permalink could not restore"
    )
    # The render of the last reply that changed something: the widget's script draws it.
    _render = traitlets.Dict().tag(sync=True)
    _words = traitlets.Dict(WORDS).tag(sync=True)

    def __init__(self, *, link: str | None = None, **fields: Any) -> None:
        self._esm = _asset("widget.js")
        self._css = _asset("widget.css")
        super().__init__()
        self._session = Session()
        args: dict[str, Any] = {"state": fields} if fields else {}
        if link is not None:
            args["link"] = link
        result = self._call("init", args)
        self.set_trait("notice", result["notice"])
        self.on_msg(self._on_message)

    # -- the one door: a request to bridge.handle, its render drawn ---------------------------
    def _request(self, request: str) -> dict[str, Any]:
        """Run one request on this widget's Session; a render in the reply goes to the view."""
        text, self._session = handle_in(self._session, request)
        reply: dict[str, Any] = json.loads(text)
        if reply["ok"] and reply["render"] is not None:
            render = reply["render"]
            self.set_trait("state", render["state"])
            self.set_trait("selected", render["state"]["selected"])
            self._render = render
        return reply

    def _call(self, op: str, args: dict[str, Any] | None = None) -> Any:
        """An operation called from Python: its result, or the error raised."""
        reply = self._request(json.dumps({"op": op, "args": args or {}}, default=_plain))
        if reply["ok"]:
            return reply["result"]
        error = reply["error"]
        if error["field"] is None:
            raise ExplorerError(f"{error['message']}\n{error['traceback']}")
        raise StateError(error["field"], error["problem"])

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        """A call from the widget's script: ``{call: id, request: JSON text}``, answered with
        ``{reply: id, text: reply JSON}`` (the page's engine gets the same reply)."""
        if not isinstance(content, dict) or "call" not in content:
            return  # not ours: anywidget's own messages share the channel
        request = content.get("request")
        reply = self._request(request if isinstance(request, str) else json.dumps(request))
        self.send({"reply": content["call"], "text": json.dumps(reply, allow_nan=False)})

    # -- the API ------------------------------------------------------------------------------
    def select(self, selection: Any) -> dict[str, Any]:
        """Select a weight: ``(layer, to, from)``, ``{"layer", "to", "from"}`` or None; the
        result is the page's: the weight's gradient, its finite-difference check, …"""
        if isinstance(selection, tuple | list) and len(selection) == 3:
            selection = dict(zip(("layer", "to", "from"), selection, strict=True))
        result: dict[str, Any] = self._call("select", {"selection": selection})
        return result

    def step(self, n: int = 1) -> dict[str, Any]:
        """Take up to ``n`` steps of the State's optimizer: ``{taken, requested, stopped,
        state}`` (a step that would blow up is not taken; the training panel says why)."""
        result: dict[str, Any] = self._call("step", {"n": n})
        return result

    def set_state(self, partial: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
        """Change State fields (a dict, keywords, or both), validated as on the page."""
        result: dict[str, Any] = self._call("setState", {"partial": {**(partial or {}), **fields}})
        return result

    def preset(self, name: str) -> dict[str, Any]:
        """Apply a named topology ("basic", "classic", "special", "deep", "demo")."""
        result: dict[str, Any] = self._call("preset", {"name": name})
        return result

    def gradients(self) -> dict[str, Any]:
        """Loss, output and every ∂𝓛/∂w (and ∂𝓛/∂b) of the State on screen."""
        result: dict[str, Any] = self._call("gradients")
        return result

    def link(self, site: str) -> str:
        """The permalink of this State on the site at ``site`` (its address, like
        ``https://example.github.io/backprop-explorer/``): the network for students to open."""
        render = self._render
        return f"{site}#state={render['link']}"
