"""Permalinks and exports in CPython: links round-trip exactly, bad links are explained, the
LaTeX export (amsmath + xcolor) compiles with pdflatex, the CSV parses back to the history."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_explorer import Session, default_state
from backprop_explorer.activations import ACTIVATIONS
from backprop_explorer.exports import to_latex
from backprop_explorer.links import decode_state, encode_state, open_link
from backprop_explorer.presets import PRESETS, preset_partial
from latex_check import compile_latex


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(zlib.compress(raw)).decode().rstrip("=")


STATES = [
    {},
    {**preset_partial("deep"), "notation": "vector", "selected": {"layer": 2, "to": 3, "from": 1}},
    {"bias": True, "loss": "mse", "view": "training", "learningRate": 0.125, "seed": 4242},
    {"weights": [[[0.1 + 1e-17, -1 / 3], [2.5e-300, 1e6], [-0.0, 7.0]], [[1.0, 2.0, 3.0]]]},
]


@pytest.mark.parametrize("partial", STATES)
def test_links_round_trip_exactly(partial: dict) -> None:
    state = Session(partial).get_state()
    link = encode_state(state)
    assert re.fullmatch(r"v1\.[A-Za-z0-9_-]+", link)
    opened, notice = open_link(link)
    assert notice is None
    assert opened == state
    assert json.dumps(opened) == json.dumps(state)  # same floats, bit for bit


def test_largest_network_link_stays_short() -> None:
    state = Session({"layers": [10] * 8}).get_state()
    assert len(encode_state(state)) < 12_000


@pytest.mark.parametrize(
    "link,problem",
    [
        ("", "the link has no state in it"),
        ("abc", 'the link\'s state does not start with "v1." (made by another version?)'),
        ("v1.!!!", "the link is damaged (its state cannot be read); was it cut short?"),
        (
            "v1." + b64(b"not json"),
            "the link is damaged (its state cannot be read); was it cut short?",
        ),
        ("v1." + b64(b"[1, 2]"), "the link's state is not a set of State fields"),
        (
            "v1." + b64(b'{"layers": [2, 11, 1]}'),
            "Size of layer 1: must be an integer between 1 and 10, got 11",
        ),
        ("v1." + b64(b'{"colour": "red"}'), "colour: is not a State field"),
        (
            "v1." + b64(b'{"input": [1, NaN]}'),
            "Input x₂: must be a finite number, got NaN",
        ),
        (
            "v1." + b64(b"{" * 10),
            "the link is damaged (its state cannot be read); was it cut short?",
        ),
        ("v1." + b64(b" " * 2_000_000), "the link's state is too large"),
    ],
)
def test_bad_links_open_the_default_with_a_notice(link: str, problem: str) -> None:
    state, notice = open_link(link)
    assert state == default_state()
    assert notice == f"This link could not be opened ({problem}). Showing the default network."
    # A page that is already open keeps the network it shows.
    session = Session(preset_partial("deep"))
    before = session.get_state()
    notice = session.open_link(link)
    assert notice == f"This link could not be opened ({problem}). The network shown is unchanged."
    assert session.get_state() == before


def test_a_cut_link_is_named_as_damaged() -> None:
    link = encode_state(Session(preset_partial("deep")).get_state())
    _, notice = open_link(link[: len(link) // 2])
    assert notice is not None and "damaged" in notice


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_no_text_makes_opening_a_link_fail(text: str) -> None:
    state, notice = open_link(text)
    assert state == default_state() or notice is None


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_no_bytes_behind_the_prefix_make_it_fail(raw: bytes) -> None:
    link = "v1." + base64.urlsafe_b64encode(raw).decode()
    state, notice = open_link(link)
    assert state == default_state() and notice is not None


def test_decode_gives_the_fields() -> None:
    state = Session().get_state()
    assert decode_state(encode_state(state)) == state


# -- LaTeX ---------------------------------------------------------------------------------
NOTATIONS = ["explicit", "einstein", "vector"]
NUMBER = re.compile(r"-?\d+\.\d+")


def _weights(layers) -> list[dict[str, int]]:
    """w(1)1,1, then in every layer the weight from its last source to its last neuron."""
    last = [(l, layers[l], layers[l - 1]) for l in range(1, len(layers))]
    return [
        dict(zip(("layer", "to", "from"), w, strict=True))
        for w in dict.fromkeys([(1, 1, 1), *last])
    ]


def _export_and_compile(session: Session, sel: dict[str, int], work: Path) -> None:
    """Export the derivation of `sel`, check it holds every step, compile it with pdflatex and
    find each step's label and the numbers of the last step in the PDF."""
    session.select(sel)
    out = session.export("latex")
    name = (
        f"b{sel['layer']}-{sel['to']}"
        if sel["from"] == 0
        else f"w{sel['layer']}-{sel['to']}-{sel['from']}"
    )
    assert out["filename"] == f"backprop-{name}.tex"
    doc = out["text"]
    steps = session.derivation()["steps"]
    for step in steps:
        if step.get("pageOnly"):  # a hover aid of the page: not in the document
            assert f"\\paragraph{{{step['label']}}}" not in doc
            continue
        assert to_latex(step["tex"]) in doc
        assert f"\\paragraph{{{step['label']}}}" in doc
    work.mkdir()
    pdf = compile_latex(doc, work)
    at = 0
    for step in (s for s in steps if not s.get("pageOnly")):
        at = pdf.find(step["label"], at)
        assert at >= 0, f"step {step['label']!r} is not in the PDF (in this order)"
    numbers = NUMBER.findall(steps[-1]["tex"])
    assert numbers and all(n in pdf for n in numbers), (numbers, pdf[-300:])
    assert "_{" not in pdf and "\\" not in pdf, pdf[:300]  # the title's weight is typeset


@pytest.mark.parametrize("name", list(PRESETS))
@pytest.mark.parametrize("notation", NOTATIONS)
@pytest.mark.parametrize(("loss", "bias"), [("half_sse", False), ("mse", True)])
def test_latex_export_compiles_with_pdflatex(name, notation, loss, bias, tmp_path) -> None:
    """Every preset and notation, a weight in each layer (and w(1)1,1): a real pdflatex
    compiles the export without an error or warning, and the PDF shows the derivation."""
    session = Session({**preset_partial(name), "notation": notation, "loss": loss, "bias": bias})
    for sel in _weights(PRESETS[name].layers):
        _export_and_compile(session, sel, tmp_path / "w{layer}-{to}-{from}".format(**sel))


@pytest.mark.parametrize("notation", NOTATIONS)
def test_latex_export_of_every_activation_compiles(notation, tmp_path) -> None:
    layers = [2, 3, 3, 3, 3, 2]
    session = Session({"layers": layers, "activations": list(ACTIVATIONS), "notation": notation})
    for sel in _weights(layers):
        _export_and_compile(session, sel, tmp_path / "w{layer}-{to}-{from}".format(**sel))


@pytest.mark.parametrize("notation", NOTATIONS)
def test_latex_export_of_wide_layers_and_a_bias_compiles(notation, tmp_path) -> None:
    """Ten neurons a layer: the abbreviated matrices (dots where entries are left out, the
    selected one boxed) and a bias's steps compile in pdflatex."""
    session = Session({"layers": [10, 10, 10], "activations": ["tanh", "linear"], "bias": True})
    session.set_state({"notation": notation})
    for sel in ({"layer": 1, "to": 5, "from": 7}, {"layer": 1, "to": 10, "from": 0}):
        _export_and_compile(session, sel, tmp_path / "w{layer}-{to}-{from}".format(**sel))


def test_latex_export_title_typesets_the_weight_and_names_the_loss_and_activations() -> None:
    session = Session({**preset_partial("special"), "activations": ["sigmoid", "leaky_relu"]})
    session.select({"layer": 2, "to": 1, "from": 3})
    lines = session.export("latex")["text"].splitlines()
    at = lines.index(r"\begin{document}")
    assert lines[at + 1] == (
        r"\section*{Backpropagation: the gradient of $w^{(2)}_{1,3}$ in a 2 to 3 to 2 network}"
    )
    assert lines[at + 2] == (
        r"Activations, layer by layer: sigmoid, leaky ReLU. Loss: $\mathcal{L} = "
        r"\tfrac{1}{2}\sum_{j=1}^{n_L} \bigl(a_j^{(L)} - y_j\bigr)^2$. "
        "Notation: explicit. Exported from Backprop Explorer."
    )


def test_latex_export_needs_a_selection() -> None:
    with pytest.raises(Exception) as err:
        Session({"selected": None}).export("latex")
    assert str(err.value) == "export: select a connection first: the LaTeX is its derivation"


def test_to_latex_unwraps_hover_classes() -> None:
    assert to_latex(r"a \class{bpx-path-1}{\wt{w_{1}} + \class{x}{y}} \in \mathbb{R}") == (
        r"a \wt{w_{1}} + y \in \mathbf{R}"
    )


def test_to_latex_takes_out_the_pages_markup() -> None:
    """\\keep and \\term are unwrapped, \\onpage dropped, \\inexport kept, nested too."""
    tex = r"\keep{a} = \keep{\term{3}{\keep{b}\,c}}\onpage{ = \term{0}{d}}\inexport{ = e} = f"
    assert to_latex(tex) == r"a = b\,c = e = f"


# -- CSV ----------------------------------------------------------------------------------
def test_history_csv_parses_back_to_the_history() -> None:
    session = Session({**preset_partial("special"), "learningRate": 0.1})
    session.step(12)
    out = session.export("csv")
    assert out["filename"] == "training-history.csv" and out["mime"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(out["text"])))
    assert list(rows[0]) == [
        "step",
        "loss",
        "prediction_1",
        "prediction_2",
        "target_1",
        "target_2",
    ]
    assert [int(r["step"]) for r in rows] == list(range(13))
    for row, want in zip(rows, session.run.history, strict=True):
        assert float(row["loss"]) == want["loss"]
        assert [float(row["prediction_1"]), float(row["prediction_2"])] == want["prediction"]
        assert [float(row["target_1"]), float(row["target_2"])] == want["target"]
    one = Session()
    assert one.export("csv")["text"].splitlines()[0] == "step,loss,prediction,target"


def test_pages_workflow_tests_then_builds_and_deploys_dist_with_pinned_actions() -> None:
    text = (Path(__file__).resolve().parents[2] / ".github/workflows/pages.yml").read_text()
    uses = re.findall(r"uses: ([\w./-]+)@(\S+)", text)
    assert {name for name, _ in uses} == {
        "actions/checkout",
        "actions/setup-python",
        "actions/setup-node",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    }
    assert all(re.fullmatch(r"[0-9a-f]{40}", ref) for _, ref in uses)  # commit SHAs, not tags
    assert "run: python3 build.py" in text and "path: dist" in text
    # the test command runs first: no build (so no deployment) unless it passes
    assert "run: python3 tests/run.py" in text
    assert re.search(r"\n  build:\n    needs: test\n", text)
    assert re.search(r"\n  deploy:\n    needs: build\n", text)


def test_a_link_without_a_selection_opens_with_none_and_one_with_it_keeps_it() -> None:
    fields = {k: v for k, v in default_state().items() if k != "selected"}
    text = json.dumps(fields).encode()
    bare = "v1." + base64.urlsafe_b64encode(zlib.compress(text)).decode().rstrip("=")
    assert open_link(bare) == ({**default_state(), "selected": None}, None)
    chosen = {**default_state(), "selected": {"layer": 2, "to": 1, "from": 3}}
    assert open_link(encode_state(chosen))[0]["selected"] == {"layer": 2, "to": 1, "from": 3}
    assert open_link(encode_state({**default_state(), "selected": None}))[0]["selected"] is None
