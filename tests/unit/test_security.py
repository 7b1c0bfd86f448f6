"""Static checks of what the browser tests cannot see: our JavaScript builds no markup from
strings and evaluates no code (the policy every built page carries: tests/site/test_csp.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OUR_JS = sorted(
    [*(ROOT / "web").rglob("*.js"), *(ROOT / "single-file").glob("*.js"), ROOT / "web/embed.js"]
)
FORBIDDEN = {
    "innerHTML": r"\.innerHTML\b",
    "outerHTML": r"\.outerHTML\b",
    "insertAdjacentHTML": r"insertAdjacentHTML",
    "document.write": r"document\.write",
    "eval": r"(?<![\w.])eval\s*\(",
    "new Function": r"new\s+Function\b",
    "setTimeout with a string": r"set(?:Timeout|Interval)\(\s*[\"'`]",
    "javascript: URL": r"javascript:",
}


@pytest.mark.parametrize("path", OUR_JS, ids=lambda p: str(p.relative_to(ROOT)))
def test_our_javascript_builds_no_markup_from_strings_and_evaluates_no_code(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = [name for name, pattern in FORBIDDEN.items() if re.search(pattern, text)]
    assert found == []


def test_page_predicates_in_tests_and_benchmarks_are_functions() -> None:
    """Playwright polls a string predicate with eval, which the page's CSP refuses."""
    calls = re.compile(r"wait_for_function\(\s*f?(\"|')(?!\(\w*\) =>|\(\) =>|\(\[)")
    files = [*(ROOT / "tests").rglob("*.py"), *(ROOT / "bench").rglob("*.py")]
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in files
        for match in calls.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
