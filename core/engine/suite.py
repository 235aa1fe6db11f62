"""A comparison (suite): a grid of methods x seeds x noise settings, trained by a backend (local processes or Ray)."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import secrets
import time

import numpy as np

from core.engine.columns import recorded, summary_columns
from core.engine.grid import Grid
from core.engine.launch import create_run
from core.engine.run_config import RunConfig
from core.i18n import t
from core.registry import baseline_method
from core.store.owner import Owner
from core.store.record import RunRecord
from core.store.writer import write_suite


def new_suite_id(dataset: str) -> str:
    base = "".join(ch if ch.isalnum() else "-" for ch in os.path.basename(str(dataset)).split(".")[0])[:20]
    return f"cmp-{time.strftime('%Y%m%d-%H%M%S')}-{base}-{secrets.token_hex(2)}"


def plan_suite(
    base: RunConfig,
    methods: list[str],
    seeds: list[int],
    runs_dir: str,
    suite_id: str | None = None,
    method_options: dict[str, dict] | None = None,
    noises: list[str] | None = None,
    rates: list[float] | None = None,
    owner: str | None = None,
) -> tuple[str, list[str]]:
    """Create every run folder (queued, owned by `owner`) and the suite record; returns (suite_id, run_ids).

    The grid is methods x seeds x `noises` x `rates` (each defaults to the base config's one value);
    `method_options` maps a method id to its own options (the dashboard's per-method forms)."""
    grid = Grid(
        tuple(methods),
        tuple(seeds),
        tuple(noises or [base.noise]),
        tuple(base.noise_rate if rates is None else r for r in (rates or [None])),
    )
    suite_id = suite_id or new_suite_id(base.dataset)
    run_ids = []
    for kind, rate, m, s in grid.cells():
        opts = (method_options or {}).get(m, base.method_options if m == base.method else {})
        cfg = dataclasses.replace(
            base,
            method=m,
            seed=s,
            noise=kind,
            noise_rate=rate,
            suite=suite_id,
            method_options=opts,
            created=time.time(),
        )
        run_ids.append(create_run(cfg, runs_dir, owner=owner))
    write_suite(
        runs_dir,
        suite_id,
        {
            "run_ids": run_ids,
            "methods": list(methods),
            "seeds": list(seeds),
            "grid": grid.to_dict(),
            "setting": {
                k: v
                for k, v in base.to_dict().items()
                if k not in ("method", "seed", "suite", "created", "method_options")
            },
        },
    )
    return suite_id, run_ids


def run_suite(
    runs_dir: str,
    run_ids: list[str],
    workers: int = 1,
    echo=None,
    backend: str = "local",
    options: dict | None = None,
    owner: str | None = None,
) -> None:
    """Train the queued runs with a registered backend (`local`: this process when workers == 1, else
    up to `workers` processes; `ray`: tasks on a Ray cluster). `options` are the backend's Config fields.

    With `owner` (the id the runs were queued under) this process keeps that owner's record alive
    while the backend works, so readers see its queued runs as dead the moment it is killed."""
    from core import config as C
    from core.registry import BACKENDS

    cls = BACKENDS.get(backend)
    opts = dict(options or {})
    if "workers" in C.field_names(cls.Config):
        opts.setdefault("workers", workers)
    backend_obj = cls(C.build(cls.Config, opts))
    with Owner(runs_dir, owner) if owner else contextlib.nullcontext():
        backend_obj.run(runs_dir, run_ids, echo or (lambda s: None))


def check_one_dataset(runs: list[RunRecord]) -> None:
    """Raise when run records were trained on different data (their summaries' `dataset_hash` differs)."""
    from core.errors import UserError

    hashes = sorted({(r.summary or {}).get("dataset_hash") for r in runs} - {None})
    if len(hashes) > 1:
        raise UserError(
            f"these runs were trained on different data (dataset hashes {', '.join(hashes)}); "
            "the data file changed during the comparison, so its results are not comparable"
        )


def setting_of(config: dict) -> tuple[str, float]:
    """(noise kind, rate) of a run config: the grid axes beyond method and seed."""
    return str(config.get("noise", "none")), float(config.get("noise_rate") or 0.0)


def suite_rows(runs: list[RunRecord]) -> list[dict]:
    """Group run records by noise setting and method; mean/std of each table metric.

    Rows come in the order their setting and method first appear (a grid's order); each row carries
    `noise` and `noise_rate`, and `cost_vs_ce` is against the baseline method (`baseline_method()`, ce) in the
    same setting."""
    baseline = baseline_method()
    by: dict[tuple, list[dict]] = {}
    for r in runs:
        s = r.summary or {}
        kind, rate = setting_of(r.config or s)
        by.setdefault((kind, rate, r.method), []).append(s)
    rows = []
    base_time: dict[tuple, float | None] = {}
    for (kind, rate, method), sums in by.items():
        row: dict = {
            "method": method,
            "noise": kind,
            "noise_rate": rate,
            "n": len(sums),
            "completed": sum(1 for s in sums if s.get("state") == "completed"),
        }
        for key in [c.key for c in summary_columns()] + ["epoch_time_s"]:
            # Partial results of failed or stopped runs would bias the means.
            vals = [s[key] for s in sums if s.get("state") == "completed" and isinstance(s.get(key), (int, float))]
            row[key + "_mean"] = float(np.mean(vals)) if vals else None
            row[key + "_std"] = float(np.std(vals, ddof=1)) if len(vals) > 1 else (0.0 if vals else None)
            row[key + "_values"] = vals
        if method == baseline:
            base_time[(kind, rate)] = row["epoch_time_s_mean"]
        rows.append(row)
    for row in rows:
        t, ref = row["epoch_time_s_mean"], base_time.get((row["noise"], row["noise_rate"]))
        row["cost_vs_ce"] = (t / ref) if (t and ref) else None
    return rows


def format_table(rows: list[dict], lang: str = "en") -> str:
    """The CLI table (the columns of core/engine/columns.py that some run recorded); a noise column appears
    when the rows span more than one noise setting."""
    grid = len({(r["noise"], r["noise_rate"]) for r in rows}) > 1
    cols = recorded(summary_columns(), rows)
    head = (["noise"] if grid else []) + [t("col.method", lang), t("col.runs", lang)] + [c.title(lang) for c in cols]
    head.append(t("col.cost", lang, base=baseline_method()))
    lines = []
    for r in rows:
        cells = ([f"{r['noise']} {r['noise_rate']:.0%}"] if grid else []) + [r["method"], f"{r['completed']}/{r['n']}"]
        cells += [c.cell(r[c.key + "_mean"], r[c.key + "_std"], len(r[c.key + "_values"])) or "-" for c in cols]
        cells.append(f"{r['cost_vs_ce']:.2f}x" if r.get("cost_vs_ce") else "-")
        lines.append(cells)
    widths = [max(len(str(x)) for x in col) for col in zip(head, *lines)]
    fmt = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths))  # noqa: E731
    return "\n".join([fmt(head), fmt(["-" * w for w in widths])] + [fmt(c) for c in lines])
