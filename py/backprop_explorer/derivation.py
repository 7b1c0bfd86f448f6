"""The derivation of dL/dw^(l)_{j,k} by BP3 -> BP2 -> BP1, as LaTeX, in three notations.

Colour is carried by four macros, defined once in ``TEX_MACROS`` (MathJax config and LaTeX
export both use them): \\inp inputs, \\wt weights, \\act activations and sigma', \\err error
signals and gradients. The numbers end with a table of one row per gradient path: the page
draws it as an HTML table whose row N lights path N up (``terms`` name each path's neurons and
connections); in the TeX of that table, for the LaTeX export, each cell of row N is wrapped in
``\\class{bpx-path-N}{...}``, which the export unwraps.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from .names import (
    count_text,
    decimal_tex,
    decimal_text,
    factor_tex,
    neuron_id,
    sig_tex,
    small_tex,
    weight_id,
    weight_plain,
    weight_tex,
)
from .network import Backward, Forward, Params, backward, forward
from .paths import gradient_paths, path_count, path_edges
from .texmacros import COLORS, TEX_MACROS

__all__ = ["COLORS", "MAX_TERMS", "TEX_MACROS", "derive", "finite_difference"]

MAX_TERMS = 6  # explicit-sum terms written out before an ellipsis

Entry = dict[str, Any]  # a step of the derivation or a path's term, as the page receives it
LETTERS = "mpqrstuv"  # summation variables of layers l+1, l+2, ...


def _a(layer: int, idx: str) -> str:
    """a^(layer)_idx, typeset as the input x_idx when layer is 0."""
    if layer == 0:
        return rf"\inp{{x_{{{idx}}}}}"
    return rf"\act{{a^{{({layer})}}_{{{idx}}}}}"


def _w(layer: int, to: str, frm: str) -> str:
    return rf"\wt{{{weight_tex(layer, to, frm)}}}"


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


def _bp2_not_needed(L: int, j: int) -> Entry:
    """The BP2 step of an output-layer weight: there is no later layer to sum over."""
    return {
        "id": f"bp2-{L}",
        "label": "BP2",
        "tex": rf"\text{{not needed: }} l = L = {L}\text{{, so }} {_d(L, str(j))}"
        r"\text{ comes straight from BP1}",
    }


def _broken(lhs: str, pieces: list[str]) -> str:
    """lhs = pieces..., one piece per line (indented) when there are several."""
    if len(pieces) == 1:
        return f"{lhs} = {pieces[0]}"
    rest = "".join(rf" \\ &\qquad {p}" for p in pieces[1:])
    return rf"\begin{{aligned}}{lhs} &= {pieces[0]}{rest}\end{{aligned}}"


def _explicit_steps(layers: Sequence[int], loss: str, l: int, j: int, k: int) -> list[Entry]:
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
    # One line per later layer when there are several, so the nesting of the sums shows.
    pieces = [rf"{_a(l - 1, str(k))}\,{_sp(l, str(j))}"]
    for i in range(l + 1, L + 1):
        cur, prev = idx[i - l], idx[i - 1 - l]
        group = rf"{_sum(cur, layers[i])} {_w(i, cur, prev)}\,{_sp(i, cur)}"
        if i == l + 1:
            pieces[0] += " " + group
        else:
            pieces.append(group)
    pieces[-1] += rf"\,{_dlda(loss, layers[L], L, out)}"
    steps.append({"id": "chain", "label": "Chain", "tex": _broken(_lhs(l, j, k), pieces)})
    return steps


def _einstein_steps(layers: Sequence[int], loss: str, l: int, j: int, k: int) -> list[Entry]:
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
    pieces = [rf"{_a(l - 1, str(k))}\,{_sp(l, str(j))}"]
    for i in range(l + 1, L + 1):
        frm = str(j) if i == l + 1 else dot
        group = rf"{_w(i, dot, frm)}\,{_sp(i, dot)}"
        if i == l + 1:
            pieces[0] += r"\," + group
        else:
            pieces.append(group)
    pieces[-1] += rf"\,{_dlda(loss, layers[L], L, out)}"
    steps.append({"id": "chain", "label": "Chain", "tex": _broken(_lhs(l, j, k), pieces)})
    return steps


def _bold_w(layer: int) -> str:
    return rf"\wt{{\mathbf{{W}}^{{({layer})}}}}"


def _bold_d(layer: int) -> str:
    return rf"\err{{\boldsymbol{{\delta}}^{{({layer})}}}}"


def _bold_sp(layer: int) -> str:
    return rf"\act{{\sigma'\bigl(\mathbf{{z}}^{{({layer})}}\bigr)}}"


def _bold_a(layer: int) -> str:
    return r"\inp{\mathbf{x}}" if layer == 0 else rf"\act{{\mathbf{{a}}^{{({layer})}}}}"


def _vector_steps(layers: Sequence[int], loss: str, l: int, j: int, k: int) -> list[Entry]:
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
    w = float(params.weights[l - 1][j - 1, k - 1])
    h = 1e-6 * max(1.0, abs(w))

    def loss_at(value: float) -> float:
        weights = [W.copy() for W in params.weights]
        weights[l - 1][j - 1, k - 1] = value
        p = Params(tuple(weights), params.biases, params.activations)
        return backward(p, forward(p, x), y, loss).loss

    return (loss_at(w + h) - loss_at(w - h)) / (2 * h)


def _path_values(
    layers: Sequence[int], fwd: Forward, bwd: Backward, params: Params, l: int, j: int, k: int
) -> list[Entry]:
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


def _paths_word(count: int) -> str:
    return "the only path" if count == 1 else f"all {count} paths"


def _path_table(
    layers: Sequence[int], loss: str, terms: list[Entry], count: int, l: int, j: int, k: int
) -> tuple[str, dict[str, Any]]:
    """A table: one row per gradient path, one column per factor of the chain, then the product.

    Returned twice: as TeX (an array, for the LaTeX export; each cell of row n wrapped in
    \\class{bpx-path-n}) and as data for the page's HTML table: the column heads in TeX, the
    cells as plain text with the colour kind of their column.
    """
    L = len(layers) - 1
    idx = _indices(layers, l, j)
    heads = [_a(l - 1, str(k)), _sp(l, str(j))]
    kinds = ["inp" if l == 1 else "act", "act"]
    for i in range(l + 1, L + 1):
        heads += [_w(i, idx[i - l], idx[i - 1 - l]), _sp(i, idx[i - l])]
        kinds += ["wt", "act"]
    heads.append(_dlda(loss, layers[L], L, idx[-1]))
    kinds.append("err")
    rows = [r"\text{path} & " + " & ".join(heads) + r" & \text{product}"]
    for n, t in enumerate(terms):
        later = [rf"{LETTERS[i]}{{=}}{neuron}" for i, (_, neuron) in enumerate(t["path"][1:])]
        label = r",\ ".join(later) if later else r"\text{only one}"
        cells = [label]
        cells += [
            rf"\{kind}{{{decimal_tex(v)}}}" for kind, v in zip(kinds, t["factors"], strict=True)
        ]
        cells.append(decimal_tex(t["value"]))
        rows.append(" & ".join(rf"\class{{bpx-path-{n}}}{{{c}}}" for c in cells))
    if count > len(terms):
        rows.append(r"\vdots" + " &" * (len(heads) + 1) + rf" \text{{{count - len(terms)} more}}")
    rows[1] = r"\hline " + rows[1]
    spec = "l|" + "c" * len(heads) + "|r"
    tex = rf"\begin{{array}}{{{spec}}}" + r" \\ ".join(rows) + r"\end{array}"
    table = {
        "heads": heads,
        "kinds": kinds,
        "rows": [
            {
                "path": n,
                "label": ", ".join(
                    f"{LETTERS[i]} = {neuron}" for i, (_, neuron) in enumerate(t["path"][1:])
                )
                or "the only path",
                "cells": [decimal_text(v) for v in t["factors"]],
                "product": decimal_text(t["value"]),
            }
            for n, t in enumerate(terms)
        ],
        "more": count - len(terms),
        "moreText": f"⋮  {count_text(count - len(terms), 'more path')}"
        if count > len(terms)
        else None,
    }
    return tex, table


def _delta_numbers(
    layers: Sequence[int],
    fwd: Forward,
    bwd: Backward,
    params: Params,
    y: Sequence[float],
    loss: str,
    l: int,
    j: int,
) -> list[Entry]:
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
            rf"{_d(L, str(o))} &= {scale}\bigl(\act{{{decimal_tex(a)}}}"
            rf" - {factor_tex(float(y[o - 1]))}\bigr)"
            rf" \cdot \act{{{factor_tex(float(bwd.sigma_prime[L - 1][o - 1]))}}}"
            rf" = \err{{{decimal_tex(float(bwd.delta[L - 1][o - 1]))}}}"
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
        values = r",\ ".join(decimal_tex(float(v)) for v in bwd.delta[i - 1])
        lines.append(rf"{_bold_d(i)} &= \err{{\bigl({values}\bigr)^{{\top}}}}")
    products = [
        rf"\wt{{{factor_tex(float(params.weights[l][m, j - 1]))}}}"
        rf" \cdot \err{{{factor_tex(float(bwd.delta[l][m]))}}}"
        for m in range(layers[l + 1])
    ]
    sp = factor_tex(float(bwd.sigma_prime[l - 1][j - 1]))
    m = LETTERS[0]
    lines.append(
        rf"{_d(l, str(j))} &= {_sp(l, str(j))} {_sum(m, layers[l + 1])}"
        rf" {_w(l + 1, m, str(j))}\,{_d(l + 1, m)}"
    )
    rows = [" + ".join(products[i : i + 3]) for i in range(0, len(products), 3)]
    body = r" \\ &\qquad + ".join(rows)
    lines.append(rf"&= \act{{{sp}}} \cdot \bigl({body}\bigr)")
    lines.append(rf"&= \err{{{decimal_tex(float(bwd.delta[l - 1][j - 1]))}}}")
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
    learning_rate: float | None = None,
) -> dict[str, Any]:
    """Derive dL/dw^(l)_{j,k}: symbolic steps in ``notation`` and the numbers substituted.

    With a ``learning_rate`` the derivation ends with the gradient-descent update of the
    weight, written with the same digits as the page's weight-update table.
    """
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
    table_tex, table = _path_table(layers, loss, terms, count, l, j, k)
    numbers = [
        *_delta_numbers(layers, fwd, bwd, params, y, loss, l, j),
        {
            "id": "numbers-bp3",
            "label": "BP3 with numbers",
            "tex": rf"{_lhs(l, j, k)} = {_a(l - 1, str(k))}\,{_d(l, str(j))}"
            rf" = \{'inp' if l == 1 else 'act'}{{{factor_tex(float(fwd.a[l - 1][k - 1]))}}} \times "
            rf"\err{{{factor_tex(float(bwd.delta[l - 1][j - 1]))}}}"
            rf" = \err{{{decimal_tex(gradient)}}}",
        },
        # the page shows `table` as an HTML table; `tex` is the same table for the LaTeX export
        {"id": "numbers-paths", "label": "One term per path", "tex": table_tex, "table": table},
        {
            "id": "numbers-sum",
            "label": "Sum of the paths",
            "tex": rf"{_lhs(l, j, k)} = \sum_{{\text{{{_paths_word(count)}}}}}"
            rf" \text{{product}} = \err{{{decimal_tex(gradient)}}}",
        },
        {
            "id": "numbers-check",
            "label": "Check",
            "tex": r"\begin{aligned}"
            r"\text{finite difference}\quad"
            r" \frac{\mathcal{L}(w+h) - \mathcal{L}(w-h)}{2h}"
            rf" &= {decimal_tex(fd)} \\ \text{{relative error against backprop}}"
            rf" &= {small_tex(rel_err)}\end{{aligned}}",
        },
    ]
    if learning_rate is not None:
        w = float(params.weights[l - 1][j - 1, k - 1])
        new = float(w - learning_rate * gradient)  # as network.gradient_descent_step
        numbers.append(
            {
                "id": "numbers-update",
                "label": "Next gradient-descent step",
                "tex": rf"{_w(l, str(j), str(k))} \leftarrow {_w(l, str(j), str(k))}"
                rf" - \eta\,\err{{\frac{{\partial\mathcal{{L}}}}{{\partial w}}}}"
                rf" = \wt{{{sig_tex(w)}}} - {sig_tex(learning_rate)} \times"
                rf" \err{{{factor_tex(gradient, sig_tex)}}} = \wt{{{sig_tex(new)}}}",
            }
        )
    weight = float(params.weights[l - 1][j - 1, k - 1])
    return {
        "steps": steps + numbers,
        # one sentence for the page's live region: what was selected and its gradient
        "summary": f"Selected weight {weight_plain(l, j, k)} = {decimal_text(weight)}; its gradient"
        f" \u2202\U0001d4db/\u2202w = {decimal_text(gradient)}, "
        + (
            "from its only gradient path."
            if count == 1
            else f"the sum over {count} gradient paths."
        ),
        "gradient": gradient,
        "finiteDifference": fd,
        "relativeError": rel_err,
        "pathCount": count,
        # what the page lights up for each path: its neurons and the connections after w
        "terms": [
            {
                "path": t["path"],
                "value": t["value"],
                "neurons": [neuron_id(*node) for node in t["path"]],
                "edges": [weight_id(*edge) for edge in path_edges(t["path"])],
            }
            for t in terms
        ],
    }
