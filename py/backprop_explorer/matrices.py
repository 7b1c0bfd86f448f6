"""Vectors and matrices of numbers in TeX, for the derivation's steps with numbers: column and
row vectors and matrices as ``pmatrix`` (amsmath, which the page's MathJax and the LaTeX export
both know), tuples for Einstein's dotted indices, one entry boxed where the derivation picks it.

A layer has at most ten neurons; past ``WIDE`` entries a vector or matrix keeps its first two,
its last two and the marked entry, and writes \\vdots, \\cdots or \\ddots for the rest, so a wide
layer stays readable on a phone.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from .names import decimal_tex

__all__ = ["WIDE", "column", "matrix", "row", "shown", "tuple_tex"]

WIDE = 6  # entries written out in full; a longer vector is abbreviated


def shown(n: int, marked: int | None = None) -> list[int]:
    """The indices (from 1) of an n-long vector that are written: all of them up to WIDE, else
    the first two, the last two and ``marked``."""
    if n <= WIDE:
        return list(range(1, n + 1))
    keep = {1, 2, n - 1, n} | ({marked} if marked else set())
    return sorted(keep)


def _with_gaps(indices: list[int], cell: Callable[[int], str], gap: str) -> list[str]:
    """``cell(i)`` for each index, with ``gap`` where indices were skipped."""
    out: list[str] = []
    for before, i in zip([0, *indices], indices, strict=False):
        if i - before > 1 and out:
            out.append(gap)
        out.append(cell(i))
    return out


def _entry(value: float, boxed: bool) -> str:
    """One number of a vector or matrix; the derivation's pick is boxed."""
    text = decimal_tex(value)
    return rf"\boxed{{{text}}}" if boxed else text


def column(values: npt.ArrayLike, marked: int | None = None) -> str:
    """A column vector of numbers; entry ``marked`` (from 1) boxed."""
    values = np.asarray(values, dtype=float)
    cells = _with_gaps(
        shown(len(values), marked), lambda i: _entry(float(values[i - 1]), i == marked), r"\vdots"
    )
    return r"\begin{pmatrix}" + r" \\ ".join(cells) + r"\end{pmatrix}"


def row(values: npt.ArrayLike) -> str:
    """A row vector of numbers (a transposed column)."""
    values = np.asarray(values, dtype=float)
    cells = _with_gaps(shown(len(values)), lambda i: decimal_tex(float(values[i - 1])), r"\cdots")
    return r"\begin{pmatrix}" + " & ".join(cells) + r"\end{pmatrix}"


def matrix(entries: npt.ArrayLike, marked: tuple[int, int] | None = None) -> str:
    """A matrix of numbers (rows of columns); entry ``marked`` = (row, column), from 1, boxed."""
    entries = np.asarray(entries, dtype=float)
    n_rows, n_cols = entries.shape
    mark_row, mark_col = marked if marked else (None, None)
    rows = shown(n_rows, mark_row)
    cols = shown(n_cols, mark_col)

    def line(r: int) -> str:
        cells = _with_gaps(
            cols,
            lambda c: _entry(float(entries[r - 1][c - 1]), (r, c) == marked),
            r"\cdots",
        )
        return " & ".join(cells)

    def gap_line() -> str:
        return " & ".join(_with_gaps(cols, lambda _: r"\vdots", r"\ddots"))

    lines: list[str] = []
    for before, r in zip([0, *rows], rows, strict=False):
        if r - before > 1 and lines:
            lines.append(gap_line())
        lines.append(line(r))
    return r"\begin{pmatrix}" + r" \\ ".join(lines) + r"\end{pmatrix}"


def tuple_tex(values: npt.ArrayLike) -> str:
    """The numbers of a dotted index, (v_1, v_2, ...), as Einstein's forms write them."""
    values = np.asarray(values, dtype=float)
    # braced, so a minus after a comma is a sign, not a binary minus with space around it
    cells = _with_gaps(
        shown(len(values)), lambda i: f"{{{decimal_tex(float(values[i - 1]))}}}", r"\ldots"
    )
    return r"\bigl(" + r",\ ".join(cells) + r"\bigr)"
