"""The MathJax bundle: one offline script (TeX -> SVG + assistive MathML) with our colour macros."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

from sitebuild.project import NODE_MODULES, PKG, BuildError

MATHJAX_VERSION = "4.1.3"
# Characters a formula may grow to as MathJax expands its macros (its default, 5 kB, guards
# against a macro that calls itself). The forward pass of the largest network the State allows
# (8 layers of 10 neurons, biases on, explicit sums) grows to about 50 kB:
# tests/unit/test_mathjax_buffer.py keeps every step of such networks below this.
MAX_BUFFER = 64 * 1024
# (loader name, file under node_modules) in execution order. Built from the separate
# components, not tex-svg.js: that one carries the speech engine and menu, whose speech worker
# is fetched at run time and hangs typesetting on file://.
MATHJAX_PARTS = (
    ("startup", "mathjax/startup.js"),
    ("core", "mathjax/core.js"),
    ("input/tex", "mathjax/input/tex.js"),
    ("[tex]/color", "mathjax/input/tex/extensions/color.js"),
    ("[tex]/boldsymbol", "mathjax/input/tex/extensions/boldsymbol.js"),
    ("[tex]/html", "mathjax/input/tex/extensions/html.js"),  # \class{bpx-inp}, \data{term=n}
    ("output/svg", "mathjax/output/svg.js"),
    ("[mathjax-newcm]/svg", "@mathjax/mathjax-newcm-font/svg.js"),
    ("a11y/assistive-mml", "mathjax/a11y/assistive-mml.js"),  # screen readers read MathML
    # Font ranges MathJax would otherwise load lazily; their loader names end in ".js".
    (
        "[mathjax-newcm]/svg/dynamic/calligraphic.js",  # \mathcal{L}
        "@mathjax/mathjax-newcm-font/svg/dynamic/calligraphic.js",
    ),
    (
        "[mathjax-newcm]/svg/dynamic/double-struck.js",  # \mathbb{R}
        "@mathjax/mathjax-newcm-font/svg/dynamic/double-struck.js",
    ),
)


def bundle_mathjax(node_modules: Path, out_file: Path, macros: dict) -> None:
    """Write one self-contained MathJax (TeX -> SVG + assistive MathML) script.

    Every component is inlined and declared pre-loaded; ``loader.require`` throws, so TeX that
    needs an unbundled part fails loudly (typesetting rejects) instead of fetching anything.
    """
    for pkg in ("mathjax", "@mathjax/mathjax-newcm-font"):
        version = json.loads((node_modules / pkg / "package.json").read_text())["version"]
        if version != MATHJAX_VERSION:
            raise BuildError(f"node_modules has {pkg} {version}, expected {MATHJAX_VERSION}")
    missing = [rel for _, rel in MATHJAX_PARTS if not (node_modules / rel).is_file()]
    if missing:
        raise BuildError("MathJax files missing from node_modules: " + ", ".join(missing))
    config = {
        "loader": {"load": [], "paths": {"mathjax": "./mathjax", "fonts": "./mathjax"}},
        "startup": {"typeset": False},
        "tex": {
            "packages": {"[+]": ["color", "boldsymbol", "html"]},
            "macros": macros,
            "maxBuffer": MAX_BUFFER,
        },
        # global: each glyph's path is defined once, in a hidden <svg> that derivation-view.js
        # puts in the page, and every formula uses it: a formula's DOM is a fraction of what
        # it is when each carries its own glyphs ("local"), so typesetting, cloning and the
        # layout after it are faster (bench/run.py: select -> rendered about 30 % sooner)
        "svg": {"fontCache": "global", "displayOverflow": "linebreak"},
        "options": {"enableAssistiveMml": True},
    }
    out = [
        f"/* MathJax {MATHJAX_VERSION} (Apache-2.0), bundled offline by build.py. */\n",
        f"window.MathJax = {json.dumps(config, indent=1, sort_keys=True)};\n",
        "window.MathJax.loader.require = function (name) {\n"
        "  throw new Error('MathJax component ' + name + ' is not bundled (see build.py)');\n"
        "};\n",
    ]
    for name, rel in MATHJAX_PARTS:
        src = (node_modules / rel).read_text(encoding="utf-8").replace("\r\n", "\n")
        out.append(f"\n/* ---- {name} ({rel}) ---- */\n{src.rstrip()};\n")
    names = ", ".join(json.dumps(n) for n, _ in MATHJAX_PARTS if n != "startup")
    out.append(f"\nMathJax.loader.preLoaded({names});\n")
    # assistive-mml.js adds menu settings for the (unbundled) menu; drop them to avoid warnings.
    out.append("if (MathJax.config.options) delete MathJax.config.options.menuOptions;\n")
    out_file.write_text("".join(out), encoding="utf-8")


def load_texmacros() -> ModuleType:
    """Load py/backprop_explorer/texmacros.py alone (it imports nothing, so no numpy needed)."""
    spec = importlib.util.spec_from_file_location("_bpx_texmacros", PKG / "texmacros.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_mathjax(out_file: Path) -> None:
    """dist/mathjax/mathjax.js from node_modules, with the macros of texmacros.py (the colours
    and the page-only markup: \\keep, \\term, \\onpage)."""
    out_file.parent.mkdir()
    bundle_mathjax(NODE_MODULES, out_file, load_texmacros().MATHJAX_MACROS)
