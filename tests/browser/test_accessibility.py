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


def open_page(browser, site_url, *, width=1280, height=900, scheme="light", hash_="", **options):
    context = browser.new_context(
        viewport={"width": width, "height": height},
        color_scheme=scheme,
        reduced_motion="reduce",
        **options,
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
    assert_clean(explorer)  # as it opens: a weight selected, its derivation
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
    # the page opens with Python's opening selection, w(1)2,1: the diagram's one Tab stop
    opening = page.evaluate("backpropExplorer.getState()")
    assert opening["selected"] == {"layer": 1, "to": 2, "from": 1}
    edge = tab_until(page, lambda f: f["weight"] is not None)
    w = opening["weights"][0][1][0]
    assert edge["label"] == f"weight w(1)2,1 from input 1 to hidden neuron 2, value {w:.3f}"
    # the focus ring is drawn: the hit area of the focused connection is filled
    fill = page.evaluate(
        "getComputedStyle(document.activeElement.querySelector('.edge-hit')).fillOpacity"
    )
    assert float(fill) > 0
    page.keyboard.press("End")
    page.keyboard.press("ArrowRight")
    target = focus_info(page)["weight"]
    assert target.startswith("2-")  # on along the path from the layer's last connection
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
    apply_preset(page, "deep")
    select(page, 2, 1, 3)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"
    svg = page.locator("#diagram").bounding_box()
    assert svg["width"] <= width
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"explorer-{width}-{scheme}.png"), full_page=True)
    before = rendered(page)
    page.locator(".views [data-view=training]").click()
    wait_render(page, before)
    before = rendered(page)
    page.locator("#run-form button").click()  # ten steps
    wait_render(page, before)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the training view scrolls sideways by {overflow}px at {width}px"
    page.screenshot(path=str(SHOTS / f"training-{width}-{scheme}.png"), full_page=True)
    context.close()
    guard.check()


# -- phones: readable text, tappable connections, links without a mouse ---------------------

TEXT_SIZES = """() => [...document.querySelectorAll('#diagram text, #loss-plot text')]
  .filter((t) => t.getBoundingClientRect().width > 0)
  .map((t) => {
    const m = t.getScreenCTM();
    return [t.textContent, parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b)];
  })"""

# A point on connection `id` whose nearest other connection is farthest away: where a finger
# (or a careful test) taps it. Returns client coordinates.
CLEAR_SPOT = """(id) => {
  const svg = document.querySelector('#diagram');
  const seg = (g) => ['x1', 'y1', 'x2', 'y2'].map((a) => +g.querySelector('line').getAttribute(a));
  const dist = ([x, y], [x1, y1, x2, y2]) => {
    const dx = x2 - x1, dy = y2 - y1;
    const t = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(x - x1 - t * dx, y - y1 - t * dy);
  };
  const mine = seg(svg.querySelector(`[data-weight="${id}"]`));
  const others = [...svg.querySelectorAll('[data-weight]')].filter((g) => g.dataset.weight !== id).map(seg);
  let best = null;
  for (let i = 2; i <= 18; i++) {
    const p = [mine[0] + (i / 20) * (mine[2] - mine[0]), mine[1] + (i / 20) * (mine[3] - mine[1])];
    const clear = Math.min(...others.map((o) => dist(p, o)));
    if (!best || clear > best.clear) best = { p, clear };
  }
  const m = svg.getScreenCTM();
  const [x, y] = best.p;
  return { x: m.a * x + m.c * y + m.e, y: m.b * x + m.d * y + m.f, clear: best.clear * m.a };
}"""


def text_sizes(page) -> list:
    # a frame first: with reduced motion every property still "transitions" for 0.01 ms
    page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return page.evaluate(TEXT_SIZES)


def set_layers(page, text: str) -> None:
    before = rendered(page)
    page.evaluate("(t) => backpropExplorer.edit('layers', t)", text)
    wait_render(page, before)


@pytest.mark.parametrize(("width", "scale"), [(360, 1), (640, 2)], ids=["phone-360", "zoom-200"])
def test_diagram_and_loss_plot_text_is_readable_on_a_phone_and_at_200_percent(
    browser, site_url, width, scale
) -> None:
    """Every text of the diagram (every preset and a ten-neuron custom layer) and of the loss
    plot is at least 11 CSS px, pinned or not; the page never scrolls sideways, only a box
    that says so: the pinned diagram's, down the phone, where Deep runs down taller than it."""
    context, guard, page = open_page(browser, site_url, width=width, device_scale_factor=scale)
    for name in ["basic", "classic", "special", "deep", "demo"]:
        apply_preset(page, name)
        sizes = text_sizes(page)
        assert sizes and min(px for _, px in sizes) >= 11, (name, min(sizes, key=lambda s: s[1]))
        assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
        wrap = page.locator(".diagram-wrap")
        assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth"), f"{name} scrolls at {width}"
        scrolls_down = name == "deep" and width == 360
        assert wrap.evaluate("e => e.scrollHeight > e.clientHeight") is scrolls_down, name
        assert wrap.get_attribute("tabindex") == ("0" if scrolls_down else None), name
    # Deep runs down the phone, so it fits; across at 200 % zoom
    apply_preset(page, "deep")
    assert page.locator("#diagram").get_attribute("data-layout") == (
        "down" if width == 360 else "across"
    )
    set_layers(page, "4,10,10,2")
    sizes = text_sizes(page)
    assert len(sizes) == 4 + 10 + 10 + 2 + 4 and min(px for _, px in sizes) >= 11
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    if width == 360:
        # too wide for a phone: its own box scrolls, and is a named Tab stop
        wrap = page.locator(".diagram-wrap")
        assert wrap.evaluate("e => e.scrollWidth > e.clientWidth")
        assert wrap.get_attribute("tabindex") == "0" and wrap.get_attribute("role") == "region"
        assert wrap.get_attribute("aria-label") == "Network diagram (scrolls)"
    assert_clean(page)
    before = rendered(page)
    page.locator(".views [data-view=training]").click()
    wait_render(page, before)
    before = rendered(page)
    page.locator("#run-form button").click()
    wait_render(page, before)
    plot = [(t, px) for t, px in text_sizes(page) if t in ("Step", "Loss", "0")]
    assert len(plot) >= 3 and min(px for _, px in plot) >= 11
    assert min(px for _, px in text_sizes(page)) >= 11
    assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    assert_clean(page)
    context.close()
    assert guard.blocked == []


def weight_name(state: dict, l: int, j: int, k: int, source: str, target: str) -> str:
    w = state["weights"][l - 1][j - 1][k - 1]
    return f"weight w({l}){j},{k} from {source} to {target}, value {w:.3f}"


@pytest.fixture
def phone(browser, site_url):
    context, guard, page = open_page(browser, site_url, width=360, height=740, has_touch=True)
    yield page
    context.close()
    assert guard.blocked == []


def test_a_tap_selects_a_connection_and_a_crowded_tap_asks_which(phone) -> None:
    page = phone
    apply_preset(page, "deep")
    assert page.locator("#diagram").get_attribute("data-layout") == "down"
    state = page.evaluate("backpropExplorer.getState()")
    g = page.locator("#diagram [data-weight='2-3-1']")
    assert g.get_attribute("aria-label") == weight_name(
        state, 2, 3, 1, "hidden layer 1 neuron 1", "hidden layer 2 neuron 3"
    )
    assert (
        page.locator("#diagram [data-neuron='4-1']")
        .get_attribute("aria-label")
        .startswith("output 1, value ")
    )
    # a clear spot of the connection: a tap selects it at once
    g.scroll_into_view_if_needed()
    spot = page.evaluate(CLEAR_SPOT, "2-3-1")
    assert spot["clear"] >= 12  # its band, 24 px wide, meets no other connection there
    before = rendered(page)
    page.touchscreen.tap(spot["x"], spot["y"])
    wait_render(page, before)
    assert page.evaluate("backpropExplorer.getState().selected") == {"layer": 2, "to": 3, "from": 1}
    assert page.locator("#announce").text_content().startswith("Selected weight w(2)3,1 = ")

    # where two connections cross, the tap asks which one was meant, by name
    page.locator("#diagram [data-weight='1-2-1']").tap()  # the middle of its line: a crossing
    dialog = page.locator("#edge-chooser")
    dialog.wait_for(state="visible")
    assert dialog.locator("h3").text_content() == "Which connection did you mean?"
    choices = dialog.locator(".edge-choices button").all_text_contents()
    assert weight_name(state, 1, 2, 1, "input 1", "hidden layer 1 neuron 2") in choices
    assert weight_name(state, 1, 1, 2, "input 2", "hidden layer 1 neuron 1") in choices
    assert_clean(page)
    before = rendered(page)
    dialog.locator(".edge-choices button[data-weight='1-1-2']").tap()
    wait_render(page, before)
    assert page.evaluate("backpropExplorer.getState().selected") == {"layer": 1, "to": 1, "from": 2}
    assert not dialog.is_visible()

    # a tap on a neuron lists all of its connections
    page.locator("#diagram [data-neuron='4-1']").tap()
    dialog.wait_for(state="visible")
    assert dialog.locator("h3").text_content() == "Connections of output 1"
    assert dialog.locator(".edge-choices button").all_text_contents() == [
        weight_name(state, 4, 1, k, f"hidden layer 3 neuron {k}", "output 1") for k in (1, 2, 3)
    ]
    dialog.locator(".edge-cancel").tap()
    assert not dialog.is_visible()


def test_arrow_keys_follow_the_drawing_when_the_layers_run_down(browser, site_url) -> None:
    context, guard, page = open_page(browser, site_url, width=360)
    apply_preset(page, "deep")
    page.locator("#diagram [data-weight='2-1-1']").focus()
    page.keyboard.press("ArrowDown")  # on along the path, to the next layer down
    assert focus_info(page)["weight"] == "3-1-1"
    page.keyboard.press("ArrowRight")  # the next connection of the same layer
    assert focus_info(page)["weight"] == "3-1-2"
    page.keyboard.press("ArrowUp")
    assert focus_info(page)["weight"] == "2-2-1"
    context.close()
    assert guard.blocked == []


def highlighted(page) -> tuple[list[str], list[str]]:
    cells = page.eval_on_selector_all(
        ".tables-panel td.highlighted", "els => els.map(e => e.dataset.weight)"
    )
    edges = page.eval_on_selector_all(
        "#diagram [data-role~='highlighted']", "els => els.map(e => e.dataset.weight)"
    )
    return sorted(set(cells)), edges


def open_training(page) -> None:
    before = rendered(page)
    page.locator(".views [data-view=training]").click()
    wait_render(page, before)
    before = rendered(page)
    page.locator("#step-button").click()
    wait_render(page, before)


def test_training_links_follow_the_keyboard_focus(browser, site_url) -> None:
    context, guard, page = open_page(browser, site_url)
    open_training(page)
    # the weights table is one Tab stop; the arrow keys move between its cells
    page.locator("#run-steps").focus()
    cell = tab_until(page, lambda f: f["tag"] == "TD")
    assert cell["weight"] == "1-1-1"
    assert highlighted(page) == (["1-1-1"], ["1-1-1"])
    page.keyboard.press("ArrowRight")
    assert focus_info(page)["weight"] == "1-1-2"
    page.keyboard.press("ArrowDown")
    assert focus_info(page)["weight"] == "1-2-2"
    assert highlighted(page) == (["1-2-2"], ["1-2-2"])
    assert_clean(page)
    # the updates table is the next stop; its row of four cells all belong to one weight
    cell = tab_until(page, lambda f: f["tag"] == "TD" and f["weight"] == "1-1-1", limit=3)
    page.keyboard.press("End")
    assert focus_info(page)["weight"] == "1-1-1"
    page.keyboard.press("ArrowDown")  # the next weight: rows go by destination, then source
    assert highlighted(page) == (["1-1-2"], ["1-1-2"])
    # a step redraws the tables: the place and the link are kept
    page.keyboard.press("Shift+Tab")
    before = rendered(page)
    page.evaluate("backpropExplorer.step(1)")
    wait_render(page, before)
    assert focus_info(page)["weight"] == "1-2-2"
    assert highlighted(page) == (["1-2-2"], ["1-2-2"])
    # focus on a connection marks its table entries
    page.locator("#diagram [data-weight='2-1-3']").focus()
    assert highlighted(page) == (["2-1-3"], ["2-1-3"])
    page.locator("#run-steps").focus()
    assert highlighted(page) == ([], [])
    context.close()
    assert guard.blocked == []


def test_training_links_follow_a_tap(phone) -> None:
    page = phone
    open_training(page)
    cell = page.locator("#weights-table td[data-weight='1-3-2']")
    cell.scroll_into_view_if_needed()
    cell.tap()
    assert highlighted(page) == (["1-3-2"], ["1-3-2"])
    assert_clean(page)
    update = page.locator("#updates-table td[data-weight='2-1-1'][data-part='new']")
    update.scroll_into_view_if_needed()
    update.tap()
    assert highlighted(page) == (["2-1-1"], ["2-1-1"])
    # a tap on a connection selects it and marks its table entries
    page.locator("#diagram [data-weight='2-1-2']").scroll_into_view_if_needed()
    spot = page.evaluate(CLEAR_SPOT, "2-1-2")
    before = rendered(page)
    page.touchscreen.tap(spot["x"], spot["y"])
    wait_render(page, before)
    assert page.evaluate("backpropExplorer.getState().selected") == {"layer": 2, "to": 1, "from": 2}
    assert highlighted(page) == (["2-1-2"], ["2-1-2"])
