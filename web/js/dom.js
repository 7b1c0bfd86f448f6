// The two element factories every view uses: attributes set as strings, optional text.

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
