"""The reply declaration (py/backprop_explorer/reply.py, reply_views.py) put to work: a checker of real replies
against its TypedDicts, and the TypeScript declarations the page's JavaScript reads.

    python3 tests/reply_schema.py     # rewrites web/js/reply.d.ts

tests/unit/test_reply.py checks that web/js/reply.d.ts is exactly ``typescript()``.
"""

from __future__ import annotations

import inspect
import sys
import types
import typing
from pathlib import Path
from typing import Any, Literal, NotRequired, Union, get_args, get_origin, get_type_hints

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "py"))

from backprop_explorer import reply, reply_training, reply_views  # noqa: E402

DECLARATION = ROOT / "web" / "js" / "reply.d.ts"


def _is_typeddict(t: Any) -> bool:
    return isinstance(t, type) and typing.is_typeddict(t)


def _fields(t: type) -> dict[str, tuple[Any, bool]]:
    """A TypedDict's keys: (type, required)."""
    hints = get_type_hints(t, include_extras=True)
    out = {}
    for key, hint in hints.items():
        required = get_origin(hint) is not NotRequired
        out[key] = (hint if required else get_args(hint)[0], required)
    return out


def problems(value: Any, t: Any, path: str = "reply") -> list[str]:
    """Where ``value`` does not have type ``t``: one line per mismatch, by its path."""
    origin = get_origin(t)
    if t is Any:
        return []
    if t is None or t is type(None):
        return [] if value is None else [f"{path}: {value!r} is not null"]
    if origin in (Union, types.UnionType):
        options = [problems(value, a, path) for a in get_args(t)]
        return [] if any(not p for p in options) else min(options, key=len)
    if origin is Literal:
        return [] if value in get_args(t) else [f"{path}: {value!r} is not one of {get_args(t)}"]
    if _is_typeddict(t):
        if not isinstance(value, dict):
            return [f"{path}: {type(value).__name__} is not {t.__name__}"]
        fields = _fields(t)
        out = [f"{path}.{k}: not in {t.__name__}" for k in value if k not in fields]
        for key, (hint, required) in fields.items():
            if key in value:
                out += problems(value[key], hint, f"{path}.{key}")
            elif required:
                out.append(f"{path}.{key}: missing from {t.__name__}")
        return out
    if origin is list:
        if not isinstance(value, list):
            return [f"{path}: {type(value).__name__} is not a list"]
        (item,) = get_args(t)
        return [p for i, v in enumerate(value) for p in problems(v, item, f"{path}[{i}]")]
    if origin is dict:
        if not isinstance(value, dict):
            return [f"{path}: {type(value).__name__} is not an object"]
        _, item = get_args(t)
        return [p for k, v in value.items() for p in problems(v, item, f"{path}.{k}")]
    if t is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif t is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, t)
    return [] if ok else [f"{path}: {value!r} is not {t.__name__}"]


# -- TypeScript ----------------------------------------------------------------------------
def _ts(t: Any) -> str:
    origin = get_origin(t)
    if t is Any:
        return "unknown"
    if t is None or t is type(None):
        return "null"
    if origin in (Union, types.UnionType):
        return " | ".join(_ts(a) for a in get_args(t))
    if origin is Literal:
        return " | ".join(f'"{a}"' if isinstance(a, str) else str(a).lower() for a in get_args(t))
    if _is_typeddict(t):
        return str(t.__name__)
    if origin is list:
        item = _ts(get_args(t)[0])
        return f"({item})[]" if " | " in item else f"{item}[]"
    if origin is dict:
        return f"Record<string, {_ts(get_args(t)[1])}>"
    return {str: "string", int: "number", float: "number", bool: "boolean"}[t]


def _declared() -> list[type]:
    """The TypedDicts of reply.py and reply_views.py, in the order they are declared."""
    modules = [reply, reply_views, reply_training]
    found = {
        v
        for m in modules
        for v in vars(m).values()
        if _is_typeddict(v) and v.__module__ == m.__name__
    }

    def where(t: type) -> tuple[int, int]:
        module = next(m for m in modules if m.__name__ == t.__module__)
        lines = inspect.getsource(module).splitlines()
        marks = (f"class {t.__name__}(", f"{t.__name__} = TypedDict(")
        return modules.index(module), next(
            i for i, line in enumerate(lines) if line.startswith(marks)
        )

    return sorted(found, key=where)


def typescript() -> str:
    """reply.py's types as TypeScript declarations, for the page's JSDoc."""
    out = [
        "// The bridge's reply as the page sees it. Generated from py/backprop_explorer/reply.py",
        "// and reply_views.py by tests/reply_schema.py (python3 tests/reply_schema.py); do not",
        "// edit by hand.",
        "",
    ]
    for t in _declared():
        if t.__doc__ and not t.__doc__.startswith(f"{t.__name__}("):
            out.append(f"/** {' '.join(t.__doc__.split())} */")
        out.append(f"export interface {t.__name__} {{")
        for key, (hint, required) in _fields(t).items():
            out.append(f"  {key}{'' if required else '?'}: {_ts(hint)};")
        out += ["}", ""]
    out.append("/** The result of each operation. */")
    out.append("export interface Results {")
    out += [f"  {op}: {_ts(t)};" for op, t in reply.RESULTS.items()]
    out += ["}", ""]
    out.append("export type Reply = OkReply | ErrorReply;")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    DECLARATION.write_text(typescript(), encoding="utf-8")
    print(f"wrote {DECLARATION.relative_to(ROOT)}")
