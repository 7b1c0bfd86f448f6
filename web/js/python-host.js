// Boots Python (Pyodide + numpy + backprop_explorer) and answers the page's requests. With
// worker.js it is the only code that calls Pyodide. Two shells run it: worker.js (the served
// site's module worker) and, in the single-file page, single-file/python.js (a worker made
// from a blob: URL, or the page itself when the browser refuses such a worker).
//
// Protocol (plain objects only), whatever the shell:
//   host -> page  {type: "progress", stage}            while booting
//                 {type: "ready"} | {type: "fatal", message}
//   page -> host  {id, request}   request: JSON text {"op", "args"}
//   host -> page  {id, reply, took}  reply: JSON text from backprop_explorer.bridge.handle;
//                                  took: milliseconds Python spent on it (for bench/run.py)
// The one addition the host makes to a reply: to the `diagnostics` query's result (bench/soak.py)
// it adds `host: {wasmMemoryBytes, jsRefs, pyProxies}`, figures only JavaScript can see: the
// size of Pyodide's WebAssembly memory, the JS values Python holds (Pyodide's hiwire
// references, one per JsProxy among them) and the PyProxies alive that were made since the
// first `diagnostics` request (Pyodide traces their allocation from then on; null where this
// Pyodide does not offer these internals).

const SITE_PACKAGES = "/lib/python3.12/site-packages";

// loadPyodide: Pyodide's loader; indexURL: where Pyodide's files are fetched from;
// packageZip: a Promise of backprop_explorer.zip's bytes (ArrayBuffer or Uint8Array);
// post(message): sends a message to the page.
// Returns {receive(message), booted}: receive() takes the page's requests (queued until Python
// is ready); booted settles when the boot has succeeded or failed (failure is also posted).
export function startPythonHost({ loadPyodide, indexURL, packageZip, post }) {
  let handle = null; // the one PyProxy we keep: the bridge's handle() function
  let runtime = null; // the Pyodide instance, for the diagnostics figures only
  let tracing = false; // whether Pyodide traces PyProxy allocations (from the first diagnostics)
  const queue = [];

  const progress = (stage) => post({ type: "progress", stage });

  async function boot() {
    progress("Starting Python (Pyodide)");
    const pyodide = await loadPyodide({ indexURL, fullStdLib: false });
    runtime = pyodide;
    progress("Loading numpy");
    await pyodide.loadPackage("numpy", { messageCallback: () => {}, errorCallback: console.error });
    progress("Loading the Backprop Explorer package");
    pyodide.unpackArchive(await packageZip, "zip", { extractDir: SITE_PACKAGES });
    const bridge = pyodide.pyimport("backprop_explorer.bridge");
    handle = bridge.handle.copy(); // an owned proxy: the module proxy is released below
    bridge.destroy();
  }

  function answer({ id, request }) {
    let reply;
    const start = performance.now();
    try {
      reply = handle(request);
      if (isDiagnostics(request)) reply = withHostFigures(reply);
    } catch (err) {
      // bridge.handle catches every Python exception; reaching here is a runtime failure.
      const message = `Python runtime failed: ${err && err.message ? err.message : err}`;
      reply = JSON.stringify({ ok: false, error: { field: null, message } });
    }
    post({ id, reply, took: performance.now() - start }); // took: ms in bridge.handle
  }

  function isDiagnostics(request) {
    if (!request.includes('"diagnostics"')) return false; // spares the parse on every other call
    try {
      return JSON.parse(request).op === "diagnostics";
    } catch {
      return false; // the bridge has already answered with the parse error
    }
  }

  function withHostFigures(reply) {
    const parsed = JSON.parse(reply);
    const module = runtime._module ?? {};
    if (!tracing && module.enable_pyproxy_allocation_tracing) {
      module.enable_pyproxy_allocation_tracing();
      tracing = true;
    }
    if (parsed.ok) {
      parsed.result.host = {
        wasmMemoryBytes: module.HEAP8 ? module.HEAP8.byteLength : null,
        jsRefs: module._hiwire_num_refs ? module._hiwire_num_refs() : null,
        pyProxies: module.pyproxy_alloc_map ? module.pyproxy_alloc_map.size : null,
      };
    }
    return JSON.stringify(parsed);
  }

  const booted = boot().then(
    () => {
      post({ type: "ready" });
      while (queue.length) answer(queue.shift());
    },
    (err) => {
      post({ type: "fatal", message: String(err && err.stack ? err.stack : err) });
      throw err;
    },
  );
  booted.catch(() => {}); // reported to the page above; callers may still await `booted`

  return {
    receive(message) {
      if (handle === null) queue.push(message);
      else answer(message);
    },
    booted,
  };
}
