"""The derivation's maths in every engine (issue 15 items 2 and 4): at 1280, 800 and 360 px
no formula is cut and no line breaks inside a number, and each explicit term lights exactly
its gradient path in the diagram, by mouse and by touch.

360 px runs in the 360 x 740 frame of tests/engines/pages/phone.html (WebKitGTK's window is
at least 447 px wide), 800 and 1280 px in the engine's own window.
"""

from __future__ import annotations

import pytest
from across import finish

from backprop_explorer import Session
from backprop_explorer.presets import preset_partial

PHONE = "document.getElementById('phone').contentWindow"
SELECTIONS = [
    ("demo", {"layer": 1, "to": 3, "from": 2}),
    ("deep", {"layer": 1, "to": 2, "from": 1}),
]
NOTATIONS = ["explicit", "einstein", "vector"]

# Run on a window `win`: select, wait for the render, then every formula box and its lines.
SHOW = """async ([preset, selected, notation]) => { const win = %s;
  const api = win.backpropExplorer; await api.ready; await api.preset(preset);
  // objects made in the frame's own realm: its API takes only its own plain objects
  const plain = (value) => win.JSON.parse(JSON.stringify(value));
  await api.setState(plain({notation})); const before = Number(win.document.body.dataset.rendered);
  await api.select(plain(selected));
  return before; }"""
RENDERED = "(n) => Number(%s.document.body.dataset.rendered) > n"
BOXES = """() => { const win = %s; const doc = win.document; const out = [];
  for (const box of doc.querySelectorAll('#derivation .math')) {
    const step = box.closest('[data-step]').dataset.step;
    const fits = box.scrollWidth <= box.clientWidth + 1;
    const scroller = ['auto', 'scroll'].includes(win.getComputedStyle(box).overflowX)
      && box.tabIndex === 0 && (box.getAttribute('aria-label') || '').endsWith('(scrolls)');
    const panel = doc.querySelector('#derivation').getBoundingClientRect();
    const inside = box.getBoundingClientRect().right <= panel.right + 1;
    // where a line ends and the next begins: never between two parts of a number (digits,
    // its sign, its "× 10^k"), so neither side of a break may be a number next to a minus,
    // times, dot or another number; a line never ends on a minus, times or dot
    const TOKENS = '[data-mml-node=mn],[data-mml-node=mo],[data-mml-node=mi],[data-mml-node=mtext]';
    const leaf = (line, end) => { const all = line.querySelectorAll(TOKENS); return all[end ? all.length - 1 : 0]; };
    const kind = (g) => (g ? g.getAttribute('data-mml-node') : null);
    const tex = (g) => (g ? g.getAttribute('data-latex') : null);
    const joins = ['-', '\\times', '\\cdot'];
    const splits = [];
    for (const stack of box.querySelectorAll('[data-mjx-linestack]')) {
      const lines = [...stack.children].filter((g) => g.hasAttribute('data-mjx-linebox'));
      for (let i = 1; i < lines.length; i++) {
        const last = leaf(lines[i - 1], true), first = leaf(lines[i], false);
        if (!last || !first) continue;
        const numberish = (g) => kind(g) === 'mn' || (kind(g) === 'mo' && joins.includes(tex(g)));
        if (joins.includes(tex(last))) splits.push(`ends on ${tex(last)}`);
        else if ((kind(last) === 'mn' && numberish(first)) || (kind(first) === 'mn' && numberish(last))) {
          splits.push(`${tex(last)} | ${tex(first)}`);
        }
      }
    }
    out.push({step, fits, scroller, inside, splits});
  }
  return out; }"""


def _show(page, win: str, preset: str, selected: dict, notation: str) -> None:
    before = page.evaluate(SHOW % win, [preset, selected, notation])
    page.wait_for(RENDERED % win, before)


def _check_boxes(page, win: str, where: str) -> None:
    boxes = page.evaluate(BOXES % win)
    assert len(boxes) >= 8, where
    for box in boxes:
        assert box["fits"] or box["scroller"], (where, box)
        assert box["inside"], (where, box)
        assert box["splits"] == [], (where, box)


@pytest.mark.parametrize("width", [1280, 800])
def test_no_formula_is_cut_or_broken_inside_a_number(tab, width) -> None:
    tab.set_viewport(width, 900)
    tab.wait_for("(w) => innerWidth >= w", width)
    for preset, selected in SELECTIONS:
        for notation in NOTATIONS:
            _show(tab, "window", preset, selected, notation)
            _check_boxes(tab, "window", f"{tab.engine} {width} {preset} {notation}")


def _phone(engine, site_url):
    page = engine.new_page()
    page.goto(site_url + "test-pages/phone.html")
    page.wait_for(
        f"() => {PHONE}.backpropExplorer && {PHONE}.document.body.classList.contains('ready')",
        timeout_s=90,
    )
    return page


def test_no_formula_is_cut_or_broken_inside_a_number_at_360px(engine, proxy, site_url) -> None:
    page = _phone(engine, site_url)
    for preset, selected in SELECTIONS:
        for notation in NOTATIONS:
            _show(page, PHONE, preset, selected, notation)
            _check_boxes(page, PHONE, f"{engine.name} 360 {preset} {notation}")
    problems = page.evaluate(f"() => {PHONE}.bpxProblems || []")
    finish(page, proxy)
    assert problems == [], problems


LIT = """() => [...%s.document.querySelectorAll('#diagram .hover-path')]
  .map((e) => e.dataset.weight || e.dataset.neuron).sort()"""
# The centre of term n's box in the top window's coordinates, after scrolling it into view.
TERM_POINT = """([n, step]) => { const win = %s;
  const g = win.document.querySelector(`#derivation [data-step="${step}"] svg [data-term="${n}"]:has(rect.term-box)`);
  g.scrollIntoView({block: 'center'});
  const r = g.querySelector('rect.term-box').getBoundingClientRect();
  const frame = win === window ? {left: 0, top: 0} : document.getElementById('phone').getBoundingClientRect();
  return {x: frame.left + r.left + r.width / 2, y: frame.top + r.top + r.height / 2}; }"""


def _expected(preset: str, selected: dict) -> list[list[str]]:
    state = {**preset_partial(preset), "notation": "explicit", "selected": selected}
    terms = Session(state).derivation()["terms"]
    return [sorted(term["neurons"] + term["edges"]) for term in terms]


def _term_steps(page, win: str) -> list[tuple[str, int]]:
    return page.evaluate(
        f"""() => [...{win}.document.querySelectorAll('#derivation svg [data-term]')]
          .filter((g) => !g.parentElement.closest('[data-term]'))
          .map((g) => [g.closest('[data-step]').dataset.step, Number(g.dataset.term)])
          .filter(([s, n], i, all) => all.findIndex(([t, m]) => t === s && m === n) === i)"""
    )


def test_hovering_each_explicit_term_lights_exactly_its_path(tab) -> None:
    tab.set_viewport(1280, 900)
    tab.wait_for("() => innerWidth >= 1280")
    preset, selected = SELECTIONS[1]
    _show(tab, "window", preset, selected, "explicit")
    expected = _expected(preset, selected)
    terms = _term_steps(tab, "window")
    assert sorted({step for step, _ in terms}) == ["chain-paths", "numbers-sum"]
    assert len(terms) == 2 * len(expected) == 12
    for step, n in terms:
        point = tab.evaluate(TERM_POINT % "window", [n, step])
        tab.hover(point["x"], point["y"])
        tab.wait_for(
            f"(want) => JSON.stringify(({LIT % 'window'})()) === JSON.stringify(want)", expected[n]
        )
    tab.hover(2, 2)
    tab.wait_for(f"() => ({LIT % 'window'})().length === 0")


def test_tapping_each_explicit_term_lights_exactly_its_path(engine, proxy, site_url) -> None:
    page = _phone(engine, site_url)
    # Page.touch_arrives_as, asked of the frame (which covers the top page's corner)
    page.evaluate(
        f"""() => {{ {PHONE}.bpxProbe = new Promise((resolve) => {PHONE}.addEventListener(
             "pointerdown", (e) => resolve(e.pointerType), {{once: true, capture: true}})); }}"""
    )
    page.tap(2, 2)
    arrives_as = page.evaluate(f"() => {PHONE}.bpxProbe")
    preset, selected = SELECTIONS[1]
    _show(page, PHONE, preset, selected, "explicit")
    expected = _expected(preset, selected)
    lit = f"(want) => JSON.stringify(({LIT % PHONE})()) === JSON.stringify(want)"
    for step, n in _term_steps(page, PHONE):
        point = page.evaluate(TERM_POINT % PHONE, [n, step])
        page.tap(point["x"], point["y"])
        page.wait_for(lit, expected[n], timeout_s=10)
        if arrives_as == "touch":  # a second tap puts it out (WebKit's "tap" is a mouse click)
            page.tap(point["x"], point["y"])
            page.wait_for(lit, [], timeout_s=10)
    problems = page.evaluate(f"() => {PHONE}.bpxProblems || []")
    finish(page, proxy)
    assert problems == [], problems
