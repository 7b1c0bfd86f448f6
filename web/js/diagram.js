// Draws the diagram model computed in Python (backprop_explorer/diagram.py) as SVG.
// It decides nothing about the network: positions, labels, names and highlight roles all come
// from the model. It only picks the first of the model's layouts that fits the box (the
// narrowest, in a box that scrolls, when none does), scrolls that box to what a link lights,
// and finds what a tap meant.
import { element as make, onResize, svgElement as el } from "./dom.js";
import { markScrollable } from "./scrolling.js";

const MAX_SCALE = 1.2; // a small network on a wide screen is not blown up beyond this
const TAP_REACH = 12; // CSS px: a tap this close to a connection may mean it
const CLEAR_LEAD = 8; // CSS px: the nearest connection is taken without asking if this much nearer
const MAX_CHOICES = 8;

const drawn = new WeakMap(); // svg -> {model, layout, pinned (a height or null), onSelect, selected}

// The first layout whose text stays readable in a box `width` CSS px wide, else the narrowest.
export function chooseLayout(layouts, width) {
  return layouts.find((l) => l.minWidth <= width) ?? layouts.reduce((a, b) => (b.minWidth < a.minWidth ? b : a));
}

// The CSS px the drawing may take (it is as wide as its box within these): never narrower than
// where its text gets too small, never blown up beyond MAX_SCALE, and, pinned in a box at most
// `height` CSS px high, no wider than fits that height. A drawing too tall for that box even
// at its smallest readable size is drawn as wide as it is unpinned (its text larger, its
// connections easier to tap), and the box scrolls.
export function drawnWidths(layout, height = null) {
  const { minWidth } = layout;
  const widest = Math.round(layout.width * MAX_SCALE);
  const fits = height === null ? widest : Math.floor((layout.width * height) / layout.height);
  return { minWidth, maxWidth: fits < minWidth ? widest : Math.min(widest, fits) };
}

// The height the drawing's box is pinned within (style.css's max-height on narrow screens), or
// null.
function pinnedHeight(svg) {
  const limit = parseFloat(getComputedStyle(svg.parentElement).maxHeight);
  return Number.isFinite(limit) ? limit : null;
}

// A band of half-width w around the connection: easy to click, and (unlike a stroke) part of
// the element's bounding box even when the line is horizontal.
function hitArea([x1, y1, x2, y2], w) {
  const len = Math.hypot(x2 - x1, y2 - y1) || 1;
  const nx = (-(y2 - y1) / len) * w;
  const ny = ((x2 - x1) / len) * w;
  const pts = [
    [x1 + nx, y1 + ny],
    [x2 + nx, y2 + ny],
    [x2 - nx, y2 - ny],
    [x1 - nx, y1 - ny],
  ];
  return pts.map(([x, y]) => `${x.toFixed(2)},${y.toFixed(2)}`).join(" ");
}

// The connection the arrow keys move to from `edge` (edges are in model order: layer, to, from).
// Up/Down: previous/next connection of the same layer. Right: follow the path forward, to a
// connection leaving this one's destination neuron. Left: back to one arriving at its source.
// Home/End: first/last connection of the layer.
export function neighbour(edges, edge, key) {
  const layer = edges.filter((e) => e.layer === edge.layer);
  const i = layer.indexOf(edge);
  switch (key) {
    case "ArrowDown":
      return layer[Math.min(i + 1, layer.length - 1)];
    case "ArrowUp":
      return layer[Math.max(i - 1, 0)];
    case "Home":
      return layer[0];
    case "End":
      return layer[layer.length - 1];
    case "ArrowRight":
      return edges.find((e) => e.layer === edge.layer + 1 && e.from === edge.to) ?? edge;
    case "ArrowLeft":
      return edges.find((e) => e.layer === edge.layer - 1 && e.to === edge.from) ?? edge;
    default:
      return null;
  }
}

// When the layers run from top to bottom, ↓/↑ follow the path and ←/→ stay in the layer.
const DOWN_KEYS = { ArrowDown: "ArrowRight", ArrowUp: "ArrowLeft", ArrowRight: "ArrowDown", ArrowLeft: "ArrowUp" };

// Render `model` into the <svg> element; onSelect({layer, to, from}) is called on a click,
// tap, Enter or Space on a connection. One connection is in the Tab order (the selected one,
// else the first); arrow keys move focus between connections (roving tabindex).
/** @param {SVGSVGElement} svg @param {import("./reply").Diagram} model */
export function renderDiagram(svg, model, { onSelect }) {
  const box = svg.parentElement;
  const layout = chooseLayout(model.layouts, box.clientWidth);
  const pinned = pinnedHeight(svg);
  const before = drawn.get(svg);
  if (!before) watch(svg);
  drawn.set(svg, { model, layout, pinned, onSelect });
  draw(svg, model, layout, pinned);
  markScrollable(box.parentElement);
  // a weight selected anew (from a link, the API, a list of connections) is scrolled to
  const selected = svg.querySelector("[data-role~='selected-weight']");
  if (selected && selected.dataset.weight !== before?.selected) reveal(svg, [selected]);
  drawn.get(svg).selected = selected?.dataset.weight;
}

function draw(svg, model, layout, pinned) {
  const at = layout.name;
  const focused = svg.contains(document.activeElement) ? document.activeElement.dataset.weight : null;
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${layout.width} ${layout.height}`);
  svg.dataset.layout = at;
  const { minWidth, maxWidth } = drawnWidths(layout, pinned);
  svg.style.minWidth = `${minWidth}px`;
  svg.style.maxWidth = `${maxWidth}px`;
  const titles = el("g", { class: "layer-titles" }, svg);
  for (const col of model.columns) {
    const [x, y] = col.at[at];
    el("text", { x, y, class: "layer-title", "text-anchor": layout.titleAnchor }, titles, col.title);
  }
  const edges = el("g", { class: "edges" }, svg);
  for (const edge of model.edges) {
    const g = el(
      "g",
      { class: `edge ${edge.sign}`, "data-weight": edge.id, tabindex: -1, role: "button", "aria-label": edge.name },
      edges,
    );
    if (edge.roles.length) g.setAttribute("data-role", edge.roles.join(" "));
    const [x1, y1, x2, y2] = edge.at[at];
    el("line", { x1, y1, x2, y2, class: "edge-line", "stroke-width": edge.stroke }, g);
    el("polygon", { points: hitArea(edge.at[at], 7), class: "edge-hit" }, g);
    el("title", {}, g, edge.title);
    g.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        pick(svg, edge);
        return;
      }
      const key = at === "down" ? (DOWN_KEYS[event.key] ?? event.key) : event.key;
      const next = neighbour(model.edges, edge, key);
      if (!next) return;
      event.preventDefault();
      moveFocus(svg, next.id);
    });
  }
  // Pinned, the drawing is always in sight: focusing a connection must not scroll the page;
  // the focusin handler (watch) scrolls the drawing's own box instead.
  const still = { preventScroll: pinned !== null };
  const selected = model.edges.find((e) => e.roles.includes("selected-weight"));
  const ids = [focused, selected?.id, model.edges[0]?.id];
  const tabStop = ids.map((id) => id && svg.querySelector(`[data-weight="${id}"]`)).find(Boolean);
  if (tabStop) {
    tabStop.setAttribute("tabindex", "0");
    if (focused) tabStop.focus(still); // the old element was replaced: keep the keyboard user's place
  }
  const nodes = el("g", { class: "nodes" }, svg);
  for (const node of model.nodes) {
    const g = el(
      "g",
      { class: `neuron ${node.kind}`, "data-neuron": node.id, "aria-label": node.name, role: "img" },
      nodes,
    );
    if (node.roles.length) g.setAttribute("data-role", node.roles.join(" "));
    const [cx, cy] = node.at[at];
    el("circle", { cx, cy, r: node.r }, g);
    el("text", { x: cx, y: cy + 5, "text-anchor": "middle" }, g, node.label);
  }
}

function pick(svg, edge) {
  moveFocus(svg, edge.id); // the next render keeps this place (and the training view's links)
  drawn.get(svg).onSelect({ layer: edge.layer, to: edge.to, from: edge.from });
}

function moveFocus(svg, id) {
  for (const g of svg.querySelectorAll("[data-weight][tabindex='0']")) g.setAttribute("tabindex", "-1");
  const target = svg.querySelector(`[data-weight="${id}"]`);
  target.setAttribute("tabindex", "0");
  target.focus({ preventScroll: drawn.get(svg).pinned !== null });
}

// Set up once per <svg>: redraw when the box's size calls for another layout, or the drawing
// is pinned (within another height) or no longer; one click handler for every connection and
// neuron; a connection that gets the focus is scrolled into the box.
function watch(svg) {
  const box = svg.parentElement;
  onResize(box, () => {
    const now = drawn.get(svg);
    if (!now) return;
    const layout = chooseLayout(now.model.layouts, box.clientWidth);
    const pinned = pinnedHeight(svg);
    if (layout.name !== now.layout.name || pinned !== now.pinned) {
      Object.assign(now, { layout, pinned });
      draw(svg, now.model, layout, pinned);
    }
    markScrollable(box.parentElement);
  });
  svg.addEventListener("focusin", (event) => {
    const g = event.target.closest?.("[data-weight]");
    if (g) reveal(svg, [g]);
  });
  svg.addEventListener("click", (event) => {
    const { model, layout } = drawn.get(svg);
    const neuron = event.target.closest("[data-neuron]");
    if (neuron) {
      // a neuron lists its connections: on a phone, the sure way to reach each of them
      const { connections } = model.nodes.find((n) => n.id === neuron.dataset.neuron);
      const own = connections.edges.map((id) => model.edges.find((e) => e.id === id));
      if (own.length) choose(svg, connections.title, own, event.clientY);
      return;
    }
    if (event.pointerType === "touch" || event.pointerType === "pen") {
      // A fingertip covers several connections where they meet: take the nearest line when
      // it is clearly the nearest, else ask.
      const meant = tapMeant(nearest(svg, model.edges, layout.name, event.clientX, event.clientY));
      if (meant?.edge) pick(svg, meant.edge);
      else if (meant) choose(svg, "Which connection did you mean?", meant.choices, event.clientY);
      return;
    }
    const g = event.target.closest("[data-weight]");
    if (g) pick(svg, model.edges.find((e) => e.id === g.dataset.weight));
  });
}

// The distance from point p {x, y} to the segment [x1, y1, x2, y2].
export function segmentDistance(p, [x1, y1, x2, y2]) {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const t = Math.max(0, Math.min(1, ((p.x - x1) * dx + (p.y - y1) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(p.x - (x1 + t * dx), p.y - (y1 + t * dy));
}

// The connections within TAP_REACH CSS px of a point on the screen, nearest first.
function nearest(svg, edges, at, clientX, clientY) {
  const ctm = svg.getScreenCTM();
  const p = new DOMPoint(clientX, clientY).matrixTransform(ctm.inverse());
  return edgesNear(edges, at, p, Math.hypot(ctm.a, ctm.b));
}

// The connections of layout `at` within TAP_REACH CSS px of point p {x, y} (in the drawing's
// units, `scale` CSS px each), nearest first, at most MAX_CHOICES: [{edge, d}] with d in CSS px.
export function edgesNear(edges, at, p, scale) {
  return edges
    .map((edge) => ({ edge, d: segmentDistance(p, edge.at[at]) * scale }))
    .filter((n) => n.d <= TAP_REACH)
    .sort((a, b) => a.d - b.d)
    .slice(0, MAX_CHOICES);
}

// What a tap near these connections (edgesNear's list) meant: {edge} when one is clearly the
// nearest (by CLEAR_LEAD CSS px, or the only one), {choices} to ask among, null for none.
export function tapMeant(near) {
  if (near.length === 1 || (near.length > 1 && near[1].d - near[0].d >= CLEAR_LEAD)) return { edge: near[0].edge };
  if (near.length > 1) return { choices: near.map((n) => n.edge) };
  return null;
}

// A small dialog that lists connections by name; choosing one selects it.
let chooser = null;
function choose(svg, title, edges, clientY = null) {
  if (!chooser) {
    chooser = make("dialog", { class: "edge-chooser", id: "edge-chooser", "aria-labelledby": "edge-chooser-title" });
    chooser.append(make("h3", { id: "edge-chooser-title" }), make("div", { class: "edge-choices" }));
    const cancel = make("button", { type: "button", class: "edge-cancel" }, "Cancel");
    cancel.addEventListener("click", () => chooser.close());
    chooser.append(cancel);
    chooser.addEventListener("click", (event) => {
      if (event.target === chooser) chooser.close(); // a tap on the backdrop
    });
    chooser.addEventListener("close", () => {
      for (const g of document.querySelectorAll(".edge.candidate")) g.classList.remove("candidate");
    });
    document.body.append(chooser);
  }
  chooser.querySelector("h3").textContent = title;
  const list = chooser.querySelector(".edge-choices");
  list.replaceChildren(
    ...edges.map((edge) => {
      const button = make("button", { type: "button", "data-weight": edge.id }, edge.name);
      button.addEventListener("click", () => {
        chooser.close();
        pick(svg, edge);
      });
      return button;
    }),
  );
  // the connections in question stay in sight, marked, with the list on the other half
  for (const edge of edges) svg.querySelector(`[data-weight="${edge.id}"]`)?.classList.add("candidate");
  const low = clientY !== null && clientY > window.innerHeight / 2;
  chooser.style.margin = low ? "0.75rem auto auto" : "auto auto 0.75rem";
  chooser.showModal();
}

// Mark one gradient path (a derivation term: the ids of its neurons and connections, from
// Python) as hovered, or clear with null.
/** @param {SVGSVGElement} svg @param {import("./reply").Term | null} term */
export function showPath(svg, term) {
  for (const node of svg.querySelectorAll(".hover-path")) node.classList.remove("hover-path");
  if (!term) return;
  for (const id of term.neurons) svg.querySelector(`[data-neuron="${id}"]`)?.classList.add("hover-path");
  for (const id of term.edges) svg.querySelector(`[data-weight="${id}"]`)?.classList.add("hover-path");
  // in sight from the selected weight, where every path starts
  const start = svg.querySelector("[data-role~='selected-weight']");
  reveal(svg, [...(start ? [start] : []), ...svg.querySelectorAll(".hover-path")]);
}

// Where a box scrolled to `view` ({left, top, width, height}, in its content's CSS px) should
// scroll so that `union` (a box {left, top, right, bottom} there) is in sight: null when it is
// already; else, along each axis where it is not, `union` centred when it fits, or the part
// of it that fits from its end nearer to `anchor` (the selected or linked element's box).
export function scrollTarget(union, anchor, view) {
  const axis = (lo, hi, aLo, aHi, start, size) => {
    if (lo >= start - 1 && hi <= start + size + 1) return start;
    if (hi - lo <= size) return Math.max(0, Math.round((lo + hi - size) / 2));
    return Math.max(0, aLo + aHi - lo - hi <= 0 ? Math.floor(lo) : Math.ceil(hi - size));
  };
  const left = axis(union.left, union.right, anchor.left, anchor.right, view.left, view.width);
  const top = axis(union.top, union.bottom, anchor.top, anchor.bottom, view.top, view.height);
  return left === view.left && top === view.top ? null : { left, top };
}

// Scroll the drawing's own box (never the page) so that `elements` (the first the anchor) come
// into sight; at once when the reader asks for reduced motion.
/** @param {SVGSVGElement} svg @param {Element[]} elements */
export function reveal(svg, elements) {
  const box = svg.parentElement;
  if (!elements.length || (box.scrollWidth <= box.clientWidth && box.scrollHeight <= box.clientHeight)) return;
  const outer = box.getBoundingClientRect();
  const x0 = outer.left + box.clientLeft - box.scrollLeft;
  const y0 = outer.top + box.clientTop - box.scrollTop;
  const inBox = (r) => ({ left: r.left - x0, top: r.top - y0, right: r.right - x0, bottom: r.bottom - y0 });
  const boxes = elements.map((e) => inBox(e.getBoundingClientRect()));
  const union = boxes.reduce((a, b) => ({
    left: Math.min(a.left, b.left),
    top: Math.min(a.top, b.top),
    right: Math.max(a.right, b.right),
    bottom: Math.max(a.bottom, b.bottom),
  }));
  const view = { left: box.scrollLeft, top: box.scrollTop, width: box.clientWidth, height: box.clientHeight };
  const target = scrollTarget(union, boxes[0], view);
  if (!target) return;
  const still = matchMedia("(prefers-reduced-motion: reduce)").matches;
  box.scrollTo({ ...target, behavior: still ? "auto" : "smooth" });
}
