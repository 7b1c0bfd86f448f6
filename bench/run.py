#!/usr/bin/env python3
"""Benchmark the built site against a bare Pyodide + numpy page, side by side, in one run.

    python3 bench/run.py [--loads 5] [--no-build] [--engines chromium,firefox,webkit]

In each engine of the browser tests (tests/engines: Chromium, Firefox ESR, WebKitGTK), on
127.0.0.1, cold loads (a new page each, with nothing cached):

- baseline: a page that only does loadPyodide({packages: ["numpy"]}) and `import numpy`, from
  the same vendored Pyodide and numpy wheel as the site: navigation -> numpy imported;
- the site: navigation -> first clickable diagram; navigation -> backpropExplorer.ready;
- a click at the moment the diagram is clickable (w(2)1,2, through the API, so before Python
  is up) -> its derivation typeset (answered from the pre-rendered views, see Start-up);
- the single file opened from disk (file://): navigation -> backpropExplorer.ready;
- select() -> derivation rendered, for every weight of every preset (one warm page), and ->
  the next frame after it (the layout and paint of what was drawn, which a reply that comes
  during them waits for); then again at a student's pace: each click only once the page has
  typeset the neighbours of the last one ahead (body[data-ahead], web/js/neighbours.js);
- step(1000) on the 2-3-1 network;
- bytes served until the page was done (counted by the server, so alike in every engine).

It prints, per engine, medians with min-max and the ratios to that engine's baseline. It is a
benchmark, not a test: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from harness import ROOT, ensure_environment, launch, serve

from engines import ENGINES, RefusingProxy, open_engine
from sitebuild.runtime import ensure_numpy_wheel, write_pyodide

# Served at /bench/baseline.html; ./pyodide/ there is the stock Pyodide core and numpy wheel
# (as build.py vendors them, with its iPad patch of pyodide.asm.js, before it precompiles
# anything).
BASELINE = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>baseline: Pyodide + numpy</title></head>
<body><p id="out">loading</p>
<script type="module">
  import { loadPyodide } from "./pyodide/pyodide.mjs";
  const pyodide = await loadPyodide({ indexURL: "./pyodide/", packages: ["numpy"] });
  pyodide.runPython("import numpy");
  window.numpyImported = performance.now();
  document.getElementById("out").textContent = "numpy imported";
</script></body></html>
"""

TARGETS = {  # issue 18 (issue 6's for step): medians on 2 cores
    "first clickable diagram": "<= 0.10 x baseline",
    "click at the diagram -> typeset": "<= 0.25 x baseline",
    "backpropExplorer.ready": "<= 0.5 x baseline",
    "select -> rendered (median)": "<= 50 ms",
    "select -> rendered (worst)": "<= 120 ms",
    "step(1000) on 2-3-1": "<= 500 ms",
    "bytes": "<= 1.0 x baseline",
}


def serve_with_baseline(stock: Path):
    """Serve dist/, and under /bench/ the baseline page with the stock runtime in `stock`."""
    write_pyodide(stock / "pyodide", ensure_numpy_wheel())
    (stock / "baseline.html").write_bytes(BASELINE)
    return serve({"/bench/": stock})


def cold_load(engine, server, url: str, probe: str) -> tuple[dict, int]:
    """One load in a fresh page: the probe's timings (ms since navigation) and bytes served."""
    page = engine.new_page()
    server.bytes_served.take()
    page.goto(url)
    timings = page.evaluate(probe)
    page.close()
    return timings, server.bytes_served.take()


BASELINE_PROBE = """async () => {
  while (!window.numpyImported) await new Promise((r) => setTimeout(r, 5));
  return { numpy: window.numpyImported };
}"""

SITE_PROBE = """async () => {
  while (!window.backpropExplorer) await new Promise((r) => setTimeout(r, 5));
  await backpropExplorer.ready;
  const mark = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
  return { diagram: mark("bpx:diagram-clickable"), ready: mark("bpx:ready") };
}"""

CLICK_PROBE = """async () => {
  const rendered = () => Number(document.body.dataset.rendered || 0);
  const clickable = () => performance.getEntriesByName("bpx:diagram-clickable").length;
  while (!window.backpropExplorer || !clickable()) await new Promise((r) => setTimeout(r, 1));
  while (rendered() < 1) await new Promise((r) => setTimeout(r, 1)); // the opening view drawn
  const before = rendered();
  const python = document.body.dataset.python;
  backpropExplorer.select({layer: 2, to: 1, from: 2}).catch(() => {});
  while (rendered() === before) await new Promise((r) => setTimeout(r, 1));
  const typeset = performance.now();
  await backpropExplorer.ready;
  return { typeset, python };
}"""

SELECT_ALL = """async ([presets, paced]) => {
  window.bpxTiming = true; // app.js records per-call timings only when asked
  performance.clearMeasures();
  const out = {};
  const painted = [];
  // At a student's pace (paced): each click waits until the page has typeset the neighbours
  // of the last one (body[data-ahead] names the render they were prepared for), at most 5 s.
  const prepared = async () => {
    const t = performance.now();
    const body = document.body.dataset;
    while (body.ahead !== body.rendered && performance.now() - t < 5000)
      await new Promise((r) => setTimeout(r, 5));
  };
  for (const [name, layers] of presets) {
    await backpropExplorer.preset(name);
    const times = [];
    for (let l = 1; l < layers.length; l++)
      for (let j = 1; j <= layers[l]; j++)
        for (let k = 1; k <= layers[l - 1]; k++) {
          if (paced) await prepared();
          const t0 = performance.now();
          await backpropExplorer.select({layer: l, to: j, from: k});
          times.push(performance.now() - t0);
          await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
          painted.push(performance.now() - t0);
        }
    out[name] = times;
  }
  const ms = (name) => performance.getEntriesByName(name).map((e) => e.duration);
  out["python"] = ms("bpx:python:select");
  out["handle"] = ms("bpx:handle:select");
  out["render"] = ms("bpx:render:select");
  out["painted"] = painted;
  return out;
}"""

STEPS = """async () => {
  await backpropExplorer.preset("demo");
  const times = [];
  for (let i = 0; i < 5; i++) {
    await backpropExplorer.resetWeights();
    const t0 = performance.now();
    await backpropExplorer.step(1000);
    times.push(performance.now() - t0);
  }
  return times;
}"""


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):8.0f} ms  ({min(values):.0f}-{max(values):.0f})"


def row(label: str, values: list[float], baseline: float | None = None, target: str = "") -> None:
    """One line of the report: median (min-max), the ratio to the baseline, the target."""
    ratio = f"   {statistics.median(values) / baseline:5.2f} x baseline" if baseline else ""
    goal = f"   target {target}" if target else ""
    print(f"{label:34s}{summary(values)}{ratio}{goal}")


def measure(engine, server, base: str, loads: int, presets: list) -> dict:
    """Every figure of one engine, and the machine's load (1-minute average) before and after."""
    load = [os.getloadavg()[0]]
    base_runs = [
        cold_load(engine, server, base + "bench/baseline.html", BASELINE_PROBE)
        for _ in range(loads)
    ]
    site_runs = [cold_load(engine, server, base + "index.html", SITE_PROBE) for _ in range(loads)]
    clicks = [cold_load(engine, server, base + "index.html", CLICK_PROBE) for _ in range(loads)]
    single = (ROOT / "dist" / "backprop-explorer.html").as_uri()
    file_runs = [cold_load(engine, server, single, SITE_PROBE) for _ in range(loads)]
    page = engine.new_page()
    page.goto(base + "index.html")
    page.evaluate(SITE_PROBE)
    selects = page.evaluate(SELECT_ALL, [presets, False])
    paced = page.evaluate(SELECT_ALL, [presets, True])
    steps = page.evaluate(STEPS)
    page.close()
    load.append(os.getloadavg()[0])
    return {
        "load": load,
        "base": base_runs,
        "site": site_runs,
        "clicks": clicks,
        "file": file_runs,
        "selects": selects,
        "paced": paced,
        "steps": steps,
    }


def report(name: str, loads: int, figures: dict) -> None:
    base_runs, site_runs = figures["base"], figures["site"]
    selects, steps = figures["selects"], figures["steps"]
    numpy = [t["numpy"] for t, _ in base_runs]
    diagram = [t["diagram"] for t, _ in site_runs]
    ready = [t["ready"] for t, _ in site_runs]
    base_bytes = statistics.median(b for _, b in base_runs)
    site_bytes = statistics.median(b for _, b in site_runs)
    python_ms, render_ms = selects.pop("python"), selects.pop("render")
    handle_ms, painted = selects.pop("handle"), selects.pop("painted")
    every = [t for times in selects.values() for t in times]
    b = statistics.median(numpy)
    cpus = os.cpu_count()
    load = " -> ".join(f"{x:.1f}" for x in figures["load"])
    print(f"\n{name}: {loads} cold loads each, 127.0.0.1, {cpus} CPUs, load average {load}\n")
    row("baseline: numpy imported", numpy)
    row("first clickable diagram", diagram, b, TARGETS["first clickable diagram"])
    clicked = [t["typeset"] for t, _ in figures["clicks"]]
    early = sum(t["python"] == "starting" for t, _ in figures["clicks"])
    goal = TARGETS["click at the diagram -> typeset"]
    row("a click then -> its derivation", clicked, b, goal)
    print(f"{'  clicked before Python was up':34s}{early:8d} of {len(clicked)}")
    row("backpropExplorer.ready", ready, b, TARGETS["backpropExplorer.ready"])
    from_disk = [t["ready"] for t, _ in figures["file"]]
    row("  the single file from disk", from_disk, b, "no later than the served site")
    row("select -> rendered, all weights", every, target=TARGETS["select -> rendered (median)"])
    print(f"{'  worst':34s}{max(every):8.0f} ms   target {TARGETS['select -> rendered (worst)']}")
    row("  -> the next frame", painted)
    row("  of which Python (worker)", python_ms)
    row("    in bridge.handle", handle_ms)
    row("  of which redraw (SVG, MathJax)", render_ms)
    for preset, times in selects.items():
        row(f"  {preset} (n={len(times)})", times)
    paced = figures["paced"]
    for key in ("python", "render", "handle", "painted"):
        paced.pop(key)
    every_paced = [t for times in paced.values() for t in times]
    goal = TARGETS["select -> rendered (median)"]
    row("select at a student's pace", every_paced, target=goal)
    worst = TARGETS["select -> rendered (worst)"]
    print(f"{'  worst':34s}{max(every_paced):8.0f} ms   target {worst}")
    print(f"{'':34s}(each click after the neighbours of the last were typeset ahead)")
    row("step(1000) on 2-3-1", steps, target=TARGETS["step(1000) on 2-3-1"])
    print(f"{'bytes, baseline':34s}{base_bytes / 1e6:8.2f} MB")
    ratio = site_bytes / base_bytes
    goal = TARGETS["bytes"]
    print(
        f"{'bytes, site':34s}{site_bytes / 1e6:8.2f} MB   {ratio:5.2f} x baseline   target {goal}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=5, help="cold loads of each page")
    parser.add_argument("--no-build", action="store_true", help="use dist/ as it is")
    parser.add_argument(
        "--engines", default=",".join(ENGINES), help="comma-separated, from " + ", ".join(ENGINES)
    )
    args = parser.parse_args()
    ensure_environment(build=not args.no_build)

    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "py"))
    from backprop_explorer.presets import PRESETS

    presets = [[name, list(p.layers)] for name, p in PRESETS.items()]
    stock = Path(tempfile.mkdtemp(prefix="bpx-bench-"))
    server, base = serve_with_baseline(stock)
    proxy = RefusingProxy()
    with sync_playwright() as p:
        chromium = launch(p)
        for name in args.engines.split(","):
            with open_engine(name, proxy, playwright_browser=chromium) as engine:
                figures = measure(engine, server, base, args.loads, presets)
            report(f"Backprop Explorer benchmark, {name}", args.loads, figures)
        chromium.close()
    server.shutdown()
    proxy.close()
    shutil.rmtree(stock)
    left = proxy.take()
    if left:
        print(f"\nrequests that tried to leave 127.0.0.1 (refused): {left}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
