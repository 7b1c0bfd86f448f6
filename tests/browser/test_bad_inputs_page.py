"""The bad-input corpus (tests/bad_inputs.py) against the built site: typed into the form
fields, passed to the page API, pasted into the URL hash and posted by a host page. Each gets
the message reviewed in tests/golden/bad-inputs.jsonl where the user looks (#status, and next
to the field that caused it), and getState() is the same afterwards.

The corpus carries script and TeX payloads (<img onerror>, \\href{javascript:…}) in every text
path: none may run (no dialog, no new element, no javascript: link), and the guard of conftest
fails the test on any Content-Security-Policy violation, which any attempt to run one would be.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bad_inputs import XSS, Case, cases

from conftest import BOOT_TIMEOUT_MS, guard_context, wait_ready

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "bad-inputs.jsonl"
CONTROL = re.compile(r"[\x00-\x1f]")  # a text field drops newlines: those go through the API


def golden() -> dict[str, str]:
    lines = GOLDEN.read_text(encoding="utf-8").splitlines()
    return {(e := json.loads(line))["case"]: e["message"] for line in lines}


MESSAGES = golden()
CASES = cases()
TYPED_IN_EXPLORER = [
    c
    for c in CASES
    if c.channel == "edit"
    and (c.target in ("input[0]", "input[1]", "target[0]") or c.target.startswith("weights"))
    and not CONTROL.search(c.value)
    and not MESSAGES[c.key()].endswith("does not exist in this network")
]
TYPED_LAYERS = [c for c in CASES if c.channel == "edit" and c.target == "layers"]
TYPED_RATE = [c for c in CASES if c.channel == "edit" and c.target == "learningRate"]
TYPED = {c.key() for c in TYPED_IN_EXPLORER + TYPED_LAYERS + TYPED_RATE}
API_OPS = {"step", "select", "preset", "restoreSeed", "edit", "setState"}
THROUGH_API = [
    c
    for c in CASES
    if c.key() not in TYPED
    and (c.channel in ("edit", "setState") or (c.channel == "op" and c.target in API_OPS))
]
LINKS = [c for c in CASES if c.channel == "link"]

# Calls every API case in the page and returns each error message (or "accepted").
RUN_API = """async (cases) => {
  const api = window.backpropExplorer;
  const out = [];
  for (const [channel, target, value] of cases) {
    let call;
    if (channel === "edit") call = () => api.edit(target, value);
    else if (channel === "setState") call = () => api.setState(value);
    else if (target === "step") call = () => api.step(value.n);
    else if (target === "select") call = () => api.select(value.selection);
    else if (target === "preset") call = () => api.preset(value.name);
    else if (target === "restoreSeed") call = () => api.restoreSeed();
    else if (target === "edit") call = () => api.edit(value.field, value.text);
    else if (target === "setState") call = () => api.setState(value.partial);
    try {
      await call();
      out.push("accepted");
    } catch (err) {
      out.push(err.message);
    }
  }
  return out;
}"""


def no_script_ran(page) -> None:
    """None of the payloads became markup or a link, and nothing opened a dialog."""
    assert page.dialogs == []
    found = page.evaluate(
        """() => ({
          images: document.querySelectorAll('img[src="x"], img[src$="/x"]').length,
          links: document.querySelectorAll('[href^="javascript:" i]').length,
          scripts: [...document.scripts].filter((s) => s.textContent.includes("alert(1)")).length,
        })"""
    )
    assert found == {"images": 0, "links": 0, "scripts": 0}


@pytest.fixture
def page_with_guard(browser, site_url):
    """A fresh booted page that records dialogs; checks requests, CSP and errors at the end."""
    context = browser.new_context()
    guard = guard_context(context)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(site_url)
    wait_ready(page)
    yield page
    no_script_ran(page)
    context.close()
    guard.check()
    assert errors == [], f"uncaught page errors: {errors}"


def type_cases(page, cases: list[Case], selector, submit: str) -> None:
    """Type each case's text into its field and check #status, the field's own message and
    the State. `selector(case)` finds the field; `submit` is the key that sends it."""
    state = page.evaluate("backpropExplorer.getState()")
    status = page.locator("#status")
    for case in cases:
        message = MESSAGES[case.key()]
        field = page.locator(selector(case))
        page.evaluate("document.querySelector('#status').textContent = ''")
        field.fill(case.value)
        assert field.input_value() == case.value
        field.press(submit)
        page.wait_for_function(
            "(m) => document.querySelector('#status').textContent === m", arg=message
        )
        assert status.is_visible(), case.key()
        assert field.get_attribute("aria-invalid") == "true", case.key()
        slots = field.get_attribute("aria-describedby").split()
        shown = [page.locator(f"[id='{s}']").text_content() for s in slots]
        assert message in shown, (case.key(), shown)  # the field's own message, word for word
        assert page.evaluate("backpropExplorer.getState()") == state, case.key()


def test_bad_numbers_typed_into_the_explorer_fields(page_with_guard) -> None:
    page = page_with_guard
    assert len(TYPED_IN_EXPLORER) >= 150

    def selector(case: Case) -> str:
        return f"#numbers [data-field='{case.target}']"

    type_cases(page, TYPED_IN_EXPLORER, selector, "Enter")


def test_bad_topologies_and_learning_rates_typed_into_their_fields(page_with_guard) -> None:
    page = page_with_guard
    type_cases(page, TYPED_LAYERS, lambda case: "#layers-field", "Enter")
    page.evaluate("backpropExplorer.setState({view: 'training'})")
    page.locator("[data-field='learningRate']").wait_for(state="visible")
    type_cases(page, TYPED_RATE, lambda case: "[data-field='learningRate']", "Enter")


def test_bad_input_through_the_api_is_refused_with_its_message(page_with_guard) -> None:
    page = page_with_guard
    state = page.evaluate("backpropExplorer.getState()")
    got = page.evaluate(RUN_API, [[c.channel, c.target, c.value] for c in THROUGH_API])
    want = [MESSAGES[c.key()] for c in THROUGH_API]
    mismatched = [(c.key(), g, w) for c, g, w in zip(THROUGH_API, got, want, strict=True) if g != w]
    assert mismatched == []
    assert page.evaluate("backpropExplorer.getState()") == state
    # The last refusal is on screen.
    assert page.locator("#status").text_content() == want[-1]


def test_values_that_are_not_plain_data_are_named(page_with_guard) -> None:
    page = page_with_guard
    state = page.evaluate("backpropExplorer.getState()")
    got = page.evaluate(
        """async () => {
          const api = window.backpropExplorer;
          const cyclic = {}; cyclic.self = cyclic;
          const tries = [
            () => api.setState({input: [1, undefined]}),
            () => api.setState({input: [1, () => 2]}),
            () => api.setState({seed: 10n}),
            () => api.setState({input: [new Date(0), 1]}),
            () => api.setState({selected: cyclic}),
            () => api.setState({layers: new Map()}),
            () => api.select({layer: 1, to: 1, from: Symbol("x")}),
          ];
          const out = [];
          for (const t of tries) {
            try { await t(); out.push("accepted"); } catch (err) { out.push(err.message); }
          }
          return out;
        }"""
    )
    plain = "not plain data (numbers, text, true/false, null, lists and objects)"
    assert got == [
        f"setState: partial.input[1] is undefined, {plain}",
        f"setState: partial.input[1] is a function, {plain}",
        f"setState: partial.seed is a BigInt, {plain}",
        f"setState: partial.input[0] is a Date, {plain}",
        f"setState: partial.selected.self contains itself, so it is {plain}",
        f"setState: partial.layers is a Map, {plain}",
        f"select: selection.from is a symbol, {plain}",
    ]
    assert page.evaluate("backpropExplorer.getState()") == state


def test_broken_links_pasted_into_an_open_page_keep_its_network(page_with_guard) -> None:
    page = page_with_guard
    page.evaluate("backpropExplorer.preset('deep')")
    state = page.evaluate("backpropExplorer.getState()")
    shown_link = "() => new URLSearchParams(location.hash.slice(1)).get('state')"
    good = page.evaluate(shown_link)
    status = page.locator("#status")
    for case in LINKS:
        message = MESSAGES[case.key()]
        page.evaluate("document.querySelector('#status').textContent = ''")
        page.evaluate(
            "(link) => { location.hash = 'state=' + encodeURIComponent(link) }", case.value
        )
        page.wait_for_function(
            "(m) => document.querySelector('#status').textContent === m", arg=message
        )
        assert status.is_visible()
        assert page.evaluate("backpropExplorer.getState()") == state, case.key()
        # The address shows the network on screen again, not the broken link.
        assert page.evaluate(shown_link) == good


@pytest.mark.parametrize("link", [XSS[0], "v1.AAAA"])
def test_a_page_opened_with_a_broken_link_shows_the_default_network(browser, site_url, link):
    context = browser.new_context()
    guard = guard_context(context)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto(f"{site_url}#state={link}")
    wait_ready(page)
    notice = page.locator("#status")
    notice.wait_for(state="visible", timeout=BOOT_TIMEOUT_MS)
    problem = 'the link\'s state does not start with "v1." (made by another version?)'
    if link.startswith("v1."):
        problem = "the link is damaged (its state cannot be read); was it cut short?"
    assert notice.text_content() == (
        f"This link could not be opened ({problem}). Showing the default network."
    )
    assert page.evaluate("backpropExplorer.getState().layers") == [2, 3, 1]
    no_script_ran(page)
    context.close()
    guard.check()
