"""The trimmed numpy (issue 18, item 4): the build removes from the numpy wheel the extension
modules the app never loads (tools/pyodide_build.py), and the runtime that is left still
imports and runs everything the app does, with numbers equal to CPython's."""

from __future__ import annotations

import hashlib
import json
import zipfile

from backprop_explorer import Session
from reference import rel_close
from sitebuild.project import DIST

# removed because nothing the app does loads them; numpy's core and linear algebra stay
GONE = ("numpy/random/", "numpy/fft/_pocketfft_umath", "numpy/_core/_rational_tests")
KEPT = ("numpy/_core/_multiarray_umath", "numpy/linalg/_umath_linalg")


def test_the_wheel_lacks_what_the_app_never_loads_and_the_lock_names_its_hash() -> None:
    lock = json.loads((DIST / "pyodide" / "pyodide-lock.json").read_text())
    numpy = lock["packages"]["numpy"]
    wheel = (DIST / "pyodide" / numpy["file_name"]).read_bytes()
    assert hashlib.sha256(wheel).hexdigest() == numpy["sha256"]
    with zipfile.ZipFile(DIST / "pyodide" / numpy["file_name"]) as z:
        extensions = [n for n in z.namelist() if n.endswith(".so")]
    for gone in GONE:
        assert not any(n.startswith(gone) for n in extensions), gone
    for kept in KEPT:
        assert sum(n.startswith(kept) for n in extensions) == 1, kept


EVERY_OPERATION = """async () => {
  const api = backpropExplorer, done = [];
  for (const name of ["basic", "classic", "special", "deep", "demo"]) {
    await api.preset(name);
    await api.select({layer: 1, to: 1, from: 1});
    done.push(name);
  }
  await api.preset("deep");
  done.push((await api.pathPage(1)).text);
  await api.setState({view: "training", bias: true, loss: "mse"});
  for (const name of ["gd", "momentum", "nesterov", "rmsprop", "adam"]) {
    await api.setState({optimizer: {name}});
    done.push((await api.step(3)).taken);
  }
  await api.preset("demo");
  await api.edit("samples", "xor");
  await api.edit("batchSize", "2");
  done.push((await api.step(4)).taken);
  await api.resetWeights();
  await api.restoreSeed();
  await api.edit("input[0]", "0.5");
  await api.openLink("v1.broken").catch((e) => e.message);
  done.push(Object.keys(await api.diagnostics()).length > 0);
  return done;
}"""


def test_the_trimmed_runtime_runs_every_operation_of_the_app(fresh_page) -> None:
    page = fresh_page
    done = page.evaluate(EVERY_OPERATION)
    assert done[:5] == ["basic", "classic", "special", "deep", "demo"]
    assert done[5] == "All 9 paths"
    assert done[6:11] == [3, 3, 3, 3, 3] and done[11] == 4 and done[12] is True
    state = page.evaluate("backpropExplorer.getState()")
    grads = page.evaluate("backpropExplorer.gradients()")
    want = Session(state).gradients()
    flat = lambda ws: [x for W in ws for row in W for x in row]  # noqa: E731
    for got, exp in zip(flat(grads["weights"]), flat(want["weights"]), strict=True):
        assert rel_close(got, exp, rel=1e-12, abs_=1e-15)
