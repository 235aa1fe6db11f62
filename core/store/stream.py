"""Run records as messages: a remote run writes through `StreamWriter`, its driver replays them with `RunWriter`.

The run store stays the one source of truth without a shared filesystem: a worker on another node
turns every writer call (status, metrics line, summary, json file, npz arrays) into a small record,
the records travel back to the driver, and `replay` applies them through the same `RunWriter` the
local backend uses, so a run trained on a cluster is byte-for-byte the same kind of folder.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable

# Writer calls a record may name; anything else in a record is refused (records cross a network).
OPS = ("set_status", "heartbeat", "log", "save_arrays", "write_json", "write_summary", "save_file")


class StreamWriter:
    """RunWriter's interface for the engine; `emit(record)` receives `(op, args, kwargs)` tuples.

    `stop_requested` is a callable (the driver's answer to "was this run asked to stop?")."""

    def __init__(self, run_id: str, emit: Callable[[tuple], None], stop_requested: Callable[[], bool]):
        self.run_id = run_id
        self._emit = emit
        self._stop = stop_requested
        self._state = "queued"
        # Where the run really trains: the driver writes it next to its own pid (the run's owner).
        self.worker = {"pid": os.getpid(), "host": socket.gethostname()}

    @property
    def stop_file(self) -> str:  # kept for callers that only name the file; a remote run has none
        return ""

    def stop_requested(self) -> bool:
        return bool(self._stop())

    def set_status(self, state: str, error: str | None = None, **extra) -> None:
        self._state = state
        self._emit(("set_status", (state,), {"error": error, "worker": self.worker, **extra}))

    def heartbeat(self, **progress) -> None:
        self._emit(("heartbeat", (), progress))

    def log(self, record: dict) -> None:
        self._emit(("log", (record,), {}))

    def save_arrays(self, name: str, epoch: int, arrays: dict) -> str:
        self._emit(("save_arrays", (name, epoch, {k: v for k, v in arrays.items()}), {}))
        return os.path.join("artifacts", name, f"e{epoch:05d}.npz")

    def write_json(self, name: str, obj) -> None:
        self._emit(("write_json", (name, obj), {}))

    def save_file(self, name: str, arrays: dict) -> str:
        self._emit(("save_file", (name, dict(arrays)), {}))
        return name

    def write_summary(self, summary: dict) -> None:
        self._emit(("write_summary", (summary,), {}))

    def close(self) -> None:
        pass


def replay(writer, record: tuple) -> str:
    """Apply one `(op, args, kwargs)` record to a RunWriter; returns the op (the driver watches for states)."""
    op, args, kwargs = record
    if op not in OPS:
        raise ValueError(f"unknown run record '{op}'")
    if op in ("write_json", "save_arrays", "save_file") and not _plain_name(args[0]):
        raise ValueError(f"a run record may only write a file in its own run folder, not '{args[0]}'")
    getattr(writer, op)(*args, **kwargs)
    return op


def _plain_name(name) -> bool:
    name = str(name)
    return bool(name) and not name.startswith(".") and "/" not in name and "\\" not in name
