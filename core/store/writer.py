"""Writes one run folder; the engine is its only user. Nothing is ever rewritten in place except by atomic rename."""

from __future__ import annotations

import datetime as _dt
import os
import secrets
import time

from core.store.files import atomic_write_json, atomic_write_npz, dumps, read_json
from core.store.owner import identity
from core.store.paths import run_path, suite_path


def new_run_id(method: str, dataset: str, seed: int) -> str:
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = os.path.basename(str(dataset)).split(".")[0][:24] or "data"
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in base)
    return f"{stamp}-{method}-{safe}-s{seed}-{secrets.token_hex(2)}"


def write_suite(runs_dir: str, suite_id: str, info: dict) -> str:
    """A comparison: `<runs_dir>/_suites/<suite_id>.json` with its run ids and setting."""
    path = suite_path(runs_dir, suite_id)
    atomic_write_json(path, {"suite_id": suite_id, "created": time.time(), **info})
    return path


RESERVE_BYTES = 64 << 10  # room kept for the final status and summary of a run that fills the disk


class RunWriter:
    def __init__(self, runs_dir: str, run_id: str, config: dict | None = None, owner: str | None = None):
        """With `config`: a new queued run owned by `owner` (an owner id, see core/store/owner.py)."""
        self.dir = run_path(runs_dir, run_id)
        self.run_id = run_id
        os.makedirs(self.dir, exist_ok=True)
        self._metrics = None
        st = read_json(os.path.join(self.dir, "status.json"), {})
        self._status: dict = st if isinstance(st, dict) else {}
        if config is not None:
            # Status first: a folder with a config but no status is a broken run, never a silent queued one.
            self.set_status("queued", owner=owner)
            atomic_write_json(os.path.join(self.dir, "config.json"), config)

    @property
    def stop_file(self) -> str:
        return os.path.join(self.dir, "STOP")

    def stop_requested(self) -> bool:
        """True once someone asked this run to stop (the STOP file; a streamed run asks its driver)."""
        return os.path.exists(self.stop_file)

    def set_status(self, state: str, error: str | None = None, **extra) -> None:
        now = time.time()
        st = dict(self._status)
        st.update(extra)
        st.update({"state": state, "heartbeat": now, "updated": now, **identity()})
        if state == "running" and "started" not in st:
            st["started"] = now
        if state in ("completed", "failed", "stopped"):
            st["finished"] = now
        if error is not None:
            st["error"] = error
        self._status = st
        atomic_write_json(os.path.join(self.dir, "status.json"), st)

    @property
    def reserve_file(self) -> str:
        return os.path.join(self.dir, ".reserve")

    def reserve(self, nbytes: int = RESERVE_BYTES) -> None:
        """Hold `nbytes` of disk for the run's last words: on a full disk, `release` frees them so the
        final status and summary (with the reason) still fit. Raises OSError when not even this fits."""
        with open(self.reserve_file, "wb") as f:
            f.write(b"\0" * nbytes)
            f.flush()
            os.fsync(f.fileno())

    def release(self) -> None:
        try:
            os.unlink(self.reserve_file)
        except OSError:
            pass

    def heartbeat(self, **progress) -> None:
        self.set_status(self._status.get("state", "running"), **progress)

    def log(self, record: dict) -> None:
        if self._metrics is None:
            self._metrics = open(os.path.join(self.dir, "metrics.jsonl"), "a", buffering=1)
        self._metrics.write(dumps(record) + "\n")
        self._metrics.flush()

    def save_arrays(self, name: str, epoch: int, arrays: dict) -> str:
        """`artifacts/<name>/e<epoch>.npz`, written by atomic rename."""
        path = os.path.join(self.dir, "artifacts", name, f"e{epoch:05d}.npz")
        atomic_write_npz(path, arrays)
        return path

    def save_file(self, name: str, arrays: dict) -> str:
        """`<run>/<name>` (an npz of `arrays`), written by atomic rename."""
        path = os.path.join(self.dir, name)
        atomic_write_npz(path, arrays)
        return path

    def write_json(self, name: str, obj) -> None:
        atomic_write_json(os.path.join(self.dir, name), obj)

    def write_summary(self, summary: dict) -> None:
        self.write_json("summary.json", summary)

    def close(self) -> None:
        if self._metrics is not None:
            self._metrics.close()
            self._metrics = None
