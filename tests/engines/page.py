"""What a test does with a page, written once for every engine.

An engine module (`chromium.py`, `firefox.py`, `webkit.py`) subclasses `Page` and supplies five
primitives: `_evaluate` (run a JavaScript function expression in the page and return its JSON
text), `_pointer` and `_keys` (W3C WebDriver input actions), `set_viewport` and `screenshot`.
Everything else — waiting on a condition, clicking, tapping, typing, reading the problems the
page recorded — is built here from those, so a test reads the same in Chromium, Firefox and
WebKit.

Functions are given as JavaScript source text, e.g. `"(s) => backpropExplorer.setState(s)"`,
with one JSON-able argument. They are compiled by the browser's automation layer, not by the
page, so the page's Content-Security-Policy (no `eval`) does not stand in the way.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# Set up before the page's own scripts where the engine allows it (Chromium, Firefox), right
# after the load otherwise (WebKitGTK's WebDriver has no preload scripts): records Content
# Security Policy violations and uncaught errors, which `Page.problems()` reads.
RECORD_PROBLEMS = """() => {
  if (window.bpxProblems) return;
  const seen = (window.bpxProblems = []);
  addEventListener("securitypolicyviolation", (e) =>
    seen.push(`Content-Security-Policy: ${e.violatedDirective} refused ${e.blockedURI}`));
  addEventListener("error", (e) => seen.push(`uncaught error: ${e.message}`));
  addEventListener("unhandledrejection", (e) =>
    seen.push(`unhandled rejection: ${e.reason && e.reason.message || e.reason}`));
}"""

# W3C WebDriver key values for the keys the tests press.
KEYS = {
    "Enter": "\ue007",
    "Tab": "\ue004",
    "Escape": "\ue00c",
    "Backspace": "\ue003",
    "ArrowLeft": "\ue012",
    "ArrowUp": "\ue013",
    "ArrowRight": "\ue014",
    "ArrowDown": "\ue015",
    "Home": "\ue011",
    "End": "\ue010",
    "Control": "\ue009",
}


class EvaluateError(RuntimeError):
    """The page's function threw or rejected; the message is the page's."""


def wrap(fn: str, arg: Any) -> str:
    """An async function expression that calls `fn(arg)` and settles with JSON text:
    `{"value": result}` or `{"error": message}`. Every engine runs exactly this."""
    return (
        "async () => { try { const fn = ("
        + fn
        + "); const value = await fn("
        + json.dumps(arg)
        + "); return JSON.stringify({value: value === undefined ? null : value}); }"
        + " catch (e) { return JSON.stringify({error: String(e && e.message || e)}); } }"
    )


def unwrap(text: str) -> Any:
    reply = json.loads(text)
    if "error" in reply:
        raise EvaluateError(reply["error"])
    return reply["value"]


def _waiter(fn: str, timeout_s: float) -> str:
    # Polls the condition inside the page until it holds: the test waits on the page's own
    # state, never a fixed sleep. Resolves with the condition's value.
    return (
        "async (arg) => { const cond = ("
        + fn
        + "); const end = Date.now() + "
        + str(int(timeout_s * 1000))
        + "; for (;;) { const v = await cond(arg); if (v) return v;"
        + " if (Date.now() > end) throw new Error('timed out waiting for: ' + "
        + json.dumps(fn[:120])
        + "); await new Promise((r) => setTimeout(r, 25)); } }"
    )


class Page:
    """One page (tab) in one engine. Subclasses supply the primitives."""

    engine = "abstract"

    # -- primitives, per engine -----------------------------------------------------------
    def goto(self, url: str) -> None:
        raise NotImplementedError

    def _evaluate(self, function_expression: str) -> str:
        """Run `async () => …` in the page and return the string it resolves with."""
        raise NotImplementedError

    def _pointer(self, pointer_type: str, actions: list[dict]) -> None:
        raise NotImplementedError

    def _keys(self, actions: list[dict]) -> None:
        raise NotImplementedError

    def set_viewport(self, width: int, height: int) -> None:
        raise NotImplementedError

    def screenshot(self, path: Path) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def _engine_problems(self) -> list[str]:
        """Problems the engine saw outside the page's reach (e.g. errors in a worker)."""
        return []

    # -- built on them --------------------------------------------------------------------
    def evaluate(self, fn: str, arg: Any = None) -> Any:
        """Call the JavaScript function `fn` with `arg` in the page; await it; return its
        JSON value. Raises EvaluateError with the page's message if it throws."""
        return unwrap(self._evaluate(wrap(fn, arg)))

    def wait_for(self, fn: str, arg: Any = None, timeout_s: float = 60) -> Any:
        """Wait until `fn(arg)` is truthy in the page (checked in the page); return it."""
        return self.evaluate(_waiter(fn, timeout_s), arg)

    def wait_ready(self, timeout_s: float = 90) -> None:
        """Wait until the app's Python is up and its first view drawn (body.ready)."""
        self.wait_for(
            "() => window.backpropExplorer && document.body.classList.contains('ready')",
            timeout_s=timeout_s,
        )

    def click(self, x: float, y: float) -> None:
        """A mouse click at viewport point (x, y): move, press, release."""
        self._pointer("mouse", _press_at(x, y))

    def hover(self, x: float, y: float) -> None:
        """The mouse moved to viewport point (x, y), no button pressed."""
        self._pointer("mouse", [_press_at(x, y)[0]])

    def tap(self, x: float, y: float) -> None:
        """A finger's tap at viewport point (x, y)."""
        self._pointer("touch", _press_at(x, y))

    def touch_arrives_as(self) -> str:
        """Tap the page's top-left corner and say which pointerType the page saw: "touch"
        where the engine emulates a finger, "mouse" where it turns a tap into a click."""
        self.evaluate(
            """() => { window.bpxProbe = new Promise((resolve) => addEventListener(
                 "pointerdown", (e) => resolve(e.pointerType), {once: true, capture: true})); }"""
        )
        self.tap(2, 2)
        return self.evaluate("() => window.bpxProbe")

    def press(self, key: str) -> None:
        value = KEYS.get(key, key)
        self._keys([{"type": "keyDown", "value": value}, {"type": "keyUp", "value": value}])

    def type(self, text: str) -> None:
        actions: list[dict] = []
        for char in text:
            actions += [{"type": "keyDown", "value": char}, {"type": "keyUp", "value": char}]
        self._keys(actions)

    def click_element(self, selector: str) -> None:
        """Scroll the element into view and click its centre, as a user would."""
        box = self.evaluate(
            """(sel) => { const e = document.querySelector(sel);
                 if (!e) throw new Error('no element ' + sel);
                 e.scrollIntoView({block: 'center', inline: 'center'});
                 const r = e.getBoundingClientRect();
                 return {x: r.left + r.width / 2, y: r.top + r.height / 2}; }""",
            selector,
        )
        self.click(box["x"], box["y"])

    def problems(self) -> list[str]:
        """CSP violations and uncaught errors the page and the engine recorded."""
        recorded = self.evaluate("() => window.bpxProblems || []")
        return [*recorded, *self._engine_problems()]


def _press_at(x: float, y: float) -> list[dict]:
    point = {"type": "pointerMove", "x": round(x), "y": round(y), "origin": "viewport"}
    return [point, {"type": "pointerDown", "button": 0}, {"type": "pointerUp", "button": 0}]


def pointer_sequence(pointer_type: str, actions: list[dict]) -> dict:
    """The W3C input source for a pointer: what BiDi and classic WebDriver both take."""
    return {
        "type": "pointer",
        "id": pointer_type,
        "parameters": {"pointerType": pointer_type},
        "actions": actions,
    }


def key_sequence(actions: list[dict]) -> dict:
    return {"type": "key", "id": "keyboard", "actions": actions}
