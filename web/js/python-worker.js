// Starts the Python worker of the served site. engine.js talks to what this returns through the
// Worker interface only (postMessage, onmessage, onerror). The single-file build (build.py)
// bundles single-file/python-worker.js in place of this module: a worker made from inlined
// files, since a page opened from file:// may not load worker.js.
export function startPythonWorker() {
  return new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
}
