"""Steps shared by the cross-engine tests (a tests/engines Page in each engine): open a booted
page and check it at the end, act and wait for the render, click a connection, apply a preset.

The fixtures that give them an engine (`proxy`, `engine`, `tab`) are in conftest.py.
"""

from __future__ import annotations

RENDERED = "() => Number(document.body.dataset.rendered || 0)"
CLICK_POINT = """(id) => {
  // A point on the connection whose topmost element is that connection: a real user's click.
  const g = document.querySelector(`#diagram [data-weight="${id}"]`);
  const line = g.querySelector('line');
  const m = line.getScreenCTM();
  const p = (x, y) => ({x: m.a * x + m.c * y + m.e, y: m.b * x + m.d * y + m.f});
  const a = p(+line.getAttribute('x1'), +line.getAttribute('y1'));
  const b = p(+line.getAttribute('x2'), +line.getAttribute('y2'));
  // whole CSS pixels: a driver may round a pointer's position (Firefox's BiDi truncates), and
  // where connections' click bands overlap, a pixel decides which one is on top
  for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.15, 0.85]) {
    const x = Math.round(a.x + t * (b.x - a.x)), y = Math.round(a.y + t * (b.y - a.y));
    if (document.elementFromPoint(x, y)?.closest('[data-weight]') === g) return {x, y};
  }
  return null;
}"""


def checked_page(engine, proxy, url: str):
    """A new page of `engine` at `url`, booted; the caller closes it with `finish`."""
    page = engine.new_page()
    try:
        page.goto(url)
        page.wait_ready()
    except BaseException:
        page.close()  # WebKitWebDriver holds one session at a time: free it for the next test
        raise
    return page


def finish(page, proxy) -> None:
    problems = page.problems()
    page.close()
    assert problems == [], f"{page.engine}: {problems}"
    assert proxy.take() == [], f"{page.engine}: requests tried to leave 127.0.0.1"


def act_and_render(page, act) -> None:
    """Do `act()` (a click, a key) and wait for the render it causes."""
    before = page.evaluate(RENDERED)
    act()
    page.wait_for(f"(n) => ({RENDERED})() > n", before)


def click_connection(page, edge_id: str) -> None:
    page.evaluate(
        "(id) => document.querySelector(`#diagram [data-weight='${id}']`)"
        ".scrollIntoView({block: 'center', inline: 'center'})",
        edge_id,
    )
    point = page.evaluate(CLICK_POINT, edge_id)
    assert point is not None, f"{page.engine}: connection {edge_id} has no visible point"
    act_and_render(page, lambda: page.click(point["x"], point["y"]))


def apply_preset(page, name: str) -> None:
    act_and_render(page, lambda: page.click_element(f"#presets [data-preset='{name}']"))
