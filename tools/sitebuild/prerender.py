"""The clicks answered before Python is up: the views `tools/pyodide_build.py` pre-rendered
in Pyodide, written into index.html as changes to the opening view (web/js/prerender.js
applies them).

A change (`patch`) is `[value]` for a value replaced, or an object naming what changes inside
an object (its keys) or inside a list of the same length (its indices, as text). A view is
stored as the change from the opening view's render: what a click changes is the selection's
marks in the diagram, the form's selected weight and the derivation, not the whole render.
"""

from __future__ import annotations

import json
from typing import Any

CLICKS_SLOT = '<script type="application/json" id="bpx-prerender-clicks"></script>'


def _text(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def patch(base: Any, target: Any) -> Any:
    """The change that turns `base` into `target` (None when they are the same JSON)."""
    if _text(base) == _text(target):
        return None
    if isinstance(base, dict) and isinstance(target, dict) and list(base) == list(target):
        parts = {key: patch(base[key], target[key]) for key in base}
    elif isinstance(base, list) and isinstance(target, list) and len(base) == len(target):
        parts = {str(i): patch(b, t) for i, (b, t) in enumerate(zip(base, target, strict=True))}
    else:
        return [target]
    return {key: part for key, part in parts.items() if part is not None}


def clicks_table(reached: dict[str, Any]) -> dict[str, Any]:
    """What the page reads: the request keys, each view as its change from the first (the
    opening view), and per view the index of the view each request leads to."""
    views = [json.loads(text) for text in reached["views"]]
    return {
        "actions": reached["actions"],
        "views": [patch(views[0], view) or {} for view in views],
        "next": reached["next"],
    }


def fill_slot(html: str, slot: str, text: str) -> str:
    """`html` with the JSON `text` inside its one empty `slot` (a <script> data block)."""
    if html.count(slot) != 1:
        raise ValueError(f"web/index.html must hold {slot} once")
    return html.replace(slot, slot.replace("></", ">" + text.replace("</", "<\\/") + "</"))
