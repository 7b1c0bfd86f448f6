// The single-file page's Python: a shell around web/js/python-host.js, like web/js/worker.js
// is for the served site. build.py prepends Pyodide's pyodide.asm.js and pyodide.js (classic
// scripts that define _createPyodideModule and loadPyodide) to this bundle. The page runs the
// result as a classic Worker from a blob: URL, or, when the browser refuses that worker, as a
// script on the page itself (esbuild's global name bpxInlinePython exposes startInlinePython).
//
// Protocol: python-host.js's, plus two messages of its own:
//   python -> page  {type: "listening"}                       the worker script has loaded
//   page -> python  {type: "start", files: [{name, data, size}]}   first, with the inlined files
import { startPythonHost } from "../web/js/python-host.js";
import { DOWNLOAD_AGAIN, checkPackages, installFetchShim, unpackAsset } from "./assets.js";

// Pyodide is told its files live here; the fetch shim answers for them. The .invalid domain
// (RFC 2606) can never resolve, so a request that bypassed the shim could not reach anything.
export const RUNTIME_BASE = "https://backprop-explorer.invalid/pyodide/";

// post(message) sends to the page; returns receive(message) for the page's messages.
export function startInlinePython(post) {
  let host = null;
  const early = []; // requests that arrive while the files are unpacked

  async function start(inlined) {
    post({ type: "progress", stage: "Unpacking Python and numpy" });
    const files = new Map(
      await Promise.all(inlined.map(async (file) => [file.name, await unpackAsset(file)])),
    );
    post({ type: "progress", stage: "Checking numpy against pyodide-lock.json (sha256)" });
    await checkPackages(files);
    if (typeof globalThis.loadPyodide !== "function") {
      throw new Error(`Pyodide's loader is missing from this file. ${DOWNLOAD_AGAIN}`);
    }
    installFetchShim(RUNTIME_BASE, files);
    host = startPythonHost({
      loadPyodide: globalThis.loadPyodide,
      indexURL: RUNTIME_BASE,
      downloadAdvice: DOWNLOAD_AGAIN, // every file is inside this one: none can fail to download
      packageZip: Promise.resolve(files.get("backprop_explorer.zip")),
      post,
    });
    while (early.length) host.receive(early.shift());
    // Python holds its own copies now: let the unpacked files go (about 16 MB).
    host.booted.then(() => files.clear(), () => files.clear());
  }

  return function receive(message) {
    if (message && message.type === "start") {
      // The message says what to do (download the file again, change browsers).
      start(message.files).catch((err) => post({ type: "fatal", message: err.message, next: "" }));
    } else if (host) host.receive(message);
    else early.push(message);
  };
}

// In a worker, listen at once; on the page, the caller uses bpxInlinePython.startInlinePython.
if (typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) {
  const receive = startInlinePython((message) => postMessage(message));
  onmessage = (event) => receive(event.data);
  postMessage({ type: "listening" });
}
