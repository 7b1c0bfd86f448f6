// What a refused or failed operation rejects with, in every host (the page's worker through
// engine.js, a notebook kernel through widget-host.js): Python's message, and the State path
// and problem it named.
export class BridgeError extends Error {
  constructor(message, field = null, problem = null) {
    super(message);
    this.name = "BridgeError";
    this.field = field; // the State path named by Python, e.g. "input[0]" or "layers"
    this.problem = problem ?? message; // the message without the field name
  }
}
