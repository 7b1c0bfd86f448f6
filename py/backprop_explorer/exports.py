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
from .datasets import order_words
from .losses import LOSSES
from .names import field_text, vector_text, weight_tex
from .texmacros import latex_preamble
from .updates import optimizer_words

__all__ = ["history_csv", "latex_document", "to_latex", "training_words"]


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


# The optimizers' symbols (optimizers.py's labels) as TeX: pdflatex reads no Greek letters.
_GREEK = {"β₁": r"$\beta_1$", "β₂": r"$\beta_2$", "μ": r"$\mu$", "τ": r"$\tau$",
          "α": r"$\alpha$", "ε": r"$\varepsilon$"}  # fmt: skip


def _greek(text: str) -> str:
    for letter, tex in _GREEK.items():
        text = text.replace(letter, tex)
    return text


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
    if training_words(state):
        lines.append("")
        lines.append(_greek(_text(training_words(state))))
    for step in steps:
        if step.get("pageOnly"):
            continue  # a hover aid of the page (the chain path by path), not part of the text
        lines.append(rf"\paragraph{{{_text(step['label'])}}}")
        lines.append(r"\[")
        lines.append(to_latex(step["tex"]))
        lines.append(r"\]")
    lines.append(r"\end{document}")
    return "\n".join(lines) + "\n"


def training_words(state: dict[str, Any]) -> str:
    """How the network is trained, when that is more than gradient descent on one pair: the
    optimizer and its settings, the data set and its batch size, the sample derived."""
    samples = state.get("samples")
    if state["optimizer"]["name"] == "gd" and not samples:
        return ""
    words = f"Trained with {optimizer_words(state['optimizer'])}, learning rate"
    words += f" {field_text(state['learningRate'])}"
    if samples:
        size = state.get("batchSize", len(samples))
        words += f", on {len(samples)} samples in batches of {size}, {order_words(state)};"
        words += " this derivation is for"
        words += f" the sample x = ({vector_text(state['input'])}),"
        words += f" y = ({vector_text(state['target'])})"
    return words + "."


def history_csv(history: Sequence[dict[str, Any]], state: dict[str, Any]) -> str:
    """The training history: step, loss, one column per prediction and per target; with a
    data set the batch (its samples' numbers) and the batch's loss, the loss being the whole
    set's, and the batch size; with an optimizer other than gradient descent, its settings."""
    n_out = len(history[0]["prediction"]) if history else 1
    one = n_out == 1
    head = ["step", "loss"]
    head += ["prediction" if one else f"prediction_{i + 1}" for i in range(n_out)]
    head += ["target" if one else f"target_{i + 1}" for i in range(n_out)]
    extra: list[tuple[str, Any]] = []
    if "samples" in state:
        size = state.get("batchSize", len(state["samples"]))
        extra += [("batch", lambda r: " ".join(map(str, r["batch"] or ())))]
        extra += [("batch_loss", lambda r: "" if r["batchLoss"] is None else repr(r["batchLoss"]))]
        extra += [("batch_size", lambda r: size)]
        if state.get("shuffle"):  # each epoch's order is drawn from this seed (datasets.py)
            extra += [("shuffle_seed", lambda r: state["seed"])]
    if state["optimizer"]["name"] != "gd":
        extra += [("optimizer", lambda r: optimizer_words(state["optimizer"]))]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(head + [name for name, _ in extra])
    for row in history:
        values = [row["step"], repr(row["loss"])]
        values += [repr(v) for v in row["prediction"]] + [repr(v) for v in row["target"]]
        writer.writerow(values + [cell(row) for _, cell in extra])
    return buffer.getvalue()
