"""`summarize`: a run's summary as a pure function of its stored records (config, data.json, metrics.jsonl).

The engine calls it when a run ends; `summary_from_run` recomputes the same summary from a run folder, so a
summary can be rebuilt (or a new summary key added) without retraining.
"""

from __future__ import annotations

import os

import numpy as np

from core.engine.underfit import underfit_check
from core.outputs import CLASS, produces_of
from core.store.reader import RunReader

# The engine's last-record metrics copied into the summary as `<key with / as _>_final`; plug-ins add theirs
# by declaration (`final_keys`).
FINAL_KEYS = ("train/acc_clean", "train/memorized", "train/acc_observed", "test/loss")
# Record keys of the detection (core/engine/hooks.py DetectionHook, PerSampleMetricsHook) -> summary keys.
DETECTION_KEYS = {
    "detect/auroc": "noise_auroc",
    "detect/source": "noise_auroc_source",
    "detect/flagged_frac": "noise_flagged_frac",
    "detect/flagged_recall": "noise_flagged_recall",
    "detect/flagged_precision": "noise_flagged_precision",
    "train/noise_auroc_model_loss": "noise_auroc_model_loss",
}
PER_SAMPLE_AUROC = "per_sample_auroc/"  # metric prefix: AUROC of each method per-sample score for the flips


def final_keys(method, monitors: list) -> tuple[str, ...]:
    """FINAL_KEYS plus the metrics the plug-ins declare for the summary: a method's class-guess accuracies and
    the monitors' scalars marked `summary` (core/outputs.py)."""
    keys = list(FINAL_KEYS)
    keys += [p.metric for p in produces_of(method).per_sample if p.meaning == CLASS]
    for mon in monitors:
        keys += [s.key for s in produces_of(mon).scalars if s.summary or s.column]
    return tuple(dict.fromkeys(keys))


def _finite(v) -> bool:
    return isinstance(v, (int, float)) and bool(np.isfinite(v))


def summarize(
    records: list[dict],
    config: dict,
    data: dict,
    *,
    run_id: str,
    state: str,
    wall_time_s: float,
    select_by: str = "",
    final: tuple[str, ...] = FINAL_KEYS,
) -> dict:
    """The summary of a run from its metric records (in order), resolved config, data.json and final state.

    `select_by`: a label-free metric to minimize for the checkpoint choice (a method's `select_by`), or "";
    `final`: the metrics whose last value the summary keeps (`final_keys`).
    """
    s: dict = {
        "run_id": run_id,
        "state": state,
        "method": config.get("method"),
        "dataset": config.get("dataset"),
        "model": config.get("model"),
        "seed": config.get("seed"),
        "noise": config.get("noise"),
        "noise_rate": config.get("noise_rate"),
        "wall_time_s": wall_time_s,
        "epochs": 0,
        "suite": config.get("suite", ""),
    }
    if data:
        s["noise_rate_realized"] = (data.get("noise") or {}).get("realized_rate")
        s["dataset_hash"] = data.get("content_hash")
    # A diverged run's last record (loss NaN/inf) is kept in metrics.jsonl but does not count as a result.
    records = [r for r in records if _finite(r.get("train/loss", 0.0))]
    if not records:
        return s
    s["epochs"] = records[-1]["epoch"]
    if state == "completed" and (u := underfit_check(records)):
        s["underfit"] = u
    last = records[-1]
    with_acc = [r for r in records if "test/acc" in r]
    s["test_acc_final"] = last.get("test/acc")
    s["test_acc_best"] = max(r["test/acc"] for r in with_acc) if with_acc else None
    s["test_acc_at_best_val"] = max(with_acc, key=lambda r: r.get("val/acc", -1))["test/acc"] if with_acc else None
    picks = [r for r in with_acc if select_by and isinstance(r.get(select_by), (int, float))]
    if picks:
        best = min(picks, key=lambda r: r[select_by])
        s["selected_by"], s["selected_epoch"], s["test_acc_at_selected"] = select_by, best["epoch"], best["test/acc"]
    for k in final:
        if k in last:
            s[k.replace("/", "_") + "_final"] = last[k]
    times = [r["time/train_epoch_s"] for r in records if "time/train_epoch_s" in r]
    s["epoch_time_s"] = float(np.median(times)) if times else None
    ptimes = [r["time/probes_s"] for r in records if "time/probes_s" in r]
    s["probe_time_s"] = float(np.sum(ptimes)) if ptimes else 0.0
    s["train_time_s"] = float(np.sum(times)) if times else None
    # The headline detection comes from the out-of-sample detector (core/detection), named by its source.
    for key, name in DETECTION_KEYS.items():
        if key in last and (_finite(last[key]) or isinstance(last[key], str)):
            s[name] = last[key]
    aucs = {k[len(PER_SAMPLE_AUROC) :]: v for k, v in last.items() if k.startswith(PER_SAMPLE_AUROC) and _finite(v)}
    if aucs:
        s["per_sample_auroc"] = aucs
    for k, v in last.items():
        if k.startswith(("probe/", "method/")) and isinstance(v, (int, float)):
            s.setdefault("final", {})[k] = v
    return s


def summary_from_run(run_dir: str) -> dict:
    """Recompute a run's summary from its folder (config.json, data.json, metrics.jsonl, status/summary)."""
    from core.registry import METHODS, MONITORS

    r = RunReader(run_dir)
    config, old = r.config, r.summary() or {}
    state = old.get("state") or r.status().get("state", "queued")
    records = list(r.metrics())
    wall = old.get("wall_time_s", records[-1].get("time", 0.0) if records else 0.0)
    method = METHODS.get(config["method"]) if config.get("method") in METHODS else None
    monitors = [MONITORS.get(m) for m in config.get("monitors") or [] if m in MONITORS]
    out = summarize(
        records,
        config,
        r.read_json("data.json", {}) or {},
        run_id=os.path.basename(os.path.normpath(run_dir)),
        state=state,
        wall_time_s=wall,
        select_by=getattr(method, "select_by", ""),
        final=final_keys(method, monitors),
    )
    if old.get("error"):
        out["error"] = old["error"]
    return out
