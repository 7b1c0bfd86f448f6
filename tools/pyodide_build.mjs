// Build-time work done inside the very Pyodide + numpy the site ships (run by build.py in Node):
//
//   node tools/pyodide_build.mjs <staged dist/>
//
// 1. Precompile: python_stdlib.zip, the numpy wheel and py/backprop_explorer.zip get .pyc files
//    (unchecked-hash, so no timestamps are compared) beside their sources: the page then starts
//    Python without compiling ~1,000 modules first. Pyodide's Python 3.12 compiles them, so the
//    bytecode is exactly what the page's interpreter would have made.
// 2. Pre-render: the reply of the `init` operation, so the page draws the default network at
//    once, before Python has started. Written to <dist>/prerender.json.
//
// Python does the work (tools/pyodide_build.py); this file only starts Pyodide and moves bytes.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [stage] = process.argv.slice(2);
if (!stage) {
  console.error("usage: node tools/pyodide_build.mjs <staged dist directory>");
  process.exit(2);
}
const indexURL = join(stage, "pyodide") + "/";
const { loadPyodide } = await import(join(indexURL, "pyodide.mjs"));
const pyodide = await loadPyodide({ indexURL, stdout: (s) => console.log(s), stderr: (s) => console.error(s) });
await pyodide.loadPackage("numpy", { messageCallback: () => {} });

const here = dirname(fileURLToPath(import.meta.url));
pyodide.FS.writeFile("/tmp/pyodide_build.py", readFileSync(join(here, "pyodide_build.py")));
pyodide.FS.mkdirTree("/stage");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: stage }, "/stage");
pyodide.runPython(`
import runpy, sys
sys.argv = ["pyodide_build.py", "/stage"]
runpy.run_path("/tmp/pyodide_build.py", run_name="__main__")
`);
