"""The page's TeX names each term's gradient path (\\term{n}), keeps numbers whole (\\keep),
and the LaTeX export carries none of that markup."""

from __future__ import annotations

import itertools
import re

import pytest

from backprop_explorer import Session
from backprop_explorer.derivation import MAX_TERMS
from backprop_explorer.exports import latex_document
from backprop_explorer.names import weight_tex
from backprop_explorer.presets import preset_partial
from backprop_explorer.texmacros import PAGE_MACROS

CASES = [("deep", (1, 2, 1)), ("classic", (1, 2, 3)), ("demo", (2, 1, 1)), ("basic", (1, 1, 1))]


def _derivation(preset: str, sel: tuple[int, int, int], notation: str) -> dict:
    layer, to, frm = sel
    selected = {"layer": layer, "to": to, "from": frm}
    return Session(
        {**preset_partial(preset), "notation": notation, "selected": selected}
    ).derivation()


def _terms(tex: str) -> dict[int, str]:
    """\\term{n}{body} -> {n: body} (bodies hold no \\term of their own)."""
    found = {}
    for match in re.finditer(r"\\term\{(\d+)\}\{", tex):
        depth, i = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(tex[i], 0)
            i += 1
        found[int(match.group(1))] = tex[match.end() : i - 1]
    return found


@pytest.mark.parametrize(("preset", "sel"), CASES)
def test_each_explicit_term_names_its_path(preset: str, sel: tuple[int, int, int]) -> None:
    derivation = _derivation(preset, sel, "explicit")
    steps = {step["id"]: step for step in derivation["steps"]}
    terms = derivation["terms"]
    assert len(terms) == min(MAX_TERMS, derivation["pathCount"])
    symbolic = steps["chain-paths"] if "chain-paths" in steps else steps["chain"]
    chain = _terms(symbolic["tex"])
    numbers = _terms(steps["numbers-sum"]["tex"])
    assert sorted(chain) == sorted(numbers) == list(range(len(terms)))
    for n, term in enumerate(terms):
        # the symbolic term holds the weight of each connection its path takes, and no other
        weights = set(re.findall(r"w\^\{\(\d+\)\}_\{\d+,\d+\}", chain[n]))
        path = term["path"]
        edges = list(itertools.pairwise(path))
        wanted = {weight_tex(b[0], str(b[1]), str(a[1])) for a, b in edges}
        assert weights == wanted, (n, chain[n])
        assert term["edges"] == [f"{b[0]}-{b[1]}-{a[1]}" for a, b in edges]
        assert len(term["neurons"]) == len(path)


@pytest.mark.parametrize("notation", ["einstein", "vector"])
def test_no_term_is_a_path_in_einstein_or_vector_notation(notation: str) -> None:
    derivation = _derivation("deep", (1, 2, 1), notation)
    assert not any(_terms(step["tex"]) for step in derivation["steps"])
    assert "no term here is a single path" in derivation["hoverHint"]
    explicit = _derivation("deep", (1, 2, 1), "explicit")["hoverHint"]
    assert explicit.startswith("Point at or tap a term of the chain or of the sum with numbers")


def test_the_page_has_more_than_the_export_and_the_export_no_markup() -> None:
    for preset, sel in CASES:
        for notation in ("explicit", "einstein", "vector"):
            derivation = _derivation(preset, sel, notation)
            state = Session(
                {
                    **preset_partial(preset),
                    "notation": notation,
                    "selected": dict(zip(("layer", "to", "from"), sel, strict=True)),
                }
            ).state
            document = latex_document(state, derivation["steps"])
            for name in [*PAGE_MACROS, "class", "data"]:
                assert f"\\{name}{{" not in document, (preset, notation, name)
            assert "Chain, one term per path" not in document
            page = "".join(step["tex"] for step in derivation["steps"])
            assert "\\keep{" in page and "\\inexport{" in page


def test_numbers_are_kept_whole_between_relations() -> None:
    """Each side of BP3 with numbers is one \\keep: the product 0.5 × (−0.1484) never splits."""
    steps = {s["id"]: s for s in _derivation("demo", (1, 3, 2), "explicit")["steps"]}
    tex = steps["numbers-bp3"]["tex"]
    sides = tex.split(" = ")
    assert len(sides) == 4 and all(side.startswith("\\keep{") for side in sides)
    assert "\\times" in sides[2]
