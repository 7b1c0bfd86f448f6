// Draws the diagram model computed in Python (backprop_explorer/diagram.py) as SVG.
// It decides nothing: positions, labels and highlight roles all come from the model.
import { svgElement as el } from "./dom.js";

function layerWord(layer, columns) {
  if (layer === 0) return "input";
  if (layer === columns.length - 1) return "output";
  return `hidden layer ${layer}`;
}

// A band of half-width w around the connection: easy to click or tap, and (unlike a
// stroke) part of the element's bounding box even when the line is horizontal.
function hitArea({ x1, y1, x2, y2 }, w) {
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

export function edgeLabel(edge, columns) {
  const from = `${layerWord(edge.layer - 1, columns)} neuron ${edge.from}`;
  const to = `${layerWord(edge.layer, columns)} neuron ${edge.to}`;
  return `weight w(${edge.layer})${edge.to},${edge.from} from ${from} to ${to}, value ${edge.weight.toFixed(3)}`;
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

// Render `model` into the <svg> element; onSelect({layer, to, from}) is called on a click,
// tap, Enter or Space on a connection. One connection is in the Tab order (the selected one,
// else the first); arrow keys move focus between connections (roving tabindex).
export function renderDiagram(svg, model, { onSelect }) {
  const focused = svg.contains(document.activeElement) ? document.activeElement.dataset.weight : null;
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${model.width} ${model.height}`);
  const titles = el("g", { class: "layer-titles" }, svg);
  for (const col of model.columns) {
    const text = el("text", { x: col.x, y: 18, class: "layer-title", "text-anchor": "middle" }, titles);
    text.textContent = col.title;
  }
  const edges = el("g", { class: "edges" }, svg);
  for (const edge of model.edges) {
    const g = el(
      "g",
      {
        class: `edge ${edge.sign}`,
        "data-weight": edge.id,
        tabindex: -1,
        role: "button",
        "aria-label": edgeLabel(edge, model.columns),
      },
      edges,
    );
    if (edge.roles.length) g.setAttribute("data-role", edge.roles.join(" "));
    const line = { x1: edge.x1, y1: edge.y1, x2: edge.x2, y2: edge.y2 };
    el("line", { ...line, class: "edge-line", "stroke-width": edge.stroke }, g);
    el("polygon", { points: hitArea(edge, 7), class: "edge-hit" }, g);
    const title = el("title", {}, g);
    title.textContent = `w(${edge.layer})${edge.to},${edge.from} = ${edge.weight.toFixed(3)}`;
    const select = () => onSelect({ layer: edge.layer, to: edge.to, from: edge.from });
    g.addEventListener("click", select);
    g.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        select();
        return;
      }
      const next = neighbour(model.edges, edge, event.key);
      if (!next) return;
      event.preventDefault();
      moveFocus(svg, next.id);
    });
  }
  const selected = model.edges.find((e) => e.roles.includes("selected-weight"));
  const ids = [focused, selected?.id, model.edges[0]?.id];
  const tabStop = ids.map((id) => id && svg.querySelector(`[data-weight="${id}"]`)).find(Boolean);
  if (tabStop) {
    tabStop.setAttribute("tabindex", "0");
    if (focused) tabStop.focus(); // the old element was replaced: keep the keyboard user's place
  }
  const nodes = el("g", { class: "nodes" }, svg);
  for (const node of model.nodes) {
    const g = el(
      "g",
      {
        class: `neuron ${node.kind}`,
        "data-neuron": node.id,
        "aria-label": `${layerWord(node.layer, model.columns)} neuron ${node.index}, value ${node.label}`,
        role: "img",
      },
      nodes,
    );
    if (node.roles.length) g.setAttribute("data-role", node.roles.join(" "));
    el("circle", { cx: node.x, cy: node.y, r: node.r }, g);
    const text = el("text", { x: node.x, y: node.y + 5, "text-anchor": "middle" }, g);
    text.textContent = node.label;
  }
}

function moveFocus(svg, id) {
  for (const g of svg.querySelectorAll("[data-weight][tabindex='0']")) g.setAttribute("tabindex", "-1");
  const target = svg.querySelector(`[data-weight="${id}"]`);
  target.setAttribute("tabindex", "0");
  target.focus();
}

// Mark one gradient path (a list of [layer, neuron]) as hovered, or clear with null.
export function showPath(svg, path) {
  for (const node of svg.querySelectorAll(".hover-path")) node.classList.remove("hover-path");
  if (!path) return;
  for (const [layer, neuron] of path) {
    svg.querySelector(`[data-neuron="${layer}-${neuron}"]`)?.classList.add("hover-path");
  }
  for (let i = 1; i < path.length; i++) {
    const [layer, to] = path[i];
    const from = path[i - 1][1];
    svg.querySelector(`[data-weight="${layer}-${to}-${from}"]`)?.classList.add("hover-path");
  }
}
