"""The loss plot's ticks and words (loss_plot.py): round values, texts that never repeat."""

from __future__ import annotations

import pytest

from backprop_explorer import Session
from backprop_explorer.loss_plot import loss_plot, nice_ticks, tick_texts


def test_ticks_are_1_2_or_5_times_a_power_of_ten_apart() -> None:
    assert nice_ticks(0, 10, 5) == [0, 2, 4, 6, 8, 10]
    assert nice_ticks(0, 1, 5) == [0, 0.2, 0.4, 0.6, 0.8, 1]
    assert nice_ticks(0, 0.3, 5) == [0, 0.1, 0.2, 0.3]
    assert nice_ticks(3, 3, 5) == [3]


def test_texts_keep_4_digits_and_write_tiny_or_huge_values_as_powers_of_ten() -> None:
    assert tick_texts([0, 2, 1.23456, 0.001, 0.0001234, -0.0001234, 123456]) == [
        "0", "2", "1.235", "0.001", "1e-4", "-1e-4", "1e5"]  # fmt: skip


@pytest.mark.parametrize(
    "values",
    [[0, 5e5, 1e6, 1.5e6, 2e6], [1.5e6, 2e6], [0, 2e-4, 4e-4, 6e-4], [1.0001, 1.0002, 1.0003]],
)
def test_tick_texts_never_repeat(values) -> None:
    texts = tick_texts(values)
    assert len(set(texts)) == len(values), texts


def test_the_axes_of_a_run_that_blew_up_at_learning_rate_50() -> None:
    """The issue's case: η = 50 gave two linear ticks both "2e6"."""
    session = Session({"learningRate": 50, "view": "training"})
    session.step(60)
    plot = session.training()["lossPlot"]
    for scale in ("linear", "log"):
        texts = [t["text"] for t in plot["axes"][scale]["ticks"]]
        assert len(set(texts)) == len(texts) >= 2, texts
        assert all("nan" not in t.lower() and "inf" not in t.lower() for t in texts)
    assert plot["label"]["log"].startswith("Loss history: steps 0 to ")
    assert plot["label"]["log"].endswith(", logarithmic scale")


def test_one_point_gives_a_decade_of_log_axis_and_a_loss_of_0_sits_at_the_floor() -> None:
    history = [{"step": 0, "loss": 1.0}]
    axes = loss_plot(history)["axes"]
    assert (axes["log"]["lo"], axes["log"]["hi"]) == (0, 1)
    assert [t["text"] for t in axes["log"]["ticks"]] == ["1", "10"]
    rows = [{"step": 0, "loss": 1e3}, {"step": 5, "loss": 1e-12}, {"step": 6, "loss": 0.0}]
    log = loss_plot(rows)["axes"]["log"]
    assert (log["lo"], log["hi"], log["floor"]) == (-12, 3, 1e-12)
    assert [t["text"] for t in log["ticks"]] == ["1e-12", "1e-9", "1e-6", "0.001", "1", "1000"]
    linear = loss_plot([{"step": 0, "loss": 2.0}, {"step": 10, "loss": 0.5}])
    assert [t["text"] for t in linear["axes"]["linear"]["ticks"]] == ["0", "0.5", "1", "1.5", "2"]
    assert [t["at"] for t in linear["stepTicks"][4]] == [0, 2, 4, 6, 8, 10]  # 6 labels
    assert linear["legend"] is False and [s["kind"] for s in linear["series"]] == ["set"]
