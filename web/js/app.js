// The page controller: wires the DOM to the Python engine and publishes the app API
// on window.backpropExplorer. It holds no truth of its own: every State, diagram and
// derivation it shows is the latest one Python rendered.
import { createEngine } from "./engine.js";
import { renderDiagram, showPath } from "./diagram.js";
import { renderDerivation, typesetAhead, typesetInline } from "./derivation-view.js";
import { prepareNeighbours } from "./neighbours.js";
import { markScrollable } from "./scrolling.js";
import { createControls } from "./controls.js";
import { createTrainingView } from "./training-view.js";
import { createAhead } from "./prerender.js";
import {
  copyText, diagramSvg, download, listenToHost, readHash, setUpEmbed, svgToPng, writeHash,
} from "./share.js";

const $ = (selector) => document.querySelector(selector);
const svg = $("#diagram");
const status = $("#status");
const loading = $("#loading");
const derivationPanel = $("#derivation");

let current = null; // {state, link, preset, diagram, derivation, training} last rendered
const opened = readHash(); // what the address asked for: a State link, embed mode, panels, controls, select, notation, present
let shownHash = null; // the hash this page last wrote
let chain = Promise.resolve(); // operations run one after another, in call order
const presentButton = $("#present-button");
let presentationOpened = false; // whether Python's init has said if the page opens presenting

function showError(message) {
  status.textContent = message;
  status.classList.remove("notice");
  status.hidden = false;
}

function showNotice(message) {
  status.textContent = message;
  status.classList.add("notice");
  status.hidden = false;
}

function clearError() {
  status.textContent = "";
  status.hidden = true;
}

const engine = createEngine({
  onProgress: (stage) => {
    $("#loading-stage").textContent = stage;
  },
  onFailure: (err) => pythonFailed(err),
});

const controls = createControls({
  onPreset: (name) => api.preset(name).catch(() => {}),
  onEdit: (field, text, source) => edit(field, text, source).catch(() => {}),
  onSetState: (partial) => api.setState(partial).catch(() => {}),
});

const training = createTrainingView({
  root: document.body,
  diagram: svg,
  api: {
    step: (n) => api.step(n),
    resetWeights: () => api.resetWeights(),
    restoreSeed: () => api.restoreSeed(),
  },
  onEdit: (field, text, source) => edit(field, text, source),
  showError,
});

function onSelect(selection) {
  api.select(selection).catch(() => {});
}

function onHoverTerm(term) {
  showPath(svg, term);
}

// A page of every gradient path of the selected weight (the "Show all N paths" table); a
// failure is said in #status.
function onPage(page) {
  return api.pathPage(page).catch((err) => {
    showError(err.message);
    throw err;
  });
}

// Renders are drawn one after another, in the order asked: a view answered ahead of Python
// (below) can be asked for while another is still being typeset.
let drawing = Promise.resolve();
function draw(view) {
  const done = drawing.then(() => render(view));
  drawing = done.catch(() => {});
  return done;
}

// -- answered ahead (js/prerender.js): while Python starts, a click the build pre-rendered
// (a connection, a notation) is drawn at once from index.html. The request still waits for
// Python in the queue; its answer is the same render, which is then not drawn again (nothing
// flickers), and answers to earlier requests (init's) are not drawn over it either.
let ahead = null; // createAhead(…) while the opening view is the pre-rendered one
let requests = 0; // run()'s requests, numbered in call order

function answerAhead(op, args, number) {
  const view = document.body.dataset.python === "starting" ? ahead?.answer(op, args, number) : null;
  if (!view) return;
  current = view;
  draw(view).catch((err) => showError(err.message));
}
// -- end of answered ahead

/** @param {import("./reply").Render} view the render of Python's last reply */
async function render(view) {
  current = view;
  document.body.dataset.view = view.state.view;
  for (const button of document.querySelectorAll(".views [data-view]")) {
    button.setAttribute("aria-pressed", String(button.dataset.view === view.state.view));
  }
  renderDiagram(svg, view.diagram, { onSelect });
  if (!performance.getEntriesByName("bpx:diagram-clickable").length) performance.mark("bpx:diagram-clickable");
  syncControls(view);
  training.render(view, typesetInline);
  shownHash = writeHash(view.link, { ...opened, present: presenting() });
  announce(view.derivation ? view.derivation.summary : "");
  $("#pick").textContent = view.pick;
  $("#to-derivation").hidden = !view.derivation;
  if (view.derivation) {
    await renderDerivation(derivationPanel, view.derivation, { onHoverTerm, onPage });
  } else {
    const hint = document.createElement("p");
    hint.className = "hint";
    hint.textContent = view.hint;
    derivationPanel.replaceChildren(hint);
  }
  document.body.dataset.rendered = String(Number(document.body.dataset.rendered || 0) + 1);
}

// Once a selection is drawn (a select, or the opening view) and Python is up, its neighbours'
// derivations are typeset in idle time (neighbours.js) until the next request; body[data-ahead]
// then names the render they were prepared for (bench/run.py waits for it to measure a click at
// a student's pace). Not after a training step: Play's next step would wait for them.
function prepareNext() {
  const view = current;
  const number = requests;
  const rendered = document.body.dataset.rendered;
  if (!view?.derivation || document.body.dataset.python !== "ready") return;
  const wanted = () => number === requests && current === view && document.body.dataset.python === "ready";
  prepareNeighbours(view, {
    derive: async (selection) => (await engine.call("derivationOf", { selection })).result,
    typesetAhead: (steps, still) => typesetAhead(derivationPanel, steps, still),
    wanted,
  })
    .then(() => {
      if (wanted()) document.body.dataset.ahead = rendered;
    })
    .catch((err) => {
      // only a fault of ours: a click on any of them asks Python again and shows its error
      if (wanted()) console.error(`typesetting ahead failed: ${err.message}`);
    });
}

// The polite live region says what was selected and its gradient, once per change: screen
// readers hear one sentence, not the whole derivation.
function announce(text) {
  const region = $("#announce");
  if (region.textContent !== text) region.textContent = text;
}

function syncControls(view) {
  for (const input of document.querySelectorAll("input[name=notation]")) {
    input.checked = input.value === view.state.notation;
  }
  $("#topology").textContent = view.form.topology;
  controls.sync(view);
}

// Queue an engine call, render its result, and resolve with its result; on error the
// message goes to #status (and next to the field, when a form field caused it).
function run(op, args, { source = null } = {}) {
  const number = ++requests;
  answerAhead(op, args, number);
  const task = chain.then(async () => {
    try {
      const t0 = performance.now();
      const reply = await engine.call(op, args);
      const t1 = performance.now();
      if (reply.result?.options) controls.setOptions(reply.result.options);
      if (!ahead?.shown(number, reply.render)) await draw(reply.render);
      if (op === "select") prepareNext();
      // Timings for bench/run.py, which sets window.bpxTiming: Python's answer (worker round
      // trip and bridge.handle alone) and the redraw. Off otherwise, so a long session does
      // not pile up performance entries.
      if (window.bpxTiming) {
        performance.measure(`bpx:python:${op}`, { start: t0, end: t1 });
        performance.measure(`bpx:handle:${op}`, { start: t1 - reply.took, end: t1 });
        performance.measure(`bpx:render:${op}`, { start: t1, end: performance.now() });
      }
      clearError();
      return reply.result;
    } catch (err) {
      showError(err.message);
      // Next to the field too, named as the page labels it: the slot may serve several fields.
      if (err.field) controls.showFieldError(err.field, err.message, source);
      throw err;
    }
  });
  chain = task.catch(() => {});
  return task;
}

function edit(field, text, source = null) {
  return run("edit", { field, text }, { source });
}

const api = {
  ready: null,
  getState() {
    if (!current) throw new Error("backpropExplorer is not ready yet: await backpropExplorer.ready");
    return structuredClone(current.state);
  },
  setState(partial) {
    return run("setState", { partial });
  },
  gradients() {
    return chain.then(async () => (await engine.call("gradients")).result);
  },
  // Page `page` (from 1) of every gradient path of the selected weight, 100 rows a page.
  pathPage(page) {
    return chain.then(async () => (await engine.call("pathPage", { page })).result);
  },
  // Live-object and memory figures of the Python worker, for bench/soak.py.
  diagnostics() {
    return chain.then(async () => (await engine.call("diagnostics")).result);
  },
  step(n = 1) {
    return run("step", { n });
  },
  select(selection) {
    return run("select", { selection });
  },
  // Apply a named topology ("basic", "classic", "special", "deep", "demo").
  preset(name) {
    return run("preset", { name });
  },
  // Set a State value from text as typed in a form field, e.g. edit("input[0]", "0.5").
  edit(field, text) {
    return edit(field, text);
  },
  // Open a permalink's state text (the `state=` part of a link's hash).
  openLink(link) {
    return run("openLink", { link }).then((result) => {
      if (result.notice) showNotice(result.notice);
      return result;
    });
  },
  // Reset Weights: new random weights from the next seed; restoreSeed() undoes it.
  resetWeights() {
    return run("resetWeights", {});
  },
  restoreSeed() {
    return run("restoreSeed", {});
  },
  // After Python failed: start a fresh one with the State on screen (the Retry button).
  retry() {
    return retry();
  },
};

// The first view, pre-rendered at build time by the same Python (build.py): drawn at once,
// so the network can be explored while Pyodide starts. Not used when a link asks for
// another State. Clicks meanwhile are answered from the views the build pre-rendered for
// them (not in an embed, whose view is Python's to choose) and queued behind "init".
function readPrerender(id) {
  const slot = document.getElementById(id);
  if (opened.link || opened.select || opened.notation || !slot || !slot.textContent.trim()) return null;
  try {
    return JSON.parse(slot.textContent);
  } catch {
    return null; // a damaged pre-render only costs the head start
  }
}

const prerendered = readPrerender("bpx-prerender");
if (opened.embed) setUpEmbed(opened.panels.length ? opened.panels : null);
if (prerendered?.ok) {
  controls.setOptions(prerendered.result.options);
  labelPresentation(prerendered.result.present);
  loading.classList.add("compact"); // a line under the diagram, not a curtain over it
  // init, the next request, is answered by the pre-render when it asks for nothing more
  const clicks = opened.embed ? null : readPrerender("bpx-prerender-clicks");
  ahead = createAhead(clicks, prerendered.render, requests + 1);
  draw(prerendered.render).catch((err) => showError(err.message));
}

// Python's life as the page shows it (body[data-python]): "starting", "ready" or "failed".
// A failure (Python could not start, or stopped later) is said under the diagram, with a
// Retry button, and in #status; whatever was drawn stays on screen.
const retryButton = $("#retry-python");
let retryHadFocus = false; // a keyboard user who pressed Retry gets it back if it fails again
function startPython(args) {
  document.body.dataset.python = "starting";
  const booted = engine.ready;
  // First in the queue, whatever is clicked. An embed names its panels and controls: Python
  // picks what to show and the view it needs (embed.py); select, notation and present from
  // the address are Python's to read too (address.py). Its one notice says what was not done.
  const { select, notation, present } = opened;
  const asked = { ...args, select, notation, present };
  const started = run("init", opened.embed ? { ...asked, panels: opened.panels, controls: opened.controls } : asked);
  const ready = (async () => {
    const [, result] = await Promise.all([booted, started]);
    if (result.embed) setUpEmbed(result.embed.panels, result.embed.controls);
    labelPresentation(result.present);
    if (!presentationOpened) setPresenting(result.present.on); // once: a Retry keeps the mode
    presentationOpened = true;
    if (result.notice) showNotice(result.notice);
    document.body.dataset.python = "ready";
    prepareNext();
    ahead?.stop(); // Python answers from now on
    loading.hidden = true;
    document.body.classList.add("ready");
    if (!performance.getEntriesByName("bpx:ready").length) performance.mark("bpx:ready");
  })();
  ready.catch(() => {}); // the page shows the failure (pythonFailed); whoever awaits it gets it
  return ready;
}

function pythonFailed(err) {
  if (document.body.dataset.python === "ready") {
    // It stopped after it started: `ready` now says so too, until a Retry replaces it.
    api.ready = Promise.reject(err);
    api.ready.catch(() => {});
  }
  document.body.dataset.python = "failed";
  ahead?.stop(); // the State Python comes back with is not the table's
  document.body.classList.remove("ready");
  if (current) loading.classList.add("compact"); // a line under what is drawn, never over it
  loading.classList.add("failed");
  loading.setAttribute("aria-live", "off"); // #status (an alert) says it once
  $("#loading-stage").textContent = err.message;
  loading.hidden = false;
  retryButton.hidden = false;
  if (retryHadFocus) retryButton.focus();
  retryHadFocus = false;
  showError(err.message);
}

// Start a fresh Python and give it the State on screen (the last one rendered, pre-rendered
// included), or, if nothing was rendered yet, the link the page was opened with.
function retry() {
  retryHadFocus = document.activeElement === retryButton;
  retryButton.hidden = true;
  loading.classList.remove("failed");
  loading.removeAttribute("aria-live");
  $("#loading-stage").textContent = "Restarting Python";
  clearError();
  engine.restart();
  api.ready = startPython(current ? { state: current.state } : { link: opened.link });
  return api.ready;
}
retryButton.addEventListener("click", () => retry().catch(() => {}));

api.ready = startPython({ link: opened.link });

typesetInline(document.querySelector(".guide-panel")).catch((err) => {
  showError(`The notation guide could not be typeset: ${err.message}`);
});

for (const button of document.querySelectorAll(".views [data-view]")) {
  button.addEventListener("click", () => {
    if (button.dataset.view !== current?.state.view) api.setState({ view: button.dataset.view }).catch(() => {});
  });
}

for (const input of document.querySelectorAll("input[name=notation]")) {
  input.addEventListener("change", () => {
    if (input.checked) api.setState({ notation: input.value }).catch(() => {});
  });
}

// Whether a box scrolls (and so needs a Tab stop) depends on the window's width.
window.addEventListener("resize", () => markScrollable());

// A link pasted into the address bar of an open page is followed too.
window.addEventListener("hashchange", () => {
  if (location.hash === shownHash) return;
  const next = readHash();
  api.openLink(next.link).catch(() => {});
});

// "Its derivation ↓" beside Python's line under the diagram: the derivation, scrolled to on
// request only (a click in the diagram never moves the page); on narrow screens its
// scroll-margin (style.css) keeps it out from under the pinned diagram.
$("#to-derivation").addEventListener("click", () => {
  $(".derivation-panel").scrollIntoView({ block: "start" });
  derivationPanel.focus({ preventScroll: true });
});

$("#copy-link").addEventListener("click", async () => {
  const done = await copyText(location.href);
  $("#copy-result").textContent = done ? "Link copied." : `Copy this link: ${location.href}`;
});

function exportError(err) {
  showError(`Export failed: ${err.message}`);
}

$("#export-svg").addEventListener("click", () => {
  download("backprop-diagram.svg", new Blob([diagramSvg(svg)], { type: "image/svg+xml" }));
});
$("#export-png").addEventListener("click", () => {
  const box = svg.viewBox.baseVal;
  svgToPng(diagramSvg(svg), box.width, box.height)
    .then((blob) => download("backprop-diagram.png", blob))
    .catch(exportError);
});
$("#export-csv").addEventListener("click", () => {
  engine
    .call("export", { kind: "csv" })
    .then(({ result }) => download(result.filename, new Blob([result.text], { type: result.mime })))
    .catch(exportError);
});
let latexFile = null;
$("#export-latex").addEventListener("click", () => {
  engine
    .call("export", { kind: "latex" })
    .then(({ result }) => {
      latexFile = result;
      $("#latex-text").value = result.text;
      $("#latex-result").textContent = "";
      $("#latex-dialog").showModal();
    })
    .catch((err) => showError(err.message));
});
$("#latex-copy").addEventListener("click", async () => {
  const done = await copyText($("#latex-text").value);
  if (!done) $("#latex-text").select();
  $("#latex-result").textContent = done ? "Copied." : "Selected: press Ctrl+C (⌘C) to copy.";
});
$("#latex-download").addEventListener("click", () => {
  download(latexFile.filename, new Blob([latexFile.text], { type: latexFile.mime }));
});
$("#latex-close").addEventListener("click", () => $("#latex-dialog").close());

// -- presentation mode: large type and thick lines for a projector (style.css). The button's
// words come from Python (init's `present`), and whether the address opens in it (`present=1`);
// a second press or Esc leaves it; the address keeps `present=1` while it is on.
function presenting() {
  return document.documentElement.classList.contains("present");
}

function setPresenting(on) {
  document.documentElement.classList.toggle("present", on);
  presentButton.setAttribute("aria-pressed", String(on));
  if (current) shownHash = writeHash(current.link, { ...opened, present: on });
}

function labelPresentation(present) {
  presentButton.textContent = present.label;
  presentButton.title = present.hint;
  presentButton.hidden = false;
}

presentButton.addEventListener("click", () => setPresenting(!presenting()));
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && presenting() && !document.querySelector("dialog[open]")) setPresenting(false);
});

// A host page's call is made only when Python names its operation one a host may call.
listenToHost(api, async (op) => (await engine.call("hostOp", { op })).result.op);
window.backpropExplorer = api;
