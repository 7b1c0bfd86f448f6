"""Licences of the third-party software the site ships: dist/LICENSES/ for the served site, and
the same texts in a <details> block of the single file."""

from __future__ import annotations

import html
import json
import shutil
import zipfile
from pathlib import Path

from sitebuild.project import NODE_MODULES
from sitebuild.runtime import NUMPY_WHEEL, PYODIDE_VERSION

LICENCES_ID = "third-party-licences"  # the single file's licence block
MPL_NOTICE = (
    "This Source Code Form is subject to the terms of the Mozilla Public License, v. 2.0.\n"
    "If a copy of the MPL was not distributed with this file, You can obtain one at\n"
    "https://mozilla.org/MPL/2.0/.\n"
)


def write_licenses(out: Path) -> None:
    """dist/LICENSES/: MathJax's licence, and a notice naming each third-party part's licence."""
    out.mkdir(parents=True)
    shutil.copyfile(NODE_MODULES / "mathjax" / "LICENSE", out / "MathJax-LICENSE.txt")
    notice = (
        "Third-party software shipped in this site:\n"
        f"- Pyodide {PYODIDE_VERSION} (Mozilla Public License 2.0): pyodide/\n"
        "- the CPython 3.12 standard library inside it (Python Software Foundation License "
        "Version 2): pyodide/python_stdlib.zip\n"
        "- numpy 2.0.2 (BSD-3-Clause): pyodide/" + NUMPY_WHEEL + "\n"
        "- MathJax 4.1.3 and mathjax-newcm-font 4.1.3 (Apache License 2.0): mathjax/\n"
    )
    (out / "THIRD-PARTY.txt").write_text(notice)


def licences_html(site: Path) -> str:
    """A closed <details> with the licence texts the served site keeps in LICENSES/, plus
    numpy's own LICENSE.txt (from the wheel) and Pyodide's MPL-2.0 notice."""
    numpy = json.loads((site / "pyodide" / "pyodide-lock.json").read_text())["packages"]["numpy"]
    with zipfile.ZipFile(site / "pyodide" / numpy["file_name"]) as wheel:
        licence = wheel.read(f"numpy-{numpy['version']}.dist-info/LICENSE.txt").decode("utf-8")
    texts = [(f"Pyodide {PYODIDE_VERSION}: Mozilla Public License 2.0", MPL_NOTICE)]
    texts.append((f"numpy {numpy['version']}: LICENSE.txt (BSD-3-Clause)", licence))
    for path in sorted((site / "LICENSES").iterdir()):
        texts.append((path.name, path.read_text(encoding="utf-8")))
    parts = [
        f'<details class="licences" id="{LICENCES_ID}">',
        "<summary>Third-party licences</summary>",
        "<p>This page carries, compressed inside it, the files that the served site keeps in "
        "the folders named below.</p>",
    ]
    for title, text in texts:
        parts.append(f"<h3>{html.escape(title)}</h3>\n<pre>{html.escape(text.rstrip())}</pre>")
    parts.append("</details>")
    return "\n".join(parts)
