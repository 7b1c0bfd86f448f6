// The notebook widget's link to Python: the kernel runs bridge.handle (backprop_explorer/
// widget.py) and answers over the widget's comm. call(op, args) -> Promise of the reply, as
// engine.js's call is for the page's Pyodide worker: the same JSON request, the same reply.
import { BridgeError } from "./bridge-error.js";
import { checkPlain, encode } from "./json.js";

// `model` is anywidget's: send(content) and on("msg:custom", handler), off(...) to stop.
export function createWidgetHost(model) {
  const pending = new Map(); // call id -> {resolve, reject}
  let nextId = 1;

  function onMessage(content) {
    const call = content && pending.get(content.reply);
    if (!call) return; // not a reply to one of ours
    pending.delete(content.reply);
    const reply = JSON.parse(content.text);
    if (reply.ok) call.resolve(reply);
    else call.reject(new BridgeError(reply.error.message, reply.error.field, reply.error.problem));
  }
  model.on("msg:custom", onMessage);

  function call(op, args = {}) {
    let request;
    try {
      for (const [name, value] of Object.entries(args)) checkPlain(value, name);
      request = encode({ op, args });
    } catch (err) {
      return Promise.reject(new BridgeError(`${op}: ${err.message}`, "args", err.message));
    }
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      model.send({ call: id, request });
    });
  }

  // The view is gone: stop listening (a call still waiting is never answered to anyone).
  function close() {
    model.off("msg:custom", onMessage);
    pending.clear();
  }

  return { call, close };
}
