"""The seeded shuffle and the data set's Add sample / Remove (issue 17 items 2 and 1): each
epoch's order against an independent statement of it, k steps against torch.optim's rules on
the scalar autodiff, off = the order as listed, the switch and its messages, permalinks, exports
and the form model."""

from __future__ import annotations

import csv
import io

import pytest
from optim_reference import CONFIGS, flat_params, torch_style, with_params
from reply_schema import problems

from backprop_explorer import Session
from backprop_explorer.form import form_model
from backprop_explorer.links import encode_state
from backprop_explorer.reply_views import Form
from backprop_explorer.state import MAX_SAMPLES, StateError
from reference import batch_gradients, rel_close, stated_batches

FIVE = [{"input": [x, 1.0 - x], "target": [x * x]} for x in (0.0, 0.25, 0.5, 0.75, 1.0)]


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: "-".join(map(str, c.values())))
def test_shuffled_batches_follow_the_seed_and_match_torch(config) -> None:
    """k = 8 Steps on five samples in batches of 2 (3 batches an epoch) with the shuffle on:
    the history's batches are the stated order, the weights torch's on those batches."""
    session = Session(
        {"optimizer": config, "learningRate": 0.05, "samples": FIVE, "batchSize": 2,
         "shuffle": True, "seed": 5}
    )  # fmt: skip
    state = session.get_state()
    batches = stated_batches(state["seed"], 5, 2, 8)
    assert sorted(i for b in batches[:3] for i in b) == [1, 2, 3, 4, 5]  # each sample, once
    assert batches[:3] != [[1, 2], [3, 4], [5]] or batches[3:6] != [[1, 2], [3, 4], [5]]
    reference = torch_style(config, 0.05)
    params = flat_params(state["weights"])
    for batch in batches:
        g = batch_gradients(with_params(state, params), [FIVE[i - 1] for i in batch])
        reference.step(params, flat_params(g["weights"]))
    session.step(5)
    session.step(3)
    assert [r["batch"] for r in session.run.history[1:]] == batches
    mine = flat_params(session.get_state()["weights"])
    assert all(rel_close(a, b) for a, b in zip(mine, params, strict=True)), (mine, params)


def test_the_same_state_gives_the_same_batches_and_another_seed_others() -> None:
    start = {"samples": FIVE, "batchSize": 2, "shuffle": True}
    runs = []
    for seed in (37, 37, 38):
        session = Session({**start, "seed": seed})
        session.step(12)
        runs.append([r["batch"] for r in session.run.history])
    assert runs[0] == runs[1] and runs[0] != runs[2]
    # the newest rows of the history table show each step's samples, numbered from 1
    session = Session({**start, "seed": 37, "view": "training"})
    session.step(4)
    cells = [row["cells"][0] for row in session.training()["rows"][1:]]
    assert cells == [", ".join(map(str, b)) for b in stated_batches(37, 5, 2, 4)]


def test_shuffle_off_is_the_order_as_listed() -> None:
    plain = Session({"samples": FIVE, "batchSize": 2})
    off = Session({"samples": FIVE, "batchSize": 2, "shuffle": False})
    assert "shuffle" not in off.get_state() and off.get_state() == plain.get_state()
    plain.step(7)
    off.step(7)
    assert [r["batch"] for r in off.run.history[1:]] == [[1, 2], [3, 4], [5]] * 2 + [[1, 2]]
    assert off.run.history == plain.run.history and off.get_state() == plain.get_state()


def test_the_switch_its_messages_and_a_new_run() -> None:
    session = Session()
    for partial, message in [
        ({"shuffle": True}, "Shuffle the samples each epoch: can only be switched on with"
         " samples: choose a data set"),
        ({"samples": FIVE, "shuffle": "yes"}, 'Shuffle the samples each epoch: must be true or'
         ' false, got "yes"'),
        ({"samples": FIVE, "shuffle": 1}, "Shuffle the samples each epoch: must be true or false,"
         " got 1"),
    ]:  # fmt: skip
        with pytest.raises(StateError) as err:
            session.set_state(partial)
        assert str(err.value) == message
    session.edit("samples", "xor")
    session.step(2)
    session.edit("shuffle", "true")
    assert session.get_state()["shuffle"] is True and session.run.step == 0  # another run
    with pytest.raises(StateError) as err:
        session.edit("shuffle", "on")
    assert str(err.value) == 'Shuffle the samples each epoch: must be "true" or "false", got "on"'
    session.edit("shuffle", "false")
    assert "shuffle" not in session.get_state()
    session.edit("shuffle", "true")
    session.edit("samples", "pair")  # no data set: nothing to shuffle
    assert "shuffle" not in session.get_state()


def test_permalink_exports_and_form_carry_the_shuffle(tmp_path) -> None:
    session = Session({"samples": FIVE, "batchSize": 2, "shuffle": True, "seed": 9})
    opened = Session()
    assert opened.open_link(encode_state(session.get_state())) is None
    assert opened.get_state() == session.get_state()
    session.step(3)
    opened.step(3)
    assert opened.run.history == session.run.history  # the link repeats the run
    rows = list(csv.DictReader(io.StringIO(session.export("csv")["text"])))
    assert [r["shuffle_seed"] for r in rows] == ["9"] * 4
    assert [r["batch"] for r in rows[1:]] == [" ".join(map(str, b)) for b in
                                              stated_batches(9, 5, 2, 3)]  # fmt: skip
    tex = session.export("latex")["text"]
    assert "on 5 samples in batches of 2, shuffled each epoch (seed 9);" in tex
    plain = Session({"samples": FIVE, "batchSize": 2})
    assert "in batches of 2, in order;" in plain.export("latex")["text"]
    assert "shuffle_seed" not in plain.export("csv")["text"]
    data = form_model(session.state, None)["training"]["dataset"]
    assert data["shuffle"] == {
        "field": "shuffle",
        "label": "Shuffle the samples each epoch",
        "checked": True,
        "help": "Off: every epoch takes the samples as listed. On: each epoch a new order, drawn"
        " from the seed (9), so a permalink repeats the run.",
    }
    assert (
        data["batch"]["help"] == "3 batches per epoch, taken shuffled each epoch (seed 9); 1 to 5"
    )
    assert form_model(Session().state, None)["training"]["dataset"]["shuffle"] is None


def test_add_sample_and_remove_keep_one_to_the_limit() -> None:
    session = Session()
    with pytest.raises(StateError) as err:
        session.edit("samples.add", "")
    assert str(err.value) == (
        "Add sample: there is no data set: choose one in the Data set menu first"
    )
    session.edit("samples", "xor")
    session.edit("sample", "2")
    session.edit("samples.add", "")  # a copy of the sample shown, to edit
    samples = session.get_state()["samples"]
    assert len(samples) == 5 and samples[4] == {"input": [0.0, 1.0], "target": [1.0]}
    session.edit("batchSize", "4")
    session.edit("samples.remove", "1")
    assert session.get_state()["samples"][0] == {"input": [0.0, 1.0], "target": [1.0]}
    with pytest.raises(StateError) as err:
        session.edit("samples.remove", "5")
    assert str(err.value) == 'Remove sample: must be a sample\'s number, 1 to 4, got "5"'
    for _ in range(3):
        session.edit("samples.remove", "1")
    assert len(session.get_state()["samples"]) == 1
    assert "batchSize" not in session.get_state()  # more than the samples left: all of them
    before = session.get_state()
    with pytest.raises(StateError) as err:
        session.edit("samples.remove", "1")
    last = (
        "a data set needs at least one sample; to train on the current input and target alone,"
        " choose “The current input and target only” in the Data set menu"
    )
    assert str(err.value) == f"Remove sample: not the last one: {last}"
    assert session.get_state() == before
    data = form_model(session.state, None)["training"]["dataset"]
    assert [r["remove"] for r in data["rows"]] == [None]
    assert data["limit"] == f"The last sample cannot be removed: {last}."
    assert data["add"] == {"field": "samples.add", "label": "Add sample"}
    for _ in range(MAX_SAMPLES - 1):
        session.edit("samples.add", "")
    data = form_model(session.state, None)["training"]["dataset"]
    assert data["add"] is None and [r["remove"] for r in data["rows"]][-1] == "Remove sample 16"
    assert data["limit"] == "A data set holds at most 16 samples: remove one to add another."
    with pytest.raises(StateError) as err:
        session.edit("samples.add", "")
    assert str(err.value) == "Add sample: a data set holds at most 16 samples: remove one first"
    assert problems(form_model(session.state, None), Form) == []
