"""The fault-injection suite (slow; CI runs it): the scenarios of core/bench/faults with asserted outcomes.

LABELSCOPE_FAULT_N sets the kills per phase (default 20, as the issue asks); smaller is for a quick look.
"""

from __future__ import annotations

import os

import pytest

N = int(os.environ.get("LABELSCOPE_FAULT_N", "20"))


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/reliability" in str(item.fspath):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def fault_n() -> int:
    return N


@pytest.fixture
def nothing_lost():
    """nothing_lost(outcome, tried=None): every trial survived; the notes say what was seen (the failure message)."""

    def check(out, tried: int | None = None) -> None:
        assert out.lost == 0 and out.survived == out.tried, out.notes
        if tried is not None:
            assert out.tried == tried, out.notes

    return check
