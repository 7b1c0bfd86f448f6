// The served site's module Web Worker: a thin shell around python-host.js, which boots Python
// and answers requests (its header comment gives the protocol). With python-host.js it is the
// only code that touches Pyodide.
import { loadPyodide } from "../pyodide/pyodide.mjs";
import { DownloadError, startPythonHost } from "./python-host.js";

const site = new URL("../", import.meta.url).href;
const ZIP = "py/backprop_explorer.zip";

// Fetch our package while Pyodide starts.
const packageZip = fetch(new URL(ZIP, site)).then(
  (response) => {
    if (!response.ok) throw new DownloadError(`HTTP ${response.status} for ${ZIP}`);
    return response.arrayBuffer();
  },
  () => {
    throw new DownloadError(`network error for ${ZIP}`);
  },
);
packageZip.catch(() => {}); // the host reports the failure when it awaits the bytes

const host = startPythonHost({
  loadPyodide,
  indexURL: new URL("pyodide/", site).href,
  siteURL: site,
  packageZip,
  post: (message) => postMessage(message),
});

onmessage = (event) => host.receive(event.data);
