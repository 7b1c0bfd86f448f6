"""The explorer as a Jupyter widget, end to end: the built wheel with its `notebook` extra in a
fresh venv, a real JupyterLab on 127.0.0.1, examples/explorer.ipynb run in Chromium.

A click in the widget's diagram selects a connection and its derivation is typeset; the cell
`explorer.step(3)` changes the weights the view shows, in the diagram and in the page's Weights
table; the widget's Step button steps `explorer.state` in the kernel; the notebook's gradients
are the page's for the same State (opened on the site from `explorer.link`, selection
included); a second widget in the notebook keeps ids of its own and draws only its own
network. Nothing the browser asks for leaves 127.0.0.1.
"""

from __future__ import annotations

import json
import math
import os
import shutil
from pathlib import Path

import pytest
from notebook_lab import ROOT, jupyter_lab, make_env

from backprop_explorer.names import sig
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


# A new code cell at the end of the notebook holding `source`, run; its index.
ADD_CELL = """async (source) => {
  const notebook = window.jupyterapp.shell.currentWidget.content;
  notebook.activeCellIndex = notebook.widgets.length - 1;
  await window.jupyterapp.commands.execute("notebook:insert-cell-below");
  const i = notebook.activeCellIndex;
  notebook.activeCell.model.sharedModel.setSource(source);
  await window.jupyterapp.commands.execute("notebook:run-cell");
  return i;
}"""
STATE = 'import json; print(json.dumps(explorer.state["weights"]))'


def run_cell(page, i: int) -> str:
    page.evaluate(RUN_CELL, i)
    handle = page.wait_for_function(CELL_OUTPUT, arg=i, timeout=TIMEOUT_MS)
    return handle.json_value()


def run_code(page, source: str) -> str:
    """Run `source` in a cell of its own (added at the end): its text output."""
    i = page.evaluate(ADD_CELL, source)
    return page.wait_for_function(CELL_OUTPUT, arg=i, timeout=TIMEOUT_MS).json_value()


def rendered(page, n: int = 0) -> int:
    return int(page.locator(WIDGET).nth(n).get_attribute("data-rendered") or 0)


def wait_rendered(page, before: int, n: int = 0) -> None:
    page.wait_for_function(
        f"([n, i]) => document.querySelectorAll('{WIDGET}')[i].dataset.rendered > n",
        arg=[before, n],
        timeout=TIMEOUT_MS,
    )


def weights_table(widget) -> dict[str, str]:
    """The widget's Weights table (the page's markup): each weight's text by its id."""
    cells = widget.locator(".weights-table td[data-weight]")
    return dict(
        zip(
            [c.get_attribute("data-weight") for c in cells.all()],
            cells.all_text_contents(),
            strict=True,
        )
    )


def python_weights(page) -> dict[str, str]:
    """explorer.state's weights in the kernel, each as the Weights table writes it."""
    weights = json.loads(run_code(page, STATE))
    return {
        f"{l}-{j}-{k}": sig(w, zeros=True)
        for l, layer in enumerate(weights, 1)
        for j, row in enumerate(layer, 1)
        for k, w in enumerate(row, 1)
    }


def test_the_example_notebook_runs_the_explorer_in_jupyterlab(browser, lab, site) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside = Outside(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(f"{lab}lab/tree/{NOTEBOOK}")
    page.wait_for_function(KERNEL_IDLE, timeout=TIMEOUT_MS)

    run_cell(page, WIDGET_CELL)
    widget = page.locator(WIDGET).first
    page.wait_for_function(
        f"() => document.querySelector('{WIDGET}')?.dataset.rendered >= 1", timeout=TIMEOUT_MS
    )
    assert widget.get_attribute("data-view") == "training"

    # A click on w(2)1,2 in the widget: selected in the kernel, its derivation typeset.
    before = rendered(page)
    widget.locator('.widget-diagram [data-weight="2-1-2"]').click()
    page.wait_for_function(
        f"(n) => document.querySelector('{WIDGET}').dataset.rendered > n", arg=before
    )
    assert "selected-weight" in widget.locator(
        '.widget-diagram [data-weight="2-1-2"]'
    ).get_attribute("data-role")
    assert widget.locator(".pick").inner_text().startswith("w⁽²⁾₁,₂ selected: ∂𝓛/∂w = ")
    assert widget.locator(".derivation mjx-container svg").count() > 3
    assert widget.locator(".derivation [data-mjx-error]").count() == 0

    # explorer.step(3) in a cell: the view shows the new weights and the training summary.
    weights = widget.locator(
        ".widget-diagram [data-weight] title"
    )  # "w⁽²⁾₁,₂ = 0.251" per connection
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
    # ... and so does the page's Weights table, drawn in the widget by training-view.js
    table = weights_table(widget)
    stepped = python_weights(page)
    assert len(table) == len(stepped) == 9
    assert table == stepped
    assert widget.locator(".history-table tbody tr").count() == 4  # steps 0 to 3

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

    # The widget's own Step button (the page's, from index.html) steps the kernel's State.
    before = rendered(page)
    widget.get_by_role("button", name="Step Optimization").click()
    wait_rendered(page, before)
    after = python_weights(page)
    assert after != stepped
    assert weights_table(widget) == after
    assert widget.locator(".history-table tbody tr").count() == 5

    # A second widget: ids of its own (none shared with the first), and its buttons step its
    # own network only.
    run_code(page, 'second = Explorer(layers=[2, 2, 1], view="training")\nsecond')
    page.wait_for_function(
        f"() => document.querySelectorAll('{WIDGET}')[1]?.dataset.rendered >= 1",
        timeout=TIMEOUT_MS,
    )
    ids = page.evaluate(f"() => [...document.querySelectorAll('{WIDGET} [id]')].map((e) => e.id)")
    assert len(ids) == len(set(ids)) > 40
    other = page.locator(WIDGET).nth(1)
    first_count = rendered(page, 0)
    before = rendered(page, 1)
    other.get_by_role("button", name="Step Optimization").click()
    wait_rendered(page, before, 1)
    assert other.locator(".history-table tbody tr").count() == 2
    assert widget.locator(".history-table tbody tr").count() == 5
    assert rendered(page, 0) == first_count
    assert python_weights(page) == after

    context.close()
    assert outside.blocked == [], f"requests left 127.0.0.1: {outside.blocked}"
    assert errors == [], f"uncaught page errors: {errors}"
