"""Embed mode: which sections of the page an embed shows, the view they need, and which of
their controls it keeps.

An embed's address names panels and controls (``#embed=1&panels=diagram,derivation&controls=
none``); the page passes them to ``init``, which asks ``embed_layout``. The panel names are the
``data-panel`` sections of ``web/index.html``, the control groups its ``data-control`` elements
(a test keeps both the same as the page).
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
# control group -> what it holds (the page marks each with data-control="<group>")
CONTROL_GROUPS: dict[str, str] = {
    "topology": "the presets, the custom-topology field and the preset's description",
    "settings": "activations, biases and loss",
    "notation": "the notation radios",
    "editor": "the selected-weight editor",
    "exports": "Download SVG/PNG, LaTeX source and Download CSV",
    "present": "the presentation-mode button",
}
# controls=<choice> -> the groups it shows; "all" is today's full embed
CONTROLS: dict[str, tuple[str, ...]] = {
    "all": tuple(CONTROL_GROUPS),
    "settings": ("settings", "notation"),
    "none": (),
}
DEFAULT_CONTROLS = "all"
NAMED_AT_MOST = 5  # unknown panels the notice names before "and N more"


def embed_layout(
    requested: Any, view: Literal["explorer", "training"], controls: Any = None
) -> EmbedLayout:
    """The panels an embed shows for the names it was given (none: the view's defaults), the
    view they need (a panel of the training demo needs the training view), the control groups
    it keeps for ``controls`` (``none``, ``settings`` or ``all``; None: all), and a notice that
    names the panels and the controls choice it does not know."""
    if not isinstance(requested, list) or not all(isinstance(p, str) for p in requested):
        raise StateError("panels", f"must be a list of panel names, got {show_value(requested)}")
    known = [p for p in dict.fromkeys(requested) if p in PANELS]
    unknown = [p for p in dict.fromkeys(requested) if p not in PANELS]
    if any(PANELS[p] == "training" for p in known):
        view = "training"
    notices = []
    if unknown:
        named = ", ".join(show_value(p) for p in unknown[:NAMED_AT_MOST])
        more = len(unknown) - NAMED_AT_MOST
        notices.append(
            f"Unknown panels ignored: {named}" + (f" and {more} more." if more > 0 else ".")
        )
    choice = DEFAULT_CONTROLS if controls is None else controls
    if not isinstance(choice, str) or choice not in CONTROLS:
        notices.append(
            f"Unknown controls {show_value(choice)} ignored: showing all controls"
            " (choose none, settings or all)."
        )
        choice = DEFAULT_CONTROLS
    return {
        "panels": known or DEFAULT_PANELS[view],
        "view": view,
        "controls": list(CONTROLS[choice]),
        "notice": " ".join(notices) or None,
    }
