"""Reads run folders, tolerating a run that is still being written and a half-written last metrics line."""

from __future__ import annotations

import json
import os

import numpy as np

from core.errors import UserError
from core.store.claim import claimed
from core.store.files import Unreadable, load_json, read_json
from core.store.owner import owner_alive, process_alive
from core.store.paths import check_id, is_run_id, suite_path
from core.store.record import RunRecord

STATES = ("queued", "running", "completed", "failed", "stopped")
UNREADABLE = "unreadable"  # a run whose status.json or config.json cannot be read; shown with its path, never active
TERMINAL = ("completed", "failed", "stopped", UNREADABLE)
STALE_S = 120.0  # a worker on another host whose heartbeat is older than this has died


def unreadable_status(path: str, why: str) -> dict:
    return {"state": UNREADABLE, "path": path, "error": f"{path} is unreadable ({why})"}


def judge(runs_dir: str, st: dict, run_dir: str | None = None) -> dict:
    """A status as stored -> as it is: a queued run whose owner died, or a running run whose worker died, failed.

    A queued run whose worker has started but not yet written (its claim is held) is not dead: it will run."""
    state = st.get("state")
    if state == "running" and not process_alive(st, stale_s=STALE_S):
        return {
            **st,
            "state": "failed",
            "dead": True,
            "error": st.get("error") or f"the training process died (pid {st.get('pid')})",
        }
    if state == "queued":
        owner = st.get("owner")
        alive = owner_alive(runs_dir, owner, st.get("updated")) if owner else process_alive(st, stale_s=STALE_S)
        alive = alive or ("worker" in st and process_alive(st["worker"], stale_s=STALE_S))  # started, loading
        alive = alive or (run_dir is not None and claimed(run_dir))  # started by a scheduler that then died
        if not alive:
            return {
                **st,
                "state": "failed",
                "dead": True,
                "error": st.get("error") or "the scheduler that queued this run stopped before training it",
            }
    return st


class RunReader:
    def __init__(self, run_dir: str):
        self.dir = run_dir
        self.run_id = os.path.basename(os.path.normpath(run_dir))
        self._offset = 0
        self._rows: list[dict] = []
        self.skipped: dict[str, int | None] = {}  # unreadable artifact path -> epoch shown instead

    @property
    def config(self) -> dict:
        cfg = read_json(os.path.join(self.dir, "config.json"), {})
        return cfg if isinstance(cfg, dict) else {}

    def config_problem(self) -> str | None:
        """Why config.json cannot be read (None when it can)."""
        path = os.path.join(self.dir, "config.json")
        try:
            cfg = load_json(path)
        except FileNotFoundError:
            return f"{path} is missing"
        except Unreadable as e:
            return f"{path} is unreadable ({e.why})"
        return None if isinstance(cfg, dict) else f"{path} is unreadable (not a JSON object)"

    def raw_status(self) -> dict:
        """status.json as stored; a missing or garbage one reads as `unreadable` (never as queued: nothing owns it)."""
        path = os.path.join(self.dir, "status.json")
        try:
            st = load_json(path)
        except FileNotFoundError:
            return unreadable_status(path, "missing")
        except Unreadable as e:
            return unreadable_status(path, e.why)
        if not isinstance(st, dict) or st.get("state") not in STATES:
            return unreadable_status(path, "not a run status")
        return st

    def status(self) -> dict:
        st = self.raw_status()
        if st["state"] != UNREADABLE:
            problem = self.config_problem()
            # A run that failed before its config was written (e.g. a full disk) keeps its own reason.
            if problem and not (st["state"] in ("failed", "stopped") and problem.endswith("missing")):
                return {**st, "state": UNREADABLE, "path": os.path.join(self.dir, "config.json"), "error": problem}
        return judge(os.path.dirname(os.path.normpath(self.dir)), st, self.dir)

    def summary(self) -> dict | None:
        s = read_json(os.path.join(self.dir, "summary.json"))
        return s if isinstance(s, dict) else None

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
                row = json.loads(line.decode("utf-8"))
            except (ValueError, RecursionError):
                continue  # a corrupt line (bad JSON or bytes) must not hide the rest of the run
            if isinstance(row, dict):
                self._rows.append(row)
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
        return sorted(
            int(f[1:-4]) for f in os.listdir(d) if f.startswith("e") and f.endswith(".npz") and f[1:-4].isdigit()
        )

    def artifact_path(self, name: str, epoch: int) -> str:
        return os.path.join(self.dir, "artifacts", name, f"e{epoch:05d}.npz")

    def load_artifact(self, name: str, epoch: int | None = None, exact: bool = False) -> dict[str, np.ndarray] | None:
        """Arrays of `artifacts/<name>/e<epoch>.npz` (latest if epoch is None, else the nearest); never unpickles.

        An unreadable file (zero bytes, truncated, not an npz) is passed over for the nearest readable
        epoch (none with `exact`); `self.skipped` maps each such path to the epoch shown instead (None:
        nothing readable), for the page or the export to name.
        """
        epochs = self.artifact_epochs(name)
        if not epochs:
            return None
        want = epochs[-1] if epoch is None else epoch
        order = sorted(epochs, key=lambda e: (abs(e - want), -e))
        bad = []
        for e in order[:1] if exact else order:
            path = self.artifact_path(name, e)
            try:
                with np.load(path, allow_pickle=False) as z:
                    arrays = {k: z[k] for k in z.files}
            except Exception:  # noqa: BLE001 - EOFError, BadZipFile, ValueError, OSError: the file is damaged
                bad.append(path)
                continue
            for p in bad:
                self.skipped[p] = e
            return arrays
        for p in bad:
            self.skipped[p] = None
        return None


def list_runs(runs_dir: str) -> list[RunRecord]:
    """Every run with its config, status and summary, newest first."""
    out = []
    if not os.path.isdir(runs_dir):
        return out
    for name in os.listdir(runs_dir):
        d = os.path.join(runs_dir, name)
        if (
            name.startswith(("_", "."))
            or not is_run_id(runs_dir, name)
            or not any(os.path.lexists(os.path.join(d, f)) for f in ("config.json", "status.json"))
        ):
            continue
        out.append(RunRecord.read(RunReader(d), with_status=True))
    out.sort(key=lambda r: r.created, reverse=True)
    return out


def list_suites(runs_dir: str) -> list[dict]:
    d = os.path.join(runs_dir, "_suites")
    if not os.path.isdir(d):
        return []
    suites = [_clean_suite(read_json(os.path.join(d, f)), f[:-5]) for f in os.listdir(d) if f.endswith(".json")]
    suites = [s for s in suites if s]
    return sorted(suites, key=lambda s: s["created"], reverse=True)


def _clean_suite(info, suite_id: str) -> dict | None:
    """A suite record with a string id, a number `created` and only run ids that stay inside the runs folder."""
    if not isinstance(info, dict):
        return None
    ids = info.get("run_ids")
    ids = ids if isinstance(ids, list) else []
    good, refused = [], []
    for r in ids:
        try:
            good.append(check_id(r))
        except UserError:
            refused.append(str(r)[:80])
    created = info.get("created")
    return {
        **info,
        "suite_id": suite_id,
        "created": created if isinstance(created, (int, float)) else 0.0,
        "run_ids": good,
        "refused": refused,
    }


def read_suite(runs_dir: str, suite_id: str) -> dict | None:
    """The suite record (None if missing or unreadable); raises UserError for an id that leaves `_suites/`."""
    return _clean_suite(read_json(suite_path(runs_dir, suite_id)), suite_id)
