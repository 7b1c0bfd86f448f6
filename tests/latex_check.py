"""A check that exported LaTeX is a standard document: balanced, and nothing but amsmath,
xcolor and our own colour macros (no LaTeX is installed here to compile it)."""

from __future__ import annotations

import re

# Every control sequence a standard document with amsmath and xcolor (and our preamble) knows.
KNOWN = set(
    [
        r"documentclass",
        r"usepackage",
        r"begin",
        r"end",
        r"section",
        r"paragraph",
        r"definecolor",
        r"newcommand",
        r"color",
        r"frac",
        r"tfrac",
        r"partial",
        r"mathcal",
        r"mathbf",
        r"boldsymbol",
        r"text",
        r"sum",
        r"bigl",
        r"bigr",
        r"left",
        r"right",
        r"cdot",
        r"times",
        r"sigma",
        r"delta",
        r"eta",
        r"nabla",
        r"odot",
        r"top",
        r"in",
        r"leftarrow",
        r"qquad",
        r"quad",
        r"vdots",
        r"cdots",
        r"hline",
        r"inp",
        r"wt",
        r"act",
        r"err",
    ]
) | {"\\", ",", ";", " ", "{", "}", "[", "]", "_"}


def check_latex_document(doc: str) -> None:
    """Balanced braces, matched environments, and only commands the packages define."""
    depth = 0
    for ch in re.sub(r"\\[{}]", "", doc):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0, "a } closes nothing"
    assert depth == 0, "a { is never closed"
    envs = []
    for kind, name in re.findall(r"\\(begin|end)\{(\w+\*?)\}", doc):
        if kind == "begin":
            envs.append(name)
        else:
            assert envs.pop() == name
    assert envs == []
    used = set(re.findall(r"\\([A-Za-z]+|.)", doc))
    assert used <= KNOWN, f"unknown to amsmath + xcolor: {sorted(used - KNOWN)}"
    assert doc.startswith("\\documentclass{article}\n\\usepackage{amsmath}\n\\usepackage{xcolor}\n")
    assert "\\class" not in doc and "\\mathbb" not in doc
