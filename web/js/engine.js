// The page's only link to the Python worker: call(op, args) -> Promise of the reply. It also
// notices when Python cannot start or stops (a failed download, WebAssembly refused, a crash,
// a worker that quit), rejects what was waiting, and can start a fresh Python (restart()).
import { BridgeError } from "./bridge-error.js";
import { checkPlain, encode } from "./json.js";
import { startPythonWorker } from "./python-worker.js";

const AFTER_CRASH = "Press Retry to start it again; your network and its numbers are kept.";
const TRY_AGAIN = "Press Retry to try again.";

const sentence = (text) => (/[.!?]$/.test(text) ? text : `${text}.`);

// onProgress(stage): a boot stage to show; onFailure(error): Python could not start, or
// stopped; error.message says what failed and what to do ("… press Retry"). Each Python
// started (the first, and one per restart()) fails at most once.
export function createEngine({ onProgress = () => {}, onFailure = () => {} } = {}) {
  let python = null; // the current one: {worker, pending, status, failure, ready}
  let nextId = 1;

  function start() {
    const py = { worker: null, pending: new Map(), status: "starting", failure: null, heard: false };
    py.ready = new Promise((resolve, reject) => {
      py.settle = { resolve, reject };
    });
    py.ready.catch(() => {}); // the failure also goes to onFailure; awaiting code still gets it
    python = py;
    try {
      py.worker = startPythonWorker();
    } catch (err) {
      fail(py, `no worker could be started (${err.message})`, TRY_AGAIN);
      return;
    }
    py.worker.onmessage = ({ data }) => receive(py, data);
    py.worker.onerror = (event) => {
      event.preventDefault(); // handled here: not an uncaught error of the page
      if (!py.heard) fail(py, "its worker script did not load", "Check your connection and press Retry.");
      else fail(py, `its worker failed (${event.message || "no message"})`);
    };
  }

  function receive(py, data) {
    if (py.status === "failed") return; // a Python given up on: its last words are ignored
    py.heard = true;
    if (data.type === "progress") onProgress(data.stage);
    else if (data.type === "alive") watchLife(py, data.lock);
    else if (data.type === "ready") {
      py.status = "ready";
      py.settle.resolve();
    } else if (data.type === "fatal") fail(py, data.message, data.next);
    else {
      const call = py.pending.get(data.id);
      if (!call) return;
      py.pending.delete(data.id);
      const reply = JSON.parse(data.reply);
      reply.took = data.took; // ms Python spent in bridge.handle
      if (reply.ok) call.resolve(reply);
      else {
        if (reply.error.traceback) console.error(reply.error.traceback);
        call.reject(new BridgeError(reply.error.message, reply.error.field, reply.error.problem));
      }
    }
  }

  // The worker holds a Web Lock while it lives: being granted it means the worker is gone,
  // which a worker that quit (self.close()) or was killed tells no other way.
  function watchLife(py, lock) {
    if (!navigator.locks) return;
    navigator.locks
      .request(lock, () => fail(py, "its worker quit"))
      .catch(() => {});
  }

  // Give up on `py`: stop its worker, reject its ready and every call it had, and report.
  function fail(py, what, next) {
    if (py.status === "failed") return;
    const started = py.status === "ready";
    py.status = "failed";
    py.failure = what;
    const advice = next ?? (started ? AFTER_CRASH : TRY_AGAIN);
    const err = new BridgeError(
      [`${started ? "Python stopped" : "Python could not start"}: ${sentence(what)}`, advice].filter(Boolean).join(" "),
    );
    if (py.worker) py.worker.terminate();
    if (started) {
      py.ready = Promise.reject(err);
      py.ready.catch(() => {});
    } else py.settle.reject(err);
    for (const call of py.pending.values()) call.reject(err);
    py.pending.clear();
    queueMicrotask(() => {
      if (py === python) onFailure(err);
    });
  }

  // Resolves with {ok, result, render}; rejects with a BridgeError naming the field. While
  // Python is starting, a call waits for it; while it is down, a call fails at once.
  function call(op, args = {}) {
    const py = python;
    if (py.status === "failed") {
      return Promise.reject(
        new BridgeError(`Python is not running: ${sentence(py.failure)} Press Retry to start it again.`),
      );
    }
    const id = nextId++;
    let request;
    try {
      for (const [name, value] of Object.entries(args)) {
        if (value !== undefined) checkPlain(value, name); // a missing argument is left out
      }
      request = encode({ op, args });
    } catch (err) {
      return Promise.reject(new BridgeError(`${op}: ${err.message}`, "args", err.message));
    }
    return new Promise((resolve, reject) => {
      py.pending.set(id, { resolve, reject });
      py.worker.postMessage({ id, request });
    });
  }

  // Start a fresh Python (the current one, if any still runs, is stopped and its calls
  // rejected). Returns the new `ready`.
  function restart() {
    const old = python;
    python = null; // so the old one's failure is not reported
    fail(old, "it was restarted", "");
    start();
    return python.ready;
  }

  start();
  return {
    call,
    restart,
    // Settles with the current Python: resolves once it is ready, rejects (with the message
    // the page shows) if it could not start or has stopped since.
    get ready() {
      return python.ready;
    },
  };
}
