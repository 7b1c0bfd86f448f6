#!/usr/bin/env python3
"""Run the whole test suite on a fresh machine: install what is missing, build, lint, test.

    python3 tests/run.py [extra pytest arguments]

1. System packages (Debian/Ubuntu, as root or with sudo), only when missing: the browser
   engines (chromium, firefox-esr, webkit2gtk-driver + xvfb), python3-venv, nodejs + npm, and
   pdflatex (texlive) + pdftotext (poppler-utils) for the LaTeX export's tests.
2. A virtual environment in .venv/ with the exact pins of pyproject.toml's `test` extra
   (reinstalled only when those pins change).
3. `python build.py` (npm ci + vendored runtime, from the caches when possible).
4. ruff check and ruff format --check.
5. eslint (eslint.config.mjs) over our JavaScript, no warning allowed.
6. node --test tests/js: the pure JavaScript functions (needs Node.js 20.19 or later).
7. mypy on py/backprop_explorer (pyproject.toml's [tool.mypy]).
8. pytest: the built site in Chromium, Firefox ESR and WebKitGTK (tests/browser), checks of
   the built files (tests/site), the Python core (tests/unit), and the notebook widget in a
   real JupyterLab (tests/browser/test_notebook_widget.py: it makes a fresh venv of its own with python3-venv and
   pip, the built wheel and the pinned JupyterLab of pyproject.toml).

Each step that fails stops the run with its exit code.

Uses only the standard library, so it runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
PY = VENV / "bin" / "python"
CHROMIUM = Path("/usr/bin/chromium")
# The browser engines of tests/engines, each from its Debian package: Chromium, Firefox ESR and
# WebKitGTK (its WebDriver pulls in MiniBrowser), with the X server WebKitGTK draws on.
ENGINES = {
    CHROMIUM: "chromium",
    Path("/usr/bin/firefox-esr"): "firefox-esr",
    Path("/usr/bin/WebKitWebDriver"): "webkit2gtk-driver",
    Path("/usr/bin/Xvfb"): "xvfb",
}
NODE_MIN = (20, 19)  # eslint 10; and Node's own reading of our ES modules as such


def log(msg: str) -> None:
    print(f"[tests/run] {msg}", flush=True)


def run(cmd: list[str], **kw) -> None:
    log("$ " + " ".join(str(c) for c in cmd))
    result = subprocess.run(cmd, cwd=ROOT, **kw)
    if result.returncode != 0:
        sys.exit(result.returncode)


def apt_install(packages: list[str]) -> None:
    if not packages:
        return
    prefix = [] if os.geteuid() == 0 else ["sudo"]
    if prefix and shutil.which("sudo") is None:
        sys.exit(f"missing {packages}: install them with apt-get (needs root)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run([*prefix, "apt-get", "update", "-q"], env=env)
    run([*prefix, "apt-get", "install", "-y", "-q", "--no-install-recommends", *packages], env=env)


def ensure_system() -> None:
    missing = [package for path, package in ENGINES.items() if not path.exists()]
    if not CHROMIUM.exists():
        missing += ["fonts-dejavu-core"]
    try:
        import ensurepip  # noqa: F401  (Debian ships venv without it in python3-venv)
    except ImportError:
        missing.append("python3-venv")
    if shutil.which("npm") is None:
        missing += ["nodejs", "npm"]
    missing += missing_latex()
    apt_install(missing)


def missing_latex() -> list[str]:
    """pdflatex with amsmath (texlive-latex-base) and xcolor (-recommended), and pdftotext."""
    kpsewhich = shutil.which("kpsewhich")
    xcolor = kpsewhich and subprocess.run([kpsewhich, "xcolor.sty"], capture_output=True).stdout
    found = {
        "texlive-latex-base": shutil.which("pdflatex"),
        "texlive-latex-recommended": xcolor,
        "poppler-utils": shutil.which("pdftotext"),
    }
    return [package for package, there in found.items() if not there]


def ensure_venv() -> None:
    pins = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    requirements = pins["test"]
    digest = hashlib.sha256("\n".join(requirements).encode()).hexdigest()
    stamp = VENV / ".bpx-requirements-sha256"
    if PY.exists() and stamp.exists() and stamp.read_text().strip() == digest:
        return
    if not PY.exists():
        log("creating .venv")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    run([str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q", *requirements])
    stamp.write_text(digest + "\n")


def lint_js() -> None:
    run([str(ROOT / "node_modules" / ".bin" / "eslint"), "--max-warnings", "0", "."])


def test_js() -> None:
    out = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout
    if tuple(int(n) for n in out.strip().lstrip("v").split(".")[:2]) < NODE_MIN:
        sys.exit(f"node --test needs Node.js {'.'.join(map(str, NODE_MIN))} or later, found {out}")
    tests = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "js").glob("*.test.mjs"))
    # web/js is ES modules without "type": "module" in package.json (which would make Node read
    # Pyodide's CommonJS in dist/ as a module): Node finds out by itself, and needs no warning.
    quiet = "--disable-warning=MODULE_TYPELESS_PACKAGE_JSON"
    run(["node", quiet, "--test", *tests], env={**os.environ, "BPX_PYTHON": str(PY)})


def type_check() -> None:
    run([str(PY), "-m", "mypy"])


def main() -> int:
    ensure_system()
    ensure_venv()
    run([str(PY), "build.py"])
    sources = ["py", "tests", "build.py", "bench", "tools"]
    run([str(PY), "-m", "ruff", "check", *sources])
    run([str(PY), "-m", "ruff", "format", "--check", *sources])
    lint_js()
    test_js()
    type_check()
    env = {**os.environ, "BPX_QUIET": "1"}
    result = subprocess.run([str(PY), "-m", "pytest", *sys.argv[1:]], cwd=ROOT, env=env)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
