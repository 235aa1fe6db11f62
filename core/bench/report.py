"""The bench's outputs: a plain-text table per benchmark, and the flat name -> ratio map of the JSON object."""

from __future__ import annotations

import math


def _f(v, fmt: str = ".3f", none: str = "-") -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return none
    return format(v, fmt)


def _met(v) -> str:
    return "-" if v is None else ("met" if v else "MISSED")


def _table(head: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(head, *rows)]
    fmt = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return "\n".join([fmt(head), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows])


def ratio_text(x: dict) -> str:
    """'1.04x ±2% cpu (wall 1.10x ±9%)': the ratio on the primary clock with its spread over the repeats,
    then the other clock's."""

    def one(ratio, spread):
        pm = "" if spread is None or not math.isfinite(spread) else f" ±{100 * spread:.0f}%"
        return f"{_f(ratio)}x{pm}"

    text = one(x["ratio"], x.get("spread"))
    if "ratio_wall" in x:
        text += f" {x.get('clock', 'cpu')} (wall {one(x['ratio_wall'], x.get('spread_wall'))})"
    return text


def _engine(r: dict) -> str:
    return _table(
        ["model", "data", "engine epoch s", "plain epoch s", "ratio (spread over repeats)", "target", ""],
        [
            [
                x["model"],
                x["dataset"],
                _f(x["engine_epoch_s"], ".4f"),
                _f(x["plain_epoch_s"], ".4f"),
                ratio_text(x),
                f"<= {x['target']:.2f}x",
                _met(x["met"]),
            ]
            for x in r["rows"]
        ],
    )


def _methods(r: dict) -> str:
    rows = [
        [
            x["method"],
            str(x["stages"]),
            _f(x["step_ms"], ".2f"),
            _f(x["epoch_s"], ".4f"),
            ratio_text(x),
            f"<= {x['target']:.2f}x" if x["target"] else "-",
            _met(x["met"]),
            _f(x["peak_mem_mib"], ".1f"),
        ]
        for x in r["rows"]
    ]
    out = _table(["method", "stages", "step ms", "epoch s", "per-step vs ce (spread)", "target", "", "peak MiB"], rows)
    out += f"\n(model {r['model']}; peak memory = {r['memory_kind']})"
    for n, e in r.get("skipped", {}).items():
        out += f"\nskipped {n}: {e}"
    return out


def _probes(r: dict) -> str:
    if not r["rows"]:
        return r.get("note", "no probes")
    out = _table(
        ["probe", "s per call", "calls/run", "per call vs train epoch", "error"],
        [
            [
                x["probe"],
                _f(x["time_s"], ".4f"),
                str(x["calls"]),
                _f(x["per_call_vs_epoch"], ".2f") + "x",
                x["error"] or "",
            ]
            for x in r["rows"]
        ],
    )
    return out + (
        f"\nall probes: {_f(r['probes_s'], '.2f')} s of {_f(r['train_s'], '.2f')} s training "
        f"= {_f(100 * r['share'], '.1f')}% (target <= {100 * r['target']:.0f}%: {_met(r['met'])}); "
        f"{r['epochs']} epochs, probe_every {r['probe_every']}, probe_size {r['probe_size']}, "
        f"model {r['model']}"
    )


def _gram(r: dict) -> str:
    rows = [
        [
            str(x["N"]),
            str(x["D"]),
            _f(x["svd_s"], ".4f"),
            _f(x["dense_s"], ".3f") + (" (extrap. N^3)" if x["dense_extrapolated"] else ""),
            _f(x["speedup"], ".1f") + "x",
            _f(x["max_abs_diff"], ".1e"),
        ]
        for x in r["rows"]
    ]
    out = _table(["N", "D", "SVD route s", "dense NxN s", "dense/SVD", "max |diff|"], rows)
    exps = ", ".join(f"{k} {_f(v, '.2f')}" for k, v in r["exponents"].items())
    return out + f"\ngrowth exponents (fit of log t on log N): {exps}\nSVD route: {r['svd_route']}"


def _demo(r: dict) -> str:
    p = r["preset"]
    return (
        f"{','.join(p['methods'])} x seeds {p['seeds']} x {p['epochs']} epochs on {p['dataset']} "
        f"({p['noise']} {p['noise_rate']}), {r['workers']} worker process(es), monitors {r['monitors']}: "
        f"wall {r['wall_s']:.1f} s, {r['completed']}/{r['runs']} completed\npreset: {r['preset_source']}"
    )


def _first_point(r: dict) -> str:
    rows = [
        [
            x["launcher"],
            str(x["busy_processes"]),
            _f(x.get("loadavg_1min"), ".2f"),
            _f(x.get("first_running_s"), ".2f"),
            _f(x.get("first_point_s"), ".2f"),
            f"<= {x['target_s']:.0f} s" if x.get("target_s") and x["launcher"] == "warm" else "-",
            _met(x.get("met")) if x["launcher"] == "warm" else "-",
            x.get("error", ""),
        ]
        for x in r["rows"]
    ]
    out = _table(["launcher", "busy procs", "load 1 min", "first running s", "first point s", "target", "", ""], rows)
    return out + (
        f"\n{','.join(r['methods'])} x seeds {r['seeds']} through dashboard.launcher.start_comparison; "
        f"preset: {r['preset_source']}"
    )


def _ray(r: dict) -> str:
    if r.get("skipped"):
        return f"skipped: {r['skipped']}"
    lo, ra, g = r["local"], r["ray"], r["ray"]["grid"]
    head = (
        f"{len(g['methods']) * len(g['seeds']) * len(g['rates'])} runs ({','.join(g['methods'])} x seeds "
        f"{g['seeds']} x {g['noise']} {g['rates']}, {g['epochs']} epochs on {g['dataset']}), {r['slots']} at a time"
    )
    rows = [
        ["local", _f(lo["wall_s"], ".1f"), "-", f"{lo['completed']}/{lo['runs']}", _f(lo["overhead_per_run_s"], ".2f")],
        [
            "ray",
            _f(ra["wall_s"], ".1f"),
            _f(r["ray_start_s"] + r["ray_shutdown_s"], ".1f"),
            f"{ra['completed']}/{ra['runs']}",
            _f(ra["overhead_per_run_s"], ".2f"),
        ],
    ]
    out = _table(["backend", "grid wall s", "start+stop s", "completed", "overhead s/run"], rows)
    return (
        f"{head}\n{out}\nray / local: {_f(r['ratio'], '.2f')}x with Ray's start-up "
        f"(target <= {r['target']:.2f}x: {_met(r['met'])}), {_f(r['ratio_running_cluster'], '.2f')}x on a running "
        f"instance; same accuracies: {r['same_accuracy']}"
    )


def _image_models(r: dict) -> str:
    out = _table(
        ["case", "model", "test acc", "reference acc", "ratio", "gap (points)", "train s"],
        [
            [
                x["case"],
                x["model"],
                _f(x["test_acc"]),
                _f(x["reference_acc"]),
                _f(x["ratio"]) + "x",
                _f(x["gap_points"], ".1f"),
                _f(x["train_s"], ".1f"),
            ]
            for x in r["rows"]
        ],
    )
    out += f"\nreference: {r['reference']}"
    for k, v in r.get("skipped", {}).items():
        out += f"\nskipped {k}: {v}"
    return out


def _frozen(r: dict) -> str:
    c = r["comparison"]
    ips = ", ".join(f"{_f(v, '.1f')} images/s at {k} px" for k, v in r["images_per_s"].items())
    return (
        f"ResNet-18 backbone on {r['device']}: {ips}\n{len(c['methods'])} methods x {len(c['seeds'])} seeds x "
        f"{c['epochs']} epochs on {c['dataset']} ({c['workers']} workers): first (with the backbone pass) "
        f"{_f(c['first_with_extraction_s'], '.1f')} s, on cached features "
        f"{_f(c['on_cached_features_s'], '.1f')} s, "
        f"from scratch (cnn_small) {_f(c['from_scratch_cnn_small_s'], '.1f')} s"
    )


SECTIONS = {
    "engine": ("1. engine overhead (ce epoch, engine / plain PyTorch loop)", _engine),
    "methods": ("2. method cost (time per training step relative to ce)", _methods),
    "probes": ("3. probe cost at the default cadence", _probes),
    "gram": ("4. Gram eigenstructure: feature SVD vs dense NxN eigh", _gram),
    "demo": ("5. demo comparison wall time", _demo),
    "ray": ("6. a 12-run grid: local processes vs Ray tasks", _ray),
    "image_models": ("7. image models vs a plain-PyTorch reference net (test accuracy)", _image_models),
    "frozen": ("8. frozen backbone: extraction speed, comparison on cached features vs from scratch", _frozen),
    "live": ("9. first live point after Run (dashboard launcher)", _first_point),
}


def format_report(result: dict) -> str:
    m = result["machine"]
    lines = [
        f"labelscope bench ({'quick' if result['quick'] else 'full'}) on {m['device']}, {m['cpu']} "
        f"({m['cpu_count']} cores, torch {m['torch']}, {m['torch_threads']} threads; benchmarks on "
        f"{result['settings'].get('threads') or m['torch_threads']}), "
        f"load average {m['loadavg_start']} -> {m.get('loadavg_end')}",
        "ratios: median over repeats on this process's CPU time, ± half the range of the repeats; wall time beside",
    ]
    for key, (title, fn) in SECTIONS.items():
        if key in result["results"]:
            lines += ["", title, fn(result["results"][key])]
        elif key in result["errors"]:
            lines += ["", title, f"ERROR: {result['errors'][key]}"]
    for errs in result.get("plugin_errors", {}).values():
        for mod, e in errs.items():
            lines.append(f"(plug-in not loaded: {mod}: {e})")
    return "\n".join(lines)


def flat_spreads(results: dict) -> dict[str, float | None]:
    """The spread (± half-range over repeats, relative) of each timed ratio, under the same keys as `flat_ratios`."""
    out: dict[str, float | None] = {}
    for x in results.get("engine", {}).get("rows", []):
        out[f"engine/{x['model']}/{x['dataset']}"] = x.get("spread")
    for x in results.get("methods", {}).get("rows", []):
        out[f"method/{x['method']}"] = x.get("spread")
    return out


def flat_ratios(results: dict) -> dict[str, float | None]:
    """Every ratio under one flat key, e.g. `engine/mlp/digits`, `method/labo`, `probes/share`."""
    out: dict[str, float | None] = {}
    for x in results.get("engine", {}).get("rows", []):
        out[f"engine/{x['model']}/{x['dataset']}"] = x["ratio"]
    for x in results.get("methods", {}).get("rows", []):
        out[f"method/{x['method']}"] = x["ratio"]
    pr = results.get("probes", {})
    if pr.get("share") is not None:
        out["probes/share"] = pr["share"]
    for x in pr.get("rows", []):
        out[f"probe/{x['probe']}/per_call_vs_epoch"] = x["per_call_vs_epoch"]
    g = results.get("gram", {})
    for x in g.get("rows", []):
        out[f"gram/dense_over_svd/N{x['N']}/D{x['D']}"] = x["speedup"]
    for k, v in g.get("exponents", {}).items():
        if v is not None:
            out[f"gram/exponent/{k}"] = v
    for x in results.get("live", {}).get("rows", []):
        if x.get("first_point_s") is not None:
            out[f"live/first_point_s/{x['launcher']}/busy{x['busy_processes']}"] = x["first_point_s"]
    for x in results.get("image_models", {}).get("rows", []):
        out[f"image_models/{x['case']}/{x['model']}"] = x["ratio"]
    fr = results.get("frozen", {}).get("comparison")
    if fr and fr.get("from_scratch_cnn_small_s"):
        out["frozen/cached_vs_scratch"] = fr["on_cached_features_s"] / fr["from_scratch_cnn_small_s"]
    ray = results.get("ray", {})
    if ray.get("ratio") is not None:
        out["ray/grid_wall_vs_local"] = ray["ratio"]
        out["ray/grid_wall_vs_local_running"] = ray["ratio_running_cluster"]
    return out
