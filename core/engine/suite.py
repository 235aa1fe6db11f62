"""A comparison (suite): methods x seeds on one setting, run in-process or in parallel worker processes."""
from __future__ import annotations

import dataclasses
import os
import secrets
import time

import numpy as np

from core.engine.launch import create_run, spawn
from core.engine.run_config import RunConfig
from core.store.reader import RunReader
from core.store.writer import write_suite

TABLE_METRICS = (
    ("test_acc_final", "test acc (final)"),
    ("test_acc_best", "test acc (best)"),
    ("noise_auroc", "noise AUROC (out of sample)"),
    ("rlp_acc_train_final", "random-label acc"),
    ("train_memorized_final", "memorized"),
    ("wall_time_s", "wall s"),
)


def new_suite_id(dataset: str) -> str:
    base = "".join(ch if ch.isalnum() else "-" for ch in os.path.basename(str(dataset)).split(".")[0])[:20]
    return f"cmp-{time.strftime('%Y%m%d-%H%M%S')}-{base}-{secrets.token_hex(2)}"


def plan_suite(base: RunConfig, methods: list[str], seeds: list[int], runs_dir: str,
               suite_id: str | None = None, method_options: dict[str, dict] | None = None) -> tuple[str, list[str]]:
    """Create every run folder (queued) and the suite record; returns (suite_id, run_ids).

    `method_options` maps a method id to its own options (the dashboard's per-method forms)."""
    suite_id = suite_id or new_suite_id(base.dataset)
    run_ids = []
    for m in methods:
        for s in seeds:
            opts = (method_options or {}).get(m, base.method_options if m == base.method else {})
            cfg = dataclasses.replace(base, method=m, seed=s, suite=suite_id, method_options=opts, created=time.time())
            run_ids.append(create_run(cfg, runs_dir))
    write_suite(runs_dir, suite_id, {"run_ids": run_ids, "methods": methods, "seeds": seeds,
                                     "setting": {k: v for k, v in base.to_dict().items()
                                                 if k not in ("method", "seed", "suite", "created", "method_options")}})
    return suite_id, run_ids


def run_suite(runs_dir: str, run_ids: list[str], workers: int = 1, echo=None) -> None:
    """Train the queued runs: in this process when workers == 1, else in up to `workers` processes."""
    echo = echo or (lambda s: None)
    if workers <= 1:
        from core import config as C
        from core.engine.trainer import Trainer

        for rid in run_ids:
            cfg = C.build(RunConfig, RunReader(os.path.join(runs_dir, rid)).config)
            s = Trainer(cfg, runs_dir, rid).run()
            echo(f"{rid}: {s.get('state')} test acc {s.get('test_acc_final', float('nan')):.4f}")
        return
    threads = max(1, (os.cpu_count() or 1) // workers)
    pending, active = list(run_ids), {}
    while pending or active:
        while pending and len(active) < workers:
            rid = pending.pop(0)
            active[rid] = spawn(runs_dir, rid, threads)
        for rid, proc in list(active.items()):
            if proc.poll() is not None:
                active.pop(rid)
                s = RunReader(os.path.join(runs_dir, rid)).summary() or {}
                echo(f"{rid}: {s.get('state', 'failed')} test acc {s.get('test_acc_final', float('nan')):.4f}")
        time.sleep(0.2)


def check_one_dataset(runs: list[dict]) -> None:
    """Raise when run records (with `summary`) were trained on different data (their `dataset_hash` differs)."""
    from core.errors import UserError

    hashes = sorted({(r.get("summary") or {}).get("dataset_hash") for r in runs} - {None})
    if len(hashes) > 1:
        raise UserError(f"these runs were trained on different data (dataset hashes {', '.join(hashes)}); "
                        "the data file changed during the comparison, so its results are not comparable")


def suite_rows(runs: list[dict]) -> list[dict]:
    """Group run records (from list_runs or RunReader) by method; mean/std of each table metric."""
    by: dict[str, list[dict]] = {}
    for r in runs:
        s = r.get("summary") or {}
        method = (r.get("config") or {}).get("method") or s.get("method")
        by.setdefault(method, []).append(s)
    rows = []
    ce_time = None
    for method, sums in by.items():
        row: dict = {"method": method, "n": len(sums),
                     "completed": sum(1 for s in sums if s.get("state") == "completed")}
        for key, _ in TABLE_METRICS + (("epoch_time_s", ""),):
            # Partial results of failed or stopped runs would bias the means.
            vals = [s[key] for s in sums if s.get("state") == "completed" and isinstance(s.get(key), (int, float))]
            row[key + "_mean"] = float(np.mean(vals)) if vals else None
            row[key + "_std"] = float(np.std(vals, ddof=1)) if len(vals) > 1 else (0.0 if vals else None)
            row[key + "_values"] = vals
        if method == "ce":
            ce_time = row["epoch_time_s_mean"]
        rows.append(row)
    for row in rows:
        t = row["epoch_time_s_mean"]
        row["cost_vs_ce"] = (t / ce_time) if (t and ce_time) else None
    return rows


def format_table(rows: list[dict]) -> str:
    head = ["method", "runs"] + [label for _, label in TABLE_METRICS] + ["cost vs ce"]
    lines = []
    for r in rows:
        cells = [r["method"], f"{r['completed']}/{r['n']}"]
        for key, _ in TABLE_METRICS:
            m, s = r[key + "_mean"], r[key + "_std"]
            if m is None:
                cells.append("-")
            elif key == "wall_time_s":
                cells.append(f"{m:.1f}")
            else:
                cells.append(f"{m:.4f} ± {s:.4f}")
        cells.append(f"{r['cost_vs_ce']:.2f}x" if r.get("cost_vs_ce") else "-")
        lines.append(cells)
    widths = [max(len(str(x)) for x in col) for col in zip(head, *lines)]
    fmt = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths))  # noqa: E731
    return "\n".join([fmt(head), fmt(["-" * w for w in widths])] + [fmt(c) for c in lines])
