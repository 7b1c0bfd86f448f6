"""BP1, BP2 and BP3 (or the bias rule) with this network's numbers, in the chosen notation:

- explicit: each sum written out term by term;
- Einstein: the dotted-index forms with the numbers of the vectors they run over;
- vector: matrices and column vectors of numbers (matrices.py), the gradient matrix
  dL/dW^(l) = delta^(l) (a^(l-1))^T with the selected entry boxed, then [.]_{j,k} taking it out.

All three write every number with names.decimal_tex, so they agree to the last digit shown.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import matrices
from . import symbols as sym
from .names import decimal_tex, factor_tex
from .network import Backward, Forward, Params
from .notations import BIAS_RULE
from .symbols import Entry

__all__ = ["backward_steps"]

PER_ROW = 3  # products of a written-out sum on one line


def _aligned(lines: list[str]) -> str:
    return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"


def _err(value: float) -> str:
    return rf"\err{{{decimal_tex(value)}}}"


def _explicit_bp1(
    layers: Sequence[int],
    fwd: Forward,
    bwd: Backward,
    y: Sequence[float],
    loss: str,
    outs: list[int],
) -> str:
    """One line per output o: delta^(L)_o = (a_o - y_o) sigma'(z_o) with numbers."""
    L = len(layers) - 1
    lines = []
    for o in outs:
        value = (
            rf"{sym.loss_scale(loss, layers[L])}\bigl(\act{{{decimal_tex(float(fwd.a[L][o - 1]))}}}"
            rf" - {factor_tex(float(y[o - 1]))}\bigr)"
            rf" \cdot \act{{{factor_tex(float(bwd.sigma_prime[L - 1][o - 1]))}}}"
        )
        lines.append(
            rf"{sym.d(L, str(o))} &= {sym.eq(value, _err(float(bwd.delta[L - 1][o - 1])))}"
        )
    return _aligned(lines)


def _einstein_bp1(
    layers: Sequence[int], fwd: Forward, bwd: Backward, y: Sequence[float], loss: str
) -> str:
    """delta^(L)_. = (a_. - y_.) sigma'(z_.) with the numbers of each dotted vector."""
    L, dot = len(layers) - 1, r"\cdot"
    symbolic = rf"{sym.dlda(loss, layers[L], L, dot)}\,{sym.sp(L, dot)}"
    numbers = (
        rf"{sym.loss_scale(loss, layers[L])}\Bigl(\act{{{matrices.tuple_tex(fwd.a[L])}}}"
        rf" - {matrices.tuple_tex(y)}\Bigr)\,\act{{{matrices.tuple_tex(bwd.sigma_prime[L - 1])}}}"
    )
    delta = rf"\err{{{matrices.tuple_tex(bwd.delta[L - 1])}}}"
    return _aligned([rf"{sym.d(L, dot)} &= {sym.eq(symbolic, numbers, delta)}"])


def _vector_bp1(
    layers: Sequence[int],
    fwd: Forward,
    bwd: Backward,
    y: Sequence[float],
    loss: str,
    mark: int | None,
) -> str:
    """delta^(L) = (a^(L) - y) (.) sigma'(z^(L)) with column vectors of numbers."""
    L = len(layers) - 1
    diff = rf"\bigl({sym.bold_a(L)} - \mathbf{{y}}\bigr)"
    symbolic = rf"{sym.loss_scale(loss, layers[L])}{diff} \odot {sym.bold_sp(L)}"
    numbers = (
        rf"{sym.loss_scale(loss, layers[L])}\left(\act{{{matrices.column(fwd.a[L])}}}"
        rf" - {matrices.column(y)}\right) \odot \act{{{matrices.column(bwd.sigma_prime[L - 1])}}}"
    )
    delta = rf"\err{{{matrices.column(bwd.delta[L - 1], mark)}}}"
    return _aligned([rf"{sym.bold_d(L)} &= {sym.eq(symbolic, numbers, delta)}"])


def _explicit_bp2(params: Params, bwd: Backward, l: int, j: int) -> list[str]:
    """delta^(l)_j = sigma'(z^(l)_j) sum_m w^(l+1)_{m,j} delta^(l+1)_m, every product written."""
    layers = params.layers
    products = [
        rf"\wt{{{factor_tex(float(params.weights[l][m, j - 1]))}}}"
        rf" \cdot \err{{{factor_tex(float(bwd.delta[l][m]))}}}"
        for m in range(layers[l + 1])
    ]
    sp = factor_tex(float(bwd.sigma_prime[l - 1][j - 1]))
    m = sym.LETTERS[0]
    sum_tex = (
        rf"{sym.sp(l, str(j))} {sym.sum_over(m, layers[l + 1])}"
        rf" {sym.w(l + 1, m, str(j))}\,{sym.d(l + 1, m)}"
    )
    # each product kept whole: a narrow page may break the sum at a "+", never inside a product
    products[0] = rf"\act{{{sp}}} \cdot \bigl(" + products[0]
    products[-1] += r"\bigr)"
    kept = [sym.keep(p) for p in products]
    rows = [" + ".join(kept[i : i + PER_ROW]) for i in range(0, len(kept), PER_ROW)]
    return [
        rf"{sym.d(l, str(j))} &= {sym.keep(sum_tex)}",
        "&= " + r" \\ &\qquad + ".join(rows),
        rf"&= {sym.keep(_err(float(bwd.delta[l - 1][j - 1])))}",
    ]


def _einstein_bp2(params: Params, bwd: Backward, l: int, j: int) -> list[str]:
    """delta^(l)_j = sigma'(z^(l)_j) w^(l+1)_{.,j} delta^(l+1)_. with the column and vector."""
    dot = r"\cdot"
    symbolic = rf"{sym.sp(l, str(j))}\,{sym.w(l + 1, dot, str(j))}\,{sym.d(l + 1, dot)}"
    numbers = (
        rf"\act{{{factor_tex(float(bwd.sigma_prime[l - 1][j - 1]))}}} \cdot "
        rf"\wt{{{matrices.tuple_tex(params.weights[l][:, j - 1])}}} \cdot "
        rf"\err{{{matrices.tuple_tex(bwd.delta[l])}}}"
    )
    value = _err(float(bwd.delta[l - 1][j - 1]))
    return [rf"{sym.d(l, str(j))} &= {sym.eq(symbolic, numbers, value)}"]


def _vector_bp2_line(params: Params, bwd: Backward, i: int, mark: int | None) -> str:
    """delta^(i) = (W^(i+1))^T delta^(i+1) (.) sigma'(z^(i)) with a matrix and column vectors."""
    symbolic = (
        rf"\bigl({sym.bold_w(i + 1)}\bigr)^{{\top}} {sym.bold_d(i + 1)} \odot {sym.bold_sp(i)}"
    )
    numbers = (
        rf"\wt{{{matrices.matrix(params.weights[i].T)}}}"
        rf"\err{{{matrices.column(bwd.delta[i])}}}"
        rf" \odot \act{{{matrices.column(bwd.sigma_prime[i - 1])}}}"
    )
    delta = rf"\err{{{matrices.column(bwd.delta[i - 1], mark)}}}"
    return rf"{sym.bold_d(i)} &= {sym.eq(symbolic, numbers, delta)}"


def _bp2(notation: str, params: Params, bwd: Backward, l: int, j: int) -> Entry:
    """BP2 with numbers from the layer below the output down to delta^(l)_j."""
    L = len(params.layers) - 1
    if notation == "vector":
        lines = [
            _vector_bp2_line(params, bwd, i, j if i == l else None) for i in range(L - 1, l - 1, -1)
        ]
    else:
        dot = r"\cdot"
        lines = []
        for i in range(L - 1, l, -1):  # whole layers between layer l and the output
            if notation == "explicit":
                values = r",\ ".join(decimal_tex(float(v)) for v in bwd.delta[i - 1])
                vector = rf"\err{{\bigl({values}\bigr)^{{\top}}}}"
                lines.append(rf"{sym.bold_d(i)} &= {sym.keep(vector)}")
            else:
                vector = rf"\err{{{matrices.tuple_tex(bwd.delta[i - 1])}}}"
                lines.append(rf"{sym.d(i, dot)} &= {sym.keep(vector)}")
        lines += (_explicit_bp2 if notation == "explicit" else _einstein_bp2)(params, bwd, l, j)
    return {"id": "numbers-bp2", "label": "BP2 with numbers", "tex": _aligned(lines)}


def _vector_bp3(
    params: Params, fwd: Forward, bwd: Backward, l: int, j: int, k: int, gradient: float
) -> Entry:
    """dL/dW^(l) = delta^(l) (a^(l-1))^T as numbers, entry (j, k) boxed and taken out; for a
    bias, dL/db^(l) = delta^(l) with entry j boxed."""
    delta = bwd.delta[l - 1]
    if k == 0:
        whole = rf"\err{{\frac{{\partial\mathcal{{L}}}}{{\partial {sym.bias_vector(l)}}}}}"
        first = sym.eq(whole, sym.bold_d(l), rf"\err{{{matrices.column(delta, j)}}}")
        pick = sym.eq(sym.lhs(l, j, 0), rf"\Bigl[{whole}\Bigr]_{{{j}}}", _err(gradient))
        label, step_id = f"{BIAS_RULE} with numbers", "numbers-bias-rule"
    else:
        whole = rf"\err{{\frac{{\partial\mathcal{{L}}}}{{\partial {sym.bold_w(l)}}}}}"
        kind = sym.source_kind(l)
        first = sym.eq(
            whole,
            rf"{sym.bold_d(l)}\,\bigl({sym.bold_a(l - 1)}\bigr)^{{\top}}",
            rf"\err{{{matrices.column(delta)}}}\,\{kind}{{{matrices.row(fwd.a[l - 1])}}}",
            rf"\err{{{matrices.matrix(bwd.dW[l - 1], (j, k))}}}",
        )
        pick = sym.eq(sym.lhs(l, j, k), rf"\Bigl[{whole}\Bigr]_{{{j},{k}}}", _err(gradient))
        label, step_id = "BP3 with numbers", "numbers-bp3"
    return {"id": step_id, "label": label, "tex": _aligned([f"&{first}", f"&{pick}"])}


def _bp3(fwd: Forward, bwd: Backward, l: int, j: int, k: int, gradient: float) -> Entry:
    """BP3 (or the bias rule) for one parameter, as explicit and Einstein notation write it."""
    if k == 0:
        return {
            "id": "numbers-bias-rule",
            "label": f"{BIAS_RULE} with numbers",
            "tex": sym.eq(sym.lhs(l, j, 0), sym.d(l, str(j)), _err(gradient)),
        }
    kind = sym.source_kind(l)
    return {
        "id": "numbers-bp3",
        "label": "BP3 with numbers",
        "tex": sym.eq(
            sym.lhs(l, j, k),
            rf"{sym.a(l - 1, str(k))}\,{sym.d(l, str(j))}",
            rf"\{kind}{{{factor_tex(float(fwd.a[l - 1][k - 1]))}}}"
            rf" \times \err{{{factor_tex(float(bwd.delta[l - 1][j - 1]))}}}",
            _err(gradient),
        ),
    }


def backward_steps(
    notation: str,
    params: Params,
    fwd: Forward,
    bwd: Backward,
    y: Sequence[float],
    loss: str,
    l: int,
    j: int,
    k: int,
    gradient: float,
) -> list[Entry]:
    """BP1, BP2 (when layer l is not the output) and BP3 or the bias rule with numbers, for
    w^(l)_{j,k} (the bias b^(l)_j when k = 0), in ``notation``."""
    layers = params.layers
    L = len(layers) - 1
    if notation == "vector":
        bp1 = _vector_bp1(layers, fwd, bwd, y, loss, j if l == L else None)
    elif notation == "einstein" and l < L:
        bp1 = _einstein_bp1(layers, fwd, bwd, y, loss)
    else:  # explicit; Einstein's BP1 for an output neuron has no dotted index left
        outs = [j] if l == L else list(range(1, layers[L] + 1))
        bp1 = _explicit_bp1(layers, fwd, bwd, y, loss, outs)
    steps = [{"id": "numbers-bp1", "label": "BP1 with numbers", "tex": bp1}]
    if l < L:
        steps.append(_bp2(notation, params, bwd, l, j))
    if notation == "vector":
        steps.append(_vector_bp3(params, fwd, bwd, l, j, k, gradient))
    else:
        steps.append(_bp3(fwd, bwd, l, j, k, gradient))
    return steps
