"""BP3 -> BP2 -> BP1 -> the chain for dL/dw^(l)_{j,k}, in symbols, in three notations:
explicit sums, Einstein's summed indices, and vectors and matrices."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from . import symbols as sym
from .names import count_text
from .symbols import Entry

# What pointing at the maths does, in each notation (the page shows it above the steps).
HOVER_HINTS = {
    "explicit": "Point at or tap a term of the chain or of the sum with numbers, or a row of"
    " the path table, to light its gradient path in the diagram; tap again to put it out.",
    "einstein": "Einstein notation writes the paths as one product over dotted indices, so no"
    " term here is a single path: point at or tap a row of the path table to light its path in"
    " the diagram, or choose explicit notation to light each term of the chain.",
    "vector": "Vector notation multiplies whole vectors and matrices, so no term here is a"
    " single path: point at or tap a row of the path table to light its path in the diagram, or"
    " choose explicit notation to light each term of the chain.",
}


def _bp2_not_needed(L: int, j: int) -> Entry:
    """The BP2 step of an output-layer weight: there is no later layer to sum over."""
    return {
        "id": f"bp2-{L}",
        "label": "BP2",
        "tex": sym.eq(
            r"\text{not needed: } l",
            "L",
            rf"{L}\text{{, so }} {sym.d(L, str(j))}\text{{ comes straight from BP1}}",
        ),
    }


def _broken(lhs: str, pieces: list[str], join: str = "") -> str:
    """lhs = pieces..., one piece per line (indented, after ``join``) when there are several;
    each piece kept whole."""
    if len(pieces) == 1:
        return sym.eq(lhs, pieces[0])
    rest = "".join(rf" \\ &\qquad {join}{sym.keep(p)}" for p in pieces[1:])
    return rf"\begin{{aligned}}{sym.keep(lhs)} &= {sym.keep(pieces[0])}{rest}\end{{aligned}}"


BIAS_RULE = "Bias rule"  # dL/db = delta: not numbered, so it never clashes with BP1-BP3


def _bias_rule(l: int, j: int) -> Entry:
    """The bias rule for one bias: dL/db^(l)_j = delta^(l)_j (its source is the constant 1)."""
    return {
        "id": "bias-rule",
        "label": BIAS_RULE,
        "tex": sym.eq(sym.lhs(l, j, 0), sym.d(l, str(j))),
    }


def _bp3(l: int, j: int, k: int) -> Entry:
    """BP3 for one weight: dL/dw^(l)_{j,k} = a^(l-1)_k delta^(l)_j (the same in components);
    the bias rule for a bias (k = 0)."""
    if k == 0:
        return _bias_rule(l, j)
    return {
        "id": "bp3",
        "label": "BP3",
        "tex": sym.eq(sym.lhs(l, j, k), rf"{sym.a(l - 1, str(k))}\,{sym.d(l, str(j))}"),
    }


def _chain(
    layers: Sequence[int],
    loss: str,
    l: int,
    j: int,
    k: int,
    out: str,
    groups: list[str],
    join: str,
    single_term: bool = False,
) -> Entry:
    """The component chain: BP2 substituted into BP3 until BP1. ``groups`` holds one factor
    group per later layer, the first joined to a sigma' by ``join``; one line per later layer
    when there are several, so the nesting of the sums shows. With ``single_term`` and no later
    layer, the chain is the term of the weight's only path (lit up on the page)."""
    L = len(layers) - 1
    pieces = [rf"{sym.times_source(l - 1, k)}{sym.sp(l, str(j))}"]
    if groups:
        pieces[0] += join + groups[0]
        pieces += groups[1:]
    pieces[-1] += rf"\,{sym.dlda(loss, layers[L], L, out)}"
    if single_term and not groups:
        pieces[0] = sym.term(0, pieces[0])
    return {"id": "chain", "label": "Chain", "tex": _broken(sym.lhs(l, j, k), pieces)}


def _explicit_steps(layers: Sequence[int], loss: str, l: int, j: int, k: int) -> list[Entry]:
    L = len(layers) - 1
    idx = sym.indices(layers, l, j)
    steps = [_bp3(l, j, k)]
    for i in range(l, L):
        cur, nxt = idx[i - l], idx[i + 1 - l]
        steps.append(
            {
                "id": f"bp2-{i}",
                "label": "BP2",
                "tex": sym.eq(
                    sym.d(i, cur),
                    rf"{sym.sp(i, cur)} {sym.sum_over(nxt, layers[i + 1])}"
                    rf" {sym.w(i + 1, nxt, cur)}\,{sym.d(i + 1, nxt)}",
                ),
            }
        )
    if l == L:
        steps.append(_bp2_not_needed(L, j))
    out = idx[-1]
    steps.append(
        {
            "id": "bp1",
            "label": "BP1",
            "tex": sym.eq(
                sym.d(L, out),
                rf"\frac{{\partial\mathcal{{L}}}}{{\partial {sym.a(L, out)}}}\,{sym.sp(L, out)}",
                rf"{sym.dlda(loss, layers[L], L, out)}\,{sym.sp(L, out)}",
            ),
        }
    )
    groups = [
        rf"{sym.sum_over(idx[i - l], layers[i])} {sym.w(i, idx[i - l], idx[i - 1 - l])}"
        rf"\,{sym.sp(i, idx[i - l])}"
        for i in range(l + 1, L + 1)
    ]
    steps.append(_chain(layers, loss, l, j, k, out, groups, " ", single_term=True))
    return steps


def chain_by_path(
    layers: Sequence[int],
    loss: str,
    l: int,
    j: int,
    k: int,
    paths: Sequence[Sequence[tuple[int, int]]],
    count: int,
) -> Entry:
    """The explicit chain with its sums written out, one term per gradient path (the first
    ``len(paths)`` of ``count``), each term lit up on the page: a page-only step (the export
    has the chain and the path table)."""
    L = len(layers) - 1
    terms = []
    for n, path in enumerate(paths):
        # a bias's source is the constant 1: its terms start at sigma'
        factors = [sym.a(l - 1, str(k))] if k else []
        factors.append(sym.sp(l, str(j)))
        for (_, ia), (lb, ib) in itertools.pairwise(path):
            factors += [sym.w(lb, str(ib), str(ia)), sym.sp(lb, str(ib))]
        factors.append(sym.dlda(loss, layers[L], L, str(path[-1][1])))
        terms.append(sym.term(n, r"\,".join(factors)))
    if count > len(paths):
        rest = count_text(count - len(paths), "more path")
        terms.append(rf"\cdots\quad\text{{({rest})}}")
    return {
        "id": "chain-paths",
        "label": "Chain, one term per path",
        "tex": _broken(sym.lhs(l, j, k), terms, "+ "),
        "pageOnly": True,
    }


def _einstein_steps(layers: Sequence[int], loss: str, l: int, j: int, k: int) -> list[Entry]:
    L = len(layers) - 1
    dot = r"\cdot"
    steps = [_bp3(l, j, k)]
    for i in range(l, L):
        cur = str(j) if i == l else dot
        steps.append(
            {
                "id": f"bp2-{i}",
                "label": "BP2",
                "tex": sym.eq(
                    sym.d(i, cur),
                    rf"{sym.sp(i, cur)}\,{sym.w(i + 1, dot, cur)}\,{sym.d(i + 1, dot)}",
                ),
            }
        )
    if l == L:
        steps.append(_bp2_not_needed(L, j))
    out = str(j) if l == L else dot
    steps.append(
        {
            "id": "bp1",
            "label": "BP1",
            "tex": sym.eq(sym.d(L, out), rf"{sym.dlda(loss, layers[L], L, out)}\,{sym.sp(L, out)}"),
        }
    )
    groups = [
        rf"{sym.w(i, dot, str(j) if i == l + 1 else dot)}\,{sym.sp(i, dot)}"
        for i in range(l + 1, L + 1)
    ]
    steps.append(_chain(layers, loss, l, j, k, out, groups, r"\,"))
    return steps


def _vector_bias_rule(layers: Sequence[int], l: int, j: int) -> Entry:
    """The bias rule in vectors: dL/db^(l) = delta^(l), and its entry j."""
    grad_b = rf"\err{{\frac{{\partial\mathcal{{L}}}}{{\partial {sym.bias_vector(l)}}}}}"
    return {
        "id": "bias-rule",
        "label": BIAS_RULE,
        "tex": sym.eq(grad_b, sym.bold_d(l))
        + sym.keep(rf"\in\mathbb{{R}}^{{{layers[l]}}},")
        + r"\qquad "
        + sym.eq(sym.lhs(l, j, 0), rf"\bigl[{sym.bold_d(l)}\bigr]_{{{j}}}"),
    }


def _vector_steps(layers: Sequence[int], loss: str, l: int, j: int, k: int) -> list[Entry]:
    L = len(layers) - 1
    grad_w = rf"\err{{\frac{{\partial\mathcal{{L}}}}{{\partial {sym.bold_w(l)}}}}}"
    steps = [
        {
            "id": "bp3",
            "label": "BP3",
            "tex": sym.eq(grad_w, rf"{sym.bold_d(l)}\,\bigl({sym.bold_a(l - 1)}\bigr)^{{\top}}")
            + sym.keep(rf"\in\mathbb{{R}}^{{{layers[l]}\times {layers[l - 1]}}},")
            + r"\qquad "
            + sym.eq(
                sym.lhs(l, j, k), rf"{sym.a(l - 1, str(k))}\,\bigl[{sym.bold_d(l)}\bigr]_{{{j}}}"
            ),
        }
    ]
    if k == 0:
        steps = [_vector_bias_rule(layers, l, j)]
    for i in range(l, L):
        steps.append(
            {
                "id": f"bp2-{i}",
                "label": "BP2",
                "tex": sym.eq(
                    sym.bold_d(i),
                    rf"\bigl({sym.bold_w(i + 1)}\bigr)^{{\top}} {sym.bold_d(i + 1)}"
                    rf" \odot {sym.bold_sp(i)},",
                )
                + r"\qquad "
                + sym.keep(
                    rf"{sym.bold_w(i + 1)}\in\mathbb{{R}}^{{{layers[i + 1]}\times {layers[i]}}}"
                ),
            }
        )
    if l == L:
        steps.append(_bp2_not_needed(L, j))
    grad_a = rf"\nabla_{{{sym.bold_a(L)}}}\mathcal{{L}}"
    diff = rf"\bigl({sym.bold_a(L)} - \mathbf{{y}}\bigr)"
    value = sym.loss_scale(loss, layers[L]) + diff
    steps.append(
        {
            "id": "bp1",
            "label": "BP1",
            "tex": sym.eq(
                sym.bold_d(L),
                rf"{grad_a} \odot {sym.bold_sp(L)}",
                rf"{value} \odot {sym.bold_sp(L)}",
            ),
        }
    )
    inner = rf"{value} \odot {sym.bold_sp(L)}"
    source = f"{sym.a(l - 1, str(k))} " if k else ""  # a bias's source is the constant 1
    for i in range(L - 1, l - 1, -1):
        inner = (
            rf"\bigl({sym.bold_w(i + 1)}\bigr)^{{\top}} \left({inner}\right)"
            rf" \odot {sym.bold_sp(i)}"
        )
    steps.append(
        {
            "id": "chain",
            "label": "Chain",
            "tex": sym.eq(sym.lhs(l, j, k), rf"{source}\left[{inner}\right]_{{{j}}}"),
        }
    )
    return steps


STEPS = {"explicit": _explicit_steps, "einstein": _einstein_steps, "vector": _vector_steps}


def symbolic_steps(
    notation: str, layers: Sequence[int], loss: str, l: int, j: int, k: int
) -> list[Entry]:
    """The symbolic steps of dL/dw^(l)_{j,k} in ``notation`` (a key of ``STEPS``)."""
    return STEPS[notation](layers, loss, l, j, k)
