"""A full disk (a small tmpfs; root only): one line on stderr, earlier runs byte-identical, the run failed with why."""

from __future__ import annotations

import pytest

from core.bench.faults.disk import FREE_BYTES, can_mount, full_disk


def test_full_disk_one_line_and_nothing_lost(tmp_path, nothing_lost):
    why = can_mount()
    if why:
        pytest.skip(why)
    out = full_disk(str(tmp_path), len(FREE_BYTES))
    if out.notes and out.notes[0].startswith("skipped"):
        pytest.skip(out.notes[0])
    nothing_lost(out, tried=len(FREE_BYTES))
