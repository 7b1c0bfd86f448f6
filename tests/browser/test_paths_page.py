"""Every gradient path in the built site: "Show all N paths", paging through a 4096-path
network to its last row, rows that light their path, the product column in view at 1280 px
and the rows as stacked blocks at 360 px."""

from __future__ import annotations

import itertools

import pytest
from test_explorer_page import apply_preset, rendered, wait_render

from backprop_explorer import gradient_paths
from conftest import booted_page

ROWS = "#derivation table.paths tbody tr[data-path]"
LIT = """() => [...document.querySelectorAll('#diagram .hover-path')]
  .map((e) => e.dataset.neuron ?? e.dataset.weight).sort()"""


def select(page, layer: int, to: int, frm: int) -> None:
    before = rendered(page)
    page.evaluate(f"backpropExplorer.select({{layer: {layer}, to: {to}, from: {frm}}})")
    wait_render(page, before)
    page.locator(ROWS).first.wait_for()


def lit_ids(path: list[list[int]]) -> list[str]:
    """The neurons of a path and its connections after the selected weight, as the page marks them."""
    neurons = [f"{l}-{j}" for l, j in path]
    edges = [f"{b[0]}-{b[1]}-{a[1]}" for a, b in itertools.pairwise(path)]
    return sorted(neurons + edges)


def show_all(page, label: str) -> None:
    button = page.get_by_role("button", name=label, exact=True)
    button.click()
    page.locator(".path-pages .path-page-text:not(:empty)").wait_for()


def test_show_all_reaches_every_deep_path_and_each_row_lights_its_path(explorer) -> None:
    apply_preset(explorer, "deep")
    select(explorer, 1, 2, 1)
    rows = explorer.locator(ROWS)
    assert rows.count() == 6
    assert explorer.locator("#derivation tr.more").text_content() == "⋮  3 more paths"
    show_all(explorer, "Show all 9 paths")
    assert explorer.locator(".path-pages .path-page-text").text_content() == "All 9 paths"
    assert rows.count() == 9
    assert [rows.nth(i).get_attribute("data-path") for i in range(9)] == [str(i) for i in range(9)]
    assert explorer.locator("#derivation tr.more").count() == 0
    pages = explorer.locator(".path-pages button:visible")
    assert pages.count() == 0  # one page: no Previous/Next, and Show all is done
    paths = list(gradient_paths([2, 3, 3, 3, 1], 1, 2))
    last = rows.nth(8)
    assert last.locator("th").text_content() == "m = 3, p = 3, q = 1"
    last.hover()
    assert explorer.evaluate(LIT) == lit_ids(paths[8])
    rows.nth(7).hover()
    assert explorer.evaluate(LIT) == lit_ids(paths[7])
    explorer.mouse.move(1, 1)
    assert explorer.evaluate(LIT) == []


def test_a_4096_path_network_pages_to_its_last_row(explorer) -> None:
    layers = [2, 8, 8, 8, 8, 8, 1]
    before = rendered(explorer)
    explorer.evaluate(f"backpropExplorer.setState({{layers: {layers}}})")
    wait_render(explorer, before)
    select(explorer, 1, 1, 1)
    show_all(explorer, "Show all 4096 paths, 100 a page")
    text = explorer.locator(".path-pages .path-page-text")
    rows = explorer.locator(ROWS)
    assert text.text_content() == "Paths 1–100 of 4096" and rows.count() == 100
    previous = explorer.get_by_role("button", name="Previous 100 paths")
    assert previous.is_hidden()
    following = explorer.get_by_role("button", name="Next 100 paths")
    following.click()
    explorer.wait_for_function(
        "() => document.querySelector('.path-page-text').textContent === 'Paths 101–200 of 4096'"
    )
    assert rows.first.get_attribute("data-path") == "100"
    # on with the keyboard: the focus stays on Next
    assert explorer.evaluate("document.activeElement.textContent") == "Next 100 paths"
    for page in range(3, 41):
        explorer.keyboard.press("Enter")
        want = f"Paths {(page - 1) * 100 + 1}–{page * 100} of 4096"
        explorer.wait_for_function(
            "(m) => document.querySelector('.path-page-text').textContent === m", arg=want
        )
    explorer.get_by_role("button", name="Next 96 paths").click()
    explorer.wait_for_function(
        "() => document.querySelector('.path-page-text').textContent === 'Paths 4001–4096 of 4096'"
    )
    assert rows.count() == 96 and rows.last.get_attribute("data-path") == "4095"
    assert explorer.locator(".path-pages button:visible").all_text_contents() == [
        "Previous 100 paths"
    ]
    last_path = list(gradient_paths(layers, 1, 1))[-1]
    assert rows.last.locator("th").text_content() == "m = 8, p = 8, q = 8, r = 8, s = 1"
    rows.last.scroll_into_view_if_needed()
    rows.last.hover()
    assert explorer.evaluate(LIT) == lit_ids(last_path)


def product_box(page) -> dict:
    return page.evaluate(
        """() => {
          const cell = document.querySelector('#derivation tr[data-path="0"] td.product');
          // the reader's view: the table's box at its start, the row in the middle of the window
          // (no scrollIntoView: it would scroll the table sideways to the cell)
          cell.closest('.math').scrollLeft = 0;
          window.scrollBy(0, cell.getBoundingClientRect().top - innerHeight / 2);
          const box = cell.getBoundingClientRect();
          const scroller = cell.closest('.math').getBoundingClientRect();
          return {left: box.left, right: box.right, top: box.top, bottom: box.bottom,
                  boxRight: scroller.right, width: innerWidth, height: innerHeight,
                  scrollX: document.scrollingElement.scrollWidth - innerWidth,
                  display: getComputedStyle(cell.parentElement).display};
        }"""
    )


@pytest.mark.parametrize("width", [1024, 1280])
def test_the_product_is_in_view_without_scrolling_sideways(browser, site_url, width) -> None:
    with booted_page(browser, site_url, viewport={"width": width, "height": 900}) as page:
        apply_preset(page, "deep")
        select(page, 1, 1, 1)
        box = product_box(page)
        assert box["display"] == "table-row"
        assert 0 <= box["left"] < box["right"] <= min(box["width"], box["boxRight"] + 0.5), box
        assert 0 <= box["top"] < box["bottom"] <= box["height"], box
        assert box["scrollX"] == 0


def test_a_phone_shows_each_path_as_a_block_that_a_tap_lights(browser, site_url) -> None:
    options = {"has_touch": True, "is_mobile": True, "viewport": {"width": 360, "height": 740}}
    with booted_page(browser, site_url, **options) as page:
        apply_preset(page, "deep")
        select(page, 1, 1, 1)
        box = product_box(page)
        assert box["display"] == "block", box
        assert 0 <= box["left"] < box["right"] <= box["width"], box
        assert box["scrollX"] == 0
        row = page.locator(ROWS).nth(2)
        text = row.inner_text()
        assert text.startswith("m = 1, p = 3, q = 1") and " × " in text and "= " in text
        row.scroll_into_view_if_needed()
        rect = row.bounding_box()
        page.touchscreen.tap(rect["x"] + rect["width"] / 2, rect["y"] + rect["height"] / 2)
        paths = list(gradient_paths([2, 3, 3, 3, 1], 1, 1))
        page.wait_for_function("() => document.querySelectorAll('#diagram .hover-path').length > 0")
        assert page.evaluate(LIT) == lit_ids(paths[2])
