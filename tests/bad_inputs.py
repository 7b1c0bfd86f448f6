"""The bad-input corpus: what students, teachers and host pages may send, and what must come
back. Shared by tests/unit/test_bad_inputs.py (CPython, through bridge.handle) and
tests/browser/test_bad_inputs_page.py (the built site: form fields, the API, the URL hash).

Each case is (channel, target, value):

- ``edit``      text typed into the form field ``target`` (a State path such as "input[0]");
- ``setState``  ``value`` is the partial State (``target`` is "");
- ``op``        ``target`` is an app operation, ``value`` its named arguments;
- ``link``      ``value`` is the ``state=`` text of a permalink (opened on an open page);
- ``trainEdit`` as ``edit``, typed into the training panel of ``TRAINING`` (XOR in batches of
  2, Adam): the fields only a data set and an optimizer with settings have.

The expected message of every case is in tests/golden/bad-inputs.jsonl, reviewed by hand:
regenerate with ``BPX_UPDATE_GOLDEN=1`` and read the diff. Every case starts from the default
State (2-3-1, ReLU then linear, no biases; ``TRAINING`` merged into it for ``trainEdit``) and
must leave it unchanged.
"""

from __future__ import annotations

import base64
import json
import math
import zlib
from typing import Any, NamedTuple

XSS = [
    "<img src=x onerror=alert(1)>",
    '"><script>alert(1)</script>',
    "\\href{javascript:alert(1)}{x}",
    "$\\href{javascript:alert(1)}{x}$",
    "javascript:alert(1)",
]

NUMBER_TEXTS = [
    "",
    "   ",
    "abc",
    "1,5",
    "-2,25",
    "NaN",
    "nan",
    "-NaN",
    "Infinity",
    "-Infinity",
    "inf",
    "+inf",
    "1e309",
    "-1e400",
    "1.2.3",
    "--1",
    "+-1",
    "0x10",
    "1/2",
    "½",
    "1e",
    "e5",
    ".",
    "-",
    "1 000",
    "12abc",
    "1e+",
    "1e5e5",
    "(1)",
    "≈2",
    "π",
    "sqrt(2)",
    "0.5%",
    "1\n2",
    "\u0000",
    "2e6",
    "-1e7",
    *XSS,
]

# The default State's form fields: inputs, target, both weight matrices, η and the seed.
NUMBER_FIELDS = ["input[0]", "target[0]", "weights[0][2][1]", "weights[1][0][2]"]
OTHER_NUMBER_TEXTS = {
    "learningRate": ["", "abc", "1,5", "NaN", "0", "-0.1", "1001", "1e309", "0x1", XSS[0]],
    "seed": ["", "abc", "2.5", "-1", "4294967296", "1e10", "NaN", "1,5", XSS[2]],
    "input[1]": ["Infinity", "1,5", XSS[1]],
    "weights[0][0][0]": ["-Infinity", "", XSS[3]],
}

LAYERS_TEXTS = [
    "0",
    "3,,2",
    "100",
    "1e3",
    ",".join(["2"] * 50),
    "",
    " ",
    ",",
    "3",
    "3,",
    ",3,2",
    "3;2",
    "3.5,2",
    "-3,2",
    "3,0,2",
    "3,11,2",
    "3,a,2",
    "a",
    "3 2 x",
    "3,2,",
    "1,1,1,1,1,1,1,1,1",
    "11,2",
    "3,2,100",
    "2,3,1e1",
    "3,2,+1",
    "0x3,2",
    "3, ,2",
    "NaN,2",
    "Infinity",
    "10,10,10,10,10,10,10,10,10",
    "3,²,1",
    "٣,٢",
    *XSS,
]

MISSING_FIELDS = [
    ("input[5]", "1"),
    ("input[0][0]", "1"),
    ("target[1]", "1"),
    ("weights[0][9][0]", "1"),
    ("weights[0][0]", "1"),
    ("weights[2][0][0]", "1"),
    ("biases[0][0]", "1"),
    ("input", "1"),
    ("loss", "mse"),
    ("__proto__", "1"),
    ("layers[0]", "3"),
    (XSS[0], "1"),
]

BIG = [0.0] * 100_000  # a huge array where a short one belongs

# Issue 17's fields: the data set, its batch size and order, the optimizer and its settings.
XOR = [
    {"input": [0.0, 0.0], "target": [0.0]},
    {"input": [0.0, 1.0], "target": [1.0]},
    {"input": [1.0, 0.0], "target": [1.0]},
    {"input": [1.0, 1.0], "target": [0.0]},
]
TRAINING: dict[str, Any] = {"samples": XOR, "batchSize": 2, "optimizer": {"name": "adam"}}
TRAINING_SET_STATE: list[Any] = [
    {"samples": []},
    {"samples": "xor"},
    {"samples": {"input": [0, 0], "target": [0]}},
    {"samples": XOR * 4 + XOR[:1]},
    {"samples": [{"input": [0, 0]}]},
    {"samples": [{"input": [0, 0], "target": [0], "weight": 1}]},
    {"samples": [{"input": [0], "target": [0]}]},
    {"samples": [{"input": [0, 0, 0], "target": [0]}]},
    {"samples": [{"input": [0, 0], "target": [0, 1]}]},
    {"samples": [{"input": [0, math.nan], "target": [0]}]},
    {"samples": [{"input": [0, "1"], "target": [0]}]},
    {"samples": [{"input": [0, 0], "target": [-math.inf]}]},
    {"samples": [{"input": [0, 0], "target": [-2e6]}]},
    {"samples": [XSS[0]]},
    {"batchSize": 2},
    {"batchSize": 5, "samples": XOR},
    {"batchSize": 0, "samples": XOR},
    {"batchSize": -1, "samples": XOR},
    {"batchSize": 1.5, "samples": XOR},
    {"batchSize": "2", "samples": XOR},
    {"batchSize": math.nan, "samples": XOR},
    {"shuffle": True},
    {"shuffle": "true", "samples": XOR},
    {"shuffle": 1, "samples": XOR},
    {"shuffle": None, "samples": XOR},
    {"optimizer": "adam"},
    {"optimizer": {}},
    {"optimizer": {"name": "adamw"}},
    {"optimizer": {"name": "Adam"}},
    {"optimizer": {"name": XSS[0]}},
    {"optimizer": {"name": "gd", "momentum": 0.9}},
    {"optimizer": {"name": "adam", "beta1": 1.5}},
    {"optimizer": {"name": "adam", "beta1": 1}},
    {"optimizer": {"name": "adam", "beta2": -0.1}},
    {"optimizer": {"name": "adam", "eps": math.nan}},
    {"optimizer": {"name": "adam", "eps": 0}},
    {"optimizer": {"name": "adam", "eps": "1e-8"}},
    {"optimizer": {"name": "momentum", "momentum": -1}},
    {"optimizer": {"name": "momentum", "dampening": 1.5}},
    {"optimizer": {"name": "nesterov", "momentum": math.inf}},
    {"optimizer": {"name": "rmsprop", "alpha": 2}},
    {"optimizer": {"name": "rmsprop", "alpha": True}},
]
# Typed into the training panel of the default State (no data set, gradient descent).
TRAINING_EDITS = [
    ("batchSize", "2"),
    ("batchSize", "abc"),
    ("shuffle", "true"),
    ("shuffle", "on"),
    ("samples", "curve"),
    ("samples", XSS[0]),
    ("samples[0].input[0]", "1"),
    ("sample", "1"),
    ("samples.add", ""),
    ("samples.remove", "1"),
    ("optimizer.name", "adamw"),
    ("optimizer.momentum", "0.9"),
]
# Typed into the training panel of TRAINING (trainEdit).
TRAINING_TEXTS = {
    "batchSize": ["", "abc", "1,5", "NaN", "1.5", "0", "-1", "5", "1e309", XSS[0]],
    "optimizer.beta1": ["", "abc", "0,9", "NaN", "-0.1", "1", "Infinity", XSS[1]],
    "optimizer.eps": ["0", "-1e-8", "nan", "1e309"],
    "samples[1].input[0]": ["", "abc", "1,5", "NaN", "-Infinity", "2e6", XSS[2]],
    "samples[3].target[0]": ["x", "-1e7"],
    "samples[4].input[0]": ["1"],
    "samples[0].input[2]": ["1"],
    "sample": ["0", "5", "1.5", "abc"],
    "samples.remove": ["", "0", "5", "abc", "NaN"],
    "shuffle": ["", "yes", "1", "True"],
}

SET_STATE: list[Any] = [
    None,
    "x",
    5,
    [],
    True,
    {"foo": 1},
    {"constructor": 1},
    {XSS[0]: 1},
    {"layers": "2,3"},
    {"layers": [2]},
    {"layers": [2] * 9},
    {"layers": [0, 1]},
    {"layers": [2, 11]},
    {"layers": [2, 1.5]},
    {"layers": [2, "3"]},
    {"layers": [2, None]},
    {"layers": [2, True]},
    {"layers": [2, math.nan]},
    {"layers": {}},
    {"layers": BIG},
    {"activations": "relu"},
    {"activations": ["relu"]},
    {"activations": ["softmax", "linear"]},
    {"activations": ["relu", 1]},
    {"activations": ["ReLU", "linear"]},
    {"activations": [XSS[0], "linear"]},
    {"loss": "cross_entropy"},
    {"loss": 1},
    {"loss": None},
    {"loss": "MSE"},
    {"loss": XSS[0]},
    {"loss": XSS[2]},
    {"bias": "true"},
    {"bias": 1},
    {"bias": None},
    {"weights": []},
    {"weights": [[[1, 2]] * 3]},
    {"weights": [[[1, 2]] * 2, [[1, 2, 3]]]},
    {"weights": [[[1, 2, 3]] * 3, [[1, 2, 3]]]},
    {"weights": [[[1, math.nan]] * 3, [[1, 2, 3]]]},
    {"weights": [[[1, "0.5"]] * 3, [[1, 2, 3]]]},
    {"weights": [[[1, 2e6]] * 3, [[1, 2, 3]]]},
    {"weights": [[[1, 2]] * 3, [[1, 2, math.inf]]]},
    {"weights": None},
    {"weights": [[BIG] * 3, [[1, 2, 3]]]},
    {"biases": [[0, 0, 0], [0]]},
    {"bias": True, "biases": [[0, 0], [0]]},
    {"bias": True, "biases": [[0, 0, 0], [math.nan]]},
    {"bias": True, "biases": [[0, 0, 0]]},
    {"input": [1]},
    {"input": [1, 2, 3]},
    {"input": [math.nan, 1]},
    {"input": [math.inf, 1]},
    {"input": ["1", 2]},
    {"input": None},
    {"input": 1.0},
    {"input": [1e7, 0]},
    {"input": BIG},
    {"input": [XSS[0], 1]},
    {"target": []},
    {"target": [1, 2]},
    {"target": [math.nan]},
    {"target": ["x"]},
    {"learningRate": 0},
    {"learningRate": -1},
    {"learningRate": 1001},
    {"learningRate": math.nan},
    {"learningRate": math.inf},
    {"learningRate": "0.1"},
    {"learningRate": None},
    {"learningRate": True},
    {"seed": -1},
    {"seed": 2.5},
    {"seed": 2**32},
    {"seed": "37"},
    {"seed": math.nan},
    {"seed": True},
    {"view": "graph"},
    {"view": None},
    {"view": XSS[1]},
    {"notation": "latex"},
    {"notation": "Explicit"},
    {"notation": None},
    {"selected": {"layer": 0, "to": 1, "from": 1}},
    {"selected": {"layer": 3, "to": 1, "from": 1}},
    {"selected": {"layer": 1, "to": 4, "from": 1}},
    {"selected": {"layer": 1, "to": 1, "from": 3}},
    {"selected": {"layer": 1, "to": 1}},
    {"selected": {"layer": 1, "to": 1, "from": 1, "x": 1}},
    {"selected": "w1"},
    {"selected": [1, 1, 1]},
    {"selected": {"layer": 1.5, "to": 1, "from": 1}},
    {"selected": {"layer": "1", "to": 1, "from": 1}},
    {"layers": [2, 3, 1], "input": [1, 2, 3]},
    {"layers": [3, 3, 1], "activations": ["relu"]},
]

OPS: list[tuple[str, dict[str, Any]]] = [
    ("step", {"n": 0}),
    ("step", {"n": -1}),
    ("step", {"n": 10_001}),
    ("step", {"n": 2.5}),
    ("step", {"n": "abc"}),
    ("step", {"n": ""}),
    ("step", {"n": "1e3x"}),
    ("step", {"n": None}),
    ("step", {"n": True}),
    ("step", {"n": math.nan}),
    ("step", {"n": XSS[0]}),
    ("select", {"selection": "w"}),
    ("select", {"selection": {"layer": 9, "to": 1, "from": 1}}),
    ("select", {"selection": {"layer": 2, "to": 2, "from": 1}}),
    ("select", {"selection": [2, 1, 1]}),
    ("preset", {"name": "huge"}),
    ("preset", {"name": None}),
    ("preset", {"name": 5}),
    ("preset", {"name": XSS[0]}),
    ("export", {"kind": "pdf"}),
    ("export", {"kind": None}),
    ("restoreSeed", {}),
    ("edit", {"field": 5, "text": "1"}),
    ("edit", {"field": "input[0]", "text": 5}),
    ("edit", {"field": None, "text": None}),
    ("setState", {"partial": [1, 2]}),
    ("explode", {}),
    ("__init__", {}),
    (XSS[0], {}),
]


def _link(raw: bytes) -> str:
    return "v1." + base64.urlsafe_b64encode(zlib.compress(raw)).decode().rstrip("=")


LINKS = [
    "",
    "v2.abc",
    "abc",
    "v1.",
    "v1.!!!",
    "v1.AAAA",
    "v1." + "A" * 200_001,
    _link(b"[1, 2]"),
    _link(b'"state"'),
    _link(b'{"layers": [2, 0]}'),
    _link(b'{"foo": 1}'),
    _link(b"\xff\xfe"),
    _link(b'{"layers": [2, 3'),
    _link(b" " * 2_000_000),
    _link(b'{"input": [NaN, 1]}'),
    _link(b'{"activations": ["softmax", "linear"]}'),
    _link(b'{"weights": [[[1]]]}'),
    _link(json.dumps({"loss": XSS[0]}).encode()),
    _link(json.dumps({"view": XSS[2]}).encode()),
    _link(json.dumps({"selected": {"layer": 5, "to": 1, "from": 1}}).encode()),
    _link(json.dumps({"layers": [2] * 20}).encode()),
    _link(json.dumps({"seed": -5}).encode()),
    _link(b"null"),
    "v1." + base64.urlsafe_b64encode(b"not deflated").decode().rstrip("="),
    "v1." + XSS[0],
    "v1.%3Cimg%3E",
]


class Case(NamedTuple):
    channel: str
    target: str
    value: Any

    def key(self) -> str:
        """A stable, readable identity for the golden file."""
        value = json.dumps(self.value, allow_nan=True, ensure_ascii=False)
        if len(value) > 120:
            value = value[:100] + f"...({len(value)} chars)"
        return f"{self.channel} {self.target} {value}"


def cases() -> list[Case]:
    """Every bad input of the corpus, in a stable order."""
    out = [Case("edit", field, text) for field in NUMBER_FIELDS for text in NUMBER_TEXTS]
    out += [
        Case("edit", field, text) for field, texts in OTHER_NUMBER_TEXTS.items() for text in texts
    ]
    out += [Case("edit", "layers", text) for text in LAYERS_TEXTS]
    out += [Case("edit", field, text) for field, text in MISSING_FIELDS]
    out += [Case("edit", field, text) for field, text in TRAINING_EDITS]
    out += [Case("setState", "", partial) for partial in SET_STATE]
    out += [Case("setState", "", partial) for partial in TRAINING_SET_STATE]
    out += [Case("op", op, args) for op, args in OPS]
    out += [Case("link", "", link) for link in LINKS]
    out += [
        Case("trainEdit", field, text) for field, texts in TRAINING_TEXTS.items() for text in texts
    ]
    return out


def request(case: Case) -> str:
    """The bridge request a case makes (JSON with NaN/Infinity tokens, as web/js/json.js sends)."""
    if case.channel in ("edit", "trainEdit"):
        op, args = "edit", {"field": case.target, "text": case.value}
    elif case.channel == "setState":
        op, args = "setState", {"partial": case.value}
    elif case.channel == "link":
        op, args = "openLink", {"link": case.value}
    else:
        op, args = case.target, case.value
    return json.dumps({"op": op, "args": args}, allow_nan=True)


def setup(case: Case) -> str | None:
    """The request that makes the State a case starts from (None: the default State)."""
    if case.channel != "trainEdit":
        return None
    return json.dumps({"op": "setState", "args": {"partial": TRAINING}})
