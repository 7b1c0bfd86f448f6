"""The derivation of dL/dw^(l)_{j,k} by BP3 -> BP2 -> BP1, as LaTeX, in three notations: the
symbolic steps (notations.py), then the backward pass with this network's numbers.

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

from . import symbols as sym
from .backward_numbers import backward_steps
from .forward_numbers import forward_step
from .names import (
    count_text,
    decimal_tex,
    decimal_text,
    factor_tex,
    neuron_id,
    parameter_letter,
    sig_tex,
    small_tex,
    weight_id,
    weight_plain,
)
from .network import Backward, Forward, Params, backward, forward
from .notations import HOVER_HINTS, chain_by_path, symbolic_steps
from .paths import gradient_paths, path_count, path_edges
from .texmacros import COLORS, TEX_MACROS

__all__ = [
    "COLORS",
    "MAX_TERMS",
    "PAGE_SIZE",
    "TEX_MACROS",
    "derive",
    "finite_difference",
    "path_page",
]

MAX_TERMS = 6  # path rows written out before "⋮ N more paths"
PAGE_SIZE = 100  # path rows a page shows after "Show all N paths"
Entry = sym.Entry


def finite_difference(params: Params, x: Any, y: Any, loss: str, l: int, j: int, k: int) -> float:
    """Central difference (L(w + h) - L(w - h)) / 2h for w^(l)_{j,k}: an independent check;
    for the bias b^(l)_j when k = 0."""
    if k == 0:
        return _bias_difference(params, x, y, loss, l, j)
    w = float(params.weights[l - 1][j - 1, k - 1])
    h = 1e-6 * max(1.0, abs(w))

    def loss_at(value: float) -> float:
        weights = [W.copy() for W in params.weights]
        weights[l - 1][j - 1, k - 1] = value
        p = Params(tuple(weights), params.biases, params.activations)
        return backward(p, forward(p, x), y, loss).loss

    return (loss_at(w + h) - loss_at(w - h)) / (2 * h)


def _bias_difference(params: Params, x: Any, y: Any, loss: str, l: int, j: int) -> float:
    """The central difference of the bias b^(l)_j (biases on)."""
    assert params.biases is not None
    b = float(params.biases[l - 1][j - 1])
    h = 1e-6 * max(1.0, abs(b))

    def loss_at(value: float) -> float:
        assert params.biases is not None
        biases = [v.copy() for v in params.biases]
        biases[l - 1][j - 1] = value
        p = Params(params.weights, tuple(biases), params.activations)
        return backward(p, forward(p, x), y, loss).loss

    return (loss_at(b + h) - loss_at(b - h)) / (2 * h)


def _source(fwd: Forward, l: int, k: int) -> float:
    """The value a parameter's gradient starts with: a^(l-1)_k, or 1 for a bias (k = 0)."""
    return 1.0 if k == 0 else float(fwd.a[l - 1][k - 1])


def _parameter(params: Params, l: int, j: int, k: int) -> float:
    """The value of w^(l)_{j,k}, or of the bias b^(l)_j when k = 0."""
    if k == 0:
        assert params.biases is not None
        return float(params.biases[l - 1][j - 1])
    return float(params.weights[l - 1][j - 1, k - 1])


def _path_values(
    layers: Sequence[int],
    fwd: Forward,
    bwd: Backward,
    params: Params,
    l: int,
    j: int,
    k: int,
    start: int = 0,
    stop: int = MAX_TERMS,
) -> list[Entry]:
    """Paths number ``start`` to ``stop`` - 1: each one's factors and its contribution
    a_k sigma'(z_j) prod(w sigma') dL/da."""
    out = []
    paths = itertools.islice(gradient_paths(layers, l, j), start, stop)
    for n, path in enumerate(paths, start):
        factors = [_source(fwd, l, k), float(bwd.sigma_prime[l - 1][j - 1])]
        for (_, ia), (lb, ib) in itertools.pairwise(path):
            factors.append(float(params.weights[lb - 1][ib - 1, ia - 1]))
            factors.append(float(bwd.sigma_prime[lb - 1][ib - 1]))
        o = path[-1][1]
        # sigma'(z^(L)) sits in the factors already; dL/da^(L)_o closes the chain
        factors.append(float(bwd.dloss_da[o - 1]))
        out.append({"n": n, "path": path, "factors": factors, "value": math.prod(factors)})
    return out


def _path_row(t: Entry) -> dict[str, Any]:
    """Path number t["n"] as a row of the page's table: its label, factors and product."""
    return {
        "path": t["n"],
        "label": ", ".join(
            f"{sym.LETTERS[i]} = {neuron}" for i, (_, neuron) in enumerate(t["path"][1:])
        )
        or "the only path",
        "cells": [decimal_text(v) for v in t["factors"]],
        "product": decimal_text(t["value"]),
    }


def _path_term(t: Entry) -> dict[str, Any]:
    """What the page lights up for a path: its neurons and the connections after w."""
    return {
        "path": t["path"],
        "value": t["value"],
        "neurons": [neuron_id(*node) for node in t["path"]],
        "edges": [weight_id(*edge) for edge in path_edges(t["path"])],
    }


def _show_all(count: int) -> str:
    """The button under a table that lists some of the paths."""
    if count <= PAGE_SIZE:
        return f"Show all {count} paths"
    return f"Show all {count} paths, {PAGE_SIZE} a page"


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
    idx = sym.indices(layers, l, j)
    heads = ["1" if k == 0 else sym.a(l - 1, str(k)), sym.sp(l, str(j))]
    kinds = [sym.source_kind(l), "act"]
    for i in range(l + 1, L + 1):
        heads += [sym.w(i, idx[i - l], idx[i - 1 - l]), sym.sp(i, idx[i - l])]
        kinds += ["wt", "act"]
    heads.append(sym.dlda(loss, layers[L], L, idx[-1]))
    kinds.append("err")
    rows = [r"\text{path} & " + " & ".join(heads) + r" & \text{product}"]
    for n, t in enumerate(terms):
        later = [rf"{sym.LETTERS[i]}{{=}}{neuron}" for i, (_, neuron) in enumerate(t["path"][1:])]
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
        "rows": [_path_row(t) for t in terms],
        "more": count - len(terms),
        "moreText": f"⋮  {count_text(count - len(terms), 'more path')}"
        if count > len(terms)
        else None,
        "showAll": _show_all(count) if count > len(terms) else None,
    }
    return tex, table


def _sum_terms(terms: list[Entry], count: int) -> str:
    """The sum with numbers term by term, for the page (the export has the table): each term
    the product of its path, which the page lights up; "+ ⋯" for the paths not written."""
    parts = [
        sym.term(t["n"], decimal_tex(t["value"]) if t["n"] == 0 else factor_tex(t["value"]))
        for t in terms
    ]
    more = r" + \cdots" if count > len(terms) else ""
    return sym.onpage(" = " + " + ".join(parts) + more)


def _check(fd: float, rel_err: float, letter: str) -> str:
    """The finite-difference check on parameter ``letter`` (w or b): aligned in the export; on
    the page two lines that a narrow page breaks between the words or at "=", never inside a
    number."""
    fraction = rf"\frac{{\mathcal{{L}}({letter}+h) - \mathcal{{L}}({letter}-h)}}{{2h}}"
    fd_tex, err_tex = decimal_tex(fd), small_tex(rel_err)
    aligned = (
        rf"\begin{{aligned}}\text{{finite difference}}\quad {fraction} &= {fd_tex} \\ "
        rf"\text{{relative error against backprop}} &= {err_tex}\end{{aligned}}"
    )
    lines = (
        rf"\text{{finite difference}}\quad {sym.eq(fraction, fd_tex)} \\ "
        rf"\text{{relative error against backprop}} = {sym.keep(err_tex)}"
    )
    return sym.inexport(aligned) + sym.onpage(lines)


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
    steps = symbolic_steps(notation, layers, loss, l, j, k)
    gradient = float(bwd.db[l - 1][j - 1] if k == 0 else bwd.dW[l - 1][j - 1, k - 1])
    fd = finite_difference(params, x, y, loss, l, j, k)
    scale = max(abs(fd), abs(gradient))
    rel_err = 0.0 if scale == 0 else abs(fd - gradient) / scale

    letter = parameter_letter(k)
    count = path_count(layers, l)
    terms = _path_values(layers, fwd, bwd, params, l, j, k)
    table_tex, table = _path_table(layers, loss, terms, count, l, j, k)
    if notation == "explicit" and l < len(layers) - 1:
        steps.append(chain_by_path(layers, loss, l, j, k, [t["path"] for t in terms], count))
    numbers = [
        forward_step(notation, params, fwd, l, j),
        *backward_steps(notation, params, fwd, bwd, y, loss, l, j, k, gradient),
        # the page shows `table` as an HTML table; `tex` is the same table for the LaTeX export
        {"id": "numbers-paths", "label": "One term per path", "tex": table_tex, "table": table},
        {
            "id": "numbers-sum",
            "label": "Sum of the paths",
            "tex": sym.eq(
                sym.lhs(l, j, k), rf"\sum_{{\text{{{_paths_word(count)}}}}} \text{{product}}"
            )
            + (_sum_terms(terms, count) if notation == "explicit" else "")
            + " = "
            + sym.keep(rf"\err{{{decimal_tex(gradient)}}}"),
        },
        {
            "id": "numbers-check",
            "label": "Check",
            "tex": _check(fd, rel_err, letter),
        },
    ]
    if learning_rate is not None:
        w = _parameter(params, l, j, k)
        new = float(w - learning_rate * gradient)  # as network.gradient_descent_step
        numbers.append(
            {
                "id": "numbers-update",
                "label": "Next gradient-descent step",
                "tex": sym.keep(sym.w(l, str(j), str(k)))
                + r" \leftarrow "
                + sym.eq(
                    rf"{sym.w(l, str(j), str(k))}"
                    rf" - \eta\,\err{{\frac{{\partial\mathcal{{L}}}}"
                    rf"{{\partial {parameter_letter(k)}}}}}",
                    rf"\wt{{{sig_tex(w)}}} - {sig_tex(learning_rate)} \times"
                    rf" \err{{{factor_tex(gradient, sig_tex)}}}",
                    rf"\wt{{{sig_tex(new)}}}",
                ),
            }
        )
    weight = _parameter(params, l, j, k)
    what = "bias" if k == 0 else "weight"
    return {
        "steps": steps + numbers,
        # one sentence for the page's live region: what was selected and its gradient
        "summary": f"Selected {what} {weight_plain(l, j, k)} = {decimal_text(weight)}; its gradient"
        f" \u2202\U0001d4db/\u2202{letter} = {decimal_text(gradient)}, "
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
        "terms": [_path_term(t) for t in terms],
        "hoverHint": HOVER_HINTS[notation],
    }


def path_page(
    params: Params, x: Any, y: Any, loss: str, l: int, j: int, k: int, page: int
) -> dict[str, Any]:
    """Page ``page`` (from 1) of every gradient path of w^(l)_{j,k}, PAGE_SIZE rows a page:
    the rows as the path table writes them, the terms they light up, and the words around
    them ("Paths 101–200 of 10000", "Next 100 paths"). ``page`` must be a page there is."""
    layers = params.layers
    count = path_count(layers, l)
    pages = -(-count // PAGE_SIZE)
    start = (page - 1) * PAGE_SIZE
    stop = min(start + PAGE_SIZE, count)
    fwd = forward(params, np.asarray(x, dtype=float))
    bwd = backward(params, fwd, np.asarray(y, dtype=float), loss)
    terms = _path_values(layers, fwd, bwd, params, l, j, k, start, stop)
    return {
        "page": page,
        "pages": pages,
        "pathCount": count,
        "rows": [_path_row(t) for t in terms],
        "terms": [_path_term(t) for t in terms],
        "text": f"All {count} paths" if pages == 1 else f"Paths {start + 1}–{stop} of {count}",
        "previous": f"Previous {PAGE_SIZE} paths" if page > 1 else None,
        "next": None if stop == count else f"Next {min(PAGE_SIZE, count - stop)} paths",
    }
