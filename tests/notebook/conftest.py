"""The notebook test's fixtures: Debian's Chromium for pytest-playwright's `browser`, as in
tests/browser (engines.chromium), and the test's marker."""

from __future__ import annotations

import pytest

from engines.chromium import launch_options


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if "tests/notebook" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium, with its background traffic off (see engines.chromium)."""
    return {**browser_type_launch_args, **launch_options()}
