// The Web Worker that runs Python. It is the only code that calls Pyodide.
//
// Protocol (plain objects only):
//   worker -> page  {type: "progress", stage}            while booting
//                   {type: "ready"} | {type: "fatal", message}
//   page -> worker  {id, request}   request: JSON text {"op", "args"}
//   worker -> page  {id, reply}     reply: JSON text from backprop_explorer.bridge.handle
import { loadPyodide } from "../pyodide/pyodide.mjs";

const SITE_PACKAGES = "/lib/python3.12/site-packages";
let handle = null; // the one PyProxy we keep: the bridge's handle() function
const queue = [];

function progress(stage) {
  postMessage({ type: "progress", stage });
}

async function boot() {
  const indexURL = new URL("../pyodide/", import.meta.url).href;
  const packageZip = fetch(new URL("../py/backprop_explorer.zip", import.meta.url));
  progress("Starting Python (Pyodide)");
  const pyodide = await loadPyodide({ indexURL, fullStdLib: false });
  progress("Loading numpy");
  await pyodide.loadPackage("numpy", { messageCallback: () => {}, errorCallback: console.error });
  progress("Loading the Backprop Explorer package");
  const response = await packageZip;
  if (!response.ok) throw new Error(`backprop_explorer.zip: HTTP ${response.status}`);
  pyodide.unpackArchive(await response.arrayBuffer(), "zip", { extractDir: SITE_PACKAGES });
  const bridge = pyodide.pyimport("backprop_explorer.bridge");
  handle = bridge.handle.copy(); // an owned proxy: the module proxy is released below
  bridge.destroy();
}

function answer({ id, request }) {
  let reply;
  try {
    reply = handle(request);
  } catch (err) {
    // bridge.handle catches every Python exception; reaching here is a runtime failure.
    const message = `Python runtime failed: ${err && err.message ? err.message : err}`;
    reply = JSON.stringify({ ok: false, error: { field: null, message } });
  }
  postMessage({ id, reply });
}

onmessage = (event) => {
  if (handle === null) queue.push(event.data);
  else answer(event.data);
};

boot().then(
  () => {
    postMessage({ type: "ready" });
    while (queue.length) answer(queue.shift());
  },
  (err) => postMessage({ type: "fatal", message: String(err && err.stack ? err.stack : err) }),
);
