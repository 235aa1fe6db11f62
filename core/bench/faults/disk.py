"""A full disk: a small tmpfs (root only) holding earlier runs, filled to a few bytes free, then one more run.

Survived: the CLI says one line on stderr ("no space left on device under ..."), no traceback, the
earlier runs are byte-identical, and the new run is `failed` with that reason, or absent when not
even its folder fitted.
"""

from __future__ import annotations

import hashlib
import os
import subprocess

from core.bench.faults.common import Outcome, labelscope, tiny_args
from core.store.reader import RunReader

FREE_BYTES = (0, 8 << 10, 64 << 10, 512 << 10)  # what is left free before the run starts
TMPFS_MB = 24


def can_mount() -> str | None:
    """None when a tmpfs can be mounted here, else why not (the scenario is then skipped with that reason)."""
    if os.name != "posix" or not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "needs root to mount a small tmpfs"
    return None


def _snapshot(root: str) -> dict[str, str]:
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root)] = hashlib.sha256(fh.read()).hexdigest()
    return out


def _fill(path: str, leave: int) -> None:
    """Write a filler file until only `leave` bytes are free on the file system of `path`."""
    st = os.statvfs(os.path.dirname(path))
    free = st.f_bavail * st.f_frsize
    with open(path, "wb") as f:
        todo = max(0, free - leave)
        block = b"\0" * (1 << 20)
        try:
            while todo > 0:
                n = f.write(block[: min(len(block), todo)])
                todo -= n
        except OSError:
            pass


def full_disk(workdir: str, n: int) -> Outcome:
    out = Outcome()
    why = can_mount()
    mnt = os.path.join(workdir, "tmpfs")
    os.makedirs(mnt, exist_ok=True)
    if why is None:
        r = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={TMPFS_MB}m", "tmpfs", mnt], capture_output=True, text=True
        )
        why = None if r.returncode == 0 else f"mount failed: {r.stderr.strip()[:120]}"
    if why is not None:
        out.notes.append(f"skipped: {why}")
        return out
    try:
        runs_dir = os.path.join(mnt, "runs")
        first = labelscope("train", *tiny_args(runs_dir, 2), "--method", "ce")
        if first.returncode != 0:
            out.add(False, f"the earlier run failed on an empty disk: {first.stderr.strip()[-200:]}")
            return out
        before = _snapshot(runs_dir)
        for leave in FREE_BYTES[: max(1, n)]:
            filler = os.path.join(mnt, "filler")
            _fill(filler, leave)
            existing = set(os.listdir(runs_dir))
            r = labelscope("train", *tiny_args(runs_dir, 2), "--method", "ce", "--seed", "1")
            os.unlink(filler)
            lines = [ln for ln in r.stderr.splitlines() if ln.startswith("labelscope: error")]
            said = len(lines) == 1 and "no space left on device under" in lines[0]
            clean = "Traceback" not in r.stderr and r.returncode != 0
            same = {k: v for k, v in _snapshot(runs_dir).items() if k in before} == before
            new = [d for d in os.listdir(runs_dir) if d not in existing]
            states = [RunReader(os.path.join(runs_dir, d)).status() for d in new]
            marked = all(
                s.get("state") == "failed" and "no space left" in str(s.get("error")) or s.get("state") == "unreadable"
                for s in states
            )
            fitted = r.returncode == 0 and all(s.get("state") == "completed" for s in states)  # room enough
            ok = same and (fitted or (said and clean and marked))
            out.add(
                ok,
                f"{leave} B free: rc {r.returncode}, {'one line' if said else 'no clear line'}"
                f"{'' if clean or fitted else ' (TRACEBACK)'}, "
                f"{'earlier runs identical' if same else 'EARLIER RUNS CHANGED'}, new run "
                + (
                    ", ".join(f"{s.get('state', '?')} ({str(s.get('error', ''))[:60]})" for s in states)
                    or "not created"
                )
                + ("" if ok else f"; stderr: {r.stderr.strip()[-300:]}"),
            )
            for d in new:  # the next trial starts from the same disk
                subprocess.run(["rm", "-rf", os.path.join(runs_dir, d)], check=False)
    finally:
        subprocess.run(["umount", "-l", mnt], capture_output=True)
    return out
