"""The explorer as a Jupyter widget, end to end: the built wheel with its `notebook` extra in a
fresh venv, a real JupyterLab on 127.0.0.1, examples/explorer.ipynb run in Chromium.

A click in the widget's diagram selects a connection and its derivation is typeset; the cell
`explorer.step(3)` changes the weights the view shows; the notebook's gradients are the page's
for the same State (opened on the site from `explorer.link`, selection included). Nothing the
browser asks for leaves 127.0.0.1.
"""

from __future__ import annotations

import json
import math
import os
import shutil
from pathlib import Path

import pytest
from notebook_lab import ROOT, jupyter_lab, make_env

from engines.guard import stays_local
from engines.server import serve
from sitebuild.dist import build

DIST = ROOT / "dist"
NOTEBOOK = "explorer.ipynb"
TIMEOUT_MS = 120_000
# The example's cells (0-based): the widget, step(3), the gradients as JSON, the link.
WIDGET_CELL, STEP_CELL, GRADIENTS_CELL, LINK_CELL = 1, 3, 5, 7
WIDGET = ".jp-OutputArea .bpx-widget"


@pytest.fixture(scope="module")
def site():
    """dist/ served on loopback: the wheel to install, and the page to compare with."""
    if not list((DIST / "notebook").glob("*.whl")):
        build()
    server, url = serve(DIST, {})
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def lab(site, tmp_path_factory):
    """JupyterLab, from a fresh venv holding the wheel[notebook], serving the example."""
    where = tmp_path_factory.mktemp("notebook")
    (wheel,) = (DIST / "notebook").glob("*.whl")
    # BPX_NOTEBOOK_PYTHON: an environment made before (by make_env), to re-run while developing.
    made = os.environ.get("BPX_NOTEBOOK_PYTHON")
    python = Path(made) if made else make_env(where / "venv", wheel)
    notebooks = where / "notebooks"
    notebooks.mkdir()
    shutil.copy(ROOT / "examples" / NOTEBOOK, notebooks / NOTEBOOK)
    with jupyter_lab(python, notebooks, where / "home") as url:
        yield url


class Outside:
    """Aborts and records every request that would leave 127.0.0.1."""

    def __init__(self, context) -> None:
        self.blocked: list[str] = []
        context.route("**/*", self.route)

    def route(self, route) -> None:
        if stays_local(route.request.url):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()


RUN_CELL = """async (i) => {
  const panel = window.jupyterapp.shell.currentWidget;
  panel.content.activeCellIndex = i;
  await window.jupyterapp.commands.execute("notebook:run-cell");
}"""

# The cell's text output once it has run (its execution count set and the kernel idle).
CELL_OUTPUT = """(i) => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cell = panel.content.widgets[i].model;
  if (cell.executionCount === null || panel.sessionContext.session.kernel.status !== "idle") return null;
  const texts = cell.outputs.toJSON().map((o) => o.text ?? o.data?.["text/plain"] ?? "");
  return texts.map((t) => (Array.isArray(t) ? t.join("") : t)).join("");
}"""

KERNEL_IDLE = """() => {
  const panel = window.jupyterapp?.shell.currentWidget;
  return panel?.sessionContext?.session?.kernel?.status === "idle";
}"""


def run_cell(page, i: int) -> str:
    page.evaluate(RUN_CELL, i)
    handle = page.wait_for_function(CELL_OUTPUT, arg=i, timeout=TIMEOUT_MS)
    return handle.json_value()


def rendered(page) -> int:
    return int(page.locator(WIDGET).get_attribute("data-rendered") or 0)


def test_the_example_notebook_runs_the_explorer_in_jupyterlab(browser, lab, site) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside = Outside(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(f"{lab}lab/tree/{NOTEBOOK}")
    page.wait_for_function(KERNEL_IDLE, timeout=TIMEOUT_MS)

    run_cell(page, WIDGET_CELL)
    widget = page.locator(WIDGET)
    page.wait_for_function(
        f"() => document.querySelector('{WIDGET}')?.dataset.rendered >= 1", timeout=TIMEOUT_MS
    )
    assert widget.get_attribute("data-view") == "training"

    # A click on w(2)1,2 in the widget: selected in the kernel, its derivation typeset.
    before = rendered(page)
    widget.locator('[data-weight="2-1-2"]').click()
    page.wait_for_function(
        f"(n) => document.querySelector('{WIDGET}').dataset.rendered > n", arg=before
    )
    assert "selected-weight" in widget.locator('[data-weight="2-1-2"]').get_attribute("data-role")
    assert widget.locator(".pick").inner_text().startswith("w⁽²⁾₁,₂ selected: ∂𝓛/∂w = ")
    assert widget.locator(".derivation mjx-container svg").count() > 3
    assert widget.locator(".derivation [data-mjx-error]").count() == 0

    # explorer.step(3) in a cell: the view shows the new weights and the training summary.
    weights = widget.locator("[data-weight] title")  # "w⁽²⁾₁,₂ = 0.251" per connection
    old_weights = weights.all_text_contents()
    before = rendered(page)
    assert run_cell(page, STEP_CELL).strip() == "3"
    page.wait_for_function(
        f"(n) => document.querySelector('{WIDGET}').dataset.rendered > n", arg=before
    )
    new_weights = weights.all_text_contents()
    assert len(new_weights) == len(old_weights) == 9
    assert new_weights != old_weights
    assert widget.locator(".train-summary").inner_text() != ""

    # The notebook's gradients are the page's for the same State, opened from the link.
    gradients = json.loads(run_cell(page, GRADIENTS_CELL))
    link = run_cell(page, LINK_CELL).strip()
    assert link.startswith("https://backprop-explorer.example/#state=v1.")
    state = link.split("#state=", 1)[1]
    site_page = context.new_page()
    site_page.goto(f"{site}#state={state}")
    site_page.wait_for_function(
        "() => document.body.classList.contains('ready')", timeout=TIMEOUT_MS
    )
    on_page = site_page.evaluate("backpropExplorer.gradients()")
    selected = site_page.evaluate("backpropExplorer.getState().selected")
    assert selected == {"layer": 2, "to": 1, "from": 2}
    assert math.isclose(on_page["loss"], gradients["loss"], rel_tol=1e-12)
    flat = [g for layer in gradients["weights"] for row in layer for g in row]
    flat_page = [g for layer in on_page["weights"] for row in layer for g in row]
    assert len(flat) == len(flat_page) == 9
    assert all(
        math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15)
        for a, b in zip(flat, flat_page, strict=True)
    )

    context.close()
    assert outside.blocked == [], f"requests left 127.0.0.1: {outside.blocked}"
    assert errors == [], f"uncaught page errors: {errors}"
