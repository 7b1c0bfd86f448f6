"""The derivation on a mini-batch (issue 17 item 2): one row per sample of the batch (its
number, input, target and ∂𝓛/∂w on it alone), then their mean in the update rule, which is
the gradient the Step uses and the finite difference of the batch's loss."""

from __future__ import annotations

import re

import pytest

from backprop_explorer import Session
from backprop_explorer.datasets import batch_of
from backprop_explorer.exports import to_latex
from backprop_explorer.session import params_of
from latex_check import compile_latex
from reference import mp_finite_difference, rel_close, stated_batches

XOR = [
    {"input": [0.0, 0.0], "target": [0.0]},
    {"input": [0.0, 1.0], "target": [1.0]},
    {"input": [1.0, 0.0], "target": [1.0]},
    {"input": [1.0, 1.0], "target": [0.0]},
]
# Weights with no dead ReLU on any XOR sample, so that every row has a gradient to show.
WEIGHTS = [[[0.5, -0.4], [0.3, 0.8], [-0.6, 0.45]], [[0.7, -0.2, 0.9]]]


def number(tex: str) -> float:
    """A number as sig_tex writes it: 0.0123, -4.5 \\times 10^{-7}."""
    tex = tex.strip().removeprefix(r"\err{").removesuffix("}").strip("()")
    mant, _, exp = tex.partition(r" \times 10^{")
    return float(mant) * 10 ** int(exp.rstrip("}")) if exp else float(mant)


def table(step: dict) -> list[list[str]]:
    """The cells of the batch's array, its head row first."""
    body = step["tex"].removeprefix(r"\begin{array}{r|c|c|r}").removesuffix(r"\end{array}")
    return [[c.strip() for c in row.split(" & ")] for row in re.split(r"\\\\(?: \\hline)?", body)]


def mean_line(step: dict) -> float:
    """The mean the update rule's first line ends with: g = (1/n) Σ … = (…)/n = value."""
    first = step["tex"].removeprefix(r"\begin{aligned}").split(r" \\ ")[0]
    return number(first.rsplit(" = ", 1)[1])


@pytest.mark.parametrize("optimizer", ["gd", "adam"])
@pytest.mark.parametrize("weight", [(1, 2, 1), (2, 1, 3)])
def test_one_row_per_sample_then_their_mean_the_steps_gradient(optimizer, weight) -> None:
    l, j, k = weight
    session = Session(
        {"samples": XOR, "batchSize": 2, "weights": WEIGHTS, "optimizer": {"name": optimizer},
         "learningRate": 0.1, "selected": {"layer": l, "to": j, "from": k}}
    )  # fmt: skip
    for batch in ([1, 2], [3, 4], [1, 2]):  # steps 1 to 3: the batch the next Step takes
        state = session.get_state()
        *_, rows_step, rule = session.derivation()["steps"]
        assert rows_step["id"] == "batch-rows" and rule["id"] == "numbers-update"
        members = ", ".join(map(str, batch))
        assert rows_step["label"] == f"The gradient on each sample of the batch (samples {members})"
        head, *rows = table(rows_step)
        assert head[:3] == ["i", r"\inp{\mathbf{x}_i}", r"\mathbf{y}_i"]
        fds = []
        for row, i in zip(rows, batch, strict=True):
            sample = XOR[i - 1]
            fd = mp_finite_difference({**state, **sample}, l, j, k)
            fds.append(fd)
            assert row[:3] == [str(i), *(
                f"({', '.join(f'{v:g}' for v in sample[part])})" for part in ("input", "target")
            )]  # fmt: skip
            assert rel_close(number(row[3]), fd, 1e-5, 1e-9), (row, fd)
        mean = mean_line(rule)
        batch_fd = sum(fds) / len(fds)  # the central difference of the batch's mean loss
        used = batch_of(state, params_of(state), session.run.step + 1).dW[l - 1][j - 1, k - 1]
        assert rel_close(mean, batch_fd, 1e-5, 1e-9) and rel_close(float(used), batch_fd, 1e-9)
        session.step(1)


def test_a_batch_of_one_sample_has_no_table_and_the_shuffled_batch_its_own_rows() -> None:
    session = Session(
        {"samples": XOR, "batchSize": 1, "selected": {"layer": 2, "to": 1, "from": 1}}
    )
    assert [s["id"] for s in session.derivation()["steps"][-2:]] != ["batch-rows"] * 2
    assert all(s["id"] != "batch-rows" for s in session.derivation()["steps"])
    shuffled = Session(
        {"samples": XOR, "batchSize": 3, "shuffle": True, "weights": WEIGHTS,
         "selected": {"layer": 1, "to": 1, "from": 2}}
    )  # fmt: skip
    first = stated_batches(shuffled.state["seed"], 4, 3, 1)[0]
    *_, rows_step, _ = shuffled.derivation()["steps"]
    assert [row[0] for row in table(rows_step)[1:]] == [str(i) for i in first]


def test_the_batch_table_in_the_latex_export(tmp_path) -> None:
    session = Session(
        {"samples": XOR, "batchSize": 2, "bias": True, "weights": WEIGHTS,
         "selected": {"layer": 2, "to": 1, "from": 0}}
    )  # fmt: skip
    *_, rows_step, _ = session.derivation()["steps"]
    assert rows_step["label"] == "The gradient on each sample of the batch (samples 1, 2)"
    assert r"\partial \wt{b^{(2)}_{1}}" in to_latex(rows_step["tex"])
    text = compile_latex(session.export("latex")["text"], tmp_path)
    assert "on each sample of the batch (samples 1, 2)" in text
