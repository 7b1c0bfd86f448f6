"""Exports: the derivation as a LaTeX document and the training history as CSV.

The LaTeX is the page's own derivation, rewritten for a standard LaTeX document that needs
only amsmath and xcolor: MathJax's \\class{..}{x} and the page's markup (texmacros.PAGE_MACROS:
unbreakable groups, hover targets, page-only terms) are taken out, \\mathbb{R}
becomes \\mathbf{R} (no amssymb), and the colour macros are defined in the preamble.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from .activations import ACTIVATIONS
from .losses import LOSSES
from .names import weight_tex
from .texmacros import latex_preamble

__all__ = ["history_csv", "latex_document", "to_latex"]


def _group_end(tex: str, pos: int) -> int:
    """The index just past the brace group that opens at tex[pos] == "{"."""
    depth = 0
    for i in range(pos, len(tex)):
        if tex[i] == "{":
            depth += 1
        elif tex[i] == "}":
            depth -= 1
            if depth == 0:
                return i + 1
    raise ValueError(f"unbalanced braces in {tex[pos : pos + 40]!r}")


# The page's markup around a formula's parts -> (arguments dropped, whether the last is kept):
# MathJax's \class{name}{x} (colours, path-table rows) and texmacros.PAGE_MACROS mean
# nothing in print.
_UNWRAP = {
    "class": (1, True),
    "term": (1, True),
    "keep": (0, True),
    "onpage": (0, False),
    "inexport": (0, True),
}


def _strip_page_markup(tex: str) -> str:
    """\\class{name}{x}, \\term{n}{x}, \\keep{x}, \\inexport{x} -> x; \\onpage{x} -> nothing."""
    out, i = [], 0
    while found := [(at, name) for name in _UNWRAP if (at := tex.find(f"\\{name}{{", i)) >= 0]:
        start, name = min(found)
        out.append(tex[i:start])
        dropped, kept = _UNWRAP[name]
        pos = start + len(name) + 1
        for _ in range(dropped):
            pos = _group_end(tex, pos)
        end = _group_end(tex, pos)
        if kept:
            out.append(_strip_page_markup(tex[pos + 1 : end - 1]))
        i = end
    out.append(tex[i:])
    return "".join(out)


def to_latex(tex: str) -> str:
    """One of the page's formulas as standard LaTeX (amsmath + xcolor)."""
    return _strip_page_markup(tex).replace(r"\mathbb{R}", r"\mathbf{R}")


def _text(s: str) -> str:
    """Plain text for LaTeX: escape the characters LaTeX treats specially."""
    table = {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "$": r"\$",
        "&": r"\&",
        "#": r"\#",
        "%": r"\%",
        "_": r"\_",
        "^": r"\^{}",
        "~": r"\~{}",
    }
    return "".join(table.get(c, c) for c in s)


def latex_document(state: dict[str, Any], steps: Sequence[dict[str, Any]]) -> str:
    """A complete document with every step of the derivation, compilable with pdflatex."""
    sel = state["selected"]
    arrow = " to ".join(str(n) for n in state["layers"])
    weight = weight_tex(sel["layer"], sel["to"], sel["from"])
    title = f"Backpropagation: the gradient of ${weight}$ in a {_text(arrow)} network"
    activations = ", ".join(ACTIVATIONS[name].label for name in state["activations"])
    lines = [
        r"\documentclass{article}",
        r"\usepackage{amsmath}",
        r"\usepackage{xcolor}",
        latex_preamble(),
        r"\begin{document}",
        rf"\section*{{{title}}}",
        _text(f"Activations, layer by layer: {activations}. Loss: ")
        + f"${LOSSES[state['loss']].tex}$. "
        + _text(f"Notation: {state['notation']}. Exported from Backprop Explorer."),
    ]
    for step in steps:
        if step.get("pageOnly"):
            continue  # a hover aid of the page (the chain path by path), not part of the text
        lines.append(rf"\paragraph{{{_text(step['label'])}}}")
        lines.append(r"\[")
        lines.append(to_latex(step["tex"]))
        lines.append(r"\]")
    lines.append(r"\end{document}")
    return "\n".join(lines) + "\n"


def history_csv(history: Sequence[dict[str, Any]]) -> str:
    """The training history: step, loss, one column per prediction and per target."""
    n_out = len(history[0]["prediction"]) if history else 1
    one = n_out == 1
    head = ["step", "loss"]
    head += ["prediction" if one else f"prediction_{i + 1}" for i in range(n_out)]
    head += ["target" if one else f"target_{i + 1}" for i in range(n_out)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(head)
    for row in history:
        values = [row["step"], repr(row["loss"])]
        values += [repr(v) for v in row["prediction"]] + [repr(v) for v in row["target"]]
        writer.writerow(values)
    return buffer.getvalue()
