"""A click before Python is up (issue 18, item 1): with the numpy wheel's request held back,
so Python cannot be ready, a click on a connection, Enter on a focused one, or a notation is
answered at once from the views the build pre-rendered; when Python is up it gives the same
derivation (the same LaTeX, the same DOM), holds the State on screen, and nothing is drawn again.
"""

from __future__ import annotations

import pytest
from test_foundation import open_with_numpy_held, release_and_wait

from conftest import guard_context

RENDERED = "Number(document.body.dataset.rendered || 0)"
# The LaTeX of each typeset step of the derivation on screen (MathJax keeps it in data-latex),
# and the text of the rest: what a student reads.
SHOWN = """() => ({
  latex: [...document.querySelectorAll('#derivation .step')].map((step) =>
    step.querySelector('table') ? null : step.querySelector('mjx-container [data-latex]').dataset.latex),
  text: document.querySelector('#derivation').textContent,
  html: document.querySelector('#derivation').innerHTML,
  pick: document.querySelector('#pick').textContent,
  roles: [...document.querySelectorAll('#diagram [data-role]')].map((e) =>
    (e.dataset.weight || e.dataset.neuron) + ' ' + e.dataset.role).sort(),
})"""


def act_and_wait(page, act) -> None:
    before = page.evaluate(RENDERED)
    act()
    page.wait_for_function(f"(n) => {RENDERED} > n", arg=before)


def python_gives(page, selection: dict) -> tuple[dict, dict]:
    """What Python, now up, renders for `selection`: it selects another weight, then this one."""
    other = {"layer": 1, "to": 1, "from": 1}
    assert selection != other
    page.evaluate("(s) => backpropExplorer.select(s)", other)
    result = page.evaluate("(s) => backpropExplorer.select(s)", selection)
    return result, page.evaluate(SHOWN)


def held_page(browser, site_url):
    context = browser.new_context()
    guard = guard_context(context)
    page, held = open_with_numpy_held(context, site_url)
    page.wait_for_function(f"() => {RENDERED} >= 1")  # the pre-rendered opening view is drawn
    return context, guard, page, held


@pytest.mark.parametrize("how", ["click", "enter"])
def test_a_connection_chosen_before_python_is_up_is_derived_at_once(browser, site_url, how) -> None:
    context, guard, page, held = held_page(browser, site_url)
    assert page.evaluate("document.body.dataset.python") == "starting"
    weight = {"layer": 2, "to": 1, "from": 2}
    edge = page.locator("#diagram [data-weight='2-1-2']")
    if how == "click":
        act_and_wait(page, edge.click)
    else:
        edge.evaluate("(g) => g.focus()")
        act_and_wait(page, lambda: page.keyboard.press("Enter"))
    assert page.evaluate("document.body.dataset.python") == "starting"  # Python is still held
    assert page.evaluate("backpropExplorer.getState().selected") == weight
    ahead = page.evaluate(SHOWN)
    assert ahead["pick"].startswith("w⁽²⁾₁,₂ selected: ∂𝓛/∂w = ")
    assert "2-1-2 selected-weight" in ahead["roles"]
    assert ahead["latex"][0].startswith(
        r"\keep{\err{\frac{\partial\mathcal{L}}{\partial \wt{w^{(2)}_{1,2}}}}}"
    )
    drawn = page.evaluate(RENDERED)
    page.evaluate("window.bpxAheadSteps = document.querySelector('#derivation ol.steps')")

    release_and_wait(page, held)
    # Python holds the State on screen, and its answers (init's, then the click's) were the
    # views already drawn: nothing was drawn again, the derivation is the very same element.
    assert page.evaluate("backpropExplorer.getState().selected") == weight
    assert page.evaluate(RENDERED) == drawn
    assert page.evaluate("document.querySelector('#derivation ol.steps') === window.bpxAheadSteps")
    assert page.evaluate(SHOWN) == ahead

    result, again = python_gives(page, weight)
    assert [tex for tex in ahead["latex"] if tex] == [
        tex for tex, shown in zip(result["latex"], ahead["latex"], strict=True) if shown
    ]
    assert again == ahead
    context.close()
    guard.check()


def test_a_notation_and_clicks_before_python_is_up_are_what_python_then_gives(
    browser, site_url
) -> None:
    context, guard, page, held = held_page(browser, site_url)
    act_and_wait(page, lambda: page.locator("input[name=notation][value=vector]").check())
    act_and_wait(page, page.locator("#diagram [data-weight='1-3-2']").click)
    act_and_wait(page, page.locator("#diagram [data-weight='2-1-3']").click)
    assert page.evaluate("document.body.dataset.python") == "starting"
    ahead = page.evaluate(SHOWN)
    state = page.evaluate("backpropExplorer.getState()")
    assert (state["notation"], state["selected"]) == ("vector", {"layer": 2, "to": 1, "from": 3})
    drawn = page.evaluate(RENDERED)

    release_and_wait(page, held)
    assert page.evaluate("backpropExplorer.getState()") == state
    assert page.evaluate(RENDERED) == drawn
    assert page.evaluate("document.querySelector('input[name=notation]:checked').value") == "vector"
    result, again = python_gives(page, state["selected"])
    assert [tex for tex in ahead["latex"] if tex] == [
        tex for tex, shown in zip(result["latex"], ahead["latex"], strict=True) if shown
    ]
    assert again == ahead
    context.close()
    guard.check()


def test_a_click_the_build_did_not_prerender_waits_for_python(browser, site_url) -> None:
    context, guard, page, held = held_page(browser, site_url)
    drawn = page.evaluate(RENDERED)
    page.locator("#presets [data-preset='deep']").click()  # a new network: Python's to draw
    page.locator("#diagram [data-weight='2-1-2']").click()  # not the table's State any more
    assert page.evaluate(RENDERED) == drawn
    assert page.evaluate("backpropExplorer.getState().layers") == [2, 3, 1]
    release_and_wait(page, held)
    page.wait_for_function("() => backpropExplorer.getState().layers.length === 5")
    page.wait_for_function("() => backpropExplorer.getState().selected?.layer === 2")
    assert page.evaluate("backpropExplorer.getState().selected") == {"layer": 2, "to": 1, "from": 2}
    context.close()
    guard.check()
