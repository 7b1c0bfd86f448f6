// Starts the Python worker of the served site. engine.js talks to what this returns through the
// Worker interface only (postMessage, onmessage, onerror), so another starter can take this
// module's place.
export function startPythonWorker() {
  return new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
}
