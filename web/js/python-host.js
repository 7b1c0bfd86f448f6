// Boots Python (Pyodide + numpy + backprop_explorer) and answers the page's requests. With
// worker.js it is the only code that calls Pyodide. Two shells run it: worker.js (the served
// site's module worker) and, in the single-file page, single-file/python.js (a worker made
// from a blob: URL, or the page itself when the browser refuses such a worker).
//
// Protocol (plain objects only), whatever the shell:
//   host -> page  {type: "progress", stage}            while booting
//                 {type: "alive", lock}                in a worker that holds the Web Lock
//                                                      `lock` for as long as it lives
//                 {type: "ready"}
//                 {type: "fatal", message, next?}      the boot failed, or Python broke after
//                                                      it; message: what failed, in plain
//                                                      words; next: what to do about it
//   page -> host  {id, request}   request: JSON text {"op", "args"}
//   host -> page  {id, reply, took}  reply: JSON text from backprop_explorer.bridge.handle;
//                                  took: milliseconds Python spent on it (for bench/run.py)
// After a "fatal" the host answers nothing more: the page starts a new one (Retry).
// The one addition the host makes to a reply: to the `diagnostics` query's result (bench/soak.py)
// it adds `host: {wasmMemoryBytes, jsRefs, pyProxies}`, figures only JavaScript can see: the
// size of Pyodide's WebAssembly memory, the JS values Python holds (Pyodide's hiwire
// references, one per JsProxy among them) and the PyProxies alive that were made since the
// first `diagnostics` request (Pyodide traces their allocation from then on; null where this
// Pyodide does not offer these internals).

const SITE_PACKAGES = "/lib/python3.12/site-packages";
const PACKAGE = "the Backprop Explorer package";

export const ADVICE = {
  download: "Check your connection and press Retry.",
  webAssembly:
    "Allow WebAssembly for this site (a browser setting, an extension or a security policy " +
    "may block it) or open the page in another browser, then press Retry.",
};

// loadPyodide: Pyodide's loader; indexURL: where Pyodide's files are fetched from;
// siteURL: the site's root, to name a file that failed to download ("pyodide/…");
// packageZip: a Promise of backprop_explorer.zip's bytes (ArrayBuffer or Uint8Array), rejected
// with a DownloadError ("HTTP 404 for py/backprop_explorer.zip") when it cannot be had;
// post(message): sends a message to the page; downloadAdvice: the next step when a file
// could not be had.
// Returns {receive(message), booted}: receive() takes the page's requests (queued until Python
// is ready); booted settles when the boot has succeeded or failed (failure is also posted).
export function startPythonHost({
  loadPyodide, indexURL, siteURL = new URL("../", indexURL).href, packageZip, post,
  downloadAdvice = ADVICE.download,
}) {
  let pyodide = null;
  let handle = null; // the one PyProxy we keep: the bridge's handle() function
  let broken = false; // Pyodide failed fatally: nothing more is answered
  let tracing = false; // whether Pyodide traces PyProxy allocations (from the first diagnostics)
  const queue = [];

  const progress = (stage) => post({ type: "progress", stage });
  holdLifeLock(post);

  async function boot() {
    progress("Starting Python (Pyodide)");
    checkWebAssembly();
    const watch = watchDownloads(siteURL);
    const step = (what, work) => watch.step(what, work, downloadAdvice);
    // Our package downloads meanwhile: if it cannot be had, say so now, not after numpy.
    Promise.resolve(packageZip).catch((err) => {
      if (err instanceof DownloadError) watch.record({ what: PACKAGE, detail: err.message });
    });
    try {
      pyodide = await step("Python (Pyodide)", () => loadPyodide({ indexURL, fullStdLib: false }));
      progress("Loading numpy");
      const problems = [];
      await step("numpy", async () => {
        await pyodide.loadPackage("numpy", {
          messageCallback: () => {},
          errorCallback: (text) => {
            problems.push(text);
            console.error(text);
          },
        });
        // loadPackage reports a failed download to errorCallback and resolves all the same.
        if (!pyodide.loadedPackages.numpy) throw new Error(problems.join(" ") || "not installed");
      });
      progress("Loading the Backprop Explorer package");
      const zip = await step(PACKAGE, () => packageZip);
      await step(PACKAGE, () => {
        pyodide.unpackArchive(zip, "zip", { extractDir: SITE_PACKAGES });
        const bridge = pyodide.pyimport("backprop_explorer.bridge");
        handle = bridge.handle.copy(); // an owned proxy: the module proxy is released below
        bridge.destroy();
      });
    } finally {
      watch.stop();
    }
  }

  // Pyodide marks itself unusable after a fatal error (a wasm trap, abort(), running out of
  // memory): every property of the API then throws "Pyodide already fatally failed …".
  function isFatal(err) {
    if (err && err.pyodide_fatal_error) return true;
    try {
      void pyodide.runPython;
      return false;
    } catch {
      return true;
    }
  }

  function answer({ id, request }) {
    if (broken) return;
    let reply;
    const start = performance.now();
    try {
      reply = handle(request);
      if (isDiagnostics(request)) reply = withHostFigures(reply);
    } catch (err) {
      // bridge.handle catches every Python exception; reaching here is a runtime failure.
      if (isFatal(err)) {
        broken = true;
        post({ type: "fatal", message: `the Python runtime crashed (${describe(err)})` });
        return;
      }
      const message = `Python runtime failed: ${describe(err)}`;
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
    const module = pyodide._module ?? {};
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
      broken = true;
      console.error("Backprop Explorer: Python could not start:", err.cause ?? err);
      post({ type: "fatal", message: err.message, next: err.next });
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

// A file that could not be downloaded: the message names it, e.g. "HTTP 404 for py/x.zip".
export class DownloadError extends Error {}

// A boot failure: `message` says what failed, `next` what to do.
class BootError extends Error {
  constructor(message, next, cause) {
    super(message, { cause });
    this.next = next;
  }
}

const WEBASSEMBLY_BLOCKED = "WebAssembly is blocked by this browser, and Python needs it";

// Some browsers turn WebAssembly off (a security setting, a policy) or a Content Security
// Policy without 'wasm-unsafe-eval' forbids compiling it: test with the smallest module.
function checkWebAssembly() {
  if (typeof WebAssembly !== "object" || typeof WebAssembly.Module !== "function") {
    throw new BootError(WEBASSEMBLY_BLOCKED, ADVICE.webAssembly);
  }
  try {
    new WebAssembly.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  } catch (err) {
    throw new BootError(WEBASSEMBLY_BLOCKED, ADVICE.webAssembly, err);
  }
}

function describe(err) {
  if (err instanceof Error) {
    // Emscripten's abort() adds advice meant for Pyodide's developers.
    const text = err.message.replace(/\.? Build with -sASSERTIONS for more info\.?$/, "");
    return err.name && err.name !== "Error" ? `${err.name}: ${text}` : text;
  }
  if (err && typeof err === "object" && typeof err.message === "string") return err.message;
  return String(err);
}

// A failed download or WebAssembly compile during the boot ends it. Pyodide 0.27 only logs
// "wasm instantiation failed!" when pyodide.asm.wasm cannot be fetched or compiled and then
// waits forever, and loadPackage() reports a wheel it could not fetch without failing; so
// fetch() and WebAssembly's compile functions are watched while Python boots, and the first
// failure is turned into a message that names the file ("HTTP 404 for pyodide/…").
function watchDownloads(siteURL) {
  const originals = { fetch: globalThis.fetch };
  let failure = null; // a Promise of the first problem's description
  let reportFailure;
  const failed = new Promise((_, reject) => {
    reportFailure = reject;
  });
  failed.catch(() => {});
  const fileName = (url) => (url.startsWith(siteURL) ? url.slice(siteURL.length) : url);

  // problem (or a Promise of it): {detail} (a download), {blocked, cause} (WebAssembly
  // refused), or {what, detail} when the failure belongs to another step than the current one.
  function record(problem) {
    if (failure) return;
    failure = Promise.resolve(problem);
    failure.then(reportFailure, reportFailure);
  }

  // What went wrong with a download that threw: a browser's network error hides the HTTP
  // status (e.g. a 404 fails the integrity check Pyodide asks for), so ask the server again.
  async function diagnose(url, init, err) {
    if (!isNetworkError(err)) return { detail: describe(err) };
    try {
      const response = await originals.fetch.call(globalThis, url, { method: "HEAD", cache: "no-store" });
      if (!response.ok) return { detail: `HTTP ${response.status} for ${fileName(url)}` };
      if (init && init.integrity) {
        return { detail: `${fileName(url)} does not match the sha256 in pyodide-lock.json` };
      }
    } catch {
      // the server cannot be reached at all
    }
    return { detail: `network error for ${fileName(url)}` };
  }

  const watchedFetch = async function watchedFetch(resource, init) {
    const url = typeof resource === "object" && resource && "url" in resource ? resource.url : String(resource);
    let response;
    try {
      response = await originals.fetch.call(globalThis, resource, init);
    } catch (err) {
      record(diagnose(url, init, err));
      throw err;
    }
    if (!response.ok) record({ detail: `HTTP ${response.status} for ${fileName(url)}` });
    return response;
  };
  globalThis.fetch = watchedFetch;
  const watched = { fetch: watchedFetch };

  const wasm = typeof WebAssembly === "object" ? WebAssembly : null;
  for (const name of ["compile", "compileStreaming", "instantiate", "instantiateStreaming"]) {
    if (!wasm || typeof wasm[name] !== "function") continue;
    const original = wasm[name];
    originals[name] = original;
    wasm[name] = watched[name] = function watchedWebAssembly(...args) {
      const result = original.apply(wasm, args);
      result.catch((err) => {
        // a refused download was recorded first, by fetch(); this is a compile that failed
        record(blockedWebAssembly(err) ? { blocked: true, cause: err } : { detail: describe(err) });
      });
      return result;
    };
  }

  return {
    record,
    // Run one step of the boot, named `what` in the message if it fails.
    async step(what, work, downloadAdvice) {
      let result;
      try {
        result = await Promise.race([work(), failed]);
        if (failure) await failed; // the step got through, but a download it needed failed
      } catch (err) {
        let problem;
        if (failure) problem = await failure;
        else if (err instanceof DownloadError) problem = { detail: err.message };
        else problem = await mentionedFile(err);
        if (problem.blocked) throw new BootError(WEBASSEMBLY_BLOCKED, ADVICE.webAssembly, problem.cause);
        if (problem.detail) {
          throw new BootError(`${problem.what ?? what} could not be loaded (${problem.detail})`, downloadAdvice, err);
        }
        throw new BootError(`${what} could not be loaded (${describe(err)})`, "Press Retry to try again.", err);
      }
      return result;
    },
    // Put back what was wrapped (unless someone wrapped it again meanwhile).
    stop() {
      if (globalThis.fetch === watched.fetch) globalThis.fetch = originals.fetch;
      for (const name of Object.keys(originals)) {
        if (name !== "fetch" && wasm[name] === watched[name]) wasm[name] = originals[name];
      }
    },
  };

  // An error that names a file of the site, as a failed import() does ("Failed to fetch
  // dynamically imported module: http://…/pyodide/pyodide.asm.js"): ask the server about it.
  async function mentionedFile(err) {
    const url = (describe(err).match(/\bhttps?:\/\/\S+/) || [])[0];
    if (!url || !url.startsWith(siteURL)) return {};
    return diagnose(url, null, new TypeError("Failed to fetch"));
  }
}

// A browser's own "could not fetch" TypeError (Chromium, Firefox, Safari wording).
function isNetworkError(err) {
  return err instanceof TypeError && /fetch|network|load failed/i.test(err.message);
}

function blockedWebAssembly(err) {
  return /refused to compile|unsafe-eval|content security policy|disallowed by embedder/i.test(String(err && err.message));
}

// In a worker, hold a Web Lock for as long as the worker lives and tell the page its name:
// the page asks for the same lock and is granted it when the worker is gone, even when the
// worker just stopped (self.close(), or killed) and so fired no error event. Not in an opaque
// origin (a page opened from disk), where the Locks API is refused.
function holdLifeLock(post) {
  const inWorker = typeof WorkerGlobalScope !== "undefined" && globalThis instanceof WorkerGlobalScope;
  const locks = globalThis.navigator && globalThis.navigator.locks;
  if (!inWorker || !locks) return;
  const lock = `backprop-explorer-python-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  try {
    locks
      .request(lock, () => {
        post({ type: "alive", lock });
        return new Promise(() => {}); // held until the worker ends
      })
      .catch(() => {});
  } catch {
    // no Web Locks in this context
  }
}
