"""The build's iPad patch of Pyodide (sitebuild/runtime_patch.py, as pyodide#5695): the patched
test, run in Node with fake navigators, skips wasm-gc on iPads, iPhones and iPods and nowhere
else; the built site and the single file carry it; the build refuses a runtime it does not fit."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from test_single_file_build import parse, unpack

from sitebuild.project import DIST, BuildError
from sitebuild.runtime import pyodide_dir
from sitebuild.runtime_patch import ORIGINAL, PATCHED, patch_ipad_detection
from sitebuild.singlefile import SINGLE_FILE

DETECT = Path(__file__).with_name("detect_ios.mjs")
FUNCTION = re.compile(r"function getPyEMCountArgsPtr\(\)\{.*?\}(?=addOnPreRun\()", re.S)
MAC_SAFARI = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.5 Safari/605.1.15"
)
IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1"
)
# (case, navigator or None for none, wasm-gc skipped)
CASES = [
    (
        "iPad (iPadOS Safari)",
        {"platform": "MacIntel", "maxTouchPoints": 5, "userAgent": MAC_SAFARI},
        True,
    ),
    ("Mac (Safari)", {"platform": "MacIntel", "maxTouchPoints": 0, "userAgent": MAC_SAFARI}, False),
    ("iPhone", {"platform": "iPhone", "maxTouchPoints": 5, "userAgent": IPHONE_SAFARI}, True),
    ("iPhone, platform alone", {"platform": "iPhone"}, True),
    (
        "iPad, user agent alone",
        {"userAgent": "Mozilla/5.0 (iPad; CPU OS 12_5 like Mac OS X)"},
        True,
    ),
    ("touch laptop", {"platform": "Win32", "maxTouchPoints": 10, "userAgent": "Windows"}, False),
    ("Node (no navigator)", None, False),
]


def detect(function: str) -> list[dict]:
    """What getPyEMCountArgsPtr (its source) does for each case's navigator, run in Node."""
    navigators = json.dumps([navigator for _, navigator, _ in CASES])
    result = subprocess.run(
        ["node", str(DETECT), navigators],
        input=function,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout)


def function_of(js: str) -> str:
    """The source of getPyEMCountArgsPtr in a pyodide.asm.js."""
    found = FUNCTION.findall(js)
    assert len(found) == 1, "one getPyEMCountArgsPtr in pyodide.asm.js"
    return found[0]


@pytest.fixture(scope="module")
def built() -> str:
    """dist/pyodide/pyodide.asm.js as the build wrote it."""
    return (DIST / "pyodide" / "pyodide.asm.js").read_text(encoding="utf-8")


def test_the_built_runtime_skips_wasm_gc_on_ios_devices_only(built) -> None:
    results = detect(function_of(built))
    for (case, _, skipped), got in zip(CASES, results, strict=True):
        if skipped:  # returns 0 (the JavaScript trampoline) before compiling anything
            assert got == {"returned": 0, "compiled": 0}, case
        else:  # compiles the wasm-gc trampoline and returns its function pointer
            assert got == {"returned": 42, "compiled": 1}, case


def test_the_unpatched_runtime_misses_the_ipad() -> None:
    """The bug the patch fixes, seen by the same harness: Pyodide 0.27.7 as published compiles
    the wasm-gc trampoline on an iPad."""
    original = (pyodide_dir() / "pyodide.asm.js").read_text(encoding="utf-8")
    results = dict(zip([case for case, _, _ in CASES], detect(function_of(original)), strict=True))
    assert results["iPad (iPadOS Safari)"] == {"returned": 42, "compiled": 1}
    assert results["iPhone"] == {"returned": 0, "compiled": 0}


def test_the_served_site_and_the_single_file_carry_the_patch(built) -> None:
    assert built.count(PATCHED) == 1 and ORIGINAL not in built
    page = (DIST / SINGLE_FILE).read_text(encoding="utf-8")
    python = unpack(parse(page).assets["python.js"]).decode()
    assert python.count(PATCHED) == 1 and ORIGINAL not in python


def test_the_patch_changes_only_the_isios_test() -> None:
    original = (pyodide_dir() / "pyodide.asm.js").read_bytes()
    patched = patch_ipad_detection(original)
    at = original.index(ORIGINAL.encode())
    assert patched[:at] == original[:at]
    assert patched[at + len(PATCHED.encode()) :] == original[at + len(ORIGINAL.encode()) :]


@pytest.mark.parametrize("times", [0, 2])
def test_the_build_fails_unless_the_text_to_patch_is_there_once(times: int) -> None:
    js = b"function getPyEMCountArgsPtr(){" + ORIGINAL.encode() * times + b"}"
    with pytest.raises(BuildError, match=f"expects its text once, found it {times} times"):
        patch_ipad_detection(js)
