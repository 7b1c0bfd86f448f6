"""What an address asks for besides the State: ``select=2-1-3``, ``notation=vector`` and
``present=1``, written by hand by an author who has no ``state=`` link to paste.

``address_options`` reads them against the State the page opens with and never raises: a value
it cannot apply is left out, and a notice says which one and why, in the page's words.
"""

from __future__ import annotations

import re
from typing import Any, TypedDict

from .names import PRESENT_WORDS, weight_plain
from .state import StateError, merge, quote_text

SELECT = re.compile(r"(\d{1,3})-(\d{1,3})-(\d{1,3})")
SHOWN_AT_MOST = 40  # characters of a rejected value a notice repeats


class AddressOptions(TypedDict):
    """What ``address_options`` read: a State change, presentation mode, and the notices."""

    partial: dict[str, Any]
    present: bool
    notices: list[str]


def _not_applied(key: str, value: str, why: str) -> str:
    return f"The link's {key}={quote_text(value, SHOWN_AT_MOST)[1:-1]} was not applied: {why}."


def _selection(text: str, state: dict[str, Any]) -> dict[str, Any]:
    """The State change for ``select=<layer>-<to>-<from>``; StateError naming the problem."""
    match = SELECT.fullmatch(text)
    if match is None:
        raise StateError("selected", "write it as layer-to-from, like 2-1-3 for the weight w(2)1,3")
    layer, to, frm = (int(n) for n in match.groups())
    layers = state["layers"]
    network = "-".join(str(n) for n in layers)
    if not 1 <= layer < len(layers):
        raise StateError(
            "selected", f"this {network} network has weights in layers 1 to {len(layers) - 1}"
        )
    if frm == 0 and 1 <= to <= layers[layer]:  # the weight from the constant-1 unit: a bias
        if not state["bias"]:
            raise StateError(
                "selected", f"{weight_plain(layer, to, 0)} is a bias: switch biases on to select it"
            )
        return {"selected": {"layer": layer, "to": to, "from": 0}}
    if not 1 <= to <= layers[layer] or not 1 <= frm <= layers[layer - 1]:
        raise StateError(
            "selected",
            f"this {network} network has no weight {weight_plain(layer, to, frm)}: in layer"
            f" {layer}, j goes from 1 to {layers[layer]} and k from 1 to {layers[layer - 1]}",
        )
    return {"selected": {"layer": layer, "to": to, "from": frm}}


def address_options(
    state: dict[str, Any], select: Any = None, notation: Any = None, present: Any = None
) -> AddressOptions:
    """The State change (``partial``) that ``select`` and ``notation`` ask for, whether the page
    opens in presentation mode (``present=1``), and one notice per value that was not applied.
    A value that is not a string (an API caller's mistake) is named like a typed one."""
    partial: dict[str, Any] = {}
    notices: list[str] = []
    if notation is not None:
        try:
            merge(state, {"notation": notation})
            partial["notation"] = notation
        except StateError as err:
            notices.append(_not_applied("notation", str(notation), str(err)))
    if select is not None:
        try:
            partial.update(_selection(str(select), state))
        except StateError as err:
            notices.append(_not_applied("select", str(select), str(err)))
    on = False
    if present is not None:
        if present in ("1", "0"):
            on = present == "1"
        else:
            notices.append(_not_applied("present", str(present), PRESENT_WORDS["invalid"]))
    return {"partial": partial, "present": on, "notices": notices}
