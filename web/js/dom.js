// The two element factories every view uses (attributes set as strings, optional text), and
// the resize watch of the views that redraw at their box's size.

const SVG_NS = "http://www.w3.org/2000/svg";

// An HTML element: make("td", {"data-weight": "1-2-3"}, "0.25").
export function element(tag, attrs = {}, text = null) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== null) node.textContent = text;
  return node;
}

// An SVG element, appended to `parent` when one is given.
export function svgElement(name, attrs = {}, parent = null, text = null) {
  const node = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== null) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

// Call `redraw()` after `box` changes size, once per animation frame. Redrawing inside the
// ResizeObserver's own callback would resize what it observes in the same delivery, which
// browsers report as an error ("ResizeObserver loop completed with undelivered notifications").
export function onResize(box, redraw) {
  let pending = false;
  new ResizeObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      redraw();
    });
  }).observe(box);
}
