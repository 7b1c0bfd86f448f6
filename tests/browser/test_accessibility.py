"""Accessibility of the built site: axe-core finds nothing serious in any view or state, a
weight can be selected and its derivation read with the keyboard alone, selections are
announced, and the page fits phones, 200% zoom and dark mode.

axe-core comes from node_modules (a pinned devDependency); it is injected here and never
shipped in dist/.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_explorer_page import apply_preset, rendered, wait_render

from conftest import BOOT_TIMEOUT_MS, DIST, ROOT, guard_context

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Screenshots for a person to look at (python3 tests/run.py -k screenshots); not compared.
SHOTS = Path(os.environ.get("BPX_SCREENSHOTS", ROOT / "test-results" / "screenshots"))


def axe_problems(page) -> list[str]:
    """Serious and critical axe-core violations on the page, one line per element."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the page's Content-Security-Policy rightly
        # refuses an injected <script> (add_script_tag).
        page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    problems = []
    for v in results["violations"]:
        if v["impact"] not in ("serious", "critical"):
            continue
        for node in v["nodes"]:
            problems.append(f"{v['id']} ({v['impact']}): {node['target']} {node['failureSummary']}")
    return problems


def assert_clean(page) -> None:
    problems = axe_problems(page)
    assert not problems, "\n".join(problems)


def open_page(browser, site_url, *, width=1280, height=900, scheme="light", hash_=""):
    context = browser.new_context(
        viewport={"width": width, "height": height}, color_scheme=scheme, reduced_motion="reduce"
    )
    guard = guard_context(context)
    page = context.new_page()
    page.goto(site_url + hash_)
    page.wait_for_function("() => window.backpropExplorer && true", timeout=BOOT_TIMEOUT_MS)
    page.evaluate("backpropExplorer.ready")
    return context, guard, page


def select(page, layer: int, to: int, frm: int) -> None:
    before = rendered(page)
    page.evaluate(f"backpropExplorer.select({{layer: {layer}, to: {to}, from: {frm}}})")
    wait_render(page, before)


def test_axe_is_a_dev_dependency_and_not_shipped() -> None:
    assert AXE.is_file(), "npm ci installs axe-core (package.json devDependencies)"
    assert not list(DIST.rglob("axe*.js"))


@pytest.mark.parametrize("notation", ["explicit", "einstein", "vector"])
def test_explorer_has_no_serious_axe_violations(explorer, notation) -> None:
    assert_clean(explorer)  # nothing selected yet: the hint
    apply_preset(explorer, "deep")
    select(explorer, 1, 2, 1)
    explorer.evaluate("(n) => backpropExplorer.setState({notation: n})", notation)
    assert_clean(explorer)


def test_error_states_and_the_latex_dialog_have_no_serious_axe_violations(explorer) -> None:
    select(explorer, 2, 1, 1)
    explorer.locator("#layers-field").fill("4,x")
    explorer.locator("#custom-topology button").click()
    explorer.wait_for_selector("#layers-error:not(:empty)")
    assert explorer.locator("#status").is_visible()
    assert_clean(explorer)
    explorer.locator("#export-latex").click()
    explorer.wait_for_selector("#latex-dialog[open]")
    assert_clean(explorer)
    explorer.keyboard.press("Escape")
    explorer.wait_for_selector("#latex-dialog:not([open])", state="attached")


@pytest.mark.parametrize(("scheme", "width"), [("light", 1280), ("dark", 1280), ("light", 360)])
def test_training_view_has_no_serious_axe_violations(browser, site_url, scheme, width) -> None:
    context, guard, page = open_page(browser, site_url, scheme=scheme, width=width)
    before = rendered(page)
    page.locator(".views [data-view=training]").click()
    wait_render(page, before)
    assert_clean(page)
    before = rendered(page)
    page.locator("#run-form button").click()
    wait_render(page, before)
    select(page, 1, 1, 1)
    assert_clean(page)
    context.close()
    guard.check()


@pytest.mark.parametrize("width", [360, 800])
def test_dark_and_narrow_explorer_has_no_serious_axe_violations(browser, site_url, width) -> None:
    context, guard, page = open_page(browser, site_url, width=width, scheme="dark")
    assert_clean(page)
    select(page, 1, 1, 1)
    assert_clean(page)
    context.close()
    guard.check()


def test_embed_has_no_serious_axe_violations(browser, site_url) -> None:
    context, guard, page = open_page(browser, site_url, hash_="#embed=1&panels=diagram,derivation")
    select(page, 1, 1, 1)
    assert_clean(page)
    context.close()
    guard.check()


def focus_info(page) -> dict:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          return {id: el.id, weight: el.dataset.weight || null, tag: el.tagName,
                  label: el.getAttribute('aria-label')};
        }"""
    )


def tab_until(page, predicate, limit: int = 80) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = focus_info(page)
        if predicate(info):
            return info
    raise AssertionError(f"not reached with {limit} presses of Tab; focus is on {focus_info(page)}")


def test_keyboard_alone_selects_a_weight_and_reads_its_derivation(fresh_page) -> None:
    page = fresh_page
    page.locator("body").focus()
    edge = tab_until(page, lambda f: f["weight"] is not None)
    assert edge["label"].startswith("weight w(")
    # the focus ring is drawn: the hit area of the focused connection is filled
    fill = page.evaluate(
        "getComputedStyle(document.activeElement.querySelector('.edge-hit')).fillOpacity"
    )
    assert float(fill) > 0
    page.keyboard.press("End")
    page.keyboard.press("ArrowRight")
    target = focus_info(page)["weight"]
    before = rendered(page)
    page.keyboard.press("Enter")
    wait_render(page, before)
    layer, to, frm = map(int, target.split("-"))
    assert page.evaluate("backpropExplorer.getState().selected") == {
        "layer": layer,
        "to": to,
        "from": frm,
    }
    announced = page.locator("#announce").text_content()
    assert announced.startswith(f"Selected weight w({layer}){to},{frm} = ")
    assert "gradient" in announced
    # Tab on from the diagram reaches the derivation, a focusable region of accessible math
    region = tab_until(page, lambda f: f["id"] == "derivation")
    assert region["label"] == "Gradient derivation"
    math = page.eval_on_selector_all(
        "#derivation mjx-assistive-mml math", "els => els.map(e => e.textContent).join(' ')"
    )
    assert "δ" in math and "∂" in math
    labels = page.locator("#derivation .step-label").all_text_contents()
    assert labels[0] == "BP3"


def test_shortcuts_are_listed_in_the_help(explorer) -> None:
    help_text = explorer.locator("#keyboard-help").text_content()
    for key in ("Tab", "Arrow", "Home", "End", "Enter", "Space"):
        assert key in help_text


def test_tapping_a_path_row_lights_its_path(browser, site_url) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 800}, has_touch=True)
    guard = guard_context(context)
    page = context.new_page()
    page.goto(site_url)
    page.wait_for_function("() => window.backpropExplorer && true", timeout=BOOT_TIMEOUT_MS)
    page.evaluate("backpropExplorer.ready")
    select(page, 1, 1, 1)
    row = page.locator("#derivation table.paths tbody tr[data-path]").first
    row.scroll_into_view_if_needed()
    row.tap()
    assert "lit" in row.get_attribute("class")
    assert page.locator("#diagram .hover-path").count() > 0
    context.close()
    guard.check()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [360, 640, 800, 1280])
def test_screenshots_fit_the_width(browser, site_url, width, scheme) -> None:
    """Panels stack and nothing scrolls sideways at phone width or 200% zoom (640 px of a
    1280 px window); the full-page screenshots are kept for a person to look at."""
    context, guard, page = open_page(browser, site_url, width=width, scheme=scheme)
    select(page, 2, 1, 1)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"
    svg = page.locator("#diagram").bounding_box()
    assert svg["width"] <= width
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"explorer-{width}-{scheme}.png"), full_page=True)
    before = rendered(page)
    page.locator(".views [data-view=training]").click()
    wait_render(page, before)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the training view scrolls sideways by {overflow}px at {width}px"
    page.screenshot(path=str(SHOTS / f"training-{width}-{scheme}.png"), full_page=True)
    context.close()
    guard.check()


def test_the_page_and_the_latex_use_the_same_light_palette() -> None:
    from backprop_explorer.texmacros import COLORS

    css = (ROOT / "web" / "style.css").read_text()
    root = css[css.index(":root {") : css.index("}", css.index(":root {"))]
    for name, hex_ in COLORS.items():
        assert f"--{name}: {hex_};" in root, name
