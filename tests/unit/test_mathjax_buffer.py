"""Every formula of the largest networks the State allows fits MathJax's macro buffer: MathJax
refuses a formula that grows past ``maxBuffer`` characters as it expands its macros, and the
page would show "could not typeset" instead of the derivation."""

from __future__ import annotations

import pytest

from backprop_explorer import Session
from backprop_explorer.state import MAX_LAYERS, MAX_NEURONS
from backprop_explorer.texmacros import MATHJAX_MACROS
from sitebuild.mathjax import MAX_BUFFER


def _grown(tex: str) -> int:
    """An upper bound on the length the formula reaches in MathJax's buffer: itself plus the
    replacement text of every macro call in it (each replaces its call as it is read)."""
    return len(tex) + sum(
        tex.count(f"\\{name}{{") * len(replacement)
        for name, (replacement, _) in MATHJAX_MACROS.items()
    )


@pytest.mark.parametrize("notation", ["explicit", "einstein", "vector"])
@pytest.mark.parametrize("bias", [False, True])
def test_the_largest_network_fits_the_macro_buffer(notation: str, bias: bool) -> None:
    layers = [MAX_NEURONS] * MAX_LAYERS
    session = Session({"layers": layers, "bias": bias, "notation": notation})
    sizes = {}
    for frm in (1, 0) if bias else (1,):
        session.select({"layer": 1, "to": 5, "from": frm})
        sizes.update({s["id"]: _grown(s["tex"]) for s in session.derivation()["steps"]})
    assert max(sizes.values()) < MAX_BUFFER, sizes
    assert max(sizes.values()) > 5 * 1024  # MathJax's default would refuse it: the limit matters
