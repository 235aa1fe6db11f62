"""The local backend: runs train in this process (workers=1) or in up to `workers` processes, one per run."""

from __future__ import annotations

import dataclasses
import os
import time

from core.config import opt
from core.engine.launch import can_fork, end_run, fork_worker, preload, reap, spawn, startable
from core.registry import register_backend
from core.store.reader import RunReader


@register_backend("local")
class LocalBackend:
    help = "train on this machine: in this process, or one process per run with --workers N"
    help_ja = "このマシンで学習：このプロセス内、または --workers N でランごとに 1 プロセス"

    @dataclasses.dataclass(frozen=True)
    class Config:
        workers: int = opt(1, "runs trained at once (1 trains in this process)", lo=1, hi=1024)
        fork: bool = opt(
            False,
            "start each run as a fork of this already-imported process (POSIX): a run starts "
            "in milliseconds instead of re-importing torch; only for a process that has run "
            "no torch op yet (the dashboard's launcher)",
        )

    def __init__(self, cfg: Config, on_spawn=None):
        """`on_spawn(run_id, proc)`: called for each worker started (the fault-injection bench kills them)."""
        self.cfg = cfg
        self.on_spawn = on_spawn

    def run(self, runs_dir: str, run_ids: list[str], echo) -> None:
        if self.cfg.workers <= 1:
            from core import config as C
            from core.engine.run_config import RunConfig
            from core.engine.trainer import Trainer

            for rid in run_ids:
                if not startable(runs_dir, rid, echo):
                    continue
                try:
                    cfg = C.build(RunConfig, RunReader(os.path.join(runs_dir, rid)).config)
                except Exception as e:  # an edited or damaged config fails its run, not the comparison
                    end_run(runs_dir, rid, "failed", f"{type(e).__name__}: {e}")
                    continue
                s = Trainer(cfg, runs_dir, rid).run()
                echo(f"{rid}: {s.get('state')} test acc {s.get('test_acc_final', float('nan')):.4f}")
            return
        start = spawn
        if self.cfg.fork and can_fork():
            preload()
            start = fork_worker
        workers = self.cfg.workers
        threads = max(1, (os.cpu_count() or 1) // workers)
        pending, active = list(run_ids), {}
        while pending or active:
            # Reap first, then fill the freed slots in the same pass: no gap between waves.
            for rid, proc in list(active.items()):
                if proc.poll() is not None:
                    active.pop(rid)
                    reap(runs_dir, rid, proc.returncode, echo)  # a killed worker's run fails at once
            while pending and len(active) < workers:
                rid = pending.pop(0)
                if startable(runs_dir, rid, echo):
                    active[rid] = start(runs_dir, rid, threads)
                    if self.on_spawn is not None:
                        self.on_spawn(rid, active[rid])
            time.sleep(0.05)
