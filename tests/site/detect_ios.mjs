// Runs Pyodide's getPyEMCountArgsPtr (the function text on stdin) once per fake navigator of
// argv[2] (a JSON list; null = no navigator, as in Node), with WebAssembly and Emscripten's
// helpers stubbed, and prints per case what it returned and how many modules it compiled.
import { readFileSync } from "node:fs";
import vm from "node:vm";

const source = readFileSync(0, "utf8");
const results = JSON.parse(process.argv[2]).map((navigator) => {
  const compiled = [];
  const context = {
    WebAssembly: {
      Module: function Module(code) { compiled.push(code.length); },
      Instance: function Instance() { this.exports = { f: "trampoline" }; },
    },
    wasmTable: {},
    addFunction: (f) => (f === "trampoline" ? 42 : -1),
  };
  if (navigator !== null) context.navigator = navigator;
  vm.createContext(context);
  const returned = vm.runInContext(`${source}\ngetPyEMCountArgsPtr();`, context);
  return { returned, compiled: compiled.length };
});
console.log(JSON.stringify(results));
