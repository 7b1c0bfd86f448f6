"""The TeX symbols of the derivation, coloured by the macros of texmacros.py.

\\inp inputs, \\wt weights, \\act activations and sigma', \\err error signals and gradients;
bold ones are the vector notation's. Used by the symbolic steps (notations.py) and the steps with
numbers (derivation.py), so both write a symbol the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .names import weight_tex

Entry = dict[str, Any]  # a step of the derivation or a path's term, as the page receives it
LETTERS = "mpqrstuv"  # summation variables of layers l+1, l+2, ...


def a(layer: int, idx: str) -> str:
    """a^(layer)_idx, typeset as the input x_idx when layer is 0."""
    if layer == 0:
        return rf"\inp{{x_{{{idx}}}}}"
    return rf"\act{{a^{{({layer})}}_{{{idx}}}}}"


def w(layer: int, to: str, frm: str) -> str:
    return rf"\wt{{{weight_tex(layer, to, frm)}}}"


def d(layer: int, idx: str) -> str:
    return rf"\err{{\delta^{{({layer})}}_{{{idx}}}}}"


def z(layer: int, idx: str) -> str:
    """The weighted input z^(layer)_idx."""
    return rf"\act{{z^{{({layer})}}_{{{idx}}}}}"


def sp(layer: int, idx: str) -> str:
    return rf"\act{{\sigma'\bigl(z^{{({layer})}}_{{{idx}}}\bigr)}}"


def loss_scale(loss: str, n_out: int) -> str:
    """The factor dL/da carries besides (a - y): none for half the sum of squares, 2/n for
    the mean squared error."""
    return "" if loss == "half_sse" else rf"\tfrac{{2}}{{{n_out}}}"


def source_kind(layer: int) -> str:
    """The colour macro of the values layer ``layer`` weighs: inputs for layer 1, else
    activations."""
    return "inp" if layer == 1 else "act"


def dlda(loss: str, n_out: int, L: int, idx: str) -> str:
    """dL/da^(L)_idx for the loss, written out."""
    return rf"{loss_scale(loss, n_out)}\bigl({a(L, idx)} - y_{{{idx}}}\bigr)"


def times_source(layer: int, k: int) -> str:
    """The factor a^(layer)_k a weight's gradient starts with, followed by a thin space; nothing
    for a bias (k = 0): its source is the constant 1."""
    return "" if k == 0 else rf"{a(layer, str(k))}\,"


def bias_vector(layer: int) -> str:
    """The bias vector b^(layer) in bold, as the vector notation writes it."""
    return rf"\wt{{\mathbf{{b}}^{{({layer})}}}}"


def lhs(l: int, j: int, k: int) -> str:
    return rf"\err{{\frac{{\partial\mathcal{{L}}}}{{\partial {w(l, str(j), str(k))}}}}}"


def indices(layers: Sequence[int], l: int, j: int) -> list[str]:
    """Index symbol of each layer l..L: j itself, then the summation letter of each later layer.

    A later layer gets its letter even when it has one neuron: the sum then has one term, one
    path, and the formula keeps the general shape students meet in the textbook.
    """
    return [str(j)] + [LETTERS[i] for i in range(len(layers) - 1 - l)]


def sum_over(var: str, n: int) -> str:
    return rf"\sum_{{{var}=1}}^{{{n}}}"


def bold_w(layer: int) -> str:
    return rf"\wt{{\mathbf{{W}}^{{({layer})}}}}"


def bold_d(layer: int) -> str:
    return rf"\err{{\boldsymbol{{\delta}}^{{({layer})}}}}"


def bold_z(layer: int) -> str:
    return rf"\act{{\mathbf{{z}}^{{({layer})}}}}"


def bold_sp(layer: int) -> str:
    return rf"\act{{\sigma'\bigl(\mathbf{{z}}^{{({layer})}}\bigr)}}"


def bold_a(layer: int) -> str:
    return r"\inp{\mathbf{x}}" if layer == 0 else rf"\act{{\mathbf{{a}}^{{({layer})}}}}"


def keep(tex: str) -> str:
    """``tex`` as one group that a line never breaks inside (texmacros.PAGE_MACROS)."""
    return rf"\keep{{{tex}}}"


def eq(*sides: str) -> str:
    """``sides`` joined by "=", each kept whole: a long formula breaks only at its relations."""
    return " = ".join(keep(side) for side in sides)


def term(n: int, tex: str) -> str:
    """``tex`` as the term of gradient path ``n``, which the page lights up on hover or tap."""
    return rf"\term{{{n}}}{{{tex}}}"


def onpage(tex: str) -> str:
    """``tex`` on the page only: the LaTeX export leaves it out."""
    return rf"\onpage{{{tex}}}"


def inexport(tex: str) -> str:
    """``tex`` in the LaTeX export only: the page leaves it out."""
    return rf"\inexport{{{tex}}}"
