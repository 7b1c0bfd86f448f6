// Sharing: the permalink in the URL hash, embed mode and its postMessage API, and exports
// (diagram as SVG/PNG, derivation as LaTeX, history as CSV). The link text and the LaTeX and
// CSV files are made by Python; this module moves them between the page, the URL and files.

import { svgElement } from "./dom.js";

const MESSAGE = { call: "backprop-explorer:call", reply: "backprop-explorer:reply", height: "backprop-explorer:height" };

// The hash holds `state=<link>`; for embeds `embed=1&panels=diagram,derivation&controls=none`;
// and, written by hand, `select=2-1-3`, `notation=vector`, `present=1`. The values go to
// Python as they are (null when absent): Python reads them (embed.py, address.py).
export function readHash(hash = location.hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const panels = (params.get("panels") || "").split(",").map((p) => p.trim()).filter(Boolean);
  return {
    link: params.get("state"),
    embed: params.get("embed") === "1",
    panels,
    controls: params.get("controls"),
    select: params.get("select"),
    notation: params.get("notation"),
    present: params.get("present"),
  };
}

// Keep the address current without adding history entries: the link is always shareable.
// `select` and `notation` are not written back: the State in `state=` carries them now.
export function writeHash(link, { embed, panels, controls, present }) {
  const params = new URLSearchParams();
  if (embed) params.set("embed", "1");
  if (embed && panels.length) params.set("panels", panels.join(","));
  if (embed && controls !== null) params.set("controls", controls);
  if (present) params.set("present", "1");
  params.set("state", link);
  const hash = `#${params.toString()}`;
  if (location.hash !== hash) history.replaceState(null, "", hash);
  return hash;
}

// Embed mode: no page chrome, only the chosen panels; the host is told our height.
let reportHeight = () => {};
let observing = false;

// `panels`: the sections to show (Python's choice, init's `embed.panels`; before Python is up,
// the ones the address names), or null to show them all until Python has chosen; `controls`:
// the control groups Python keeps (init's `embed.controls`), or null to leave them as they are.
// Safe to call again: it re-applies both.
export function setUpEmbed(panels, controls = null) {
  document.body.classList.add("embed");
  if (panels) applyPanels(panels);
  if (controls) applyControls(controls);
  if (window.parent !== window && !observing) {
    observing = true;
    let last = 0;
    // The content's height, not the document's scrollHeight: that is never less than the
    // iframe's own height, so an embed that once grew could never shrink again.
    reportHeight = (always = false) => {
      const margins = getComputedStyle(document.body);
      const height = Math.ceil(
        document.body.getBoundingClientRect().height + parseFloat(margins.marginTop) + parseFloat(margins.marginBottom),
      );
      if (always || height !== last) {
        last = height;
        window.parent.postMessage({ type: MESSAGE.height, height }, "*"); // a number only
      }
    };
    new ResizeObserver(() => reportHeight()).observe(document.body);
    reportHeight();
  }
}

// Hide every control group (data-control) Python did not name: `controls=none|settings|all`.
function applyControls(names) {
  for (const element of document.querySelectorAll("[data-control]")) {
    element.classList.toggle("control-off", !names.includes(element.dataset.control));
  }
}

function applyPanels(names) {
  document.body.dataset.panels = names.join(" ");
  for (const section of document.querySelectorAll("[data-panel]")) {
    section.classList.toggle("panel-off", !names.includes(section.dataset.panel));
  }
}

// The host page drives an embed with {type: MESSAGE.call, id, op, args}; replies go back to it
// alone. Messages from any window but our embedding parent are ignored. `hostOp(op)` resolves
// with the name of the operation when a host may call it (Python decides, bridge.HOST_OPS) and
// rejects with the message for the host when it may not.
export function listenToHost(api, hostOp) {
  if (window.parent === window) return;
  window.addEventListener("message", async (event) => {
    if (event.source !== window.parent) return;
    const msg = event.data;
    if (!msg || typeof msg !== "object" || msg.type !== MESSAGE.call) return;
    const reply = { type: MESSAGE.reply, id: msg.id ?? null };
    try {
      const args = Array.isArray(msg.args) ? msg.args : msg.args === undefined ? [] : [msg.args];
      await api.ready;
      const op = await hostOp(msg.op);
      reply.ok = true;
      reply.result = await api[op](...args);
    } catch (err) {
      reply.ok = false;
      reply.error = { field: err.field ?? null, message: err.message };
    }
    event.source.postMessage(reply, event.origin === "null" ? "*" : event.origin);
    reportHeight(true); // a host that connected late still learns our height
  });
}

export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // fall through: permission refused or no user gesture
    }
  }
  return false;
}

export function download(filename, blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

// A stand-alone copy of the diagram: every style the page applies is written onto the
// elements, so the file looks the same in any viewer (fonts, colours, dashes, thickness).
const STYLE_PROPS = [
  "fill", "fill-opacity", "stroke", "stroke-width", "stroke-opacity", "stroke-dasharray",
  "stroke-linecap", "font-family", "font-size", "font-weight", "opacity", "visibility",
];

// The panel's background, so the file shows the colours as they are seen (light or dark).
function panelColour() {
  return getComputedStyle(document.documentElement).getPropertyValue("--panel").trim() || "#ffffff";
}

export function diagramSvg(svg) {
  const copy = svg.cloneNode(true);
  const source = svg.querySelectorAll("*");
  const target = copy.querySelectorAll("*");
  source.forEach((el, i) => {
    const computed = getComputedStyle(el);
    const style = STYLE_PROPS.map((p) => `${p}:${computed.getPropertyValue(p)}`).join(";");
    target[i].setAttribute("style", style);
    for (const attr of ["tabindex", "role"]) target[i].removeAttribute(attr);
  });
  const box = svg.viewBox.baseVal;
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  copy.setAttribute("width", String(box.width));
  copy.setAttribute("height", String(box.height));
  copy.removeAttribute("id");
  const background = svgElement("rect", { x: 0, y: 0, width: box.width, height: box.height, fill: panelColour() });
  copy.insertBefore(background, copy.firstChild);
  return new XMLSerializer().serializeToString(copy);
}

export function svgToPng(svgText, width, height, scale = 2) {
  return new Promise((resolve, reject) => {
    const image = new Image();
    const url = URL.createObjectURL(new Blob([svgText], { type: "image/svg+xml" }));
    image.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      const context = canvas.getContext("2d");
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      URL.revokeObjectURL(url);
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("the PNG could not be made"))), "image/png");
    };
    image.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error("the diagram could not be drawn as an image"));
    };
    image.src = url;
  });
}
