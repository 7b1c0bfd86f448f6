// The single-file build's version of web/js/python-worker.js (build.py bundles this module in
// its place). A page opened from file:// cannot load worker.js, so Python's script (Pyodide +
// python.js) comes from the file itself and runs in a classic Worker made from a blob: URL.
// If the browser refuses that worker, the same script runs on the page: slower to respond
// while Python computes, but it works. engine.js sees a Worker either way.
import { unpackAsset } from "./assets.js";
import { inlinedAsset, inlinedAssets, runScript } from "./page.js";

let prestarted = null;

// Start Python before the app asks for it (main.js does, so Python boots while MathJax and
// the app load); the app's startPythonWorker() then takes this one.
export function prestartPythonWorker() {
  prestarted ??= new InlinePython();
}

export function startPythonWorker() {
  const python = prestarted ?? new InlinePython();
  prestarted = null;
  return python;
}

// What engine.js uses of a Worker: postMessage(), terminate(), onmessage and onerror. Messages
// and errors that come before engine.js sets its handlers wait for them.
class InlinePython {
  constructor() {
    this.handlers = { message: null, error: null };
    this.waiting = { message: [], error: [] };
    this.target = null; // the started Python: a Worker, or the host on the page
    this.queue = []; // requests made while it starts
    this.terminated = false;
    this.start().catch((err) => this.deliver({ type: "fatal", message: err.message, next: "" }));
  }

  get onmessage() {
    return this.handlers.message;
  }

  set onmessage(handler) {
    this.setHandler("message", handler);
  }

  get onerror() {
    return this.handlers.error;
  }

  set onerror(handler) {
    this.setHandler("error", handler);
  }

  // A handler gets what waited for it in a later task, as a Worker would deliver it; until
  // then newer events queue behind, so they all arrive in order.
  setHandler(kind, handler) {
    this.handlers[kind] = handler;
    if (handler && this.waiting[kind].length) setTimeout(() => this.flush(kind), 0);
  }

  flush(kind) {
    while (this.handlers[kind] && this.waiting[kind].length) {
      this.handlers[kind](this.waiting[kind].shift());
    }
  }

  dispatch(kind, event) {
    if (this.terminated) return;
    if (this.handlers[kind] && this.waiting[kind].length === 0) this.handlers[kind](event);
    else this.waiting[kind].push(event);
  }

  deliver(message) {
    this.dispatch("message", { data: message });
  }

  postMessage(message) {
    if (this.terminated) return;
    if (this.target) this.target.postMessage(message);
    else this.queue.push(message);
  }

  // Stop Python: its worker ends; Python on the page cannot be stopped, only no longer heard.
  terminate() {
    this.terminated = true;
    if (this.target && this.target.terminate) this.target.terminate();
    this.waiting = { message: [], error: [] };
    this.queue = [];
  }

  async start() {
    const script = new TextDecoder().decode(await unpackAsset(inlinedAsset("python.js")));
    const deliver = (message) => this.deliver(message);
    let target = await startWorker(script, deliver, (event) => this.dispatch("error", event));
    if (!target) {
      deliver({ type: "progress", stage: "Starting Python on the page (no worker allowed)" });
      target = startOnPage(script, deliver);
    }
    this.target = target;
    if (this.terminated) {
      this.terminate(); // stopped while it started
      return;
    }
    target.postMessage({ type: "start", files: inlinedAssets("python-file") });
    for (const message of this.queue.splice(0)) target.postMessage(message);
  }
}

// Resolves with the Worker once its script has loaded (it says "listening"), or with null if
// the browser refuses to create or load it.
function startWorker(script, deliver, onError) {
  return new Promise((resolve) => {
    const url = URL.createObjectURL(new Blob([script], { type: "text/javascript" }));
    let worker;
    try {
      worker = new Worker(url);
    } catch (err) {
      URL.revokeObjectURL(url);
      console.warn("Backprop Explorer: no worker from a blob: URL here, so Python runs on the page:", err);
      resolve(null);
      return;
    }
    let listening = false;
    worker.onmessage = ({ data }) => {
      if (!listening && data && data.type === "listening") {
        listening = true;
        URL.revokeObjectURL(url);
        resolve(worker);
      } else deliver(data);
    };
    worker.onerror = (event) => {
      if (listening) {
        onError(event);
        return;
      }
      event.preventDefault();
      worker.terminate();
      URL.revokeObjectURL(url);
      console.warn("Backprop Explorer: the worker did not load, so Python runs on the page:", event.message);
      resolve(null);
    };
  });
}

// Run Python's script on the page and talk to it through the same messages. Each message is
// handed over in a task of its own, as a worker's would be, so the page can repaint between them.
function startOnPage(script, deliver) {
  runScript(script, "Python's script");
  const receive = globalThis.bpxInlinePython.startInlinePython((message) => {
    setTimeout(() => deliver(message), 0);
  });
  return { postMessage: (message) => setTimeout(() => receive(message), 0) };
}
