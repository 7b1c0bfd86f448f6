"""The derivation of dL/dw^(l)_{j,k} by BP3 -> BP2 -> BP1, as LaTeX, in three notations.

Colour is carried by four macros, defined once in ``TEX_MACROS`` (MathJax config and LaTeX
export both use them): \\inp inputs, \\wt weights, \\act activations and sigma', \\err error
signals and gradients. Each explicit-sum term (one gradient path) is wrapped in
``\\class{bpx-path-N}{...}`` so the page can light up path N when the term is hovered.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from .network import Backward, Forward, Params, backward, forward
from .paths import gradient_paths, path_count
from .texmacros import COLORS, TEX_MACROS

__all__ = ["COLORS", "MAX_TERMS", "TEX_MACROS", "derive", "finite_difference"]

MAX_TERMS = 6  # explicit-sum terms written out before an ellipsis
LETTERS = "mpqrstuv"  # summation variables of layers l+1, l+2, ...


def _num(v: float) -> str:
    """A number for display: 4 decimals, or scientific notation when tiny or huge."""
    if v == 0:
        return "0"
    if v.is_integer() and abs(v) < 1e5:
        return str(int(v))  # 1, not 1.0000: exact values stay exact
    if 1e-3 <= abs(v) < 1e5:
        text = f"{v:.4f}"
    else:
        mant, exp = f"{v:.3e}".split("e")
        text = rf"{mant} \times 10^{{{int(exp)}}}"
    return text


def _short(v: float) -> str:
    """A small error, to two significant digits."""
    if v == 0:
        return "0"
    mant, exp = f"{v:.1e}".split("e")
    return rf"{mant} \times 10^{{{int(exp)}}}"


def _factor(v: float) -> str:
    """A number as a factor of a product: negatives in parentheses."""
    text = _num(v)
    return f"({text})" if v < 0 else text


def _a(layer: int, idx: str) -> str:
    """a^(layer)_idx, typeset as the input x_idx when layer is 0."""
    if layer == 0:
        return rf"\inp{{x_{{{idx}}}}}"
    return rf"\act{{a^{{({layer})}}_{{{idx}}}}}"


def _w(layer: int, to: str, frm: str) -> str:
    return rf"\wt{{w^{{({layer})}}_{{{to},{frm}}}}}"


def _d(layer: int, idx: str) -> str:
    return rf"\err{{\delta^{{({layer})}}_{{{idx}}}}}"


def _sp(layer: int, idx: str) -> str:
    return rf"\act{{\sigma'\bigl(z^{{({layer})}}_{{{idx}}}\bigr)}}"


def _dlda(loss: str, n_out: int, L: int, idx: str) -> str:
    """dL/da^(L)_idx for the loss, written out."""
    core = rf"\bigl({_a(L, idx)} - y_{{{idx}}}\bigr)"
    return core if loss == "half_sse" else rf"\tfrac{{2}}{{{n_out}}}{core}"


def _lhs(l: int, j: int, k: int) -> str:
    return rf"\err{{\frac{{\partial\mathcal{{L}}}}{{\partial {_w(l, str(j), str(k))}}}}}"


def _indices(layers: Sequence[int], l: int, j: int) -> list[str]:
    """Index symbol of each layer l..L: j itself, then the summation letter of each later layer.

    A later layer gets its letter even when it has one neuron: the sum then has one term, one
    path, and the formula keeps the general shape students meet in the textbook.
    """
    return [str(j)] + [LETTERS[i] for i in range(len(layers) - 1 - l)]


def _sum(var: str, n: int) -> str:
    return rf"\sum_{{{var}=1}}^{{{n}}}"


def _bp2_not_needed(L: int, j: int) -> dict:
    """The BP2 step of an output-layer weight: there is no later layer to sum over."""
    return {
        "id": f"bp2-{L}",
        "label": "BP2",
        "tex": rf"\text{{not needed: }} l = L = {L}\text{{, so }} {_d(L, str(j))}"
        r"\text{ comes straight from BP1}",
    }


def _explicit_steps(layers: Sequence[int], loss: str, l: int, j: int, k: int) -> list[dict]:
    L = len(layers) - 1
    idx = _indices(layers, l, j)
    steps = [
        {
            "id": "bp3",
            "label": "BP3",
            "tex": rf"{_lhs(l, j, k)} = {_a(l - 1, str(k))}\,{_d(l, str(j))}",
        }
    ]
    for i in range(l, L):
        cur, nxt = idx[i - l], idx[i + 1 - l]
        steps.append(
            {
                "id": f"bp2-{i}",
                "label": "BP2",
                "tex": rf"{_d(i, cur)} = {_sp(i, cur)} {_sum(nxt, layers[i + 1])}"
                rf" {_w(i + 1, nxt, cur)}\,{_d(i + 1, nxt)}",
            }
        )
    if l == L:
        steps.append(_bp2_not_needed(L, j))
    out = idx[-1]
    steps.append(
        {
            "id": "bp1",
            "label": "BP1",
            "tex": rf"{_d(L, out)} = \frac{{\partial\mathcal{{L}}}}{{\partial {_a(L, out)}}}"
            rf"\,{_sp(L, out)} = {_dlda(loss, layers[L], L, out)}\,{_sp(L, out)}",
        }
    )
    # The component chain: BP2 substituted into BP3 until BP1.
    chain = rf"{_a(l - 1, str(k))}\,{_sp(l, str(j))}"
    for i in range(l + 1, L + 1):
        cur, prev = idx[i - l], idx[i - 1 - l]
        chain += rf" {_sum(cur, layers[i])} {_w(i, cur, prev)}\,{_sp(i, cur)}"
    chain += rf"\,{_dlda(loss, layers[L], L, out)}"
    steps.append({"id": "chain", "label": "Chain", "tex": rf"{_lhs(l, j, k)} = {chain}"})
    return steps


def _einstein_steps(layers: Sequence[int], loss: str, l: int, j: int, k: int) -> list[dict]:
    L = len(layers) - 1
    dot = r"\cdot"
    steps = [
        {
            "id": "bp3",
            "label": "BP3",
            "tex": rf"{_lhs(l, j, k)} = {_a(l - 1, str(k))}\,{_d(l, str(j))}",
        }
    ]
    for i in range(l, L):
        cur = str(j) if i == l else dot
        steps.append(
            {
                "id": f"bp2-{i}",
                "label": "BP2",
                "tex": rf"{_d(i, cur)} = {_sp(i, cur)}\,{_w(i + 1, dot, cur)}\,{_d(i + 1, dot)}",
            }
        )
    if l == L:
        steps.append(_bp2_not_needed(L, j))
    out = str(j) if l == L else dot
    steps.append(
        {
            "id": "bp1",
            "label": "BP1",
            "tex": rf"{_d(L, out)} = {_dlda(loss, layers[L], L, out)}\,{_sp(L, out)}",
        }
    )
    chain = rf"{_a(l - 1, str(k))}\,{_sp(l, str(j))}"
    for i in range(l + 1, L + 1):
        frm = str(j) if i == l + 1 else dot
        chain += rf"\,{_w(i, dot, frm)}\,{_sp(i, dot)}"
    chain += rf"\,{_dlda(loss, layers[L], L, out)}"
    steps.append({"id": "chain", "label": "Chain", "tex": rf"{_lhs(l, j, k)} = {chain}"})
    return steps


def _bold_w(layer: int) -> str:
    return rf"\wt{{\mathbf{{W}}^{{({layer})}}}}"


def _bold_d(layer: int) -> str:
    return rf"\err{{\boldsymbol{{\delta}}^{{({layer})}}}}"


def _bold_sp(layer: int) -> str:
    return rf"\act{{\sigma'\bigl(\mathbf{{z}}^{{({layer})}}\bigr)}}"


def _bold_a(layer: int) -> str:
    return r"\inp{\mathbf{x}}" if layer == 0 else rf"\act{{\mathbf{{a}}^{{({layer})}}}}"


def _vector_steps(layers: Sequence[int], loss: str, l: int, j: int, k: int) -> list[dict]:
    L = len(layers) - 1
    grad_w = rf"\err{{\frac{{\partial\mathcal{{L}}}}{{\partial {_bold_w(l)}}}}}"
    steps = [
        {
            "id": "bp3",
            "label": "BP3",
            "tex": rf"{grad_w} = {_bold_d(l)}\,\bigl({_bold_a(l - 1)}\bigr)^{{\top}}"
            rf"\in\mathbb{{R}}^{{{layers[l]}\times {layers[l - 1]}}},\qquad "
            rf"{_lhs(l, j, k)} = {_a(l - 1, str(k))}\,\bigl[{_bold_d(l)}\bigr]_{{{j}}}",
        }
    ]
    for i in range(l, L):
        steps.append(
            {
                "id": f"bp2-{i}",
                "label": "BP2",
                "tex": rf"{_bold_d(i)} = \bigl({_bold_w(i + 1)}\bigr)^{{\top}} {_bold_d(i + 1)}"
                rf" \odot {_bold_sp(i)},\qquad {_bold_w(i + 1)}\in\mathbb{{R}}^"
                rf"{{{layers[i + 1]}\times {layers[i]}}}",
            }
        )
    if l == L:
        steps.append(_bp2_not_needed(L, j))
    grad_a = rf"\nabla_{{{_bold_a(L)}}}\mathcal{{L}}"
    diff = rf"\bigl({_bold_a(L)} - \mathbf{{y}}\bigr)"
    value = diff if loss == "half_sse" else rf"\tfrac{{2}}{{{layers[L]}}}{diff}"
    steps.append(
        {
            "id": "bp1",
            "label": "BP1",
            "tex": rf"{_bold_d(L)} = {grad_a} \odot {_bold_sp(L)} = {value} \odot {_bold_sp(L)}",
        }
    )
    inner = rf"{value} \odot {_bold_sp(L)}"
    for i in range(L - 1, l - 1, -1):
        inner = rf"\bigl({_bold_w(i + 1)}\bigr)^{{\top}} \left({inner}\right) \odot {_bold_sp(i)}"
    steps.append(
        {
            "id": "chain",
            "label": "Chain",
            "tex": rf"{_lhs(l, j, k)} = {_a(l - 1, str(k))} \left[{inner}\right]_{{{j}}}",
        }
    )
    return steps


def finite_difference(params: Params, x: Any, y: Any, loss: str, l: int, j: int, k: int) -> float:
    """Central difference (L(w + h) - L(w - h)) / 2h for w^(l)_{j,k}: an independent check."""
    w = params.weights[l - 1][j - 1, k - 1]
    h = 1e-6 * max(1.0, abs(w))

    def loss_at(value: float) -> float:
        weights = [W.copy() for W in params.weights]
        weights[l - 1][j - 1, k - 1] = value
        p = Params(tuple(weights), params.biases, params.activations)
        return backward(p, forward(p, x), y, loss).loss

    return (loss_at(w + h) - loss_at(w - h)) / (2 * h)


def _path_values(
    layers: Sequence[int], fwd: Forward, bwd: Backward, params: Params, l: int, j: int, k: int
) -> list[dict]:
    """Each path's factors and its contribution a_k sigma'(z_j) prod(w sigma') dL/da."""
    out = []
    for n, path in enumerate(gradient_paths(layers, l, j)):
        if n >= MAX_TERMS:
            break
        factors = [float(fwd.a[l - 1][k - 1]), float(bwd.sigma_prime[l - 1][j - 1])]
        for (_, ia), (lb, ib) in itertools.pairwise(path):
            factors.append(float(params.weights[lb - 1][ib - 1, ia - 1]))
            factors.append(float(bwd.sigma_prime[lb - 1][ib - 1]))
        o = path[-1][1]
        # sigma'(z^(L)) sits in the factors already; dL/da^(L)_o closes the chain
        factors.append(float(bwd.dloss_da[o - 1]))
        out.append({"path": path, "factors": factors, "value": math.prod(factors)})
    return out


def _delta_numbers(
    layers: Sequence[int],
    fwd: Forward,
    bwd: Backward,
    params: Params,
    y: Sequence[float],
    loss: str,
    l: int,
    j: int,
) -> list[dict]:
    """BP1 then BP2 with the current values: the backward pass from the output down to delta^(l)_j.

    Every output whose error reaches the weight gets its own BP1 line; the layers between the
    output and layer l show their delta vectors; delta^(l)_j shows its sum in full.
    """
    L = len(layers) - 1
    outputs = [j] if l == L else list(range(1, layers[L] + 1))
    scale = "" if loss == "half_sse" else rf"\tfrac{{2}}{{{layers[L]}}}"
    bp1 = []
    for o in outputs:
        a = float(fwd.a[L][o - 1])
        bp1.append(
            rf"{_d(L, str(o))} &= {scale}\bigl(\act{{{_num(a)}}} - {_factor(float(y[o - 1]))}\bigr)"
            rf" \cdot \act{{{_factor(float(bwd.sigma_prime[L - 1][o - 1]))}}}"
            rf" = \err{{{_num(float(bwd.delta[L - 1][o - 1]))}}}"
        )
    steps = [
        {
            "id": "numbers-bp1",
            "label": "BP1 with numbers",
            "tex": r"\begin{aligned}" + r" \\ ".join(bp1) + r"\end{aligned}",
        }
    ]
    if l == L:
        return steps
    lines = []
    for i in range(L - 1, l, -1):  # whole layers between layer l and the output
        values = r",\ ".join(_num(float(v)) for v in bwd.delta[i - 1])
        lines.append(rf"{_bold_d(i)} &= \err{{\bigl({values}\bigr)^{{\top}}}}")
    terms = " + ".join(
        rf"\wt{{{_factor(float(params.weights[l][m, j - 1]))}}}"
        rf" \cdot \err{{{_factor(float(bwd.delta[l][m]))}}}"
        for m in range(layers[l + 1])
    )
    sp = _factor(float(bwd.sigma_prime[l - 1][j - 1]))
    lines.append(
        rf"{_d(l, str(j))} &= \act{{{sp}}} \cdot \bigl({terms}\bigr)"
        rf" = \err{{{_num(float(bwd.delta[l - 1][j - 1]))}}}"
    )
    steps.append(
        {
            "id": "numbers-bp2",
            "label": "BP2 with numbers",
            "tex": r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}",
        }
    )
    return steps


def derive(
    params: Params,
    x: Sequence[float],
    y: Sequence[float],
    loss: str,
    notation: str,
    l: int,
    j: int,
    k: int,
) -> dict[str, Any]:
    """Derive dL/dw^(l)_{j,k}: symbolic steps in ``notation`` and the numbers substituted."""
    layers = params.layers
    fwd = forward(params, np.asarray(x, dtype=float))
    bwd = backward(params, fwd, np.asarray(y, dtype=float), loss)
    builders = {
        "explicit": _explicit_steps,
        "einstein": _einstein_steps,
        "vector": _vector_steps,
    }
    steps = builders[notation](layers, loss, l, j, k)
    gradient = float(bwd.dW[l - 1][j - 1, k - 1])
    fd = finite_difference(params, x, y, loss, l, j, k)
    scale = max(abs(fd), abs(gradient))
    rel_err = 0.0 if scale == 0 else abs(fd - gradient) / scale

    count = path_count(layers, l)
    terms = _path_values(layers, fwd, bwd, params, l, j, k)
    # One line per gradient path: its factors (coloured as their symbols), then its value.
    dot = r" \cdot "
    lines = []
    for n, t in enumerate(terms):
        f = t["factors"]
        first = "inp" if l == 1 else "act"
        kinds = [first, "act", *(["wt", "act"] * ((len(f) - 3) // 2)), "err"]
        body = dot.join(rf"\{kind}{{{_factor(v)}}}" for kind, v in zip(kinds, f, strict=True))
        sign = "=" if n == 0 else "+"
        lines.append(rf"&{{}}{sign} \class{{bpx-path-{n}}}{{{body}}} \quad({_num(t['value'])})")
    if count > len(terms):
        lines.append(rf"&{{}}+ \cdots \quad(\text{{{count} terms in all}})")
    lines.append(rf"&{{}}= \err{{{_num(gradient)}}}")
    expansion = r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"
    numbers = [
        *_delta_numbers(layers, fwd, bwd, params, y, loss, l, j),
        {
            "id": "numbers-bp3",
            "label": "BP3 with numbers",
            "tex": rf"{_lhs(l, j, k)} = {_a(l - 1, str(k))}\,{_d(l, str(j))}"
            rf" = \{'inp' if l == 1 else 'act'}{{{_factor(float(fwd.a[l - 1][k - 1]))}}} \times "
            rf"\err{{{_factor(float(bwd.delta[l - 1][j - 1]))}}} = \err{{{_num(gradient)}}}",
        },
        {
            "id": "numbers-paths",
            "label": "One term per path",
            "tex": rf"{_lhs(l, j, k)} {expansion}",
        },
        {
            "id": "numbers-check",
            "label": "Check",
            "tex": r"\begin{aligned}"
            r"\text{finite difference}\quad"
            r" \frac{\mathcal{L}(w+h) - \mathcal{L}(w-h)}{2h}"
            rf" &= {_num(fd)} \\ \text{{relative error against backprop}}"
            rf" &= {_short(rel_err)}\end{{aligned}}",
        },
    ]
    return {
        "steps": steps + numbers,
        "gradient": gradient,
        "finiteDifference": fd,
        "relativeError": rel_err,
        "pathCount": count,
        "terms": [{"path": t["path"], "value": t["value"]} for t in terms],
    }
