"""Benchmark 2: every registered method's (and monitor's) time per training step relative to the baseline method
(`ce`, the one declaring `baseline = True`), and peak memory.

Methods are discovered from `core.registry.METHODS`; a method that cannot run in the bench setting
is reported as skipped with its error. Per-step time (epoch time / steps) makes methods that iterate
over the unlabeled part (`uses_unlabeled`, run with labeled_fraction 0.5) comparable; multi-stage
methods are timed per stage-epoch. Each repeat runs every contender once, in a rotated order, and
the ratio is the median over repeats of (contender / baseline of the same repeat), on process CPU time (and
wall time beside it), with the spread over the repeats. Targets come from each method's own
`cost_target` declaration (DESIGN.md "Targets").
"""

from __future__ import annotations

import torch

from core.bench.common import BenchSettings, PeakMemory, engine_run, median, ratio_stats, scratch_dir
from core.engine.device import pick_device
from core.registry import METHODS, MONITORS, baseline_method

SEMI_SUPERVISED_LABELED_FRACTION = 0.5


def _contenders(s: BenchSettings) -> dict[str, dict]:
    """name -> run-config values; the baseline first, then each method, then the baseline with each monitor
    attached (named `<baseline>+<monitor>`)."""
    base = {"model": s.method_model, "epochs": s.epochs}
    ref = baseline_method()
    out = {ref: {**base, "method": ref}}
    for name, cls in METHODS.items():
        if name == ref or (s.methods is not None and name not in s.methods):
            continue
        v = {**base, "method": name}
        if getattr(cls, "uses_unlabeled", False):
            v["labeled_fraction"] = SEMI_SUPERVISED_LABELED_FRACTION
        out[name] = v
    for name in MONITORS.names():
        if s.methods is not None and f"{ref}+{name}" not in s.methods:
            continue
        out[f"{ref}+{name}"] = {**base, "method": ref, "monitors": [name]}
    return out


def run(s: BenchSettings) -> dict:
    contenders = _contenders(s)
    ref = baseline_method()
    dev = pick_device(s.device)
    names = list(contenders)
    steps = {n: {"cpu": [], "wall": []} for n in names}
    epochs = {n: [] for n in names}
    mem: dict[str, float | None] = {}
    info: dict[str, dict] = {}
    skipped: dict[str, str] = {}
    mem_kind = PeakMemory(dev).kind
    with scratch_dir() as d:
        for r in range(s.repeats):
            k = r % len(names)
            for n in names[k:] + names[:k]:
                if n in skipped:
                    continue
                meter = PeakMemory(dev)
                try:
                    with meter:
                        er = engine_run(contenders[n], s.device, d)
                except Exception as e:  # a method that cannot run here is reported, not fatal
                    skipped[n] = f"{type(e).__name__}: {e}"
                    continue
                for clock in ("cpu", "wall"):
                    steps[n][clock].append(er.step_median(clock))
                epochs[n].append(er.epoch_median())
                if meter.mib is not None:
                    mem[n] = max(mem.get(n) or 0.0, meter.mib)
                info[n] = {"stages": len(set(er.stages)), "steps_per_epoch": median(er.steps)}
    if ref in skipped:
        raise RuntimeError(f"the {ref} baseline failed: {skipped[ref]}")
    rows = []
    for n in names:
        if n in skipped:
            continue
        st = (
            ratio_stats(steps[n], steps[ref])
            if n != ref
            else {
                "ratio": 1.0,
                "spread": 0.0,
                "ratio_cpu": 1.0,
                "spread_cpu": 0.0,
                "ratio_wall": 1.0,
                "spread_wall": 0.0,
                "clock": "cpu",
            }
        )
        ratio = st["ratio"]
        # A monitor's cost (baseline + monitor) has no target; a method's is its declared `cost_target`.
        target = (
            None
            if contenders[n].get("monitors")
            else getattr(METHODS.get(contenders[n]["method"]), "cost_target", None)
        )
        rows.append(
            {
                "method": n,
                "step_ms": 1e3 * median(steps[n]["wall"]),
                "epoch_s": median(epochs[n]),
                **st,
                "target": target,
                "met": None if target is None else bool(ratio <= target),
                "peak_mem_mib": mem.get(n),
                **info[n],
                "labeled_fraction": contenders[n].get("labeled_fraction", 1.0),
            }
        )
    return {
        "rows": rows,
        "memory_kind": mem_kind,
        "model": s.method_model,
        "skipped": skipped,
        "repeats": s.repeats,
        "epochs_per_stage": s.epochs,
        "threads": torch.get_num_threads(),
    }
