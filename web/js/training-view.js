// The training-step demo: its buttons, tables, loss plot and the hover links between the
// tables and the diagram. Every number, heading and sentence shown comes from Python's
// `training` view (py/backprop_explorer/training.py) and form model; this module lays them
// out and turns clicks into app operations.
import { reveal } from "./diagram.js";
import { element as make } from "./dom.js";
import { drawLossPlot } from "./loss-plot.js";
import { syncFields, vectorRow } from "./controls.js";
import { markScrollable } from "./scrolling.js";
import { renderSetup } from "./training-setup.js";

function weightsTable(table, blocks) {
  const caption = table.querySelector("caption");
  table.replaceChildren(caption);
  for (const block of blocks) {
    const body = make("tbody");
    const title = make("tr", { class: "block-title" });
    title.appendChild(make("th", { colspan: block.heads.length + 1, scope: "colgroup" }, block.title));
    body.appendChild(title);
    const head = make("tr");
    head.appendChild(make("td"));
    for (const text of block.heads) head.appendChild(make("th", { scope: "col" }, text));
    body.appendChild(head);
    for (const row of block.rows) {
      const tr = make("tr");
      tr.appendChild(make("th", { scope: "row" }, row.head));
      for (const cell of row.cells) tr.appendChild(make("td", { "data-weight": cell.id, title: cell.title }, cell.text));
      body.appendChild(tr);
    }
    table.appendChild(body);
  }
}

function headRow(table, heads) {
  const head = make("tr");
  for (const title of heads) head.appendChild(make("th", { scope: "col" }, title));
  table.appendChild(make("thead")).appendChild(head);
}

// A parameter's data attribute, by the kind Python gave its update record: a bias's id is
// its diagram connection's (l-j-0, from the bias unit), so both link like a weight's.
const LINK_KEY = { weight: "data-weight", bias: "data-weight" };

function updatesTable(table, t) {
  const caption = table.querySelector("caption");
  table.replaceChildren(caption);
  headRow(table, t.heads.updates);
  const body = table.appendChild(make("tbody"));
  if (t.noUpdate !== null) {
    const tr = body.appendChild(make("tr"));
    tr.appendChild(make("td", { colspan: t.heads.updates.length, class: "empty" }, t.noUpdate));
    return;
  }
  for (const u of t.lastUpdate) {
    const tr = make("tr");
    const th = tr.appendChild(make("th", { scope: "row" }, u.name));
    th.append(" ", make("span", { class: "route" }, u.route));
    const key = LINK_KEY[u.kind];
    for (const cell of u.cells) tr.appendChild(make("td", { [key]: u.id, "data-part": cell.part }, cell.text));
    body.appendChild(tr);
  }
}

function historyTable(table, t) {
  const caption = table.querySelector("caption");
  table.replaceChildren(caption);
  headRow(table, t.heads.history);
  const body = table.appendChild(make("tbody"));
  const rows = t.rows;
  for (const row of [...rows].reverse()) {
    // newest first: the latest step is where the eye lands
    const tr = make("tr", { "data-step": row.step });
    tr.appendChild(make("th", { scope: "row" }, row.text.step));
    for (const text of row.cells) tr.appendChild(make("td", {}, text));
    if (row.trend !== null) tr.classList.add(row.trend);
    body.appendChild(tr);
  }
}

// Each table is one Tab stop; the arrow keys move between its weight cells (roving tabindex),
// Home/End to the first/last of the row.
function linkCells(table) {
  return [...table.rows].map((row) => [...row.cells].filter((c) => c.matches("td[data-weight]"))).filter((r) => r.length);
}

function cellNeighbour(cell, key) {
  const rows = linkCells(cell.closest("table"));
  const r = rows.findIndex((row) => row.includes(cell));
  const c = rows[r].indexOf(cell);
  const at = (row, i) => row[Math.max(0, Math.min(i, row.length - 1))];
  switch (key) {
    case "ArrowRight":
      return at(rows[r], c + 1);
    case "ArrowLeft":
      return at(rows[r], c - 1);
    case "ArrowDown":
      return rows[r + 1] ? at(rows[r + 1], c) : cell;
    case "ArrowUp":
      return rows[r - 1] ? at(rows[r - 1], c) : cell;
    case "Home":
      return rows[r][0];
    case "End":
      return rows[r][rows[r].length - 1];
    default:
      return null;
  }
}

function roveTo(cell) {
  for (const other of cell.closest("table").querySelectorAll("td[data-weight][tabindex='0']")) other.tabIndex = -1;
  cell.tabIndex = 0;
  cell.focus();
}

// After a table is rebuilt: one Tab stop again, and the keyboard user's place kept.
function setTabStops(table, focused) {
  const cells = table.querySelectorAll("td[data-weight]");
  for (const cell of cells) cell.tabIndex = -1;
  const same = focused && table.querySelector(`td[data-weight="${focused.weight}"][data-part="${focused.part}"]`);
  const stop = same || (focused && table.querySelector(`td[data-weight="${focused.weight}"]`)) || cells[0];
  if (!stop) return;
  stop.tabIndex = 0;
  if (focused?.table === table.id) stop.focus();
}

// The training values' fields: a new set (other layer sizes) means rebuilding them.
function shapeKey(form) {
  return JSON.stringify(form.vectors);
}

// The view draws into `root`, the element holding its panels (the page's body, a notebook
// widget's box): every element is found inside it by its id in index.html, after `ids` (a
// widget's own prefix, so that two widgets on one page never share an id; "" on the page),
// and `diagram` is the SVG whose connections the tables light up. `root.dataset.view` says
// which view is on screen.
export function createTrainingView({ root, ids = "", diagram, api, onEdit, showError }) {
  const $ = (id) => root.querySelector(`#${CSS.escape(ids + id)}`);
  const scaleRadios = () => root.querySelectorAll(`input[name="${CSS.escape(ids + "loss-scale")}"]`);
  let last = null; // the latest training view from Python
  let builtShape = null;
  let playing = false;
  let lossTex = null;
  const tables = root.querySelector(".tables-panel");

  function setPlaying(on) {
    playing = on;
    const button = $("play-button");
    button.setAttribute("aria-pressed", String(on));
    button.textContent = on ? "⏸ Pause" : "▶ Play";
  }

  async function play() {
    setPlaying(true);
    while (playing) {
      try {
        const { stopped } = await api.step(1);
        if (stopped !== null) setPlaying(false); // blew up: Python's notice says why
      } catch {
        setPlaying(false); // refused: the message is on screen, nothing changed
        return;
      }
      if (root.dataset.view !== "training") setPlaying(false);
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  }

  /** @param {import("./reply").Render} view */
  function render(view, typesetInline) {
    const t = view.training;
    if (!t) {
      setPlaying(false);
      return;
    }
    last = t;
    const form = view.form;
    if (shapeKey(form) !== builtShape) {
      const [inputs, targets] = form.vectors;
      for (const [slot, vector] of [[$("train-inputs"), inputs], [$("train-targets"), targets]]) {
        slot.replaceChildren(...vectorRow(vector).childNodes);
        slot.setAttribute("aria-label", vector.title);
      }
      $("learning-rate-label").textContent = form.learningRateLabel;
      builtShape = shapeKey(form);
    }
    renderSetup($("training-setup"), form.training, onEdit, ids);
    syncFields($("training-values"), form.values);
    if (t.lossFormula.tex !== lossTex) {
      lossTex = t.lossFormula.tex;
      const formula = $("loss-formula");
      formula.dataset.tex = t.lossFormula.tex;
      formula.textContent = t.lossFormula.label;
      typesetInline(formula.parentElement).catch((err) => showError(err.message));
      $("loss-note").textContent = t.lossFormula.note;
    }
    $("train-summary").textContent = t.summary;
    const notices = $("training-notices");
    notices.replaceChildren(...t.notices.map((n) => make("p", { class: `notice ${n.kind}` }, n.text)));
    const restore = $("restore-button");
    restore.hidden = t.restore === null;
    restore.textContent = t.restore ?? "";
    const active = tables.contains(document.activeElement) && document.activeElement.closest("td[data-weight]");
    const focused = active && {
      table: active.closest("table").id,
      weight: active.dataset.weight,
      part: active.dataset.part ?? "",
    };
    weightsTable($("weights-table"), t.weights);
    $("bias-note").textContent = t.notes.bias;
    updatesTable($("updates-table"), t);
    for (const id of ["weights-table", "updates-table"]) setTabStops($(id), focused);
    $("updates-note").textContent = t.notes.updates;
    historyTable($("history-table"), t);
    $("history-note").textContent = t.notes.history;
    drawLossPlot($("loss-plot"), t.lossPlot, [...scaleRadios()].find((radio) => radio.checked).value);
    markScrollable(tables);
    showLinks(); // the tables and the diagram were drawn anew
  }

  // A refused step (or Reset, Restore) is said in the panel too, where the student looks.
  function showStepError(message) {
    const p = make("p", { class: "notice warn" }, message);
    $("training-notices").prepend(p);
  }

  // -- wiring -------------------------------------------------------------------------
  const run = (promise) => promise.catch((err) => showStepError(err.message));
  $("step-button").addEventListener("click", () => run(api.step(1)));
  $("run-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const field = $("run-steps");
    api.step(field.value).catch((err) => {
      if (err.field === "n") {
        field.setAttribute("aria-invalid", "true");
        $("run-error").textContent = err.problem;
      } else showStepError(err.message);
    });
  });
  $("run-steps").addEventListener("input", () => {
    $("run-steps").removeAttribute("aria-invalid");
    $("run-error").textContent = "";
  });
  $("play-button").addEventListener("click", () => (playing ? setPlaying(false) : play()));
  $("reset-button").addEventListener("click", () => run(api.resetWeights()));
  $("restore-button").addEventListener("click", () => run(api.restoreSeed()));
  $("training-values").addEventListener("change", (event) => {
    const input = event.target.closest("[data-field]");
    if (input) onEdit(input.dataset.field, input.value, input);
  });
  $("training-values").addEventListener("submit", (event) => event.preventDefault());
  for (const radio of scaleRadios()) {
    radio.addEventListener("change", () => {
      if (last) drawLossPlot($("loss-plot"), last.lossPlot, radio.value);
    });
  }

  // Links between the tables and the diagram: a weight's table entries and its connection are
  // marked together (class "highlighted" on the cells, data-role word "highlighted" on the
  // connection) while the mouse is over one of them or one of them has the focus: Tab and the
  // arrow keys reach them, and a tap focuses what it touches. No information is hover-only.
  const svg = diagram;
  const linked = { hover: null, focus: null };
  function markConnection(id) {
    const g = svg.querySelector(`[data-weight="${id}"]`);
    if (!g) return;
    const words = new Set((g.getAttribute("data-role") || "").split(/\s+/).filter(Boolean));
    words.add("highlighted");
    g.setAttribute("data-role", [...words].join(" "));
  }
  function showLinks() {
    for (const cell of tables.querySelectorAll(".highlighted")) cell.classList.remove("highlighted");
    for (const g of svg.querySelectorAll("[data-role~='highlighted']")) {
      const words = g.getAttribute("data-role").split(/\s+/).filter((w) => w && w !== "highlighted");
      if (words.length) g.setAttribute("data-role", words.join(" "));
      else g.removeAttribute("data-role");
    }
    if (root.dataset.view !== "training") return; // the tables are not on screen
    for (const id of new Set([linked.hover, linked.focus])) {
      if (id === null) continue;
      markConnection(id);
      for (const cell of tables.querySelectorAll(`td[data-weight="${id}"]`)) cell.classList.add("highlighted");
    }
  }
  function follow(source, event, kind) {
    const target = event.target.closest?.("[data-weight]");
    const id = target && source.contains(target) ? target.dataset.weight : null;
    if (linked[kind] !== id) {
      linked[kind] = id;
      showLinks();
      // a table entry's connection is scrolled into the diagram's box (pinned on a phone)
      const lit = source === tables && svg.querySelector(`[data-weight="${id}"][data-role~='highlighted']`);
      if (lit) reveal(svg, [lit]);
    }
  }
  for (const source of [tables, svg]) {
    // a mouse's hover only: a finger's tap focuses what it touches instead (and on a touch
    // screen, the "mouse" a scroll moves over the page is no one's pointer)
    source.addEventListener("pointerover", (event) => {
      if (event.pointerType === "mouse" && matchMedia("(hover: hover)").matches) follow(source, event, "hover");
    });
    source.addEventListener("pointerleave", () => {
      linked.hover = null;
      showLinks();
    });
    source.addEventListener("focusin", (event) => follow(source, event, "focus"));
    source.addEventListener("focusout", (event) => {
      if (!source.contains(event.relatedTarget)) {
        linked.focus = null;
        showLinks();
      }
    });
  }
  tables.addEventListener("keydown", (event) => {
    const cell = event.target.closest("td[data-weight]");
    const next = cell && cellNeighbour(cell, event.key);
    if (!next) return;
    event.preventDefault();
    roveTo(next);
  });

  return { render };
}
