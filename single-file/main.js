// The single-file page's entry point (build.py bundles it with the app into one inline script
// at the end of the page). It checks the browser, starts Python, runs the inlined MathJax, then
// starts the same app as the served site: web/js/app.js, which takes that Python through
// python-worker.js (in place of the served site's worker).
import { unpackAsset } from "./assets.js";
import { inlinedAsset, missingFeatures, runScript, setStage, showFailure } from "./page.js";
import { prestartPythonWorker } from "./python-worker.js";

const LICENCES = "third-party-licences";

async function boot() {
  const missing = missingFeatures();
  if (missing.length) {
    throw new Error(
      `this browser lacks ${missing.join(", ")}, which this page needs. Open it in a current ` +
        "Chrome, Edge, Firefox or Safari, directly from disk or over https.",
    );
  }
  prestartPythonWorker(); // Python boots in its worker while MathJax and the app load
  setStage("Unpacking MathJax");
  const mathjax = new TextDecoder().decode(await unpackAsset(inlinedAsset("mathjax.js")));
  runScript(mathjax, "MathJax");
  setStage("Starting the page");
  await import("../web/js/app.js");
}

// The footer's "Third-party licences" link leads to a closed <details>: open it.
function openLicencesFromLinks() {
  const details = document.getElementById(LICENCES);
  for (const link of document.querySelectorAll(`a[href="#${LICENCES}"]`)) {
    link.addEventListener("click", () => {
      if (details) details.open = true;
    });
  }
}

openLicencesFromLinks();
boot().catch((err) => showFailure(err.message));
