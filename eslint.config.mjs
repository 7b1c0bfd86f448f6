// ESLint (flat config) over our own JavaScript: the page's modules (web/js, single-file/), the
// classic scripts an embedding page loads (web/embed.js, web/embed-example.js), and the
// Node scripts and tests (tools/, tests/, this file). tests/run.py runs it with
// --max-warnings 0. Nothing from node_modules, dist/ or the caches is linted.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/", "dist/", ".venv/", "test-results/"] },
  js.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      eqeqeq: "error",
      "no-var": "error",
      "prefer-const": "error",
      "no-unused-vars": ["error", { args: "after-used", argsIgnorePattern: "^_", caughtErrors: "all" }],
    },
  },
  {
    // ES modules that run in the page or in its Web Worker
    files: ["web/js/**/*.js", "single-file/**/*.js"],
    languageOptions: { sourceType: "module", globals: { ...globals.browser, ...globals.worker } },
  },
  {
    // classic scripts for the pages that embed the explorer (ES5 style, no modules)
    files: ["web/embed.js", "web/embed-example.js"],
    languageOptions: { sourceType: "script", globals: globals.browser },
    rules: { "no-var": "off" },
  },
  {
    // the example page loads embed.js first, which defines this global
    files: ["web/embed-example.js"],
    languageOptions: { globals: { BackpropExplorerEmbed: "readonly" } },
  },
  {
    files: ["tools/**/*.mjs", "tests/**/*.mjs", "eslint.config.mjs"],
    languageOptions: { sourceType: "module", globals: globals.node },
  },
];
