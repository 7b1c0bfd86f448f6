"""The build's work done inside the site's own Pyodide, in Node (tools/pyodide_build.mjs):
bytecode for the modules the app imports, and the first view pre-rendered into index.html."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from sitebuild.project import ROOT, BuildError, log

PRERENDER_SLOT = '<script type="application/json" id="bpx-prerender"></script>'


def precompile_and_prerender(stage: Path) -> None:
    """Run tools/pyodide_build.mjs in Node: bytecode for the modules the app imports (Python
    then starts without compiling them) and the first view, written into index.html so the
    page draws a clickable network before Python is ready."""
    node = shutil.which("node")
    if node is None:
        raise BuildError("node is needed (it comes with npm): apt-get install -y nodejs npm")
    log("precompiling Python and pre-rendering the first view in Pyodide (Node)")
    result = subprocess.run(
        [node, str(ROOT / "tools" / "pyodide_build.mjs"), str(stage)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BuildError(f"tools/pyodide_build.mjs failed:\n{result.stdout}{result.stderr}")
    log(result.stdout.strip().splitlines()[-1])
    reply = (stage / "prerender.json").read_text()
    (stage / "prerender.json").unlink()
    if not json.loads(reply)["ok"]:
        raise BuildError(f"the pre-rendered init failed: {reply[:500]}")
    index = stage / "index.html"
    html = index.read_text()
    if html.count(PRERENDER_SLOT) != 1:
        raise BuildError(f"web/index.html must hold {PRERENDER_SLOT} once")
    filled = PRERENDER_SLOT.replace("></", ">" + reply.replace("</", "<\\/") + "</")
    index.write_text(html.replace(PRERENDER_SLOT, filled))
