import { svgElement } from "./dom.js";
import { markScrollable } from "./scrolling.js";

// Typesets the derivation computed in Python (backprop_explorer/derivation.py) with MathJax.
// index.html loads mathjax/mathjax.js (a classic deferred script) before the app module,
// so MathJax.startup exists by the time this module runs.
function mathReady() {
  if (!window.MathJax?.startup?.promise) {
    return Promise.reject(new Error("MathJax did not load (mathjax/mathjax.js missing)"));
  }
  return window.MathJax.startup.promise.then(() => {
    // The glyphs every formula uses (fontCache "global"): one hidden <svg>, put in before
    // the first formula, which MathJax fills as it typesets.
    const MathJax = window.MathJax;
    const glyphs = MathJax.startup.output.pageElements(MathJax.startup.document);
    if (glyphs) document.body.appendChild(glyphs);
  });
}

// Typeset TeX, reusing recent results: the same formula (a column head, or a step that did
// not change between two renders) is typeset once and cloned afterwards. The cache keeps the
// formulas used last (a derivation has about a dozen). When each SVG carried its own glyph
// paths (some 80 kB of DOM each), 400 of them, dropped oldest first however often used, held
// some 40 MB after a minute of clicking, and Play pushed out the steps it redraws
// (bench/soak.py); the glyphs are now shared (MathJax's global font cache, mathReady).
// It also holds the derivations of the selection's neighbours, typeset ahead in idle time
// (typesetAhead, neighbours.js): room for the derivation shown and eight more.
const typesetCache = new Map(); // in order of last use
const CACHE_LIMIT = 256;

async function cached(tex, options) {
  const key = `${options.display ? "D" : "I"}${options.containerWidth ?? ""}|${tex}`;
  let node = typesetCache.get(key);
  if (node) typesetCache.delete(key); // set again below: now the most recently used
  else {
    node = await window.MathJax.tex2svgPromise(tex, options);
    const error = node.querySelector("[data-mjx-error]");
    if (error) throw new Error(`could not typeset ${tex.slice(0, 60)}: ${error.getAttribute("data-mjx-error")}`);
    if (typesetCache.size >= CACHE_LIMIT) typesetCache.delete(typesetCache.keys().next().value);
  }
  typesetCache.set(key, node);
  return node;
}

const typeset = async (tex, options) => (await cached(tex, options)).cloneNode(true);

// How a step's formula is typeset in a derivation panel `width` px wide: containerWidth lets
// MathJax break long display equations into lines (displayOverflow); a path table's heads
// are inline formulas.
const STEP_INSET = 28; // px of the panel's width that the step's padding takes
const stepOptions = (width) => ({ display: true, containerWidth: Math.max(240, width - STEP_INSET) });
const HEAD_OPTIONS = { display: false };

// Typeset the formulas of `steps` (another selection's derivation, from derivationOf) into the
// cache as renderDerivation would in `container`, so that drawing them later clones them.
// `wanted()` is asked before each formula; resolves false when it stopped early.
export async function typesetAhead(container, steps, wanted) {
  await mathReady();
  const options = stepOptions(container.clientWidth || 600);
  for (const step of steps) {
    for (const [tex, how] of step.table ? step.table.heads.map((head) => [head, HEAD_OPTIONS]) : [[step.tex, options]]) {
      if (!wanted()) return false;
      await cached(tex, how);
    }
  }
  return true;
}

// What is lit in the derivation: one path-table row or formula term at a time (class "lit"),
// and its path in the diagram through onHoverTerm(term | null).
function lightUp(root, nodes, term, onHoverTerm) {
  for (const other of root.querySelectorAll(".lit")) other.classList.remove("lit");
  for (const node of nodes) node.classList.add("lit");
  onHoverTerm(nodes.length ? term : null);
}

// A mouse lights `nodes` (a row, or the pieces of a term a line break split) while it is over
// one of them; a touch screen has no hover: a tap lights them, a second tap puts them out.
// Each pointerType is handled by its own events, so a tap that a browser also reports as a
// mouse click does not toggle twice.
function hoverOrTap(nodes, root, term, onHoverTerm) {
  const mouse = (event) => event.pointerType === "mouse";
  for (const node of nodes) {
    node.addEventListener("pointerenter", (event) => mouse(event) && lightUp(root, nodes, term, onHoverTerm));
    node.addEventListener("pointerleave", (event) => mouse(event) && lightUp(root, [], null, onHoverTerm));
    node.addEventListener("pointerup", (event) => {
      if (!mouse(event)) lightUp(root, node.classList.contains("lit") ? [] : nodes, term, onHoverTerm);
    });
  }
}

// The terms Python marked in the typeset formulas (\term{n}: data-term="n", the term of path
// n, derivation.terms[n]) light their path. Each piece (a term too wide for its line is split
// in two) gets a box behind its glyphs, so the gaps between them count as the term and the lit
// term shows.
function wireTerms(root, terms, onHoverTerm) {
  for (const svg of root.querySelectorAll(".math svg")) {
    const pieces = new Map();
    for (const g of svg.querySelectorAll("[data-term]")) {
      if (g.parentElement.closest("[data-term]")) continue;
      const box = g.getBBox();
      const attrs = { class: "term-box", x: box.x, y: box.y, width: box.width, height: box.height };
      g.insertBefore(svgElement("rect", attrs), g.firstChild);
      pieces.set(g.dataset.term, [...(pieces.get(g.dataset.term) ?? []), g]);
    }
    for (const [n, nodes] of pieces) hoverOrTap(nodes, root, terms[Number(n)], onHoverTerm);
  }
}

// One row per gradient path as an HTML table: heads typeset, numbers coloured by the kind of
// their column (and named by the head above them), hovering or tapping a row lights its path
// up (onHoverTerm(term | null), the term naming its neurons and connections). Under a table
// that lists some of the paths, "Show all N paths" asks Python for them a page at a time
// (onPage(n) resolves to the pathPage result), with Previous/Next when there are several.
async function pathTable(root, table, label, terms, { onHoverTerm, onPage }) {
  const make = (tag, cls, text) => {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const wrap = make("div", "paths-box");
  const scroller = make("div", "math wide");
  const el = make("table", "paths");
  const caption = make("caption", "visually-hidden", label);
  el.appendChild(caption);
  const head = make("tr");
  head.appendChild(make("th", "", "path")).setAttribute("scope", "col");
  for (const [i, tex] of table.heads.entries()) {
    const th = make("th", `kind-${table.kinds[i]}`);
    th.setAttribute("scope", "col");
    th.appendChild(await typeset(tex, HEAD_OPTIONS));
    head.appendChild(th);
  }
  head.appendChild(make("th", "product", "product")).setAttribute("scope", "col");
  el.appendChild(make("thead")).appendChild(head);
  const body = el.appendChild(make("tbody"));
  const addRow = (row, term) => {
    const tr = make("tr");
    tr.dataset.path = String(row.path);
    const th = make("th", "", row.label);
    th.setAttribute("scope", "row");
    tr.appendChild(th);
    row.cells.forEach((text, i) => tr.appendChild(make("td", `kind-${table.kinds[i]}`, text)));
    tr.appendChild(make("td", "product", row.product));
    hoverOrTap([tr], root, term, onHoverTerm);
    body.appendChild(tr);
  };
  table.rows.forEach((row, i) => addRow(row, terms[i]));
  if (table.moreText !== null) {
    const tr = make("tr", "more");
    const td = make("td", "", table.moreText);
    td.colSpan = table.heads.length + 2;
    tr.appendChild(td);
    body.appendChild(tr);
  }
  scroller.dataset.scrollLabel = label;
  scroller.appendChild(el);
  wrap.appendChild(scroller);
  if (table.showAll !== null) {
    const nav = make("div", "path-pages");
    const previous = make("button", "", "");
    const where = make("span", "path-page-text");
    where.setAttribute("aria-live", "polite");
    where.tabIndex = -1;
    const next = make("button", "", "");
    const all = make("button", "", table.showAll);
    for (const button of [previous, next, all]) button.type = "button";
    previous.hidden = next.hidden = true;
    let page = 0;
    const show = async (n, focus) => {
      const result = await onPage(n);
      page = result.page;
      body.replaceChildren();
      result.rows.forEach((row, i) => addRow(row, result.terms[i]));
      lightUp(root, [], null, onHoverTerm);
      where.textContent = result.text;
      previous.textContent = result.previous ?? "";
      next.textContent = result.next ?? "";
      previous.hidden = result.previous === null;
      next.hidden = result.next === null;
      all.hidden = true;
      markScrollable(wrap);
      // Keep the keyboard where it was: on the button pressed, or the next one still shown.
      [focus, next, previous, where].find((node) => !node.hidden).focus();
    };
    all.addEventListener("click", () => show(1, where).catch(() => {}));
    previous.addEventListener("click", () => show(page - 1, previous).catch(() => {}));
    next.addEventListener("click", () => show(page + 1, next).catch(() => {}));
    nav.append(all, previous, where, next);
    wrap.appendChild(nav);
  }
  return wrap;
}

// Render the steps into `container`, under Python's words on what pointing at them does;
// onHoverTerm(term | null) fires when the row of a gradient path or a term of a formula is
// hovered or tapped; onPage(n) fetches page n of every path (pathPage).
/** @param {HTMLElement} container @param {import("./reply").Derivation} derivation */
export async function renderDerivation(container, derivation, { onHoverTerm, onPage }) {
  await mathReady();
  const options = stepOptions(container.clientWidth || 600);
  const list = document.createElement("ol");
  list.className = "steps";
  for (const step of derivation.steps) {
    const item = document.createElement("li");
    item.className = "step";
    item.dataset.step = step.id;
    const label = document.createElement("span");
    label.className = "step-label";
    label.textContent = step.label;
    let math;
    if (step.table) {
      math = await pathTable(container, step.table, step.label, derivation.terms, { onHoverTerm, onPage });
    } else {
      math = document.createElement("div");
      math.className = "math";
      math.appendChild(await typeset(step.tex, options));
    }
    if (!step.table) math.dataset.scrollLabel = step.label;
    item.append(label, math);
    list.appendChild(item);
  }
  const hint = document.createElement("p");
  hint.className = "hover-hint";
  hint.textContent = derivation.hoverHint;
  onHoverTerm(null); // the path lit by the derivation this one replaces
  container.replaceChildren(hint, list);
  wireTerms(container, derivation.terms, onHoverTerm);
  markScrollable(container);
  // tex2svgPromise does not touch the document: add (or refresh) MathJax's own CSS, which
  // also hides the assistive MathML that screen readers read.
  installStylesheet(window.MathJax);
}

// Typeset every [data-tex] element under `root` in place (the notation guide). The element's
// text is a plain-text fallback, replaced by the typeset formula once MathJax is ready.
export async function typesetInline(root) {
  await mathReady();
  const MathJax = window.MathJax;
  for (const node of root.querySelectorAll("[data-tex]")) {
    const tex = node.dataset.tex;
    const math = await MathJax.tex2svgPromise(tex, { display: false });
    const error = math.querySelector("[data-mjx-error]");
    if (error) throw new Error(`${tex}: ${error.getAttribute("data-mjx-error")}`);
    node.replaceChildren(math);
    node.classList.add("typeset");
  }
  installStylesheet(MathJax);
}

function installStylesheet(MathJax) {
  const sheet = MathJax.svgStylesheet();
  const old = document.getElementById(sheet.id);
  if (old) old.replaceWith(sheet);
  else document.head.appendChild(sheet);
}
