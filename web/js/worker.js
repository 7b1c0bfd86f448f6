// The served site's module Web Worker: a thin shell around python-host.js, which boots Python
// and answers requests (its header comment gives the protocol). With python-host.js it is the
// only code that touches Pyodide.
import { loadPyodide } from "../pyodide/pyodide.mjs";
import { startPythonHost } from "./python-host.js";

// Fetch our package while Pyodide starts.
const packageZip = fetch(new URL("../py/backprop_explorer.zip", import.meta.url)).then((response) => {
  if (!response.ok) throw new Error(`backprop_explorer.zip: HTTP ${response.status}`);
  return response.arrayBuffer();
});
packageZip.catch(() => {}); // the host reports the failure when it awaits the bytes

const host = startPythonHost({
  loadPyodide,
  indexURL: new URL("../pyodide/", import.meta.url).href,
  packageZip,
  post: (message) => postMessage(message),
});

onmessage = (event) => host.receive(event.data);
