"""Starts runs as separate processes (one per run) and stops them: a crash or a closed tab harms no other run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import NoReturn

from core.engine.run_config import RunConfig
from core.store.claim import claim
from core.store.paths import run_path
from core.store.reader import TERMINAL, RunReader
from core.store.writer import RunWriter, new_run_id


def create_run(cfg: RunConfig, runs_dir: str, owner: str | None = None) -> str:
    """Write the run folder (queued status naming its `owner`, then config) and return its id; nothing is trained yet."""
    run_id = new_run_id(cfg.method, cfg.dataset, cfg.seed)
    RunWriter(runs_dir, run_id, cfg.to_dict(), owner=owner)
    return run_id


def spawn(runs_dir: str, run_id: str, threads: int | None = None, log: bool = True) -> subprocess.Popen:
    """Train an existing queued run in a new process session (it outlives the caller)."""
    run_dir = run_path(runs_dir, run_id)
    env = dict(os.environ)
    if threads:
        env["OMP_NUM_THREADS"] = str(threads)
    out = open(os.path.join(run_dir, "worker.log"), "ab") if log else subprocess.DEVNULL
    try:
        # The worker inherits the run's claim: from its first instant the run is held by a living process,
        # even if this caller dies before the worker writes its first status.
        with claim(run_dir) as fd:
            proc = subprocess.Popen(
                [sys.executable, "-m", "core", "_worker", run_dir],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,
                pass_fds=(fd,) if fd is not None else (),
            )
    finally:
        if log:
            out.close()
    return proc


# Heavy modules the engine and plug-ins import on first use (kept off their module import for the CLI's
# sake); a warm launcher imports them once so no forked run pays for them.
LAZY_IMPORTS = (
    "sklearn.datasets",
    "sklearn.metrics",
    "sklearn.linear_model",
    "scipy.stats",
    "threadpoolctl",
    "cleanlab.filter",
    "cleanlab.count",
    "cleanlab.rank",
)


def preload() -> None:
    """Import what every worker needs (torch, the trainer, every plug-in, the bundled datasets' readers) so that
    `fork_worker` children start training at once instead of spending seconds on imports. Runs no torch op:
    the process must not have started torch's thread pools before it forks."""
    import torch._dynamo  # noqa: F401  (imported lazily by the first optimizer: ~1 s quiet, 8 s on a loaded CPU)

    import core.engine.trainer  # noqa: F401  (torch, numpy and the engine)
    from core.data import base  # noqa: F401
    from core.registry import BACKENDS, DATASETS, METHODS, MODELS, MONITORS, NOISE, PROBES

    for reg in (METHODS, MODELS, DATASETS, PROBES, NOISE, MONITORS, BACKENDS):
        reg.names()
    import importlib

    for name in LAZY_IMPORTS:
        try:
            importlib.import_module(name)
        except ImportError:
            pass


class ForkedWorker:
    """A run trained in a forked child of this (preloaded) process; `poll()` like `subprocess.Popen`."""

    def __init__(self, pid: int):
        self.pid, self.returncode = pid, None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                self.returncode = -1
                return self.returncode
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform != "darwin"  # macOS frameworks are not fork-safe


def fork_worker(runs_dir: str, run_id: str, threads: int | None = None) -> ForkedWorker:
    """Train an existing queued run in a forked child in its own session (call `preload()` first).

    The child inherits the imported modules, so its first epoch starts within milliseconds; it writes
    its output to the run's worker.log and leaves with `os._exit`, never returning into the caller."""
    # The child inherits the run's claim (core/store/claim.py), so the run is never without a living holder:
    # no "queued, worker = pid" write from this side, which could land after the child's "running".
    with claim(os.path.join(runs_dir, run_id)):
        pid = os.fork()
        if pid:
            return ForkedWorker(pid)
        _forked_child(runs_dir, run_id, threads)


def _forked_child(runs_dir: str, run_id: str, threads: int | None) -> NoReturn:
    code = 1
    try:
        os.setsid()
        fd = os.open(os.path.join(runs_dir, run_id, "worker.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
        if threads:
            import torch

            torch.set_num_threads(threads)
        code = run_worker(os.path.join(runs_dir, run_id))
    except BaseException:  # whatever happens, the child must not run the parent's code after fork
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def launch(cfg: RunConfig, runs_dir: str, threads: int | None = None) -> tuple[str, subprocess.Popen]:
    run_id = create_run(cfg, runs_dir)
    return run_id, spawn(runs_dir, run_id, threads)


def request_stop(runs_dir: str, run_id: str) -> bool:
    """Stop a run: a live one sees the STOP file within one step; one no process owns any more ends at once.

    Returns False when the run had already ended."""
    run_dir = run_path(runs_dir, run_id)
    st = RunReader(run_dir).status()
    if st.get("dead"):  # its owner or worker died (it reads failed): nobody else will ever write its end
        end_run(runs_dir, run_id, "stopped", "stopped by the user (" + st.get("error", "its process had died") + ")")
        return True
    if st.get("state") in TERMINAL:
        return False
    with open(os.path.join(run_dir, "STOP"), "w") as f:
        f.write(str(time.time()))
    return True


def startable(runs_dir: str, run_id: str, echo=None) -> bool:
    """Whether a backend should start this run: it is still queued. Stop pressed while it waited ends it here."""
    r = RunReader(run_path(runs_dir, run_id))
    if r.raw_status().get("state") != "queued":
        return False
    if os.path.exists(os.path.join(r.dir, "STOP")):
        end_run(runs_dir, run_id, "stopped", "stopped by the user before it started")
        (echo or print)(f"{run_id}: stopped before it started")
        return False
    return True


def reap(runs_dir: str, run_id: str, returncode: int | None, echo=None) -> None:
    """A worker process ended: if it left its run unfinished (killed, out of memory) the run fails now, with why."""
    r = RunReader(run_path(runs_dir, run_id))
    if r.raw_status().get("state") not in TERMINAL:
        why = (
            f"killed by signal {-returncode}"
            if returncode is not None and returncode < 0
            else f"exit code {returncode}"
        )
        end_run(runs_dir, run_id, "failed", f"the training process ended before finishing ({why})")
    s = r.summary() or {}
    (echo or print)(f"{run_id}: {r.status().get('state')} test acc {s.get('test_acc_final', float('nan')):.4f}")


def end_run(runs_dir: str, run_id: str, state: str, reason: str) -> None:
    """Mark an unfinished run that no process will finish as `state` with `reason` (best effort on a full disk)."""
    try:
        w = RunWriter(runs_dir, run_id)
        w.release()  # a killed worker's disk reserve
        w.set_status(state, error=reason)
    except OSError:
        pass  # the reader still reports it dead from the missing process


def run_worker(run_dir: str) -> int:
    """Entry of the worker process: train the run whose config.json is in `run_dir`."""
    from core import config as C
    from core.engine.run_config import validate
    from core.engine.trainer import Trainer

    runs_dir, run_id = os.path.split(os.path.normpath(run_dir))
    try:
        raw = C.build(RunConfig, _read_config(run_dir))
        validate(raw)
    except Exception as e:
        end_run(runs_dir, run_id, "failed", f"{type(e).__name__}: {e}")
        return 2
    summary = Trainer(raw, runs_dir, run_id).run()
    return 0 if summary.get("state") == "completed" else 1


def _read_config(run_dir: str) -> dict:
    from core.store.files import load_json

    return load_json(os.path.join(run_dir, "config.json"))
