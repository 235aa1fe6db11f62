"""Benchmark 3: each registered probe's time and all probes' share of training time at the default cadence.

A `ce` run on the bench setting with every registered probe (`probes: ["all"]`) at the RunConfig
defaults (`probe_every`, `probe_size`); the engine records each probe's time (`time/probe/<name>`)
and the epoch train time. Share = probe seconds / train seconds over the run (target <= 10%).
"""

from __future__ import annotations

import dataclasses

from core.bench.common import BenchSettings, engine_run, median, scratch_dir
from core.engine.run_config import RunConfig
from core.registry import PROBES

TARGET = 0.10


def _default(name: str):
    return next(f.default for f in dataclasses.fields(RunConfig) if f.name == name)


def run(s: BenchSettings) -> dict:
    names = PROBES.names()
    if not names:
        return {"rows": [], "share": None, "target": TARGET, "met": None, "note": "no probe is registered yet"}
    per_probe: dict[str, list[float]] = {n: [] for n in names}
    errors: dict[str, str] = {}
    shares, train_s, probe_s, calls = [], [], [], 0
    values = {"method": "ce", "model": s.method_model, "epochs": s.probe_epochs, "probes": ["all"]}
    with scratch_dir() as d:
        for _ in range(s.probe_repeats):
            er = engine_run(values, s.device, d)
            tr = sum(er.epoch_s)
            pr = sum(r.get("time/probes_s", 0.0) for r in er.history)
            train_s.append(tr)
            probe_s.append(pr)
            shares.append(pr / tr if tr > 0 else float("nan"))
            for rec in er.history:
                if "time/probes_s" in rec:
                    calls += 1
                for n in names:
                    if f"time/probe/{n}" in rec:
                        per_probe[n].append(rec[f"time/probe/{n}"])
                    if f"probe_error/{n}" in rec:
                        errors[n] = rec[f"probe_error/{n}"]
    share = median(shares)
    train_epoch = median(train_s) / s.probe_epochs
    rows = [
        {
            "probe": n,
            "time_s": median(ts) if ts else None,
            "calls": len(ts) // max(1, s.probe_repeats),
            "per_call_vs_epoch": (median(ts) / train_epoch) if ts and train_epoch > 0 else None,
            "error": errors.get(n),
        }
        for n, ts in per_probe.items()
    ]
    return {
        "rows": rows,
        "share": share,
        "target": TARGET,
        "met": bool(share <= TARGET),
        "train_s": median(train_s),
        "probes_s": median(probe_s),
        "epochs": s.probe_epochs,
        "probe_every": _default("probe_every"),
        "probe_size": _default("probe_size"),
        "model": s.method_model,
        "repeats": s.probe_repeats,
    }
