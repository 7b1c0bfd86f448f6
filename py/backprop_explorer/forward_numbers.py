"""The forward pass with numbers: where the a's, z's and sigma''s the backward pass substitutes
come from, z^(i) = W^(i) a^(i-1) + b^(i) and a^(i) = sigma(z^(i)), in the chosen notation.

It covers the neurons on the selected parameter's gradient paths: neuron j of layer l, then
every neuron of the later layers (in explicit and Einstein notation at most ``PER_LAYER`` of a
layer, the rest said in words); vector notation writes whole layers as vectors and matrices,
neuron j of layer l boxed.
"""

from __future__ import annotations

from collections.abc import Callable

from . import matrices
from . import symbols as sym
from .activations import get_activation
from .names import count_text, decimal_tex, factor_tex
from .network import Forward, Params
from .symbols import Entry

__all__ = ["FORWARD_LABEL", "PER_LAYER", "forward_step"]

FORWARD_LABEL = "Forward pass with numbers"
PER_LAYER = 4  # neurons of a later layer written out in explicit and Einstein notation
PER_ROW = 3  # products of a weighted sum on one line


def _bias(params: Params, i: int, n: int) -> float | None:
    """b^(i)_n, or None when the network has no biases."""
    return None if params.biases is None else float(params.biases[i - 1][n - 1])


def _sigma_row(
    label: str, symbols: tuple[str, str, str], numbers: tuple[str, str, str], *, whole: bool
) -> str:
    """a = sigma(z) = its value, sigma'(z) = its value, and which sigma (``label``): the
    symbols and numbers of (a, z, sigma'), each number already coloured; sigma(z) is written with
    z's number too, unless the row is of ``whole`` vectors (z's column stands just above)."""
    (a_sym, z_sym, sp_sym), (a_num, z_num, sp_num) = symbols, numbers
    sides = [rf"\sigma\bigl({z_sym}\bigr)"]
    if not whole:
        sides.append(rf"\sigma\bigl({z_num}\bigr)")
    return (
        rf"{sym.keep(a_sym)} &= "
        + sym.eq(*sides, a_num)
        + r",\quad "
        + sym.eq(sp_sym, sp_num)
        + rf"\quad \text{{({label})}}"
    )


def _activation_row(params: Params, fwd: Forward, i: int, n: int) -> str:
    """a^(i)_n = sigma(z^(i)_n) and sigma'(z^(i)_n) with numbers."""
    act = get_activation(params.activations[i - 1])
    z = fwd.z[i - 1]
    a_num, z_num, sp_num = (
        rf"\act{{{decimal_tex(float(v))}}}" for v in (fwd.a[i][n - 1], z[n - 1], act.df(z)[n - 1])
    )
    return _sigma_row(
        act.label,
        (sym.a(i, str(n)), sym.z(i, str(n)), sym.sp(i, str(n))),
        (a_num, z_num, sp_num),
        whole=False,
    )


def _vector_activation_row(params: Params, fwd: Forward, i: int, marked: int | None) -> str:
    """a^(i) = sigma(z^(i)) and sigma'(z^(i)) as column vectors, entry ``marked`` boxed."""
    act = get_activation(params.activations[i - 1])
    z = fwd.z[i - 1]
    a_num, z_num, sp_num = (
        rf"\act{{{matrices.column(v, marked)}}}" for v in (fwd.a[i], z, act.df(z))
    )
    return _sigma_row(
        act.label,
        (sym.bold_a(i), sym.bold_z(i), sym.bold_sp(i)),
        (a_num, z_num, sp_num),
        whole=True,
    )


def _explicit_sum(params: Params, fwd: Forward, i: int, n: int) -> str:
    """z^(i)_n = sum_k w^(i)_{n,k} a^(i-1)_k (+ b^(i)_n) with numbers, PER_ROW products a line."""
    W, source = params.weights[i - 1], fwd.a[i - 1]
    kind = sym.source_kind(i)
    products = [
        rf"\wt{{{factor_tex(float(W[n - 1, k]))}}} \cdot \{kind}{{{factor_tex(float(v))}}}"
        for k, v in enumerate(source)
    ]
    bias = _bias(params, i, n)
    symbolic = rf"{sym.sum_over('k', len(source))} {sym.w(i, str(n), 'k')}\,{sym.a(i - 1, 'k')}"
    if bias is not None:
        products.append(rf"\wt{{{factor_tex(bias)}}}")
        symbolic += rf" + {sym.w(i, str(n), '0')}"
    kept = [sym.keep(p) for p in products]
    lines = [" + ".join(kept[s : s + PER_ROW]) for s in range(0, len(kept), PER_ROW)]
    value = rf"\act{{{decimal_tex(float(fwd.z[i - 1][n - 1]))}}}"
    return (
        rf"{sym.keep(sym.z(i, str(n)))} &= {sym.keep(symbolic)} \\ &= "
        + r" \\ &\qquad + ".join(lines)
        + rf" = {sym.keep(value)}"
    )


def _einstein_sum(params: Params, fwd: Forward, i: int, n: int) -> str:
    """z^(i)_n = w^(i)_{n,.} a^(i-1)_. (+ b^(i)_n) with the numbers of the row and the vector."""
    dot = r"\cdot"
    bias = _bias(params, i, n)
    symbolic = rf"{sym.w(i, str(n), dot)}\,{sym.a(i - 1, dot)}"
    numbers = (
        rf"\wt{{{matrices.tuple_tex(params.weights[i - 1][n - 1])}}} \cdot "
        rf"\{sym.source_kind(i)}{{{matrices.tuple_tex(fwd.a[i - 1])}}}"
    )
    if bias is not None:
        symbolic += rf" + {sym.w(i, str(n), '0')}"
        numbers += rf" + \wt{{{factor_tex(bias)}}}"
    value = rf"\act{{{decimal_tex(float(fwd.z[i - 1][n - 1]))}}}"
    return rf"{sym.keep(sym.z(i, str(n)))} &= " + sym.eq(symbolic, numbers, value)


def _vector_sum(params: Params, fwd: Forward, i: int, marked: int | None) -> str:
    """z^(i) = W^(i) a^(i-1) (+ b^(i)) as a matrix times a column vector of numbers."""
    symbolic = rf"{sym.bold_w(i)}\,{sym.bold_a(i - 1)}"
    numbers = (
        rf"\wt{{{matrices.matrix(params.weights[i - 1])}}}"
        rf"\{sym.source_kind(i)}{{{matrices.column(fwd.a[i - 1])}}}"
    )
    if params.biases is not None:
        symbolic += rf" + {sym.bias_vector(i)}"
        numbers += rf" + \wt{{{matrices.column(params.biases[i - 1])}}}"
    value = rf"\act{{{matrices.column(fwd.z[i - 1], marked)}}}"
    return rf"{sym.keep(sym.bold_z(i))} &= " + sym.eq(symbolic, numbers, value)


Weighted = Callable[[Params, Forward, int, int], str]  # the rows of z^(i)_n in a notation


def _by_neuron(params: Params, fwd: Forward, l: int, j: int, weighted: Weighted) -> list[str]:
    """Rows for neuron j of layer l and the neurons of the later layers, PER_LAYER a layer."""
    layers = params.layers
    rows = [weighted(params, fwd, l, j), _activation_row(params, fwd, l, j)]
    for i in range(l + 1, len(layers)):
        for n in range(1, min(layers[i], PER_LAYER) + 1):
            rows += [weighted(params, fwd, i, n), _activation_row(params, fwd, i, n)]
        if layers[i] > PER_LAYER:
            rest = count_text(layers[i] - PER_LAYER, "more neuron")
            rows.append(rf"&\vdots\quad \text{{({rest} of layer {i}, the same way)}}")
    return rows


def forward_step(notation: str, params: Params, fwd: Forward, l: int, j: int) -> Entry:
    """The forward pass with numbers for a parameter of neuron j in layer l, in ``notation``."""
    if notation == "vector":
        rows = []
        for i in range(l, len(params.layers)):
            rows += [
                _vector_sum(params, fwd, i, j if i == l else None),
                _vector_activation_row(params, fwd, i, j if i == l else None),
            ]
    else:
        weighted = _explicit_sum if notation == "explicit" else _einstein_sum
        rows = _by_neuron(params, fwd, l, j, weighted)
    return {
        "id": "numbers-forward",
        "label": FORWARD_LABEL,
        "tex": r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}",
    }
