"""Reads run folders, tolerating a run that is still being written and a half-written last metrics line."""
from __future__ import annotations

import json
import os
import time

import numpy as np

from core.store.files import read_json

STALE_S = 120.0  # a "running" run whose heartbeat is older than this and whose process is gone has died


def _pid_alive(pid) -> bool:
    try:
        os.kill(int(pid), 0)
        return True
    except (OSError, TypeError, ValueError):
        return False


class RunReader:
    def __init__(self, run_dir: str):
        self.dir = run_dir
        self.run_id = os.path.basename(os.path.normpath(run_dir))
        self._offset = 0
        self._rows: list[dict] = []

    @property
    def config(self) -> dict:
        return read_json(os.path.join(self.dir, "config.json"), {}) or {}

    def status(self) -> dict:
        st = read_json(os.path.join(self.dir, "status.json"), {}) or {"state": "queued"}
        # Only a running run has a worker whose pid and heartbeat mean anything; a queued one carries its creator's.
        if st.get("state") == "running" and time.time() - st.get("heartbeat", 0) > STALE_S \
                and not _pid_alive(st.get("pid")):
            st = {**st, "state": "failed", "error": st.get("error") or "the training process died (no heartbeat)"}
        return st

    def summary(self) -> dict | None:
        return read_json(os.path.join(self.dir, "summary.json"))

    def read_json(self, name: str, default=None):
        return read_json(os.path.join(self.dir, name), default)

    def metrics(self) -> list[dict]:
        """All complete metric records so far; incremental (only new bytes are read on the next call)."""
        path = os.path.join(self.dir, "metrics.jsonl")
        try:
            with open(path, "rb") as f:
                f.seek(self._offset)
                chunk = f.read()
        except OSError:
            return self._rows
        end = chunk.rfind(b"\n")
        if end < 0:
            return self._rows
        for line in chunk[: end + 1].splitlines():
            if not line.strip():
                continue
            try:
                self._rows.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a corrupt line must not hide the rest of the run
        self._offset += end + 1
        return self._rows

    def metrics_frame(self):
        import pandas as pd

        return pd.DataFrame(self.metrics())

    def artifact_names(self) -> list[str]:
        d = os.path.join(self.dir, "artifacts")
        return sorted(os.listdir(d)) if os.path.isdir(d) else []

    def artifact_epochs(self, name: str) -> list[int]:
        d = os.path.join(self.dir, "artifacts", name)
        if not os.path.isdir(d):
            return []
        return sorted(int(f[1:-4]) for f in os.listdir(d) if f.startswith("e") and f.endswith(".npz"))

    def load_artifact(self, name: str, epoch: int | None = None) -> dict[str, np.ndarray] | None:
        """Arrays of `artifacts/<name>/e<epoch>.npz` (latest if epoch is None); never unpickles."""
        epochs = self.artifact_epochs(name)
        if not epochs:
            return None
        if epoch is None or epoch not in epochs:
            epoch = epochs[-1] if epoch is None else min(epochs, key=lambda e: abs(e - epoch))
        path = os.path.join(self.dir, "artifacts", name, f"e{epoch:05d}.npz")
        with np.load(path, allow_pickle=False) as z:
            return {k: z[k] for k in z.files}


def list_runs(runs_dir: str) -> list[dict]:
    """Every run with its config, status and summary, newest first."""
    out = []
    if not os.path.isdir(runs_dir):
        return out
    for name in os.listdir(runs_dir):
        d = os.path.join(runs_dir, name)
        if name.startswith(("_", ".")) or not os.path.isfile(os.path.join(d, "config.json")):
            continue
        r = RunReader(d)
        out.append({"run_id": name, "dir": d, "config": r.config, "status": r.status(), "summary": r.summary()})
    out.sort(key=lambda r: r["config"].get("created", 0), reverse=True)
    return out


def list_suites(runs_dir: str) -> list[dict]:
    d = os.path.join(runs_dir, "_suites")
    if not os.path.isdir(d):
        return []
    suites = [read_json(os.path.join(d, f)) for f in os.listdir(d) if f.endswith(".json")]
    return sorted((s for s in suites if s), key=lambda s: s.get("created", 0), reverse=True)


def read_suite(runs_dir: str, suite_id: str) -> dict | None:
    return read_json(os.path.join(runs_dir, "_suites", f"{suite_id}.json"))
