"""Authors' options in the built site (issue 15 item 7): controls=, select=, notation=,
present= and the height an embed reports to its host (Chromium)."""

from __future__ import annotations

from conftest import BOOT_TIMEOUT_MS, booted_page

# px; the example's first embed grew to 2,240 px before. Its derivation since gained the
# page-only "Chain, one term per path" step (1,548 px measured) and the forward pass with
# numbers before BP1 (1,919 px measured).
EXAMPLE_HEIGHT_BOUND = 2000


def test_controls_settings_keeps_settings_and_notation_only(browser, site_url) -> None:
    url = site_url + "#embed=1&panels=diagram,derivation&controls=settings&select=1-2-1"
    with booted_page(browser, url) as page:
        assert page.locator("#settings").is_visible()
        assert page.locator("fieldset.notation").is_visible()
        for hidden in (
            "#presets",
            "#custom-topology",
            "#export-svg",
            "#export-latex",
            "#selected-editor",
            "#present-button",
        ):
            assert page.locator(hidden).is_hidden(), hidden
        assert page.locator("#status").is_hidden()


def test_an_unknown_controls_value_is_named_and_all_show(browser, site_url) -> None:
    with booted_page(browser, site_url + "#embed=1&panels=diagram&controls=few") as page:
        assert page.locator("#status").text_content() == (
            'Unknown controls "few" ignored: showing all controls (choose none, settings or all).'
        )
        assert page.locator("#presets").is_visible() and page.locator("#export-svg").is_visible()


def test_select_and_notation_from_the_link_in_the_full_page(browser, site_url) -> None:
    with booted_page(browser, site_url + "#select=2-1-3&notation=vector") as page:
        assert page.evaluate("backpropExplorer.getState().selected") == {
            "layer": 2,
            "to": 1,
            "from": 3,
        }
        assert page.locator("input[name=notation][value=vector]").is_checked()
        selected = page.locator("#diagram [data-role~='selected-weight']")
        assert selected.get_attribute("data-weight") == "2-1-3"
        hash_ = page.evaluate("location.hash")
        assert "select=" not in hash_ and "state=v1." in hash_  # the State carries them now


def test_a_bad_select_is_named_and_the_rest_opens(browser, site_url) -> None:
    with booted_page(browser, site_url + "#select=1-2-3&notation=einstein") as page:
        assert page.locator("#status").text_content() == (
            "The link's select=1-2-3 was not applied: Selected weight: this 2-3-1 network has no"
            " weight w(1)2,3: in layer 1, j goes from 1 to 3 and k from 1 to 2."
        )
        assert page.evaluate("backpropExplorer.getState().notation") == "einstein"


def test_presentation_mode_button_and_escape(browser, site_url) -> None:
    with booted_page(browser, site_url, viewport={"width": 1280, "height": 900}) as page:
        button = page.locator("#present-button")
        assert button.text_content() == "Presentation mode"
        assert button.get_attribute("aria-pressed") == "false"
        size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('h2')).fontSize)")
        button.click()
        assert button.get_attribute("aria-pressed") == "true"
        assert "present=1" in page.evaluate("location.hash")
        big = page.evaluate("parseFloat(getComputedStyle(document.querySelector('h2')).fontSize)")
        assert big >= 1.4 * size
        page.keyboard.press("Escape")
        assert button.get_attribute("aria-pressed") == "false"
        assert "present=1" not in page.evaluate("location.hash")


def test_present_1_opens_an_embed_in_presentation_mode(browser, site_url) -> None:
    with booted_page(browser, site_url + "#embed=1&panels=diagram&present=1") as page:
        assert page.evaluate("document.documentElement.classList.contains('present')")
        assert page.locator("#present-button").is_visible()  # controls=all keeps the button
        width = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('#diagram .edge-line')).strokeWidth)"
        )
        assert width >= 5


def test_the_example_embed_is_compact_and_reports_its_content_height(browser, site_url) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{site_url}embed-example.html")
    page.wait_for_function("() => window.embeds", timeout=BOOT_TIMEOUT_MS)
    page.evaluate("Promise.all([embeds.left.ready, embeds.right.ready])")
    page.locator("#left-select").click()
    page.locator("#left-out", has_text="path").wait_for()
    inner = page.frames[1]
    content = inner.evaluate(
        "() => Math.ceil(document.body.getBoundingClientRect().height + 2 * parseFloat(getComputedStyle(document.body).marginTop))"
    )
    page.wait_for_function(
        "(h) => Math.abs(document.getElementById('left').getBoundingClientRect().height - 2 - h) <= 1",
        arg=content,
    )
    height = page.evaluate("document.getElementById('left').getBoundingClientRect().height")
    assert height <= EXAMPLE_HEIGHT_BOUND
    boxes = inner.evaluate(
        "[...document.querySelectorAll('.panel:not(.panel-off)')].map(p => p.getBoundingClientRect().top)"
    )
    assert len(boxes) == 2 and boxes[0] == boxes[1]  # side by side
    context.close()
