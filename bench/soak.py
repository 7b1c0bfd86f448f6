#!/usr/bin/env python3
"""Soak test: a long session in headless Chromium, and whether memory or live objects grow.

    python3 bench/soak.py [--steps 10000] [--selects 500] [--checkpoints 10] [--no-build]
                          [--json [FILE]]

The built site is served on 127.0.0.1 (every other host is blocked) and driven the way a
student uses it, in rounds:

- training: the 2-3-1 demo network in the training view, stepped as the Play button does it
  (one step, then the next animation frame), with a connection selected halfway through so
  that its derivation is typeset again after every step from then on;
- exploring: selections cycling over every connection of every preset, the notation changing
  at each change of preset (explicit, Einstein, vector);
- then, in explicit notation, every connection of Classic and Special and last Basic's
  w(1)1,1: every checkpoint measures the same page, with the same formulas in the page's
  cache of typeset formulas (these selections are not counted in --selects).

After a warm-up round of the same size (with three cycles of selections, so every cache has
been filled) and after each round it forces garbage collection (both JavaScript heaps through
the DevTools protocol, then Python's) and samples: the JS heap of the page and of the Python
worker, the page's DOM heap, elements in the document, DOM nodes alive, event listeners and
documents, performance entries (page and worker), requests made since load, Python's tracked
objects, JsProxies and PyProxies alive, JavaScript values Python holds, the WebAssembly memory
and the training history's rows. It prints the figures per checkpoint, their growth (last -
first; the rounds interleave training and selections, so the growth per 1,000 steps and per 100
selections are the same growth divided by each count) and a verdict per figure against its
bound. Exit code 1 when a bound is exceeded; 2 when the session failed, a request left
127.0.0.1 or the page threw an error.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from harness import ROOT, block_outside, ensure_environment, launch, serve

NOTATIONS = ("explicit", "einstein", "vector")
# Before each checkpoint: every connection of these presets in explicit notation, then Basic's
# w(1)1,1. The page then shows the same view, and the typeset cache of derivation-view.js
# (the formulas used last) holds the same formulas, whatever the round did before.
SETTLE_PRESETS = ("special", "classic")
SETTLE_SELECTION = ("basic", {"layer": 1, "to": 1, "from": 1})
TRAINING_WEIGHT = {"layer": 2, "to": 1, "from": 2}  # selected halfway through each training
MB = 1e6


@dataclass(frozen=True)
class Figure:
    key: str
    label: str  # growth table
    column: str  # checkpoint table header
    bound: str  # the bound, said in words
    scale: float = 1.0  # shown as value / scale
    decimals: int = 0
    max_growth: float | None = 0.0  # in the figure's own unit; None: no bound (shown for context)
    relative: bool = False  # max_growth is a fraction of the first value

    def show(self, value: float | None) -> str:
        return "n/a" if value is None else f"{value / self.scale:,.{self.decimals}f}"

    def exceeded(self, first: float, growth: float) -> bool:
        if self.max_growth is None:
            return False
        return growth > (self.max_growth * first if self.relative else self.max_growth)


FIGURES = (
    Figure("pageHeap", "JS heap, page (MB)", "page MB", "growth < 2 MB", MB, 2, 2 * MB),
    Figure("workerHeap", "JS heap, worker (MB)", "worker MB", "growth < 2 MB", MB, 2, 2 * MB),
    Figure("domHeap", "DOM heap, page (MB)", "DOM MB", "growth < 2 MB", MB, 2, 2 * MB),
    Figure("domNodes", "DOM elements in the document", "elements", "no growth (same view)"),
    Figure("nodesAlive", "DOM nodes alive (detached too)", "alive", "no growth"),
    Figure("listeners", "JS event listeners", "listeners", "no growth"),
    Figure("documents", "documents", "docs", "no growth"),
    Figure("pageEntries", "performance entries, page", "entries", "no growth"),
    Figure("requests", "requests since load", "requests", "no growth"),
    Figure("workerEntries", "performance entries, worker", "w.entries", "no growth"),
    Figure(
        "pyObjects",
        "Python objects (gc)",
        "Py objects",
        "growth < 1 %",
        max_growth=0.01,
        relative=True,
    ),
    Figure("jsProxies", "JsProxies alive (Python)", "JsProxy", "no growth"),
    Figure("pyProxies", "PyProxies alive (JS)", "PyProxy", "no growth"),
    Figure("jsRefs", "JS values held by Python", "JS refs", "no growth"),
    Figure("wasmMemory", "WebAssembly memory (MB)", "wasm MB", "no growth after warm-up", MB, 1),
    Figure(
        "historyRows",
        "training history rows",
        "history",
        "none: shown for context",
        max_growth=None,
    ),
)

TRAIN = """async ({steps, selectAt, weight}) => {
  const api = backpropExplorer;
  await api.preset("demo");
  await api.setState({view: "training"});
  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  for (let i = 0; i < steps; i++) {
    if (i === selectAt) await api.select(weight); // the student clicks a connection meanwhile
    await api.step(1); // what Play does: one step, then wait for the next frame
    await frame();
  }
}"""

EXPLORE = """async (items) => {
  const api = backpropExplorer;
  await api.setState({view: "explorer"});
  let shown = null;
  for (const {preset, notation, selection} of items) {
    if (preset !== shown) {
      await api.preset(preset);
      await api.setState({notation});
      shown = preset;
    }
    await api.select(selection);
  }
}"""


PAGE_FIGURES = """() => {
  const entryTypes = {};
  for (const { entryType } of performance.getEntries()) {
    entryTypes[entryType] = (entryTypes[entryType] ?? 0) + 1;
  }
  return {
    nodes: document.getElementsByTagName("*").length,
    entries: performance.getEntries().length,
    entryTypes,
  };
}"""


class WorkerTarget:
    """DevTools commands to the page's Web Worker, through the page's own CDP session.

    Playwright's CDPSession cannot address a child session, so the worker is attached the
    older, non-flattened way (Target.setAutoAttach with flatten false) and spoken to with
    Target.sendMessageToTarget; replies arrive as Target.receivedMessageFromTarget events,
    which Playwright delivers while the script waits on the page.
    """

    def __init__(self, page, cdp, timeout_s: float = 10.0) -> None:
        self.page, self.cdp, self.timeout_s = page, cdp, timeout_s
        self.session_id: str | None = None
        self.replies: dict[int, dict] = {}
        self.next_id = 0
        cdp.on("Target.attachedToTarget", self._attached)
        cdp.on("Target.receivedMessageFromTarget", self._received)
        try:
            cdp.send(
                "Target.setAutoAttach",
                {"autoAttach": True, "waitForDebuggerOnStart": False, "flatten": False},
            )
        except Exception as err:  # then the worker is reported as not reachable
            log(f"Target.setAutoAttach failed: {err}")
            return
        self._wait(lambda: self.session_id is not None)

    def _attached(self, event: dict) -> None:
        if event["targetInfo"]["type"] == "worker" and self.session_id is None:
            self.session_id = event["sessionId"]

    def _received(self, event: dict) -> None:
        message = json.loads(event["message"])
        if event["sessionId"] == self.session_id and "id" in message:
            self.replies[message["id"]] = message

    def _wait(self, done) -> bool:
        deadline = time.monotonic() + self.timeout_s
        while not done():
            if time.monotonic() > deadline:
                return False
            self.page.wait_for_timeout(10)
        return True

    @property
    def reachable(self) -> bool:
        return self.session_id is not None

    def send(self, method: str, params: dict | None = None) -> dict:
        self.next_id += 1
        n = self.next_id
        message = json.dumps({"id": n, "method": method, "params": params or {}})
        self.cdp.send(
            "Target.sendMessageToTarget", {"sessionId": self.session_id, "message": message}
        )
        if not self._wait(lambda: n in self.replies):
            raise TimeoutError(f"the worker did not answer {method}")
        reply = self.replies.pop(n)
        if "error" in reply:
            raise RuntimeError(f"{method} in the worker: {reply['error']}")
        return reply["result"]


def collect_garbage(page, cdp, worker: WorkerTarget) -> None:
    """Full GC in both JavaScript heaps, twice: PyProxies are released by finalizers that run
    after a collection, and what they held is freed by the next one."""
    for _ in range(2):
        if worker.reachable:
            worker.send("HeapProfiler.collectGarbage")
        cdp.send("HeapProfiler.collectGarbage")
        page.wait_for_timeout(100)


def sample(page, cdp, worker: WorkerTarget, requests: list[str]) -> dict:
    """Every figure of FIGURES, after forcing garbage collection (Python's in `diagnostics`)."""
    collect_garbage(page, cdp, worker)
    python = page.evaluate("backpropExplorer.diagnostics()")
    collect_garbage(page, cdp, worker)  # the reply itself is garbage now
    host = python.get("host") or {}
    dom = cdp.send("Memory.getDOMCounters")
    heap = cdp.send("Runtime.getHeapUsage")
    page_figures = page.evaluate(PAGE_FIGURES)
    figures = {
        "pageHeap": heap["usedSize"],
        "workerHeap": None,
        "domHeap": heap.get("embedderHeapUsedSize"),
        "domNodes": page_figures["nodes"],
        "nodesAlive": dom["nodes"],
        "listeners": dom["jsEventListeners"],
        "documents": dom["documents"],
        "pageEntries": page_figures["entries"],
        "requests": len(requests),
        "workerEntries": None,
        "pyObjects": python["gcObjects"],
        "jsProxies": python["jsProxies"],
        "pyProxies": host.get("pyProxies"),
        "jsRefs": host.get("jsRefs"),
        "wasmMemory": host.get("wasmMemoryBytes"),
        "historyRows": python["historyRows"],
    }
    if worker.reachable:
        figures["workerHeap"] = worker.send("Runtime.getHeapUsage")["usedSize"]
        entries = worker.send(
            "Runtime.evaluate",
            {"expression": "performance.getEntries().length", "returnByValue": True},
        )
        figures["workerEntries"] = entries["result"]["value"]
    figures["types"] = python["types"]  # for the report on what grew
    figures["entryTypes"] = page_figures["entryTypes"]
    return figures


def connections(presets: dict) -> list[tuple[str, dict]]:
    """(preset, selection) for every connection of every preset, in order."""
    out = []
    for name, preset in presets.items():
        layers = preset.layers
        for l in range(1, len(layers)):
            for j in range(1, layers[l] + 1):
                for k in range(1, layers[l - 1] + 1):
                    out.append((name, {"layer": l, "to": j, "from": k}))
    return out


def selections(cycle: list[tuple[str, dict]], start: int, count: int) -> list[dict]:
    """Items start..start+count of the endless cycle; the notation moves on at every change of
    preset, so over three cycles each preset is seen in each notation."""
    names = list(dict.fromkeys(name for name, _ in cycle))
    items = []
    for i in range(start, start + count):
        name, selection = cycle[i % len(cycle)]
        visit = (i // len(cycle)) * len(names) + names.index(name)
        items.append({"preset": name, "notation": NOTATIONS[visit % 3], "selection": selection})
    return items


def split(total: int, parts: int) -> list[int]:
    """`total` in `parts` near-equal shares, larger ones first."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def log(message: str) -> None:
    print(f"[soak] {message}", file=sys.stderr, flush=True)


def run_session(args, base: str, presets: dict) -> dict:
    from playwright.sync_api import sync_playwright

    cycle = connections(presets)
    settle = [
        {"preset": name, "notation": "explicit", "selection": selection}
        for name, selection in [*[c for c in cycle if c[0] in SETTLE_PRESETS], SETTLE_SELECTION]
    ]
    warm_steps = args.steps // args.checkpoints if args.warmup_steps is None else args.warmup_steps
    warm_selects = 3 * len(cycle) if args.warmup_selects is None else args.warmup_selects
    report: dict = {
        "steps": args.steps,
        "selects": args.selects,
        "warmup": {"steps": warm_steps, "selects": warm_selects},
        "checkpoints": [],
        "blocked": [],
        "pageErrors": [],
        "worker": None,
    }
    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context()
        report["blocked"] = block_outside(context)
        requests: list[str] = []  # every request the page and its worker make
        context.on("request", lambda request: requests.append(request.url))
        page = context.new_page()
        page.on("pageerror", lambda err: report["pageErrors"].append(str(err)))
        page.goto(base + "index.html")
        page.wait_for_function("() => window.backpropExplorer && true", timeout=args.timeout * 1000)
        page.wait_for_function(
            "() => document.body.classList.contains('ready')", timeout=args.timeout * 1000
        )
        page.evaluate("backpropExplorer.ready")
        cdp = context.new_cdp_session(page)
        worker = WorkerTarget(page, cdp)
        report["worker"] = (
            "reached through CDP (Target.setAutoAttach, non-flattened)"
            if worker.reachable
            else "not reachable through CDP: its heap and performance entries are not measured"
        )
        log(f"ready; worker {'reached' if worker.reachable else 'NOT reachable'} through CDP")

        def round_(steps: int, selects: int, start: int) -> None:
            page.evaluate(
                TRAIN, {"steps": steps, "selectAt": steps // 2, "weight": TRAINING_WEIGHT}
            )
            page.evaluate(EXPLORE, selections(cycle, start, selects))
            page.evaluate(EXPLORE, settle)

        t0 = time.monotonic()
        # Once before the warm-up: Pyodide traces PyProxies from the first diagnostics on, and
        # what that first call loads and caches in Python is not counted as growth.
        page.evaluate("backpropExplorer.diagnostics()")
        round_(warm_steps, warm_selects, 0)
        log(f"warm-up: {warm_steps} steps, {warm_selects} selections")
        done_steps = done_selects = 0

        def checkpoint() -> None:
            figures = sample(page, cdp, worker, requests)
            figures.update(
                steps=done_steps, selects=done_selects, seconds=round(time.monotonic() - t0, 1)
            )
            report["checkpoints"].append(figures)

        checkpoint()
        for n, (steps, selects) in enumerate(
            zip(
                split(args.steps, args.checkpoints),
                split(args.selects, args.checkpoints),
                strict=True,
            )
        ):
            round_(steps, selects, done_selects)
            done_steps += steps
            done_selects += selects
            checkpoint()
            c = report["checkpoints"][-1]
            log(
                f"checkpoint {n + 1}/{args.checkpoints}: {done_steps} steps, "
                f"{done_selects} selections, {c['seconds']:.0f} s, page heap "
                f"{c['pageHeap'] / MB:.2f} MB, Python objects {c['pyObjects']}"
            )
        context.close()
        browser.close()
    return report


def evaluate(report: dict) -> list[dict]:
    """Growth and verdict per figure, first checkpoint against the last."""
    first, last = report["checkpoints"][0], report["checkpoints"][-1]
    steps, selects = last["steps"] - first["steps"], last["selects"] - first["selects"]
    out = []
    for f in FIGURES:
        a, b = first[f.key], last[f.key]
        if a is None or b is None:
            verdict, growth = "not measured", None
        else:
            growth = b - a
            if f.max_growth is None:
                verdict = "info"
            else:
                verdict = "EXCEEDED" if f.exceeded(a, growth) else "ok"
        out.append(
            {
                "key": f.key,
                "first": a,
                "last": b,
                "growth": growth,
                "perThousandSteps": None if growth is None or not steps else growth * 1000 / steps,
                "perHundredSelects": None
                if growth is None or not selects
                else growth * 100 / selects,
                "bound": f.bound,
                "verdict": verdict,
            }
        )
    return out


def type_growth(report: dict, key: str = "types", limit: int = 8) -> list[tuple[str, int]]:
    """The Python types (or performance entry types) whose count changed most between the
    first and last checkpoint."""
    first, last = report["checkpoints"][0][key], report["checkpoints"][-1][key]
    change = {t: last.get(t, 0) - first.get(t, 0) for t in set(first) | set(last)}
    ranked = sorted((item for item in change.items() if item[1]), key=lambda i: -abs(i[1]))
    return ranked[:limit]


def signed(f: Figure, value: float | None, decimals: int | None = None) -> str:
    if value is None:
        return "n/a"
    d = f.decimals if decimals is None else decimals
    return f"{value / f.scale:+,.{d}f}"


def print_report(report: dict, verdicts: list[dict]) -> None:
    checkpoints = report["checkpoints"]
    print(
        f"\nBackprop Explorer soak: {report['steps']:,} training steps and "
        f"{report['selects']:,} selections in {len(checkpoints) - 1} rounds, after a warm-up of "
        f"{report['warmup']['steps']} steps and {report['warmup']['selects']} selections"
    )
    print(f"Python worker: {report['worker']}\n")
    head = ["#", "steps", "selects", "s"] + [f.column for f in FIGURES]
    rows = [
        [str(i), f"{c['steps']:,}", str(c["selects"]), f"{c['seconds']:.0f}"]
        + [f.show(c[f.key]) for f in FIGURES]
        for i, c in enumerate(checkpoints)
    ]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for r in [head, *rows]:
        print("  ".join(cell.rjust(w) for cell, w in zip(r, widths, strict=True)))

    print()
    head = ["figure", "first", "last", "growth", "/1,000 steps", "/100 selects", "bound", ""]
    rows = []
    for f, v in zip(FIGURES, verdicts, strict=True):
        rows.append(
            [
                f.label,
                f.show(v["first"]),
                f.show(v["last"]),
                signed(f, v["growth"]),
                signed(f, v["perThousandSteps"], f.decimals + 2),
                signed(f, v["perHundredSelects"], f.decimals + 2),
                f.bound,
                v["verdict"],
            ]
        )
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for r in [head, *rows]:
        cells = [r[0].ljust(widths[0])]
        cells += [cell.rjust(w) for cell, w in zip(r[1:6], widths[1:6], strict=True)]
        cells += [r[6].ljust(widths[6]), r[7]]
        print("  ".join(cells).rstrip())

    changed = type_growth(report)
    if changed:
        print("\nPython types whose count changed: " + ", ".join(f"{t} {n:+d}" for t, n in changed))
    changed = type_growth(report, "entryTypes")
    if changed:
        print(
            "Performance entry types that changed: " + ", ".join(f"{t} {n:+d}" for t, n in changed)
        )
    print(f"\nrequests blocked (not 127.0.0.1): {len(report['blocked'])}")
    print(f"uncaught page errors: {len(report['pageErrors'])}")
    for err in report["pageErrors"][:5]:
        print(f"  {err}")
    failed = [v for v in verdicts if v["verdict"] == "EXCEEDED"]
    print(
        "verdict: "
        + ("no growth beyond the bounds" if not failed else f"{len(failed)} bound(s) exceeded")
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10_000, help="training steps in all")
    parser.add_argument("--selects", type=int, default=500, help="selections in all")
    parser.add_argument("--checkpoints", type=int, default=10, help="rounds, sampled after each")
    parser.add_argument(
        "--warmup-steps",
        type=int,
        default=None,
        help="training steps first (default: as many as in a round, so the tables match)",
    )
    parser.add_argument(
        "--warmup-selects",
        type=int,
        default=None,
        help="selections first (default: three cycles, each preset in each notation)",
    )
    parser.add_argument("--timeout", type=float, default=120, help="seconds to wait for ready")
    parser.add_argument("--no-build", action="store_true", help="use dist/ as it is")
    parser.add_argument(
        "--json",
        nargs="?",
        const="-",
        metavar="FILE",
        help="the figures as JSON: on stdout instead of the tables, or into FILE as well",
    )
    args = parser.parse_args()
    counts = (args.steps, args.selects, args.warmup_steps or 0, args.warmup_selects or 0)
    if args.checkpoints < 1 or min(counts) < 0:
        parser.error("--checkpoints must be at least 1 and the counts not negative")
    ensure_environment(build=not args.no_build)

    sys.path.insert(0, str(ROOT / "py"))
    from backprop_explorer.presets import PRESETS

    server, base = serve()
    try:
        report = run_session(args, base, PRESETS)
    except Exception as err:  # the session itself broke: no figures to judge
        log(f"the session failed: {type(err).__name__}: {err}")
        return 2
    finally:
        server.shutdown()
    verdicts = evaluate(report)
    report["growth"] = verdicts
    if args.json == "-":
        print(json.dumps(report, indent=1))
    else:
        print_report(report, verdicts)
        if args.json:
            Path(args.json).write_text(json.dumps(report, indent=1) + "\n")
    if report["blocked"] or report["pageErrors"]:
        return 2
    return 1 if any(v["verdict"] == "EXCEEDED" for v in verdicts) else 0


if __name__ == "__main__":
    sys.exit(main())
