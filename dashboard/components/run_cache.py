"""Run data for the pages, cached per run folder and re-read only when its files' mtimes or sizes change.

Keeps a page with tens of runs redrawing in milliseconds: an unchanged run costs four `stat` calls.
"""

from __future__ import annotations

import os
import threading

from core.store.paths import is_run_id, run_path
from core.store.reader import TERMINAL, RunReader
from core.store.run_data import RunData

_FILES = ("config.json", "status.json", "metrics.jsonl", "summary.json")
_CACHE: dict[str, tuple[tuple, RunData, dict]] = {}
_LOCK = threading.Lock()


def _stamp(run_dir: str) -> tuple:
    out = []
    for name in _FILES:
        try:
            st = os.stat(os.path.join(run_dir, name))
            out.append((st.st_mtime_ns, st.st_size))
        except OSError:
            out.append(None)
    return tuple(out)


def load(runs_dir: str, run_id: str) -> tuple[RunData, dict]:
    """(RunData, status) of one run; metrics are read incrementally by the cached reader."""
    run_dir = run_path(runs_dir, run_id)
    stamp = _stamp(run_dir)
    with _LOCK:
        hit = _CACHE.get(run_dir)
        if hit and hit[0] == stamp:
            status = hit[2]
            if status.get("state") not in TERMINAL:
                status = hit[1].reader.status()  # a killed worker never touches its files again
                _CACHE[run_dir] = (stamp, hit[1], status)
            return hit[1], status
        reader = hit[1].reader if hit else RunReader(run_dir)
        run = RunData.from_reader(reader)
        status = reader.status()
        _CACHE[run_dir] = (stamp, run, status)
        return run, status


def version(run: RunData) -> tuple:
    """The file stamp `run` was read at (changes whenever the run's files change)."""
    hit = _CACHE.get(run.reader.dir) if run.reader is not None else None
    return hit[0] if hit and hit[1] is run else (id(run),)


def load_many(runs_dir: str, run_ids: list[str]) -> list[tuple[RunData, dict]]:
    return [load(runs_dir, rid) for rid in run_ids if is_run_id(runs_dir, rid)]
