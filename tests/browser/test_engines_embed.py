"""Authors' options in every engine (issue 15 item 7): controls=none hides the controls,
present=1 enlarges the type, select= and notation= from the link choose what opens."""

from __future__ import annotations

from across import checked_page, finish

CONTROLS_SHOWN = "() => [...document.querySelectorAll('[data-control]')].filter((e) => e.getClientRects().length > 0).length"
H2_SIZE = "() => parseFloat(getComputedStyle(document.querySelector('h2')).fontSize)"


def test_controls_none_hides_every_control(engine, proxy, site_url) -> None:
    page = checked_page(
        engine, proxy, site_url + "#embed=1&panels=diagram,derivation&controls=none"
    )
    assert page.evaluate(CONTROLS_SHOWN) == 0, engine.name
    assert page.evaluate("() => document.querySelector('#diagram .edge') !== null")
    finish(page, proxy)


def test_present_1_enlarges_the_type(engine, proxy, site_url) -> None:
    page = checked_page(engine, proxy, site_url)
    plain = page.evaluate(H2_SIZE)
    finish(page, proxy)
    page = checked_page(engine, proxy, site_url + "#present=1")
    page.wait_for("() => document.documentElement.classList.contains('present')")
    assert page.evaluate(H2_SIZE) >= 1.4 * plain, engine.name
    finish(page, proxy)


def test_select_and_notation_from_the_link(engine, proxy, site_url) -> None:
    page = checked_page(engine, proxy, site_url + "#select=2-1-3&notation=vector")
    page.wait_for("() => backpropExplorer.getState().selected !== null")
    assert page.evaluate("() => backpropExplorer.getState().selected") == {
        "layer": 2,
        "to": 1,
        "from": 3,
    }
    assert page.evaluate(
        "() => document.querySelector('input[name=notation][value=vector]').checked"
    )
    selected = (
        "() => document.querySelector(\"#diagram [data-role~='selected-weight']\").dataset.weight"
    )
    assert page.evaluate(selected) == "2-1-3", engine.name
    finish(page, proxy)
