"""Embed mode's panels: which sections of the page an embed shows, and the view they need.

An embed's address names panels (``#embed=1&panels=diagram,derivation``); the page passes
them to ``init``, which asks ``embed_layout``. The panel names are the ``data-panel`` sections
of ``web/index.html`` (a test keeps the two the same).
"""

from __future__ import annotations

from typing import Any, Literal

from .reply_views import EmbedLayout
from .state import StateError, show_value

# panel -> the view it belongs to; None where both views have it
PANELS: dict[str, str | None] = {
    "diagram": None,
    "derivation": None,
    "numbers": "explorer",
    "guide": None,
    "training": "training",
    "tables": "training",
    "guidance": "training",
}
DEFAULT_PANELS = {
    "explorer": ["diagram", "derivation"],
    "training": ["diagram", "training", "tables"],
}
NAMED_AT_MOST = 5  # unknown panels the notice names before "and N more"


def embed_layout(requested: Any, view: Literal["explorer", "training"]) -> EmbedLayout:
    """The panels an embed shows for the names it was given (none: the view's defaults), the
    view they need (a panel of the training demo needs the training view), and a notice that
    names the panels it does not know."""
    if not isinstance(requested, list) or not all(isinstance(p, str) for p in requested):
        raise StateError("panels", f"must be a list of panel names, got {show_value(requested)}")
    known = [p for p in dict.fromkeys(requested) if p in PANELS]
    unknown = [p for p in dict.fromkeys(requested) if p not in PANELS]
    if any(PANELS[p] == "training" for p in known):
        view = "training"
    notice = None
    if unknown:
        named = ", ".join(show_value(p) for p in unknown[:NAMED_AT_MOST])
        more = len(unknown) - NAMED_AT_MOST
        notice = f"Unknown panels ignored: {named}" + (f" and {more} more." if more > 0 else ".")
    return {"panels": known or DEFAULT_PANELS[view], "view": view, "notice": notice}
