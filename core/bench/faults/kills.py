"""Killed processes: workers killed with SIGKILL in each phase, a scheduler killed mid-comparison, two writers at once.

A phase is read from the run's own files at the moment of the kill: `queued` (the worker is still
importing and loading; status says queued), `setup` (status running, no metric line yet: data,
model, first probes), `writing` (metric lines and probe files are being written).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time

from core.bench.faults.common import (
    DEAD_WITHIN_S,
    Outcome,
    file_problems,
    tiny_args,
    tiny_config,
)
from core.engine.launch import create_run
from core.store.owner import Owner
from core.store.reader import TERMINAL, RunReader, list_runs

PHASE_WAIT_S = 60.0  # longest wait for a worker to reach the phase it is to be killed in


def _metric_bytes(run_dir: str) -> int:
    try:
        return os.path.getsize(os.path.join(run_dir, "metrics.jsonl"))
    except OSError:
        return 0


def _in_phase(run_dir: str, phase: str) -> bool:
    state = RunReader(run_dir).raw_status().get("state")
    if phase == "queued":
        return state == "queued"
    if phase == "setup":
        return state == "running" and _metric_bytes(run_dir) == 0
    return state == "running" and _metric_bytes(run_dir) > 0


def _kill_when(proc: subprocess.Popen, run_dir: str, phase: str, rng: random.Random) -> tuple[str | None, float]:
    """Wait for `phase` (with a random extra delay inside it) and SIGKILL the worker; (phase seen, kill time)."""
    t0 = time.monotonic()
    delay = {"queued": rng.uniform(0.0, 0.8), "setup": rng.uniform(0.0, 0.15), "writing": rng.uniform(0.0, 0.6)}[phase]
    entered = None
    while time.monotonic() - t0 < PHASE_WAIT_S and proc.poll() is None:
        if _in_phase(run_dir, phase):
            entered = entered or time.monotonic()
            if time.monotonic() - entered >= delay:
                break
        elif entered is not None or (phase == "queued" and RunReader(run_dir).raw_status().get("state") != "queued"):
            break  # the phase passed before the delay ran out: kill now, in whatever phase it is
        time.sleep(0.01)
    seen = next((p for p in ("queued", "setup", "writing") if _in_phase(run_dir, p)), None)
    try:
        os.kill(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    return seen, time.time()


def kill_workers(workdir: str, phase: str, n: int, parallel: int = 2, seed: int = 0) -> Outcome:
    """`n` runs trained by the local backend, each worker SIGKILLed in `phase`; every run must read terminal
    within DEAD_WITHIN_S of the kill and keep every file readable."""
    from core.engine.backends.local import LocalBackend

    runs_dir = os.path.join(workdir, f"runs-{phase}")
    rng = random.Random(seed)
    out = Outcome()
    # Long enough to be killed while writing, tiny enough to start in about a second.
    # Only the embedding probe (an npz each epoch): the first metric line comes within a second of set-up.
    cfg = tiny_config(epochs=400 if phase != "queued" else 3, probes=["embedding"])
    kills: list[tuple[str, str | None, float]] = []
    lock = threading.Lock()
    killers: list[threading.Thread] = []

    def on_spawn(rid: str, proc: subprocess.Popen) -> None:
        def kill():
            seen, when = _kill_when(proc, os.path.join(runs_dir, rid), phase, rng)
            with lock:
                kills.append((rid, seen, when))

        th = threading.Thread(target=kill, daemon=True)
        th.start()
        killers.append(th)

    with Owner(runs_dir, kind="faults") as owner:
        run_ids = [create_run(cfg, runs_dir, owner=owner.owner_id) for _ in range(n)]
        backend = LocalBackend(LocalBackend.Config(workers=parallel), on_spawn=on_spawn)
        backend.run(runs_dir, run_ids, echo=lambda s: None)
        for th in killers:
            th.join()
    phases = {}
    for rid, seen, when in kills:
        run_dir = os.path.join(runs_dir, rid)
        st = RunReader(run_dir).status()
        ended = st.get("finished") or st.get("updated") or when
        late = max(0.0, ended - when)
        problems = file_problems(run_dir)
        ok = st.get("state") in TERMINAL and late <= DEAD_WITHIN_S and not problems
        phases[seen] = phases.get(seen, 0) + 1
        out.add(ok, None if ok else f"{rid}: {st.get('state')} after {late:.1f} s; {problems[:2]}")
    out.notes.insert(0, "killed in phase " + ", ".join(f"{k}: {v}" for k, v in sorted(phases.items(), key=str)))
    return out


def _start_compare(runs_dir: str, n_runs: int, epochs: int) -> subprocess.Popen:
    seeds = ",".join(str(s) for s in range(n_runs))
    cmd = [
        sys.executable,
        "-m",
        "core",
        "compare",
        *tiny_args(runs_dir, epochs),
        "--methods",
        "ce",
        "--seeds",
        seeds,
        "--workers",
        "2",
        "--no-rlp",
    ]
    return subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "OMP_NUM_THREADS": "1"}
    )


def kill_scheduler(workdir: str, n: int, n_runs: int = 5, seed: int = 0) -> Outcome:
    """`labelscope compare --workers 2` SIGKILLed once its first run trains: each of its runs must end (its
    running workers finish on their own, its queued runs read failed within DEAD_WITHIN_S, and a run whose
    worker had started is never read failed: it is resumed)."""
    rng = random.Random(seed)
    out = Outcome()
    for trial in range(n):
        runs_dir = os.path.join(workdir, f"runs-{trial}")
        proc = _start_compare(runs_dir, n_runs, epochs=30)
        t0 = time.monotonic()
        while time.monotonic() - t0 < PHASE_WAIT_S and proc.poll() is None:
            if any(r.status.get("state") == "running" for r in list_runs(runs_dir)):
                break
            time.sleep(0.05)
        time.sleep(rng.uniform(0.0, 1.0))
        proc.kill()
        proc.wait()
        killed = time.monotonic()
        at_kill = {r.run_id: RunReader(r.dir).raw_status().get("state") for r in list_runs(runs_dir)}
        ended: dict[str, float] = {}
        read_failed: set[str] = set()
        while time.monotonic() - killed < 180 and len(ended) < len(at_kill):
            for r in list_runs(runs_dir):
                state = r.status.get("state")
                read_failed.update([r.run_id] if state == "failed" else [])
                if r.run_id not in ended and state in TERMINAL:
                    ended[r.run_id] = time.monotonic() - killed
            time.sleep(0.05)
        time.sleep(2.0)  # a run read failed must stay failed: no worker may take it on afterwards
        for r in list_runs(runs_dir):
            st, rid = r.status, r.run_id
            problems = file_problems(r.dir)
            # A queued run with no worker yet must read as ended at once; one whose worker was already
            # spawned (it outlives the scheduler) or that was running is resumed: it must finish.
            late = ended.get(rid, float("inf"))
            resumed = st.get("state") == "completed" and late <= 180
            limit = DEAD_WITHIN_S if at_kill.get(rid) == "queued" else 180
            flipped = rid in read_failed and st.get("state") != "failed"
            ok = st.get("state") in TERMINAL and not problems and (late <= limit or resumed) and not flipped
            why = ", read failed before it was resumed" if flipped else ""
            out.add(
                ok,
                None
                if ok
                else f"{rid}: {at_kill.get(rid)} at the kill, {st.get('state')} after {late:.1f} s{why} {problems[:2]}",
            )
        final = [r.status.get("state") for r in list_runs(runs_dir)]
        out.notes.append(
            f"trial {trial}: at the kill "
            + ", ".join(
                f"{k}: {v}" for k, v in sorted({s: list(at_kill.values()).count(s) for s in at_kill.values()}.items())
            )
            + "; at the end "
            + ", ".join(f"{k}: {final.count(k)}" for k in sorted(set(final), key=str))
            + f"; {len(read_failed)} read failed"
        )
        if len(list_runs(runs_dir)) < n_runs:
            out.notes.append(f"trial {trial}: killed before all {n_runs} run folders were written")
    return out


def two_writers(workdir: str, n: int) -> Outcome:
    """Two `labelscope compare` at once on one runs folder while a reader polls it: every run of both completes,
    each folder readable, the reader never fails."""
    out = Outcome()
    for trial in range(n):
        runs_dir = os.path.join(workdir, f"runs-{trial}")
        os.makedirs(runs_dir, exist_ok=True)
        stop = threading.Event()
        reader_errors: list[str] = []

        def poll(stop=stop, runs_dir=runs_dir, reader_errors=reader_errors):
            while not stop.is_set():
                try:
                    for r in list_runs(runs_dir):
                        RunReader(r.dir).metrics()
                except Exception as e:  # noqa: BLE001 - any failure of a reader is what this counts
                    reader_errors.append(f"{type(e).__name__}: {e}")
                time.sleep(0.05)

        th = threading.Thread(target=poll, daemon=True)
        th.start()
        procs = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "core",
                    "compare",
                    *tiny_args(runs_dir, 2),
                    "--methods",
                    "ce",
                    "--seeds",
                    "0,1",
                    "--no-rlp",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env={**os.environ, "OMP_NUM_THREADS": "1"},
            )
            for _ in range(2)
        ]
        codes = [p.wait(timeout=300) for p in procs]
        stop.set()
        th.join()
        runs = list_runs(runs_dir)
        for r in runs:
            problems = file_problems(r.dir)
            ok = r.status.get("state") == "completed" and not problems
            out.add(ok, None if ok else f"{r.run_id}: {r.status.get('state')} {problems[:2]}")
        if len(runs) != 4 or any(codes) or reader_errors:
            out.add(False, f"trial {trial}: {len(runs)}/4 runs, exit codes {codes}, reader errors {reader_errors[:2]}")
    return out
