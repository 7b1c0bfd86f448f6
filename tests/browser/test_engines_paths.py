"""Every gradient path reachable, in every engine (issue 15 item 3): "Show all N paths" lists
Deep's 9 rows, and a 4096-path network pages with real clicks on Next to its last row, whose
rows are CPython's, page by page, at 1280 x 900.
"""

from __future__ import annotations

import pytest
from across import act_and_render, apply_preset, checked_page, finish

from backprop_explorer import Session

ROWS = "#derivation table.paths tbody tr[data-path]"
PAGE_TEXT = "() => document.querySelector('.path-pages .path-page-text')?.textContent || ''"


def press(page, label: str) -> None:
    """A real click on the shown button labelled `label`; wait for the page it brings."""
    point = page.evaluate(
        "(label) => { const b = [...document.querySelectorAll('#derivation .path-pages button')]"
        ".find((e) => !e.hidden && e.textContent === label); if (!b) return null;"
        " b.scrollIntoView({block: 'center'}); const r = b.getBoundingClientRect();"
        " return {x: r.left + r.width / 2, y: r.top + r.height / 2}; }",
        label,
    )
    assert point is not None, f"{page.engine}: no button {label!r}"
    before = page.evaluate(PAGE_TEXT)
    page.click(point["x"], point["y"])
    page.wait_for(f"(b) => ({PAGE_TEXT})() !== b", before)


@pytest.fixture
def wide(engine, proxy, site_url):
    page = checked_page(engine, proxy, site_url)
    page.set_viewport(1280, 900)
    yield page
    finish(page, proxy)


def rows(page) -> list[str]:
    return page.evaluate(
        f"() => [...document.querySelectorAll('{ROWS} th')].map((e) => e.textContent)"
    )


def test_show_all_lists_every_deep_path(wide) -> None:
    apply_preset(wide, "deep")
    act_and_render(
        wide, lambda: wide.evaluate("() => backpropExplorer.select({layer: 1, to: 2, from: 1})")
    )
    assert len(rows(wide)) == 6
    press(wide, "Show all 9 paths")
    assert wide.evaluate(PAGE_TEXT) == "All 9 paths"
    assert len(rows(wide)) == 9


def test_a_4096_path_network_pages_to_its_last_row(wide) -> None:
    layers = [2, 8, 8, 8, 8, 8, 1]
    act_and_render(
        wide,
        lambda: wide.evaluate(
            f"() => backpropExplorer.setState({{layers: {layers},"
            " selected: {layer: 1, to: 1, from: 1}})"
        ),
    )
    session = Session({"layers": layers, "selected": {"layer": 1, "to": 1, "from": 1}})
    press(wide, "Show all 4096 paths, 100 a page")
    for n in range(1, 42):  # page n on screen, as Python words it; then its Next
        want = session.path_page(n)
        assert wide.evaluate(PAGE_TEXT) == want["text"]
        assert rows(wide) == [row["label"] for row in want["rows"]]
        if want["next"] is not None:
            press(wide, want["next"])
    assert wide.evaluate(PAGE_TEXT) == "Paths 4001–4096 of 4096"
