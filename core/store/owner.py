"""Who owns an unfinished run, and whether that process still lives: no run stays queued or running forever.

A queued run names its owner (the scheduler or CLI that will start it) in `status.json`; the owner
keeps `<runs_dir>/_owners/<owner_id>.json` (pid, its start time, host, heartbeat). A running run
names its worker the same way in its own status. On this host a process is alive when its pid
exists, is not a zombie and started when recorded (pids are reused); on another host the
heartbeat must be fresh.
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
import time

from core.store.files import atomic_write_json, read_json

HOST = socket.gethostname()
REMOTE_STALE_S = 60.0  # an owner on another host is gone when its heartbeat is older than this
GRACE_S = 15.0  # a queued run whose owner record is not written yet (the scheduler is starting)
BEAT_S = 5.0


def _proc_stat(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name (state is [0], start time [19]); None off Linux."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            raw = f.read().decode("ascii", "replace")
    except FileNotFoundError:
        return []
    except OSError:
        return None
    return raw[raw.rfind(")") + 2 :].split()


_SELF: dict[int, dict] = {}


def identity(pid: int | None = None) -> dict:
    """This (or `pid`'s) process as stored in a status or owner record."""
    own = pid is None
    pid = os.getpid() if own else int(pid)
    if own and pid in _SELF:
        return dict(_SELF[pid])
    f = _proc_stat(pid)
    rec = {"pid": pid, "pid_start": f[19] if f and len(f) > 19 else None, "host": HOST}
    if own:
        _SELF[pid] = rec
    return dict(rec)


def process_alive(rec: dict | None, stale_s: float = REMOTE_STALE_S) -> bool:
    """Whether the process a record names lives; records without a pid count as alive until they go stale."""
    if not isinstance(rec, dict):
        return False
    if rec.get("host", HOST) != HOST:
        beat = rec.get("heartbeat")
        return isinstance(beat, (int, float)) and time.time() - beat < stale_s
    try:
        pid = int(rec.get("pid"))
    except (TypeError, ValueError):
        return False
    f = _proc_stat(pid)
    if f is None:  # no /proc: the signal test is all there is
        try:
            os.kill(pid, 0)
            return True
        except PermissionError:
            return True
        except OSError:
            return False
    if not f or f[0] in ("Z", "X"):  # gone, or killed and not yet reaped by its parent
        return False
    start = rec.get("pid_start")
    return start is None or len(f) <= 19 or f[19] == str(start)


def owner_file(runs_dir: str, owner_id: str) -> str:
    return os.path.join(runs_dir, "_owners", f"{owner_id}.json")


def owner_alive(runs_dir: str, owner_id, since: float | None) -> bool:
    """Whether the owner of a queued run lives; `since` is when the run was queued (for the start-up grace)."""
    if not isinstance(owner_id, str) or "/" in owner_id or owner_id.startswith("."):
        return False
    rec = read_json(owner_file(runs_dir, owner_id))
    if not isinstance(rec, dict):
        return isinstance(since, (int, float)) and time.time() - since < GRACE_S
    return "ended" not in rec and process_alive(rec)


def new_owner_id(kind: str) -> str:
    return f"{kind}-{secrets.token_hex(4)}"


class Owner:
    """The record of a process that owns queued runs; `with Owner(...)` writes it and keeps its heartbeat fresh.

    `pid` may name another process (the dashboard records the scheduler it just started, so the
    runs are owned even before the scheduler writes its own record).
    """

    def __init__(self, runs_dir: str, owner_id: str | None = None, kind: str = "scheduler", pid: int | None = None):
        self.runs_dir, self.kind = runs_dir, kind
        self.owner_id = owner_id or new_owner_id(kind)
        self.pid = pid
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def path(self) -> str:
        return owner_file(self.runs_dir, self.owner_id)

    def write(self, **extra) -> None:
        try:
            atomic_write_json(
                self.path,
                {**identity(self.pid), "kind": self.kind, "owner_id": self.owner_id, "heartbeat": time.time(), **extra},
            )
        except OSError:
            pass  # a full disk must not stop the runs; on this host the pid check still works

    def _beat(self) -> None:
        while not self._stop.wait(BEAT_S):
            self.write()

    def __enter__(self) -> Owner:
        self.write()
        self._thread = threading.Thread(target=self._beat, name=f"owner-{self.owner_id}", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.write(ended=time.time())  # a run it left queued is dead now, not in its start-up grace
