"""Permalinks: the whole State in the URL hash, and back.

A link's ``state`` parameter is ``v1.`` followed by the State's JSON, deflated and written in
base64url, so a link stays short enough to paste into a syllabus and survives any mail client.
Reading a link never raises: a damaged or out-of-range link gives a notice that says what was
wrong, and the page keeps the State it shows (or, opening with the link, the default State).
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from typing import Any

from .state import StateError, default_state, merge

__all__ = ["LinkError", "decode_state", "encode_state", "open_link"]

PREFIX = "v1."
MAX_LINK_CHARS = 200_000  # far above any valid State (8 layers of 10 neurons ≈ 8 kB)
MAX_JSON_BYTES = 1_000_000


class LinkError(ValueError):
    """A link that cannot be read; the message says why, for the page's notice."""


def encode_state(state: dict[str, Any]) -> str:
    """The link text of a State: ``v1.`` + base64url(deflate(JSON)), without padding."""
    text = json.dumps(state, separators=(",", ":"), sort_keys=True, allow_nan=False)
    packed = zlib.compress(text.encode("utf-8"), 9)
    return PREFIX + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def decode_state(text: Any) -> dict[str, Any]:
    """The State fields a link carries (not yet validated); LinkError when unreadable."""
    if not isinstance(text, str) or not text:
        raise LinkError("the link has no state in it")
    if len(text) > MAX_LINK_CHARS:
        raise LinkError(f"the link is too long ({len(text)} characters)")
    if not text.startswith(PREFIX):
        raise LinkError('the link\'s state does not start with "v1." (made by another version?)')
    body = text[len(PREFIX) :]
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, MAX_JSON_BYTES)
        if inflater.unconsumed_tail:
            raise LinkError("the link's state is too large")
        value = json.loads(raw.decode("utf-8"))
    except LinkError:
        raise
    except (binascii.Error, ValueError, zlib.error, UnicodeDecodeError):
        raise LinkError(
            "the link is damaged (its state cannot be read); was it cut short?"
        ) from None
    if not isinstance(value, dict):
        raise LinkError("the link's state is not a set of State fields")
    return value


def open_link(
    text: Any, current: dict[str, Any] | None = None
) -> tuple[dict[str, Any], str | None]:
    """The State a link opens, and None; or, when the link is bad, a notice naming the problem
    and the State to keep: ``current`` (a page that is already open keeps what it shows) or
    the default State (a page that opens with the link)."""
    try:
        fields = decode_state(text)
        fields.setdefault("selected", None)  # a link without a selection opens with none
        return merge(default_state(), fields), None
    except (LinkError, StateError) as err:
        if current is None:
            return (
                default_state(),
                f"This link could not be opened ({err}). Showing the default network.",
            )
        return current, f"This link could not be opened ({err}). The network shown is unchanged."
