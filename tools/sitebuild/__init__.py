"""The site's build, in parts; `build.py` at the repository's root is its command line.

- `dist`: `build()`, which stages dist/ part by part and swaps it in;
- `runtime`: npm packages, Pyodide's files and the numpy wheel (pinned, checked by sha256);
- `runtime_patch`: the iPad fix applied to Pyodide's pyodide.asm.js;
- `package`: our Python package as a deterministic zip;
- `mathjax`: the one offline MathJax script;
- `in_pyodide`: bytecode and the pre-rendered first view, made in the site's own Pyodide;
- `embeds`: a page per snippet of docs/EMBEDDING.md;
- `licences`: dist/LICENSES/ and the single file's licence block;
- `inline`: stylesheets, icons and images inlined, and the check for references to other files;
- `csp`: the Content-Security-Policy of the site and of the single file;
- `singlefile`: dist/backprop-explorer.html;
- `widget`: the notebook widget's script, stylesheet and wheel (dist/notebook/);
- `server`: the dev server's handler;
- `project`: where the project's files are, BuildError and log.

Standard library only: it runs before any virtual environment exists.
"""
