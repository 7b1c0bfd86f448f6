"""Read where you are (issue 15 items 1 and 5), in every engine: whatever lights a connection
or a path — a row of the path table, a cell of the training tables, the keyboard's focus in a
table, a click on a connection in the training view — lights it in a diagram on screen, at
1280 x 900, 800 x 900 and on a 360 x 740 phone (a frame of that size in every engine: WebKitGTK's
window stops at 447 px), in both views; and the first screen holds the diagram (at 1280 x 800
a typeset derivation too).

Every check runs in the window the site is in (the page, or the phone frame) and waits for
the condition (a redraw follows a resize by a frame, a box scrolls smoothly); a lit element is
"on screen" when its box meets that window's viewport and the visible box of every ancestor
that clips it (the pinned diagram's scrolling box, the drawing's own <svg>). Where the lit
elements together are larger than the box that scrolls them (a Deep path in a phone's pinned
box, drawn at its readable size), the box must show nothing but them, from the selected
weight's end, the selected weight in sight: as much of them as fits.
"""

from __future__ import annotations

import pytest
from across import CLICK_POINT, checked_page, finish

from engines.page import EvaluateError

FRAME = "document.getElementById('phone').contentWindow"
SIZES = {"desktop": (1280, 900), "tablet": (800, 900), "phone": (360, 740)}
PICK_W212 = "w⁽²⁾₁,₂ selected: ∂𝓛/∂w = "


def in_site(window: str, body: str) -> str:
    """A page function `(arg) => …` run on the site's window `w` and document `d`; `f` is where
    that window's viewport is in the page's (the phone frame's box, or 0, 0)."""
    return (
        f"async (arg) => {{ const w = {window}; const d = w.document;"
        " const f = w === window ? {left: 0, top: 0} : w.frameElement.getBoundingClientRect();"
        f" {body} }}"
    )


# `sight(e)`: the part of e's box on screen, cut by every ancestor that clips it (a scrolling
# box: its padding box; an <svg>: its box) and by the window's viewport; null when none is.
# `clipper(e)`: e's nearest ancestor that scrolls.
SIGHT = """const cut = (a, b) => ({left: Math.max(a.left, b.left), top: Math.max(a.top, b.top),
    right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom)});
  const clips = (a) => { const s = w.getComputedStyle(a);
    return s.overflowX !== 'visible' || s.overflowY !== 'visible'; };
  const inner = (a) => { const q = a.getBoundingClientRect();
    if (!(a instanceof w.HTMLElement)) return q;
    const left = q.left + a.clientLeft, top = q.top + a.clientTop;
    return {left, top, right: left + a.clientWidth, bottom: top + a.clientHeight}; };
  const sight = (e) => {
    let box = cut(e.getBoundingClientRect(), {left: 0, top: 0, right: w.innerWidth, bottom: w.innerHeight});
    for (let a = e.parentElement; a && a !== d.body; a = a.parentElement) if (clips(a)) box = cut(box, inner(a));
    return box.right > box.left && box.bottom > box.top ? box : null; };
  const clipper = (e) => { let a = e.parentElement;
    while (a && a !== d.body && !(a instanceof w.HTMLElement && clips(a))) a = a.parentElement;
    return a; };"""
# The elements `arg` selects that are off screen (ids, or "none lit"), unless the box that
# scrolls them shows as much of them as fits: they and the selected weight (where every path
# starts) are together larger than the box, which shows them from the selected weight's end
# (flush with it) and nothing beyond them, along each axis where they are larger, and all of
# them along the others; the selected weight and some of them are in sight.
OFF_SCREEN = (
    SIGHT
    + """
  const els = [...d.querySelectorAll(arg)];
  if (!els.length) return ['none lit: ' + arg];
  const off = els.filter((e) => !sight(e))
    .map((e) => e.dataset.weight || e.dataset.neuron || e.id || e.tagName);
  const box = clipper(els[0]);
  if (!off.length || !box || els.some((e) => clipper(e) !== box)) return off;
  const start = d.querySelector("#diagram [data-role~='selected-weight']");
  const v = sight(box);
  if (!v || !start || !sight(start) || off.length === els.length) return off;
  const s = start.getBoundingClientRect();
  const u = [...els, start].map((e) => e.getBoundingClientRect()).reduce((a, b) => ({
    left: Math.min(a.left, b.left), top: Math.min(a.top, b.top),
    right: Math.max(a.right, b.right), bottom: Math.max(a.bottom, b.bottom)}));
  const fills = (lo, hi, vlo, vhi, slo, shi) => {
    if (hi - lo <= vhi - vlo + 1) return lo >= vlo - 1 && hi <= vhi + 1;
    const flush = slo + shi - lo - hi <= 0 ? Math.abs(vlo - lo) <= 2 : Math.abs(vhi - hi) <= 2;
    return flush && vlo >= lo - 1 && vhi <= hi + 1; };
  const larger = u.right - u.left > v.right - v.left + 1 || u.bottom - u.top > v.bottom - v.top + 1;
  const most = larger && fills(u.left, u.right, v.left, v.right, s.left, s.right)
    && fills(u.top, u.bottom, v.top, v.bottom, s.top, s.bottom);
  return most ? [] : off;"""
)
# The element `arg` selects scrolled to the middle of the window, and its centre in the page.
CENTRE = """const e = d.querySelector(arg);
  if (!e) throw new Error('no element ' + arg);
  e.scrollIntoView({block: 'center', inline: 'nearest'});
  const r = e.getBoundingClientRect();
  return {x: r.left + r.width / 2, y: r.top + r.height / 2};"""
# A point of the site's viewport as a point of the page's, the page scrolled (when the phone
# frame is taller than the window, as in Firefox's) so that the point is in the window.
IN_PAGE = """let g = w === window ? {left: 0, top: 0} : w.frameElement.getBoundingClientRect();
  const y = g.top + arg.y;
  if (y < 0 || y > window.innerHeight) {
    window.scrollBy(0, y - window.innerHeight / 2);
    g = w === window ? g : w.frameElement.getBoundingClientRect();
  }
  return {x: g.left + arg.x, y: g.top + arg.y};"""
RENDERED = "return Number(d.body.dataset.rendered || 0);"
# The diagram's box has stopped scrolling (a link scrolls it smoothly): still over two frames.
STILL = """const box = d.querySelector('#diagram').parentElement;
  const at = () => [box.scrollLeft, box.scrollTop].join();
  const was = at();
  await new Promise((r) => w.requestAnimationFrame(() => w.requestAnimationFrame(r)));
  return at() === was;"""
# The diagram's box (pinned at the top on narrow screens) whole within the window's viewport
# (1 px of rounding allowed), and the drawing in it: as much of it as the box holds, at least
# 50 px high, in sight (the drawing may be larger than the box, which then scrolls).
DIAGRAM_SHOWN = (
    SIGHT
    + """
  const svg = d.querySelector('#diagram');
  const b = svg.parentElement.getBoundingClientRect();
  const whole = b.top >= -1 && b.bottom <= w.innerHeight + 1 && b.left >= -1 && b.right <= w.innerWidth + 1;
  const s = sight(svg), r = svg.getBoundingClientRect(), box = svg.parentElement;
  return whole && !!s && s.bottom - s.top >= Math.min(50, r.height)
    && s.bottom - s.top >= Math.min(r.height, box.clientHeight) - 2
    && s.right - s.left >= Math.min(r.width, box.clientWidth) - 2;"""
)


class Site:
    """The site as a test reads it: in the page itself or in the page's phone frame."""

    def __init__(self, page, window: str) -> None:
        self.page = page
        self.window = window

    def run(self, body: str, arg=None):
        return self.page.evaluate(in_site(self.window, body), arg)

    def wait(self, body: str, arg=None, timeout_s: float = 30):
        return self.page.wait_for(in_site(self.window, body), arg, timeout_s=timeout_s)

    def api(self, call: str) -> None:
        """Call backpropExplorer (`call` uses `api`) and wait for its render."""
        before = self.run(RENDERED)
        self.run(f"const api = w.backpropExplorer; await {call};")
        self.wait(f"{RENDERED.replace('return ', 'return arg < ')}", before)

    def off_screen(self, selector: str) -> list[str]:
        """What `selector` lights off screen, once the page has had time to show it."""
        try:
            self.wait(
                f"const off = (() => {{ {OFF_SCREEN} }})(); return off.length === 0;",
                selector,
                timeout_s=5,
            )
        except EvaluateError:  # the waiter timed out: say what stays off screen
            return self.run(OFF_SCREEN, selector)
        return []

    def point(self, selector: str) -> dict:
        """The centre of `selector`, scrolled to the middle of the site's window, in the page."""
        return self.run(IN_PAGE, self.run(CENTRE, selector))

    def hover(self, selector: str) -> None:
        point = self.point(selector)
        self.page.hover(point["x"], point["y"])

    def touch(self, selector: str) -> None:
        """A mouse's hover where the page has one, else a finger's tap (which focuses): how a
        reader links a table entry to its connection (training-view.js)."""
        if self.run("return w.matchMedia('(hover: hover)').matches;"):
            self.hover(selector)
        else:
            point = self.point(selector)
            self.page.tap(point["x"], point["y"])

    def first_screen(self, what: str) -> None:
        self.run("w.scrollTo(0, 0);")
        try:
            self.wait(DIAGRAM_SHOWN, timeout_s=5)
        except EvaluateError:  # the waiter timed out: fail with the diagram's box
            box = self.run(
                "const r = d.querySelector('#diagram').parentElement.getBoundingClientRect();"
                " return [r.top, r.bottom, w.innerHeight];"
            )
            pytest.fail(f"{self.page.engine} {what}: the diagram is not on the first screen: {box}")


def open_site(engine, proxy, site_url: str, size: str) -> Site:
    if size == "phone":
        page = engine.new_page()
        page.goto(site_url + "test-pages/phone.html")
        page.wait_for(
            f"() => {FRAME}.backpropExplorer && {FRAME}.document.body.classList.contains('ready')",
            timeout_s=90,
        )
        site = Site(page, FRAME)
    else:
        page = checked_page(engine, proxy, site_url)
        width, height = SIZES[size]
        page.set_viewport(width, height)
        page.wait_for("(w) => innerWidth === w", width)
        site = Site(page, "window")
    assert site.run("return [w.innerWidth, w.innerHeight];") == list(SIZES[size])
    return site


def close_site(site: Site, proxy) -> None:
    problems = site.run("return w.bpxProblems || [];") if site.window == FRAME else []
    finish(site.page, proxy)
    assert problems == [], problems


@pytest.mark.parametrize("size", list(SIZES))
def test_every_link_lights_a_diagram_on_screen(engine, proxy, site_url, size) -> None:
    site = open_site(engine, proxy, site_url, size)
    where = f"{engine.name} {size}"
    # the first screen: the diagram, with a weight selected and Python's line on picking another
    site.first_screen("explorer")
    assert site.run("return w.backpropExplorer.getState().selected;") == {
        "layer": 1,
        "to": 2,
        "from": 1,
    }
    pick = site.run("return d.querySelector('#pick').textContent;")
    assert pick.endswith("Click or tap another connection to derive its gradient."), pick
    site.api("api.preset('deep')")  # w(1)1,1 selected: 9 paths, 6 rows in the table
    # explorer: hovering a path row, the table's last, lights its path on screen
    site.hover("#derivation table.paths tbody tr:nth-child(6)")
    assert site.off_screen("#diagram .hover-path") == [], f"{where}: explorer path row"
    # and pointing at a term of the formulas, the chain's sixth, lights its path on screen too
    site.hover("#derivation [data-term='5']")
    assert site.off_screen("#diagram .hover-path") == [], f"{where}: explorer formula term"

    # the State made in the site's own window (its JSON check refuses another window's objects)
    site.api('api.setState(w.JSON.parse(\'{"view": "training"}\'))')
    site.first_screen("training")
    site.api("api.step(1)")
    site.hover("#derivation table.paths tbody tr:nth-child(6)")
    assert site.off_screen("#diagram .hover-path") == [], f"{where}: training path row"
    checks = {
        "Weights cell": ("#weights-table td[data-weight='3-1-2']", "[data-role~='highlighted']"),
        "Weight-updates cell": (
            "#updates-table td[data-weight='4-1-3'][data-part='gradient']",
            "[data-role~='highlighted']",
        ),
    }
    for what, (source, lit) in checks.items():
        site.touch(source)
        assert site.off_screen(f"#diagram {lit}") == [], f"{where}: {what}"

    # keyboard focus in a table: the arrow keys move it, its connection lights on screen
    site.hover("#training-title")  # the mouse away from the tables and the diagram
    site.run("d.querySelector(\"#weights-table td[data-weight='1-1-1']\").focus();")
    site.page.press("ArrowDown")
    focused = site.wait(
        "const e = d.activeElement; return e.dataset.weight !== '1-1-1' && e.dataset.weight;"
    )
    assert focused == "1-2-1", where
    assert site.off_screen(f"#diagram [data-weight='{focused}'][data-role~='highlighted']") == [], (
        f"{where}: keyboard focus"
    )

    # a click on a connection, with the tables on screen: no jump, and its gradient is shown
    # (Python's line under the diagram) where the reader looks
    site.run("d.querySelector('#updates-table').scrollIntoView({block: 'center'});")
    scrolled = site.run("return w.scrollY;")
    site.wait(STILL)  # where the reader sees the connection is where it stays
    inner = site.run(f"return ({CLICK_POINT})(arg);".replace("document.", "d."), "2-1-2")
    assert inner is not None, f"{where}: connection 2-1-2 is not on screen beside the tables"
    before = site.run(RENDERED)
    point = site.run(IN_PAGE, inner)
    site.page.click(point["x"], point["y"])
    site.wait(RENDERED.replace("return ", "return arg < "), before)
    assert site.run("return w.backpropExplorer.getState().selected;") == {
        "layer": 2,
        "to": 1,
        "from": 2,
    }
    assert site.run("return w.scrollY;") == scrolled, f"{where}: the page moved"
    assert site.run("return d.querySelector('#pick').textContent;").startswith(PICK_W212)
    assert site.off_screen("#pick, #diagram [data-role~='selected-weight']") == [], (
        f"{where}: the clicked connection's gradient"
    )
    # the focus moved to a connection (as Tab moves it: scrolled into view by the browser) moves
    # the diagram's box, never the page
    site.run("d.querySelector(\"#diagram [data-weight='4-1-3']\").focus();")
    assert site.run("return d.activeElement.dataset.weight;") == "4-1-3", where
    assert site.run("return w.scrollY;") == scrolled, f"{where}: the page moved on focus"
    assert site.off_screen("#diagram [data-weight='4-1-3']") == [], f"{where}: focus"
    close_site(site, proxy)


def test_the_first_screen_at_1280x800_holds_the_diagram_and_a_typeset_derivation(
    engine, proxy, site_url
) -> None:
    page = checked_page(engine, proxy, site_url)
    page.set_viewport(1280, 800)
    page.wait_for("() => innerWidth === 1280")
    site = Site(page, "window")
    assert site.run("return w.innerHeight;") == 800
    site.first_screen("1280 x 800")
    formula = site.wait(
        "const m = d.querySelector('#derivation mjx-container svg');"
        " if (!m) return false; const r = m.getBoundingClientRect();"
        " return r.height > 0 && r.top >= 0 && r.bottom <= w.innerHeight && r.height;",
        timeout_s=10,
    )
    assert formula > 0
    finish(page, proxy)
