"""How the page writes a number for a person to read and compare: one function per style.

The weight-update table and the derivation's gradient-descent line both use ``sig`` so the
same float is written with the same digits wherever it appears.
"""

from __future__ import annotations

__all__ = ["sig", "sig_tex"]

DIGITS = 6


def sig(v: float) -> str:
    """Six significant digits, trailing zeros dropped: 0.251118, -0.006882, 1.5e-07."""
    if v == 0:
        return "0"
    return f"{v:.{DIGITS}g}"


def sig_tex(v: float) -> str:
    """``sig`` for TeX: an exponent becomes \\times 10^{n}."""
    text = sig(v)
    if "e" in text:
        mant, exp = text.split("e")
        return rf"{mant} \times 10^{{{int(exp)}}}"
    return text
