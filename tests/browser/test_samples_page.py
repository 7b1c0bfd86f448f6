"""The data-set table's Add sample and Remove buttons and the shuffle switch in the built site
(issue 17): with the mouse and with the keyboard alone, the limits said in Python's words, and
the shuffled batches in the history table against the order the issue states."""

from __future__ import annotations

from test_accessibility import assert_clean
from test_explorer_page import rendered, wait_render
from test_training_setup_page import choose, trainer  # noqa: F401 (the fixture)

from reference import stated_batches

LAST = (
    "The last sample cannot be removed: a data set needs at least one sample; to train on the"
    " current input and target alone, choose “The current input and target only” in the Data"
    " set menu."
)


def state(page) -> dict:
    return page.evaluate("backpropExplorer.getState()")


def test_add_and_remove_samples_with_the_mouse(trainer) -> None:  # noqa: F811
    choose(trainer, "samples", "xor")
    setup = trainer.locator("#training-setup")
    remove = setup.locator("button[data-key='remove-2']")
    assert remove.text_content() == "Remove" and remove.get_attribute("aria-label") == (
        "Remove sample 2"
    )
    before = rendered(trainer)
    remove.click()
    wait_render(trainer, before)
    assert [s["input"] for s in state(trainer)["samples"]] == [[0, 0], [1, 0], [1, 1]]
    assert setup.locator(".samples-table tbody tr").count() == 3
    add = setup.locator("button[data-key='add']")
    assert add.text_content() == "Add sample"
    before = rendered(trainer)
    add.click()
    wait_render(trainer, before)
    samples = state(trainer)["samples"]
    assert len(samples) == 4 and samples[3] == {"input": [1, 0.5], "target": [2]}  # the pair
    assert setup.locator("[data-field='samples[3].input[1]']").input_value() == "0.5"
    for _ in range(3):
        before = rendered(trainer)
        setup.locator("button[data-key='remove-1']").click()
        wait_render(trainer, before)
    assert setup.locator("button[data-key^='remove-']").count() == 0
    assert setup.locator(".sample-edits .help").text_content() == LAST


def test_add_and_remove_with_the_keyboard_alone(trainer) -> None:  # noqa: F811
    choose(trainer, "samples", "and")
    setup = trainer.locator("#training-setup")
    setup.locator("button[data-key='derive-2']").focus()
    trainer.keyboard.press("Tab")  # from Derive to its row's Remove
    assert trainer.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "Remove sample 2"
    )
    before = rendered(trainer)
    trainer.keyboard.press("Enter")
    wait_render(trainer, before)
    assert [s["input"] for s in state(trainer)["samples"]] == [[0, 0], [1, 0], [1, 1]]
    # the keyboard stays in place: on the Remove button of the row now numbered 2
    assert trainer.evaluate("document.activeElement.dataset.key") == "remove-2"
    before = rendered(trainer)
    trainer.keyboard.press("Space")
    wait_render(trainer, before)
    assert len(state(trainer)["samples"]) == 2
    setup.locator("button[data-key='add']").focus()
    before = rendered(trainer)
    trainer.keyboard.press("Enter")
    wait_render(trainer, before)
    assert len(state(trainer)["samples"]) == 3
    assert trainer.evaluate("document.activeElement.dataset.key") == "add"


def test_the_shuffle_switch_orders_the_batches_by_the_seed(trainer) -> None:  # noqa: F811
    choose(trainer, "samples", "xor")
    setup = trainer.locator("#training-setup")
    switch = setup.locator("input[data-switch='shuffle']")
    assert not switch.is_checked()
    assert setup.locator("label.setup-switch .setup-label").text_content() == (
        "Shuffle the samples each epoch"
    )
    before = rendered(trainer)
    switch.focus()
    trainer.keyboard.press("Space")
    wait_render(trainer, before)
    assert state(trainer)["shuffle"] is True and switch.is_checked()
    seed = state(trainer)["seed"]
    assert f"drawn from the seed ({seed})" in setup.text_content()
    before = rendered(trainer)
    trainer.evaluate("backpropExplorer.step(6)")
    wait_render(trainer, before)
    cells = trainer.evaluate(
        "() => [...document.querySelectorAll('#history-table tbody tr')]"
        ".map((tr) => tr.querySelector('td').textContent)"
    )
    # the history's newest row first
    want = [", ".join(map(str, b)) for b in stated_batches(seed, 4, 4, 6)]
    assert cells[:6] == want[::-1]
    before = rendered(trainer)
    switch.uncheck()
    wait_render(trainer, before)
    assert "shuffle" not in state(trainer)


def test_the_table_with_its_buttons_and_the_switch_pass_axe(trainer) -> None:  # noqa: F811
    choose(trainer, "samples", "xor")
    before = rendered(trainer)
    trainer.evaluate("backpropExplorer.setState({shuffle: true, batchSize: 2})")
    wait_render(trainer, before)
    assert_clean(trainer)
    before = rendered(trainer)
    trainer.evaluate("backpropExplorer.setState({samples: [{input: [1, 0.5], target: [2]}]})")
    wait_render(trainer, before)
    assert trainer.locator("#training-setup .sample-edits .help").text_content() == LAST
    assert_clean(trainer)
