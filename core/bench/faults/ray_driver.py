"""A killed Ray driver: `labelscope compare --backend ray` (a private local Ray, 2 CPUs) SIGKILLed mid-run.

Survived: every run it owned reads terminal (`failed` with a reason, or `stopped`) within DEAD_WITHIN_S of
the kill, every file stays readable, and every process the driver started (Ray's GCS, raylet, agents,
workers) is gone within RAY_GONE_S. Processes still alive then are named, counted as lost, and killed here.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

from core.bench.faults.common import DEAD_WITHIN_S, Outcome, file_problems, tiny_args
from core.store.reader import TERMINAL, list_runs

START_WAIT_S = 180.0  # a private Ray instance takes seconds to start on a loaded machine
# How long Ray's processes may take to go. GCS, raylet and task workers die with the driver (Ray's kernel
# fate-sharing); the raylet's dashboard and runtime-env agents see their raylet die, then wait out their
# calls to the dead GCS: about a minute (measured here: gone 63 s after the kill).
RAY_GONE_S = 90.0


def ray_missing() -> str | None:
    """None when Ray can be imported, else why the scenario is skipped."""
    try:
        import ray  # noqa: F401
    except ImportError:
        return "skipped: Ray is not installed"
    return None


def _stat(pid: int) -> tuple[int, str, str] | None:
    """(parent pid, start time, state) of a live process, None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            raw = f.read().decode("ascii", "replace")
    except OSError:
        return None
    fields = raw[raw.rfind(")") + 2 :].split()
    return int(fields[1]), fields[19], fields[0]


def _name(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            words = f.read().split(b"\0")
    except OSError:
        return "?"
    return " ".join(os.path.basename(w.decode("utf-8", "replace")) for w in words[:2] if w)[:60]


def descendants(root: int) -> dict[int, tuple[str, str]]:
    """Every living process under `root` (pid -> (start time, name)), found by walking /proc's parent links."""
    parents: dict[int, int] = {}
    starts: dict[int, str] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            st = _stat(int(entry))
            if st:
                parents[int(entry)], starts[int(entry)] = st[0], st[1]
    found, frontier = {}, [root]
    while frontier:
        p = frontier.pop()
        for child, parent in parents.items():
            if parent == p and child not in found:
                found[child] = (starts[child], _name(child))
                frontier.append(child)
    return found


def alive(procs: dict[int, tuple[str, str]]) -> dict[int, tuple[str, str]]:
    """Those of `procs` still running (same pid and start time; a zombie counts as gone)."""
    out = {}
    for pid, (start, name) in procs.items():
        st = _stat(pid)
        if st and st[1] == start and st[2] not in ("Z", "X"):
            out[pid] = (start, name)
    return out


def _start(runs_dir: str, n_runs: int, epochs: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "core", "compare", *tiny_args(runs_dir, epochs), "--methods", "ce"]
    cmd += ["--seeds", ",".join(str(s) for s in range(n_runs)), "--backend", "ray", "--local-cpus", "2", "--no-rlp"]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "RAY_USAGE_STATS_ENABLED": "0"}
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


def kill_ray_driver(workdir: str, n: int, n_runs: int = 3, seed: int = 0) -> Outcome:
    """`n` trials: the driver of a Ray comparison is SIGKILLed once a run trains; each run counts, and so does
    each trial's set of Ray processes (all gone within RAY_GONE_S, or the trial's leftovers are lost)."""
    out = Outcome()
    why = ray_missing()
    if why:
        out.notes.append(why)
        return out
    rng = random.Random(seed)
    for trial in range(n):
        runs_dir = os.path.join(workdir, f"runs-{trial}")
        proc = _start(runs_dir, n_runs, epochs=200)
        started: dict[int, tuple[str, str]] = {}
        t0 = time.monotonic()
        try:
            while time.monotonic() - t0 < START_WAIT_S and proc.poll() is None:
                started.update(descendants(proc.pid))
                if any(r.status.get("state") == "running" for r in list_runs(runs_dir)):
                    break
                time.sleep(0.25)
            pause = time.monotonic() + rng.uniform(0.0, 1.0)
            while time.monotonic() < pause:
                started.update(descendants(proc.pid))
                time.sleep(0.05)
            started.update(descendants(proc.pid))
        finally:
            proc.kill()
            proc.wait()
        killed = time.monotonic()
        runs = list_runs(runs_dir)
        ended: dict[str, float] = {}
        while time.monotonic() - killed < DEAD_WITHIN_S + 1 and len(ended) < len(runs):
            for r in list_runs(runs_dir):
                if r.run_id not in ended and r.status.get("state") in TERMINAL:
                    ended[r.run_id] = time.monotonic() - killed
            time.sleep(0.05)
        states = {}
        for r in list_runs(runs_dir):
            st, rid = r.status, r.run_id
            states[st.get("state")] = states.get(st.get("state"), 0) + 1
            problems = file_problems(r.dir)
            late = ended.get(rid, float("inf"))
            reason = st.get("state") == "stopped" or bool(st.get("error"))
            ok = st.get("state") in ("failed", "stopped") and reason and late <= DEAD_WITHIN_S and not problems
            note = f"{rid}: {st.get('state')} after {late:.1f} s ({st.get('error', '')[:80]}) {problems[:2]}"
            out.add(ok, None if ok else note)
        if len(runs) < n_runs:
            out.add(False, f"trial {trial}: only {len(runs)} of {n_runs} run folders before the kill")
        # Ray's processes: gone on their own, or named and then killed here so that nothing outlives the trial.
        left, at_5s = alive(started), None
        while left and time.monotonic() - killed < RAY_GONE_S:
            time.sleep(0.2)
            left = alive(started)
            if at_5s is None and time.monotonic() - killed >= 5.0:
                at_5s = _names(left) or "none"
        gone_s = time.monotonic() - killed
        out.add(not left, None if not left else f"trial {trial}: still alive {RAY_GONE_S:.0f} s on: {_names(left)}")
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        out.notes.append(
            f"trial {trial}: runs {states}, first terminal read {min(ended.values(), default=float('nan')):.1f} s, "
            f"last {max(ended.values(), default=float('nan')):.1f} s after the kill; {len(started)} processes under "
            f"the driver ({_names(started)}); alive 5 s after the kill: {at_5s or 'none'}; "
            f"{'all gone' if not left else f'{len(left)} left'} after {gone_s:.0f} s"
        )
    return out


def _names(procs: dict[int, tuple[str, str]]) -> str:
    counts: dict[str, int] = {}
    for _, name in procs.values():
        counts[name] = counts.get(name, 0) + 1
    return ", ".join(f"{k} x{v}" for k, v in sorted(counts.items()))
