"""Ids are one folder name directly under the runs folder; anything else is refused with one line."""

from __future__ import annotations

import os

import pytest

from core.errors import UserError
from core.store.paths import check_id, is_run_id, run_path, safe_name, suite_path
from core.store.reader import list_suites, read_suite
from core.store.writer import write_suite


@pytest.mark.parametrize("bad", ["../x", "/abs/x", "a/b", "..", ".", "", "a\\b", "x\0y", None, 3])
def test_check_id_refuses_anything_but_a_plain_name(bad):
    with pytest.raises(UserError, match="refused"):
        check_id(bad)


def test_symlink_out_of_the_runs_folder_is_refused(tmp_path):
    runs, outside = tmp_path / "runs", tmp_path / "outside"
    runs.mkdir()
    outside.mkdir()
    os.symlink(outside, runs / "link")
    (runs / "ok").mkdir()
    assert is_run_id(str(runs), "ok") and not is_run_id(str(runs), "link")
    with pytest.raises(UserError, match="outside the runs folder"):
        run_path(str(runs), "link")
    with pytest.raises(UserError):
        suite_path(str(runs), "../x")


def test_suite_with_crafted_run_ids_keeps_only_plain_ones(tmp_path):
    write_suite(str(tmp_path), "s1", {"run_ids": ["ok", "../outside/RUN", "/abs/RUN", 7]})
    s = read_suite(str(tmp_path), "s1")
    assert s["run_ids"] == ["ok"] and s["refused"] == ["../outside/RUN", "/abs/RUN", "7"]
    (tmp_path / "_suites" / "junk.json").write_bytes(b"\xff\x00")
    assert [x["suite_id"] for x in list_suites(str(tmp_path))] == ["s1"]


def test_safe_name_is_a_flat_file_name():
    assert safe_name("/abs/path/RUN") == "abs-path-RUN"
    assert safe_name("../../x") == "x" and safe_name("...") == "export"
    assert "/" not in safe_name("a/b\\c:d") and not safe_name(".hidden").startswith(".")
