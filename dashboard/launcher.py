"""Starts and stops comparisons for the dashboard: run folders through the engine, training in detached processes.

`labelscope dashboard` starts a warm launcher (`python -m dashboard.launcher serve RUNS_DIR OWNER_PID`) that
imports torch and every plug-in once, then waits: Run drops a request file in `RUNS_DIR/_launcher/queue/` and
the warm launcher forks a scheduler for it, whose workers are forks too, so the first epoch starts within a
fraction of a second instead of after a fresh interpreter's imports (seconds; tens of seconds on a loaded CPU).
Without a live warm launcher a comparison gets its own scheduler process
(`python -m dashboard.launcher RUNS_DIR WORKERS RUN_ID...`). Either way training runs in its own session:
closing the tab or stopping Streamlit does not stop it, and the run store lets a reopened app show every run.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time

from core.engine.launch import request_stop
from core.engine.run_config import RunConfig
from core.engine.suite import plan_suite, run_suite
from core.errors import UserError
from core.store.owner import Owner, new_owner_id
from core.store.paths import is_run_id
from core.store.reader import TERMINAL, read_suite  # noqa: F401 (TERMINAL: the pages' import)

OWNER_ENV = "LABELSCOPE_OWNER"  # the owner id the scheduler's runs were queued under
_PROCS: list[subprocess.Popen] = []  # schedulers started by this process (tests join them)
_REAPERS: list[threading.Thread] = []
SERVER_DIR = "_launcher"
BEAT_S = 1.0  # the warm launcher rewrites its record this often; older than STALE_S means it is gone
STALE_S = 5.0


def default_workers(n_runs: int) -> int:
    """Runs trained at once: one per CPU core (each with one thread), at most the number of runs."""
    return max(1, min(n_runs, os.cpu_count() or 1))


def start_comparison(
    base: RunConfig,
    methods: list[str],
    seeds: list[int],
    runs_dir: str,
    method_options: dict[str, dict] | None = None,
    workers: int | None = None,
    noises: list[str] | None = None,
    rates: list[float] | None = None,
    backend: str = "local",
    backend_options: dict | None = None,
) -> tuple[str, list[str]]:
    """Create the comparison's queued runs (methods x seeds x `noises` x `rates`) and start training them in the
    background on `backend` (its scheduler process is the Ray driver for `ray`); returns (suite_id, run_ids)."""
    from core import config as C
    from core.registry import BACKENDS

    C.build(BACKENDS.get(backend).Config, backend_options or {})  # a bad option fails before any run exists
    owner_id = new_owner_id("scheduler")
    suite_id, run_ids = plan_suite(
        base, methods, seeds, runs_dir, method_options=method_options, noises=noises, rates=rates, owner=owner_id
    )
    workers = workers or default_workers(len(run_ids))
    if server_alive(runs_dir):
        # The scheduler forked from the warm launcher writes the owner record itself, within milliseconds
        # (well inside the owner grace period of a queued run).
        _enqueue(
            runs_dir,
            {
                "suite_id": suite_id,
                "run_ids": run_ids,
                "workers": workers,
                "backend": backend,
                "options": backend_options or {},
                "owner": owner_id,
            },
        )
        return suite_id, run_ids
    log = open(os.path.join(runs_dir, "_suites", f"{suite_id}.log"), "ab")
    try:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "dashboard.launcher",
                runs_dir,
                str(workers),
                "--backend",
                backend,
                json.dumps(backend_options or {}),
                *run_ids,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, OWNER_ENV: owner_id},
        )
    finally:
        log.close()
    # The runs are owned by the scheduler from this moment, before it has written its own record.
    Owner(runs_dir, owner_id, pid=proc.pid).write()
    _PROCS[:] = [p for p in _PROCS if p.poll() is None]
    _PROCS.append(proc)
    # Reap the scheduler the moment it exits (also when killed): no zombie lingers under Streamlit, and
    # its runs read as dead at once.
    reaper = threading.Thread(target=proc.wait, name=f"reap-{proc.pid}", daemon=True)
    reaper.start()
    _REAPERS[:] = [r for r in _REAPERS if r.is_alive()] + [reaper]
    return suite_id, run_ids


def suite_run_ids(runs_dir: str, suite_id: str) -> list[str]:
    """The comparison's run ids that name a folder directly under the runs folder (others are refused)."""
    try:
        info = read_suite(runs_dir, suite_id) or {}
    except UserError:
        return []
    return [r for r in info.get("run_ids", []) if is_run_id(runs_dir, r)]


def stop_runs(runs_dir: str, run_ids: list[str]) -> list[str]:
    """Stop every unfinished run (a queued one before it starts, one nobody owns at once); returns those asked."""
    asked = []
    for rid in run_ids:
        if is_run_id(runs_dir, rid) and request_stop(runs_dir, rid):
            asked.append(rid)
    return asked


def wait_all(timeout: float = 60.0) -> bool:
    """Wait for the schedulers this process started (their runs finish first); True if all ended."""
    ok = True
    for p in list(_PROCS):
        try:
            p.wait(timeout=timeout)
            _PROCS.remove(p)
        except subprocess.TimeoutExpired:
            ok = False
    for r in list(_REAPERS):
        r.join(timeout=1.0)
        if not r.is_alive():
            _REAPERS.remove(r)
    return ok


# --- the warm launcher -----------------------------------------------------------------------------------


def _server_file(runs_dir: str) -> str:
    return os.path.join(runs_dir, SERVER_DIR, "server.json")


def _queue_dir(runs_dir: str) -> str:
    return os.path.join(runs_dir, SERVER_DIR, "queue")


def server_alive(runs_dir: str) -> bool:
    """A warm launcher serves `runs_dir`: its record is fresh and its process exists."""
    path = _server_file(runs_dir)
    try:
        if time.time() - os.stat(path).st_mtime > STALE_S:
            return False
        with open(path) as f:
            pid = int(json.load(f)["pid"])
        os.kill(pid, 0)
        return True
    except (OSError, ValueError, KeyError, TypeError):
        return False


def start_server(runs_dir: str, owner_pid: int | None = None) -> subprocess.Popen:
    """Start the warm launcher for `runs_dir`; it leaves when `owner_pid` (default: this process) is gone."""
    os.makedirs(os.path.join(runs_dir, SERVER_DIR), exist_ok=True)
    log = open(os.path.join(runs_dir, SERVER_DIR, "server.log"), "ab")
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "dashboard.launcher", "serve", runs_dir, str(owner_pid or os.getpid())],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env=dict(os.environ),
        )
    finally:
        log.close()


def wait_server(runs_dir: str, timeout: float = 60.0) -> bool:
    end = time.time() + timeout
    while time.time() < end:
        if server_alive(runs_dir):
            return True
        time.sleep(0.1)
    return False


def _enqueue(runs_dir: str, request: dict) -> None:
    q = _queue_dir(runs_dir)
    os.makedirs(q, exist_ok=True)
    part = os.path.join(q, f".{request['suite_id']}.{secrets.token_hex(3)}.part")
    with open(part, "w") as f:
        json.dump({**request, "queued": time.time()}, f)
    os.replace(part, os.path.join(q, f"{request['suite_id']}.json"))  # the launcher never sees half a request


def _beat(runs_dir: str) -> None:
    path = _server_file(runs_dir)
    part = f"{path}.{os.getpid()}.part"
    with open(part, "w") as f:
        json.dump({"pid": os.getpid(), "beat": time.time()}, f)
    os.replace(part, path)


def _take(runs_dir: str) -> list[dict]:
    """Claim the waiting requests (a rename is atomic: of two launchers only one gets each)."""
    q, out = _queue_dir(runs_dir), []
    try:
        names = sorted(n for n in os.listdir(q) if n.endswith(".json"))
    except FileNotFoundError:
        return out
    for n in names:
        taken = os.path.join(q, f"{n}.{os.getpid()}.taken")
        try:
            os.rename(os.path.join(q, n), taken)
            with open(taken) as f:
                out.append(json.load(f))
            os.unlink(taken)
        except (OSError, ValueError):
            continue
    return out


def _with_fork(backend: str, options: dict) -> dict:
    """`options` plus fork=True for a backend that can start its runs as forks (the local one)."""
    from core import config as C
    from core.registry import BACKENDS

    return {**options, "fork": True} if "fork" in C.field_names(BACKENDS.get(backend).Config) else options


def _schedule(runs_dir: str, run_ids: list[str], workers: int, backend: str, options: dict, owner: str | None) -> None:
    run_suite(
        runs_dir,
        run_ids,
        workers=workers,
        echo=lambda s: print(s, flush=True),
        backend=backend,
        options=_with_fork(backend, options) if workers > 1 else options,
        owner=owner,
    )


def _fork_scheduler(runs_dir: str, req: dict) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        os.setsid()
        fd = os.open(
            os.path.join(runs_dir, "_suites", f"{req['suite_id']}.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644
        )
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _schedule(
            runs_dir,
            req["run_ids"],
            int(req["workers"]),
            req.get("backend", "local"),
            req.get("options") or {},
            req.get("owner"),
        )
        code = 0
    except BaseException:  # the child never returns into the launcher's loop
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        os._exit(code)


def serve(runs_dir: str, owner_pid: int) -> int:
    """The warm launcher's loop: preload, then fork a scheduler per request until its owner is gone."""
    from core.engine.launch import can_fork, preload

    if not can_fork():
        return 0  # start_comparison keeps starting a scheduler process per comparison
    preload()
    stop: list[int] = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    children: list[int] = []
    last = 0.0
    while not stop:
        try:
            os.kill(owner_pid, 0)
        except OSError:
            break  # the dashboard is gone; running comparisons go on in their own sessions
        if time.time() - last > BEAT_S:
            _beat(runs_dir)
            last = time.time()
        for req in _take(runs_dir):
            children.append(_fork_scheduler(runs_dir, req))
        for pid in list(children):
            try:
                if os.waitpid(pid, os.WNOHANG)[0]:
                    children.remove(pid)
            except ChildProcessError:
                children.remove(pid)
        time.sleep(0.05)
    try:
        os.unlink(_server_file(runs_dir))
    except OSError:
        pass
    return 0


def main(argv: list[str]) -> int:
    """`serve RUNS_DIR OWNER_PID`, or `RUNS_DIR WORKERS [--backend NAME OPTIONS_JSON] RUN_ID...`"""
    if argv[:1] == ["serve"]:
        return serve(argv[1], int(argv[2]))
    runs_dir, workers, rest = argv[0], int(argv[1]), argv[2:]
    backend, options = "local", {}
    if rest[:1] == ["--backend"]:
        backend, options, rest = rest[1], json.loads(rest[2]), rest[3:]
    # Local, workers == 1 trains in this (already detached) process; more fork one worker per run from here.
    _schedule(runs_dir, rest, workers, backend, options, os.environ.get(OWNER_ENV))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
