"""What is exported: a run or a comparison, loaded once with its runs, setting, methods and seeds."""

from __future__ import annotations

import dataclasses
import os

from core.errors import UserError
from core.i18n import t
from core.noise import injects
from core.store import list_suites, read_suite
from core.store.paths import check_id, is_run_id, run_path
from core.store.run_data import RunData, load_run
from core.viz.style import noise_name


@dataclasses.dataclass
class ExportTarget:
    kind: str  # "suite" (a comparison) or "run"
    target_id: str
    runs: list[RunData]
    setting: dict  # the shared config: dataset, noise, noise_rate, epochs, model, ...
    methods: list[str]
    seeds: list[int]
    created: float
    notes: list[str] = dataclasses.field(default_factory=list)  # what was left out and why (refused ids)


def load_target(runs_dir: str, target_id: str) -> ExportTarget:
    """A comparison id (runs/_suites/<id>.json) or a run id (runs/<id>/config.json); nothing outside the runs folder."""
    check_id(target_id, "run or comparison id")
    suite = read_suite(runs_dir, target_id)
    if suite:
        ids = [rid for rid in suite.get("run_ids", []) if is_run_id(runs_dir, rid)]
        notes = [f"run id {rid!r} (refused: outside the runs folder)" for rid in suite.get("refused", [])]
        notes += [
            f"run id {rid!r} (refused: outside the runs folder)"
            for rid in suite.get("run_ids", [])
            if rid not in ids and os.path.lexists(os.path.join(runs_dir, rid))
        ]
        runs = [load_run(runs_dir, rid) for rid in ids if os.path.isfile(os.path.join(runs_dir, rid, "config.json"))]
        if not runs:
            raise UserError(f"comparison '{target_id}' has no runs left in {runs_dir}")
        setting = dict(suite.get("setting") or runs[0].config)
        grid = suite.get("grid") or {}
        if len(grid.get("noise") or ()) > 1 or len(grid.get("noise_rate") or ()) > 1:
            setting["grid"] = grid  # a grid over noise settings: the facts and subtitles name all of them
        methods = list(suite.get("methods") or dict.fromkeys(r.config.get("method") for r in runs))
        seeds = list(suite.get("seeds") or sorted({r.config.get("seed") for r in runs}))
        return ExportTarget("suite", target_id, runs, setting, methods, seeds, float(suite.get("created", 0)), notes)
    if os.path.isfile(os.path.join(run_path(runs_dir, target_id), "config.json")):
        run = load_run(runs_dir, target_id)
        return ExportTarget(
            "run",
            target_id,
            [run],
            dict(run.config),
            [run.config.get("method")],
            [run.config.get("seed")],
            float(run.config.get("created", 0)),
        )
    known = [s.get("suite_id") for s in list_suites(runs_dir)][:5]
    hint = f"; recent comparisons: {', '.join(known)}" if known else ""
    raise UserError(
        f"'{target_id}' is neither a comparison nor a run in {runs_dir}{hint} "
        f"(see `labelscope list runs --runs-dir {runs_dir}`)"
    )


def dataset_name(setting: dict) -> str:
    return os.path.basename(str(setting.get("dataset", "?")))


def noise_text(setting: dict, lang: str) -> str:
    kind, rate = setting.get("noise", "none"), float(setting.get("noise_rate") or 0.0)
    grid = setting.get("grid")
    if grid:
        return t(
            "export.noise_grid",
            lang,
            kind="/".join(noise_name(k, lang) for k in grid["noise"]),
            pcts=", ".join(f"{100 * r:g}" for r in grid["noise_rate"]),
        )
    if not injects(kind) or rate <= 0:
        return t("export.noise_none", lang)
    return t("export.noise_value", lang, kind=noise_name(kind, lang), pct=f"{100 * rate:g}")


def seeds_text(seeds: list) -> str:
    return ", ".join(str(s) for s in seeds)


def setting_line(target: ExportTarget, lang: str) -> str:
    """One line stating the setting, used as every chart's subtitle: dataset, noise, seeds, epochs."""
    return t(
        "export.setting_line",
        lang,
        dataset=dataset_name(target.setting),
        noise=noise_text(target.setting, lang),
        seeds=seeds_text(target.seeds),
        epochs=target.setting.get("epochs", "?"),
    )
