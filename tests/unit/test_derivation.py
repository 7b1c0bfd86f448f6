"""The derivation's LaTeX, as the export writes each step, against reviewed golden files, and
its numbers against the core.

Regenerate the golden files after an intended change with
    BPX_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/test_derivation.py
and review the diff before committing it.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

import pytest

from backprop_explorer import Session
from backprop_explorer.derivation import MAX_TERMS
from backprop_explorer.exports import to_latex
from backprop_explorer.presets import preset_partial
from backprop_explorer.texmacros import TEX_MACROS, latex_preamble
from reference import with_biases

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"

# Every preset, a weight of its first layer and one of a later layer, plus a mixed network.
CASES = {
    **{
        f"{name}-w{l}-{j}-{k}": (preset_partial(name), (l, j, k))
        for name, sels in {
            "basic": [(1, 1, 1), (2, 1, 1)],
            "classic": [(1, 2, 3), (2, 1, 2)],
            "special": [(1, 2, 1), (2, 2, 3)],
            "deep": [(1, 1, 1), (3, 2, 3)],
            "demo": [(1, 3, 2), (2, 1, 1)],
        }.items()
        for (l, j, k) in sels
    },
    "mixed-mse-w1-2-1": (
        {"layers": [2, 3, 2, 2], "activations": ["relu", "tanh", "linear"], "loss": "mse"},
        (1, 2, 1),
    ),
}


# Biases (from 0: the weight from the constant-1 unit) of a first or a later layer, every preset.
CASES.update(
    {
        f"{name}-b{l}-{j}": (with_biases(preset_partial(name)), (l, j, 0))
        for name, sels in {
            "basic": [(1, 1), (2, 1)],
            "classic": [(1, 2)],
            "special": [(2, 2)],
            "deep": [(2, 3)],
            "demo": [(2, 1)],
        }.items()
        for (l, j) in sels
    }
)
# Weights of a network with biases on: the forward pass adds b^(l) to each weighted sum.
CASES.update(
    {
        f"{name}-bias-w{l}-{j}-{k}": (with_biases(preset_partial(name)), (l, j, k))
        for name, (l, j, k) in {
            "basic": (1, 1, 1),
            "classic": (1, 2, 3),
            "special": (2, 2, 3),
            "deep": (1, 1, 1),
            "demo": (1, 3, 2),
        }.items()
    }
)


def _render(partial: dict, sel: tuple[int, int, int], notation: str) -> str:
    layer, to, frm = sel
    session = Session(
        {**partial, "notation": notation, "selected": {"layer": layer, "to": to, "from": frm}}
    )
    steps = [s for s in session.derivation()["steps"] if not s.get("pageOnly")]
    return "".join(f"% {s['label']}\n{to_latex(s['tex'])}\n" for s in steps)


@pytest.mark.parametrize("notation", ["explicit", "einstein", "vector"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_latex_matches_golden(case: str, notation: str) -> None:
    partial, sel = CASES[case]
    got = _render(partial, sel, notation)
    path = GOLDEN / f"{case}.{notation}.tex"
    if os.environ.get("BPX_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(got)
    assert path.exists(), f"missing golden file {path}: run with BPX_UPDATE_GOLDEN=1 and review it"
    assert got == path.read_text()


@pytest.mark.parametrize("case", sorted(CASES))
def test_numbers_add_up_to_the_gradient(case: str) -> None:
    partial, (layer, to, frm) = CASES[case]
    session = Session({**partial, "selected": {"layer": layer, "to": to, "from": frm}})
    d = session.derivation()
    grads = session.gradients()
    want = (
        grads["biases"][layer - 1][to - 1]
        if frm == 0
        else grads["weights"][layer - 1][to - 1][frm - 1]
    )
    assert d["gradient"] == want
    assert d["relativeError"] < 1e-6
    assert math.isclose(d["finiteDifference"], want, rel_tol=1e-6, abs_tol=1e-12)
    if d["pathCount"] <= MAX_TERMS:
        assert len(d["terms"]) == d["pathCount"]
        assert math.isclose(sum(t["value"] for t in d["terms"]), want, rel_tol=1e-12, abs_tol=1e-15)
    else:
        assert len(d["terms"]) == MAX_TERMS
        by_id = {s["id"]: s["tex"] for s in d["steps"]}
        table, total = by_id["numbers-paths"], by_id["numbers-sum"]
        assert rf"\text{{{d['pathCount'] - MAX_TERMS} more}}" in table
        assert rf"\text{{all {d['pathCount']} paths}}" in total


def test_steps_are_labelled_bp3_then_bp2_then_bp1() -> None:
    session = Session({"layers": [2, 3, 3, 1], "selected": {"layer": 1, "to": 1, "from": 1}})
    labels = [s["label"] for s in session.derivation()["steps"]]
    assert labels[:4] == ["BP3", "BP2", "BP2", "BP1"]


def test_the_latex_colours_are_the_pages() -> None:
    """The export's colours are style.css's light --inp, --wt, --act and --err, each macro
    colours with its own, and the page colours MathJax's bpx-NAME classes with the same."""
    assert set(TEX_MACROS) == {"inp", "wt", "act", "err"}
    css = (ROOT / "web" / "style.css").read_text()
    light = css[css.index(":root {") : css.index("}", css.index(":root {"))]
    page = dict(re.findall(r"--(inp|wt|act|err): #([0-9a-f]{6});", light))
    preamble = latex_preamble()
    latex = re.findall(r"\\definecolor\{bpx(\w+)\}\{HTML\}\{([0-9A-F]{6})\}", preamble)
    assert len(page) == 4 and {name: hex_.lower() for name, hex_ in latex} == page
    for name in TEX_MACROS:
        assert f"\\newcommand{{\\{name}}}[1]{{{{\\color{{bpx{name}}}{{#1}}}}}}" in preamble
        assert f".bpx-{name} {{ fill: var(--{name}); stroke: var(--{name}); }}" in css
