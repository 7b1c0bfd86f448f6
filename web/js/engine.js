// The page's only link to the Python worker: call(op, args) -> Promise of the reply.
import { checkPlain, encode } from "./json.js";
import { startPythonWorker } from "./python-worker.js";

export class BridgeError extends Error {
  constructor(message, field = null, problem = null) {
    super(message);
    this.name = "BridgeError";
    this.field = field; // the State path named by Python, e.g. "input[0]" or "layers"
    this.problem = problem ?? message; // the message without the field name
  }
}

export function createEngine({ onProgress = () => {} } = {}) {
  const worker = startPythonWorker();
  const pending = new Map();
  let nextId = 1;
  let settleReady;
  const ready = new Promise((resolve, reject) => {
    settleReady = { resolve, reject };
  });

  worker.onmessage = ({ data }) => {
    if (data.type === "progress") onProgress(data.stage);
    else if (data.type === "ready") settleReady.resolve();
    else if (data.type === "fatal") settleReady.reject(new BridgeError(data.message));
    else {
      const call = pending.get(data.id);
      pending.delete(data.id);
      const reply = JSON.parse(data.reply);
      reply.took = data.took; // ms Python spent in bridge.handle
      if (reply.ok) call.resolve(reply);
      else {
        if (reply.error.traceback) console.error(reply.error.traceback);
        call.reject(new BridgeError(reply.error.message, reply.error.field, reply.error.problem));
      }
    }
  };
  worker.onerror = (event) => {
    const err = new BridgeError(`Python worker failed: ${event.message || "could not start"}`);
    settleReady.reject(err);
    for (const call of pending.values()) call.reject(err);
    pending.clear();
  };

  // Resolves with {ok, result, render}; rejects with a BridgeError naming the field.
  function call(op, args = {}) {
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
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, request });
    });
  }

  return { ready, call };
}
