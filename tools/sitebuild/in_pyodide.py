"""The build's work done inside the site's own Pyodide, in Node (tools/pyodide_build.mjs):
bytecode for the modules the app imports, and the first view pre-rendered into index.html."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from sitebuild.prerender import CLICKS_SLOT, clicks_table, fill_slot
from sitebuild.project import ROOT, BuildError, log

PRERENDER_SLOT = '<script type="application/json" id="bpx-prerender"></script>'


def precompile_and_prerender(stage: Path) -> None:
    """Run tools/pyodide_build.mjs in Node: bytecode for the modules the app imports (Python
    then starts without compiling them) and the first view, written into index.html so the
    page draws a clickable network before Python is ready, with the views its clicks reach
    (sitebuild.prerender), so a click is answered before Python is ready too."""
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
    for line in result.stdout.strip().splitlines()[-2:]:
        log(line)
    reply = (stage / "prerender.json").read_text()
    (stage / "prerender.json").unlink()
    if not json.loads(reply)["ok"]:
        raise BuildError(f"the pre-rendered init failed: {reply[:500]}")
    reached = json.loads((stage / "prerender-clicks.json").read_text())
    (stage / "prerender-clicks.json").unlink()
    clicks = json.dumps(clicks_table(reached), separators=(",", ":"))
    log(
        f"pre-rendered {len(reached['views'])} views for {len(reached['actions'])} clicks: "
        f"{len(clicks) / 1000:.1f} kB in index.html"
    )
    index = stage / "index.html"
    try:
        html = fill_slot(fill_slot(index.read_text(), PRERENDER_SLOT, reply), CLICKS_SLOT, clicks)
    except ValueError as err:
        raise BuildError(str(err)) from err
    index.write_text(html)
