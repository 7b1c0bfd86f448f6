// Draws the loss history (Python's loss plot: its lines of [step, loss] points, ticks and
// words) as an SVG line chart with axes, tick labels and a linear or logarithmic loss axis. The drawing is as wide as its box,
// one unit a CSS pixel, so the labels keep their size on a phone; it is redrawn when the box
// changes width.
import { onResize, svgElement as el } from "./dom.js";

const M = { left: 62, right: 16, top: 14, bottom: 40 };
const MIN_W = 240; // narrower boxes scroll rather than shrink the labels
const TICK_SPACE = 70; // CSS px per step label

const drawn = new WeakMap(); // svg -> {plot, scale, width}

// The step axis's ticks for a plot whose axis is `span` CSS px long: Python's whole steps for
// the most labels that fit (about one per TICK_SPACE px). Every tick and word on the plot comes
// from Python (py/backprop_explorer/loss_plot.py).
export function stepTicks(plot, span) {
  const count = Math.max(2, Math.floor(span / TICK_SPACE));
  return plot.stepTicks[Math.min(count, plot.stepTicks.length + 1) - 2];
}

function watch(svg) {
  onResize(svg.parentElement, () => {
    const last = drawn.get(svg);
    if (last && plotWidth(svg) !== last.width) drawLossPlot(svg, last.plot, last.scale);
  });
}

function plotWidth(svg) {
  return Math.max(MIN_W, Math.floor(svg.parentElement.getBoundingClientRect().width));
}

// Render Python's loss plot `plot` (its series, axes and words) into `svg`; scale is "linear"
// or "log".
/** @param {import("./reply").LossPlot} plot */
export function drawLossPlot(svg, plot, scale) {
  if (!drawn.has(svg)) watch(svg);
  const W = plotWidth(svg);
  const H = Math.round(Math.min(240, Math.max(190, W * 0.46)));
  drawn.set(svg, { plot, scale, width: W });
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const x0 = M.left;
  const x1 = W - M.right;
  const y0 = H - M.bottom;
  const y1 = M.top;
  const log = scale === "log";
  const axis = plot.axes[log ? "log" : "linear"];
  const value = (v) => (log ? Math.log10(Math.max(v, axis.floor)) : v);
  const maxStep = Math.max(1, ...plot.series.flatMap((s) => s.points.map((p) => p[0])));
  const sx = (s) => x0 + ((x1 - x0) * s) / maxStep;
  const sy = (v) => y0 - ((y0 - y1) * (v - axis.lo)) / (axis.hi - axis.lo);

  const axes = el("g", { class: "axes" }, svg);
  el("line", { x1: x0, y1: y0, x2: x1, y2: y0 }, axes);
  el("line", { x1: x0, y1: y0, x2: x0, y2: y1 }, axes);
  for (const t of stepTicks(plot, x1 - x0)) {
    el("line", { x1: sx(t.at), y1: y0, x2: sx(t.at), y2: y0 + 4 }, axes);
    el("text", { x: sx(t.at), y: y0 + 16, "text-anchor": "middle" }, axes, t.text);
  }
  for (const { at, text } of axis.ticks) {
    el("line", { x1: x0 - 4, y1: sy(at), x2: x1, y2: sy(at), class: "grid" }, axes);
    el("text", { x: x0 - 7, y: sy(at) + 4, "text-anchor": "end" }, axes, text);
  }
  el("text", { x: (x0 + x1) / 2, y: H - 6, "text-anchor": "middle", class: "axis-title" }, axes, plot.stepTitle);
  el(
    "text",
    { x: 14, y: (y0 + y1) / 2, "text-anchor": "middle", class: "axis-title", transform: `rotate(-90 14 ${(y0 + y1) / 2})` },
    axes,
    axis.title,
  );
  // the batch losses first, so the whole set's line is drawn over them
  for (const series of [...plot.series].reverse()) {
    const points = series.points;
    const coords = points.map((p) => `${sx(p[0]).toFixed(2)},${sy(value(p[1])).toFixed(2)}`);
    const kind = `loss-line ${series.kind}`;
    if (points.length > 1) el("polyline", { points: coords.join(" "), class: kind }, svg);
  }
  const points = plot.series[0].points;
  const last = points[points.length - 1];
  el("circle", { cx: sx(last[0]), cy: sy(value(last[1])), r: 4, class: "loss-last" }, svg);
  if (plot.legend) {
    const legend = el("g", { class: "legend" }, svg);
    plot.series.forEach((series, i) => {
      const y = y1 + 6 + i * 15;
      el("line", { x1: x1 - 22, y1: y, x2: x1 - 6, y2: y, class: `loss-line ${series.kind}` }, legend);
      el("text", { x: x1 - 26, y: y + 4, "text-anchor": "end" }, legend, series.label);
    });
  }
  svg.setAttribute("aria-label", plot.label[log ? "log" : "linear"]);
  svg.dataset.points = String(points.length);
}
