"""Build-time steps that must run in the site's own Pyodide (started by pyodide_build.mjs).

    python (Pyodide) pyodide_build.py <staged dist/ mounted in Pyodide's file system>

Precompiles the standard library, numpy and our package to bytecode, pre-renders the reply
of the page's `init` operation, and every view a click on that opening view can reach
(`clicks_ahead`). Everything written is deterministic: sorted zip entries, fixed dates,
hash-based .pyc files (no timestamps).
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import sys
import zipfile
from collections.abc import Callable, Iterator
from importlib._bootstrap_external import _code_to_hash_pyc

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
STDLIB_ZIP = "/lib/python312.zip"  # where Pyodide mounts python_stdlib.zip
SITE = "/lib/python3.12/site-packages"


def pyc(source: bytes, filename: str) -> bytes:
    """Unchecked hash-based bytecode: valid without comparing timestamps or hashes."""
    code = compile(source, filename, "exec", dont_inherit=True)
    return bytes(_code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False))


def rezip(data: bytes, transform: Callable[[str, bytes], Iterator[tuple[str, bytes]]]) -> bytes:
    """The zip again, each entry replaced by what ``transform(name, body)`` yields for it,
    in a deterministic form."""
    src = zipfile.ZipFile(io.BytesIO(data))
    entries: dict[str, bytes] = {}
    for info in src.infolist():
        if info.is_dir():
            continue
        entries.update(transform(info.filename, src.read(info)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            dest.writestr(info, entries[name])
    return out.getvalue()


def compiled(
    root: str, keep_source: bool, wanted: set[str] | None = None
) -> Callable[[str, bytes], Iterator[tuple[str, bytes]]]:
    """A ``transform`` for rezip: each .py (of the ``wanted`` ones, when given) gets its .pyc.

    Third-party modules (stdlib, numpy) become sourceless "x.pyc" in place of "x.py", which
    zipimport and the import system both load; that keeps the download as small as before.
    Our own modules keep their source, so a traceback shows the line, and get the .pyc in
    __pycache__ beside it.
    """

    def transform(name: str, body: bytes) -> Iterator[tuple[str, bytes]]:
        if not name.endswith(".py") or (wanted is not None and name not in wanted):
            yield name, body
            return
        try:
            code = pyc(body, f"{root}/{name}")
        except SyntaxError:  # test data and templates that are not Python 3
            yield name, body
            return
        if keep_source:
            yield name, body
            yield importlib.util.cache_from_source(name), code
        else:
            yield name + "c", code

    return transform


def rewrite(path: str, extra) -> str:
    with open(path, "rb") as f:
        data = rezip(f.read(), extra)
    with open(path, "wb") as f:
        f.write(data)
    return hashlib.sha256(data).hexdigest()


def request_key(op: str, args: dict) -> str:
    """The request as one canonical text (keys sorted, no spaces): what app.js's
    `requestKey` writes for the same call, so the page finds a pre-rendered answer by it."""
    request = {"op": op, "args": args}
    return json.dumps(request, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def clicks_ahead(call: Callable[..., str], first: str) -> dict:
    """Every view the page can reach from the opening view with the clicks it answers before
    Python is up: selecting any connection of the opening network, choosing a notation.

    Each view is reached for real (Python's `init` with the view's State, then the click), so
    whatever a click does (a selection kept, a notation's steps) is Python's answer. Returns
    {"actions": [request keys], "views": [render JSON texts, the first the opening view's],
    "next": [[index in views of what action a gives, per action] per view]}.
    """
    from backprop_explorer.state import NOTATIONS

    def render_of(reply: str) -> str:
        parsed = json.loads(reply)
        if not parsed["ok"]:
            raise RuntimeError(f"a pre-rendered click failed: {reply[:500]}")
        return json.dumps(parsed["render"], separators=(",", ":"))

    views = [render_of(first)]
    layers = json.loads(views[0])["state"]["layers"]
    actions = [
        ("select", {"selection": {"layer": layer, "to": to, "from": source}})
        for layer in range(1, len(layers))
        for to in range(1, layers[layer] + 1)
        for source in range(1, layers[layer - 1] + 1)
    ] + [("setState", {"partial": {"notation": name}}) for name in NOTATIONS]
    found = {views[0]: 0}
    nexts: list[list[int]] = []
    for view in views:  # grows while it is walked: every view reached is walked too
        state = json.loads(view)["state"]
        row = []
        for op, args in actions:
            if render_of(call("init", state=state)) != view:
                raise RuntimeError("init with a pre-rendered view's State renders another view")
            reached = render_of(call(op, **args))
            row.append(found.setdefault(reached, len(views)))
            if row[-1] == len(views):
                views.append(reached)
        nexts.append(row)
    call("init")  # the opening State again, for what the build does next
    keys = [request_key(op, args) for op, args in actions]
    return {"actions": keys, "views": views, "next": nexts}


def used_modules(package: str) -> tuple[set[str], set[str], set[str], str, dict]:
    """Run the app's operations once; return the stdlib and numpy sources they imported (as
    paths inside python_stdlib.zip and the wheel), numpy's extension modules they loaded, the
    reply of `init` (the pre-render) and the views its clicks reach (`clicks_ahead`)."""
    with zipfile.ZipFile(package) as z:
        z.extractall(SITE)
    importlib.invalidate_caches()
    from backprop_explorer import bridge

    def call(op: str, **args) -> str:
        return bridge.handle(json.dumps({"op": op, "args": args}))

    first = call("init")
    ahead = clicks_ahead(call, first)
    for name in ("deep", "special"):
        call("preset", name=name)
        call("select", selection={"layer": 1, "to": 1, "from": 1})
    call("setState", partial={"view": "training", "bias": True, "loss": "mse"})
    call("step", n=3)
    call("edit", field="input[0]", text="0.5")
    call("export", kind="latex")
    call("export", kind="csv")
    call("openLink", link="v1.broken")
    for optimizer in ("momentum", "nesterov", "rmsprop", "adam"):
        call("setState", partial={"optimizer": {"name": optimizer}})
        call("step", n=2)
    call("edit", field="samples", text="xor")
    call("edit", field="batchSize", text="2")
    call("step", n=3)
    call("resetWeights")
    call("restoreSeed")
    call("gradients")
    call("preset", name="deep")
    call("pathPage", page=1)
    call("diagnostics")
    call("init")
    stdlib, numpy, extensions = set(), set(), set()
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None) or ""
        if path.startswith(STDLIB_ZIP + "/") and path.endswith(".py"):
            stdlib.add(path[len(STDLIB_ZIP) + 1 :])
        elif path.startswith(SITE + "/numpy/") and path.endswith(".py"):
            numpy.add(path[len(SITE) + 1 :])
        elif path.startswith(SITE + "/numpy/") and path.endswith(".so"):
            extensions.add(path[len(SITE) + 1 :])
    return stdlib, numpy, extensions, first, ahead


def trimmed(
    loaded: set[str], removed: list[tuple[str, int]], transform: Callable
) -> Callable[[str, bytes], Iterator[tuple[str, bytes]]]:
    """`transform` without the numpy wheel's extension modules the app never loaded: Pyodide
    downloads and instantiates every one a wheel holds when it loads the package (numpy.random
    alone is 1.9 MB of WebAssembly). Each entry removed is added to `removed` with its size."""

    def transform_kept(name: str, body: bytes) -> Iterator[tuple[str, bytes]]:
        if name.endswith(".so") and name not in loaded:
            removed.append((name, len(body)))
            return
        yield from transform(name, body)

    return transform_kept


def main(stage: str) -> None:
    pyodide = f"{stage}/pyodide"
    package = f"{stage}/py/backprop_explorer.zip"
    stdlib, numpy_used, loaded, first, ahead = used_modules(package)
    with open(f"{stage}/prerender.json", "w") as f:
        f.write(first)
    with open(f"{stage}/prerender-clicks.json", "w") as f:
        json.dump(ahead, f)

    # Only what the app imports is compiled; the rest stays source.
    rewrite(f"{pyodide}/python_stdlib.zip", compiled(STDLIB_ZIP, keep_source=False, wanted=stdlib))
    with open(f"{pyodide}/pyodide-lock.json") as f:
        lock = json.load(f)
    numpy = lock["packages"]["numpy"]
    wheel = f"{pyodide}/{numpy['file_name']}"
    removed: list[tuple[str, int]] = []
    kept = compiled(SITE, keep_source=False, wanted=numpy_used)
    numpy["sha256"] = rewrite(wheel, trimmed(loaded, removed, kept))
    with open(f"{pyodide}/pyodide-lock.json", "w") as f:
        f.write(json.dumps(lock, sort_keys=True, indent=1) + "\n")
    rewrite(package, compiled(SITE, keep_source=True))
    unused = sorted(name.split(".")[0].replace("/", ".") for name, _ in removed)
    size = sum(n for _, n in removed) / 1e6
    print(f"removed from the numpy wheel, never loaded by the app: {', '.join(unused)}")
    print(
        f"precompiled {len(stdlib)} stdlib and {len(numpy_used)} numpy modules; removed"
        f" {len(unused)} numpy extension modules ({size:.1f} MB unpacked)"
    )


if __name__ == "__main__":
    main(sys.argv[1])
