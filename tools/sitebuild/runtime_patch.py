"""The one change the build makes to the vendored Pyodide: iPads detected as iOS for wasm-gc.

Pyodide 0.27.7's `pyodide.asm.js` turns the wasm-gc call trampoline off on iOS, whose WebKit
breaks it (pyodide#5445), by testing `navigator.platform` for "iPad", "iPhone" or "iPod". But
Safari on iPadOS 13 and later reports the platform "MacIntel", like a Mac, so on an iPad the
trampoline stays on and `loadPyodide` crashes (pyodide#5670). Upstream fixed the test in
CPython (gh-135388, Python/emscripten_trampoline.c) and Pyodide 0.28.0 (pyodide#5695): a
"MacIntel" platform with more than one touch point is an iPad (a Mac has none). No Pyodide with
that fix has a numpy wheel we can obtain, so the build applies the same test here.

Our replacement keeps the old test and adds upstream's two: the user agent names an iOS device,
or the platform is "MacIntel" and `navigator.maxTouchPoints > 1`. The build fails when the old
text is not found exactly once (another Pyodide: look whether it still needs the patch).
"""

from __future__ import annotations

from pathlib import Path

from sitebuild.project import BuildError, log

PATCHED_FILE = "pyodide.asm.js"
ORIGINAL = "let isIOS=globalThis.navigator&&/iPad|iPhone|iPod/.test(navigator.platform);"
PATCHED = (
    "let isIOS=globalThis.navigator&&("
    "/iPad|iPhone|iPod/.test(navigator.platform)||"
    "/iPad|iPhone|iPod/.test(navigator.userAgent)||"
    "/* iPadOS says MacIntel: Backprop Explorer's build, as pyodide#5695 */"
    'navigator.platform==="MacIntel"&&navigator.maxTouchPoints>1);'
)


def patch_ipad_detection(js: bytes) -> bytes:
    """pyodide.asm.js with the iPad-aware isIOS test; BuildError unless the original test is
    there exactly once."""
    original, patched = ORIGINAL.encode(), PATCHED.encode()
    found = js.count(original)
    if found != 1:
        raise BuildError(
            f"{PATCHED_FILE}: the iPad patch (sitebuild/runtime_patch.py) expects its text once, "
            f"found it {found} times: {ORIGINAL}"
        )
    out = js.replace(original, patched)
    if out.count(patched) != 1:
        raise BuildError(f"{PATCHED_FILE}: the iPad patch did not apply cleanly")
    return out


def patch_runtime(folder: Path) -> None:
    """Patch folder/pyodide.asm.js in place (a copy of Pyodide's files) and say so."""
    path = folder / PATCHED_FILE
    path.write_bytes(patch_ipad_detection(path.read_bytes()))
    log(f"patched pyodide/{PATCHED_FILE}: iPads detected as iOS for wasm-gc (as pyodide#5695)")
