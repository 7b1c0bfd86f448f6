// The single-file page's own DOM helpers: reading the inlined files, running inlined scripts,
// and showing the loading stage or a failure where the served page shows them.
import { DOWNLOAD_AGAIN } from "./assets.js";

// build.py writes each inlined file as
//   <script type="application/octet-stream" data-bpx-asset="NAME" data-bpx-role="ROLE"
//           data-size="BYTES">gzip, then base64</script>
// ROLE is "page-script" (run on the page), "python-script" (the Python worker's script) or
// "python-file" (a file Pyodide loads).
export function inlinedAsset(name) {
  const element = document.querySelector(`script[data-bpx-asset="${name}"]`);
  if (!element) throw new Error(`${name} is missing from this file. ${DOWNLOAD_AGAIN}`);
  return asset(element);
}

export function inlinedAssets(role) {
  return [...document.querySelectorAll(`script[data-bpx-role="${role}"]`)].map(asset);
}

function asset(element) {
  return { name: element.dataset.bpxAsset, data: element.textContent, size: Number(element.dataset.size) };
}

// Run JavaScript text as a classic script of this page (as a <script src> would). Throws what
// the script threw while it ran, which the browser would otherwise only report to the console.
export function runScript(code, name) {
  let failure = null;
  const onError = (event) => {
    failure ??= event.error ?? new Error(event.message);
  };
  const script = document.createElement("script");
  script.textContent = code;
  window.addEventListener("error", onError);
  try {
    document.head.appendChild(script); // an inline script runs as it is inserted
  } finally {
    window.removeEventListener("error", onError);
    script.remove(); // the code has run; drop its text from the document
  }
  if (failure) throw new Error(`${name} failed while starting: ${failure.message ?? failure}`);
}

export function setStage(text) {
  const stage = document.getElementById("loading-stage");
  if (stage) stage.textContent = text;
}

// Show why the page cannot start: in the loading box, as app.js does, and in #status.
export function showFailure(message) {
  const text = `Could not start: ${message}`;
  const loading = document.getElementById("loading");
  const stage = document.getElementById("loading-stage");
  const status = document.getElementById("status");
  if (loading && stage) {
    stage.textContent = text;
    loading.hidden = false;
    loading.classList.add("failed");
  }
  if (status) {
    status.textContent = text;
    status.hidden = false;
  }
  if (!stage && !status) {
    const note = document.createElement("p");
    note.setAttribute("role", "alert");
    note.textContent = text;
    document.body.prepend(note);
  }
}

// The standard APIs this page needs beyond what the served site needs.
export function missingFeatures() {
  const needs = {
    DecompressionStream: typeof DecompressionStream === "function",
    WebAssembly: typeof WebAssembly === "object",
    "crypto.subtle": typeof crypto === "object" && typeof crypto.subtle === "object",
    "Blob URLs": typeof Blob === "function" && typeof URL.createObjectURL === "function",
  };
  return Object.keys(needs).filter((name) => !needs[name]);
}
