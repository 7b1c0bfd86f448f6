// Draws the loss history (points [step, loss] chosen by Python) as an SVG line chart with
// axes, tick labels and a linear or logarithmic loss axis. The drawing is as wide as its box,
// one unit a CSS pixel, so the labels keep their size on a phone; it is redrawn when the box
// changes width.
import { onResize, svgElement as el } from "./dom.js";

const M = { left: 62, right: 16, top: 14, bottom: 40 };
const MIN_W = 240; // narrower boxes scroll rather than shrink the labels
const TICK_SPACE = 70; // CSS px per step label

const drawn = new WeakMap(); // svg -> {points, scale, width}

// About `count` round tick values covering [lo, hi] (1, 2 or 5 times a power of ten apart).
export function niceTicks(lo, hi, count) {
  if (hi <= lo) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  const ticks = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

// A tick or loss value as the plot writes it: at most 4 significant digits, 1e-4 style when tiny
// or huge.
export function label(value) {
  if (value === 0) return "0";
  const abs = Math.abs(value);
  if (abs >= 1e5 || abs < 1e-3) return value.toExponential(0).replace("e+", "e");
  return String(Number(value.toPrecision(4)));
}

// The axes of a plot whose axis is `span` CSS px long, for points [step, loss]: the step ticks
// (whole steps from 0 to maxStep), the loss axis from lo to hi (whole powers of ten on a log
// axis, at most about 7 labelled) with its ticks {at, text}, and `value`, a loss as placed on
// that axis (its log10 on a log axis, where a loss of 0 sits at the smallest positive one).
export function lossAxes(points, log, span) {
  const maxStep = Math.max(1, ...points.map((p) => p[0]));
  const positive = points.map((p) => p[1]).filter((v) => v > 0);
  const floor = positive.length ? Math.min(...positive) : 1;
  const value = (v) => (log ? Math.log10(Math.max(v, floor)) : v);
  const values = points.map((p) => value(p[1]));
  const lo = log ? Math.floor(Math.min(...values)) : 0;
  let hi = log ? Math.ceil(Math.max(...values)) : Math.max(...values);
  if (hi <= lo) hi = lo + 1;
  const xTicks = niceTicks(0, maxStep, Math.max(2, Math.floor(span / TICK_SPACE))).filter((t) => Number.isInteger(t));
  const all = log ? Array.from({ length: hi - lo + 1 }, (_, i) => lo + i) : niceTicks(lo, hi, 5);
  const thin = log && all.length > 7 ? Math.ceil(all.length / 7) : 1;
  const yTicks = all.filter((_, i) => i % thin === 0).map((t) => ({ at: t, text: log ? label(10 ** t) : label(t) }));
  return { maxStep, lo, hi, value, xTicks, yTicks };
}

function watch(svg) {
  onResize(svg.parentElement, () => {
    const last = drawn.get(svg);
    if (last && plotWidth(svg) !== last.width) drawLossPlot(svg, last.points, last.scale);
  });
}

function plotWidth(svg) {
  return Math.max(MIN_W, Math.floor(svg.parentElement.getBoundingClientRect().width));
}

// Render `points` into `svg`; scale is "linear" or "log".
export function drawLossPlot(svg, points, scale) {
  if (!drawn.has(svg)) watch(svg);
  const W = plotWidth(svg);
  const H = Math.round(Math.min(240, Math.max(190, W * 0.46)));
  drawn.set(svg, { points, scale, width: W });
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const x0 = M.left;
  const x1 = W - M.right;
  const y0 = H - M.bottom;
  const y1 = M.top;
  const log = scale === "log";
  const { maxStep, lo, hi, value, xTicks, yTicks } = lossAxes(points, log, x1 - x0);
  const sx = (s) => x0 + ((x1 - x0) * s) / maxStep;
  const sy = (v) => y0 - ((y0 - y1) * (v - lo)) / (hi - lo);

  const axes = el("g", { class: "axes" }, svg);
  el("line", { x1: x0, y1: y0, x2: x1, y2: y0 }, axes);
  el("line", { x1: x0, y1: y0, x2: x0, y2: y1 }, axes);
  for (const t of xTicks) {
    el("line", { x1: sx(t), y1: y0, x2: sx(t), y2: y0 + 4 }, axes);
    el("text", { x: sx(t), y: y0 + 16, "text-anchor": "middle" }, axes, String(t));
  }
  for (const { at, text } of yTicks) {
    el("line", { x1: x0 - 4, y1: sy(at), x2: x1, y2: sy(at), class: "grid" }, axes);
    el("text", { x: x0 - 7, y: sy(at) + 4, "text-anchor": "end" }, axes, text);
  }
  el("text", { x: (x0 + x1) / 2, y: H - 6, "text-anchor": "middle", class: "axis-title" }, axes, "Step");
  el(
    "text",
    { x: 14, y: (y0 + y1) / 2, "text-anchor": "middle", class: "axis-title", transform: `rotate(-90 14 ${(y0 + y1) / 2})` },
    axes,
    log ? "Loss (log scale)" : "Loss",
  );
  const coords = points.map((p) => `${sx(p[0]).toFixed(2)},${sy(value(p[1])).toFixed(2)}`);
  if (points.length > 1) el("polyline", { points: coords.join(" "), class: "loss-line" }, svg);
  const last = points[points.length - 1];
  el("circle", { cx: sx(last[0]), cy: sy(value(last[1])), r: 4, class: "loss-last" }, svg);
  const first = points[0];
  svg.setAttribute(
    "aria-label",
    `Loss history: ${points.length === 1 ? "step 0 only" : `steps 0 to ${last[0]}`}, loss from ` +
      `${label(first[1])} to ${label(last[1])}, ${log ? "logarithmic" : "linear"} scale`,
  );
  svg.dataset.points = String(points.length);
}
