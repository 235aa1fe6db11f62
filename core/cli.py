"""The `labelscope` command: dashboard, train, compare, export, list, bench. Bad arguments exit 2 with one line."""

from __future__ import annotations

import argparse
import json
import os
import sys

from core.errors import UserError

DEFAULT_RUNS = os.environ.get("LABELSCOPE_RUNS", "runs")


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, no usage dump, exit 2
        raise UserError(message)


def _add_setting_args(p: argparse.ArgumentParser, single_method: bool) -> None:
    p.add_argument("--dataset", default="digits", help="bundled dataset name or a data file path")
    if single_method:
        p.add_argument("--noise", default="symmetric", help="noise kind (see `labelscope list noise`)")
        p.add_argument("--noise-rate", type=float, default=0.0, help="share of labels to corrupt, in [0, 1)")
    else:  # a comparison is a grid: every noise kind x every rate x methods x seeds
        p.add_argument("--noise", default="symmetric", help="noise kinds, comma-separated (e.g. symmetric,pairflip)")
        p.add_argument("--noise-rate", default="0.0", help="noise rates in [0, 1), comma-separated (e.g. 0.2,0.4,0.6)")
    if single_method:
        p.add_argument("--method", default="ce", help="method id (see `labelscope list methods`)")
        p.add_argument("--seed", type=int, default=0)
    p.add_argument("--model", default="", help="model id (default: chosen from the data's shape)")
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--runs-dir", default=DEFAULT_RUNS)
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="any config, method, model or dataset option, e.g. --set alpha=0.2",
    )
    p.add_argument("--device", default="auto", choices=None, help="auto|cpu|cuda|mps")
    p.add_argument(
        "--no-monitors",
        "--no-rlp",
        dest="no_monitors",
        action="store_true",
        help="do not attach the default monitors (e.g. the random-label heads measurement)",
    )


def build_parser() -> argparse.ArgumentParser:
    ap = _Parser(prog="labelscope", description="Which treatment of imperfect labels makes your model better, and why.")
    sub = ap.add_subparsers(dest="cmd", parser_class=_Parser)
    d = sub.add_parser("dashboard", help="start the dashboard on 127.0.0.1")
    d.add_argument("--runs-dir", default=DEFAULT_RUNS)
    d.add_argument("--port", type=int, default=8501)
    d.add_argument("--host", default="127.0.0.1", help="address to listen on (default: this machine only)")
    t = sub.add_parser("train", help="train one run; the last line printed is its summary JSON")
    _add_setting_args(t, single_method=True)
    c = sub.add_parser("compare", help="train methods x seeds on one setting and print a table")
    _add_setting_args(c, single_method=False)
    c.add_argument("--methods", default="ce,label_smoothing")
    c.add_argument("--seeds", default="0,1,2")
    c.add_argument("--workers", type=int, default=1, help="local backend: runs trained at once")
    c.add_argument("--backend", default="local", help="local|ray (see `labelscope list backends`)")
    c.add_argument(
        "--address", default="", help="ray: 'auto', 'ray://host:10001', or empty to start a private local Ray instance"
    )
    c.add_argument("--cpus-per-run", type=float, default=1.0, help="ray: CPUs reserved per run")
    c.add_argument(
        "--local-cpus", type=int, default=0, help="ray: CPUs of a private local instance (0: all of this machine's)"
    )
    c.add_argument("--gpus-per-run", type=float, default=0.0, help="ray: GPUs per run (fractions share a GPU)")
    c.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    e = sub.add_parser("export", help="export a run's or a comparison's charts, data or deck")
    e.add_argument("target", help="run id or comparison id")
    e.add_argument("--format", default="png", help="png|svg|pdf|html|csv|pptx|pack (pptx + pdf)")
    e.add_argument("--out", default="export")
    e.add_argument("--runs-dir", default=DEFAULT_RUNS)
    e.add_argument("--lang", default="en")
    e.add_argument("--charts", default="", help="comma-separated chart ids (default: all that apply)")
    ls = sub.add_parser("list", help="what is registered")
    ls.add_argument("what", help="methods|models|datasets|probes|noise|monitors|optimizers|runs")
    ls.add_argument("--runs-dir", default=DEFAULT_RUNS)
    pp = sub.add_parser("papers", help="one small experiment per paper: claim, prediction, measurement, held or not")
    pp.add_argument("--quick", action="store_true", help="fewer seeds and epochs (a few minutes per check)")
    pp.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    pp.add_argument(
        "--only", default="", help="comma-separated check names (default: all; see `labelscope list papers`)"
    )
    pp.add_argument("--runs-dir", default=DEFAULT_RUNS, help="results are also saved under RUNS_DIR/_papers/")
    pp.add_argument(
        "--record",
        action="store_true",
        help="also write the results as the repository's record "
        "(core/papers/recorded.json, shown by the dashboard before a machine runs its own)",
    )
    b = sub.add_parser("bench", help="benchmarks against a plain PyTorch loop and against ce")
    b.add_argument("--quick", action="store_true")
    b.add_argument("--json", action="store_true")
    b.add_argument("--device", default="auto")
    b.add_argument("--only", default="", help="comma-separated benchmarks, e.g. ray or live (default: all)")
    b.add_argument(
        "--faults",
        action="store_true",
        help="fault injection instead: killed workers and schedulers, a full disk, damaged files, crafted ids",
    )
    st = sub.add_parser("stop", help="ask a run, or every unfinished run of a comparison, to stop")
    st.add_argument("target", help="run id or comparison id")
    st.add_argument("--runs-dir", default=DEFAULT_RUNS)
    w = sub.add_parser("_worker")
    w.add_argument("run_dir")
    return ap


def _config_from_args(a, method: str, seed: int, monitors: bool = False):
    from core.engine.run_config import make_config

    if a.epochs <= 0:
        raise UserError(f"--epochs must be a positive integer, got {a.epochs}")
    values = {
        "dataset": a.dataset,
        "noise": a.noise,
        "noise_rate": a.noise_rate,
        "method": method,
        "model": a.model,
        "epochs": a.epochs,
        "seed": seed,
        "device": a.device,
    }
    if monitors:
        from core.monitors.base import default_monitors

        values["monitors"] = default_monitors()
    from core.registry import METHODS

    METHODS.get(method)
    return make_config(values, a.set)


def _check_dataset(name: str) -> None:
    from core.data.base import is_path
    from core.registry import DATASETS

    if name not in DATASETS and not is_path(name):
        raise UserError(f"unknown dataset '{name}'; valid choices: {', '.join(DATASETS.names())} or a file path")
    if name not in DATASETS and not os.path.exists(name):
        raise UserError(f"dataset file '{name}' does not exist")


def cmd_train(a) -> int:
    from core.engine.trainer import train

    _check_dataset(a.dataset)
    cfg = _config_from_args(a, a.method, a.seed, monitors=not a.no_monitors)  # as compare and the dashboard do
    from core.data.prepare import prepare

    prepare(cfg, a.runs_dir)  # bad data fails here with one line, before a run folder exists
    run_id, summary = train(cfg, a.runs_dir, echo=lambda s: print(s, file=sys.stderr))
    _say_disk_full([summary])
    _say_underfit([summary])
    print(run_id)
    print(json.dumps(summary, default=str))
    return 0 if summary.get("state") == "completed" else 1


def _say_disk_full(summaries: list[dict]) -> None:
    """The one stderr line for runs that failed on a full disk (their status says it too, where it fitted)."""
    for err in dict.fromkeys(s.get("error") for s in summaries if str(s.get("error", "")).startswith("no space")):
        print(f"labelscope: error: {err}", file=sys.stderr)


def _say_underfit(summaries: list[dict]) -> None:
    """One stderr warning when finished runs look underfit (the first such run's figures, and how many)."""
    from core.engine.underfit import underfit_text

    flagged = [s for s in summaries if s.get("underfit")]
    if flagged:
        more = f" ({len(flagged)} of {len(summaries)} runs)" if len(summaries) > 1 else ""
        print(
            f"labelscope: warning: {underfit_text(flagged[0]['underfit'], flagged[0].get('model', ''))}{more}",
            file=sys.stderr,
        )


def _split_method_sets(sets: list[str], methods: list[str]) -> tuple[list[str], dict[str, dict]]:
    """Route `--set` items of a comparison: a method option goes only to the methods that have it."""
    from core import config as C
    from core.engine.run_config import TOP_KEYS
    from core.registry import METHODS

    common, per = [], {m: {} for m in methods}
    for item in sets:
        key, _, raw = item.partition("=")
        key = key.strip()
        name = key[len("method.") :] if key.startswith("method.") else key
        owners = [m for m in methods if name in C.field_names(METHODS.get(m).Config)]
        if owners and (key.startswith("method.") or name not in TOP_KEYS):
            for m in owners:
                per[m][name] = raw.strip()
        elif key.startswith("method."):
            raise UserError(
                f"no method in --methods has the option '{name}'; "
                f"see `labelscope list methods` and each method's options"
            )
        else:
            common.append(item)
    return common, per


def backend_options(a) -> dict:
    """The chosen backend's options from the flags it declares in its Config (others are ignored)."""
    from core import config as C
    from core.registry import BACKENDS

    flags = {
        "workers": a.workers,
        "address": a.address,
        "cpus_per_run": a.cpus_per_run,
        "gpus_per_run": a.gpus_per_run,
        "local_cpus": a.local_cpus,
    }
    names = C.field_names(BACKENDS.get(a.backend).Config)
    return {k: v for k, v in flags.items() if k in names}


def cmd_compare(a) -> int:
    import dataclasses

    from core import config as C
    from core.data.prepare import prepare
    from core.engine.grid import make_grid
    from core.engine.run_config import validate
    from core.engine.suite import check_one_dataset, format_table, plan_suite, run_suite, suite_rows
    from core.registry import BACKENDS
    from core.store.reader import RunReader
    from core.store.record import RunRecord

    _check_dataset(a.dataset)
    grid = make_grid(a.methods, a.seeds, a.noise, a.noise_rate)
    if a.workers < 1:
        raise UserError(f"--workers must be >= 1, got {a.workers}")
    backend = BACKENDS.get(a.backend)
    opts = backend_options(a)
    C.build(backend.Config, opts)  # bad --cpus-per-run etc. fail here, before any run folder exists
    methods, seeds = list(grid.methods), list(grid.seeds)
    common, per_method = _split_method_sets(a.set, methods)
    a.set = common
    kind0, rate0 = grid.settings()[0]
    a.noise, a.noise_rate = kind0, rate0
    base = _config_from_args(a, methods[0], seeds[0], monitors=not a.no_monitors)
    for m in methods:  # every run's config is checked before any run starts
        validate(dataclasses.replace(base, method=m, method_options=per_method[m]))
    for kind, rate in grid.settings():  # and every noise setting prepares (one line for a bad one)
        prepare(dataclasses.replace(base, noise=kind, noise_rate=rate), a.runs_dir)
    from core.store.owner import Owner, new_owner_id

    owner = new_owner_id("cli")  # its runs read as dead the moment this process is killed
    Owner(a.runs_dir, owner).write()  # recorded before any run names it; run_suite keeps it fresh
    suite_id, run_ids = plan_suite(
        base,
        methods,
        seeds,
        a.runs_dir,
        method_options=per_method,
        noises=list(grid.noises),
        rates=list(grid.rates),
        owner=owner,
    )
    print(f"comparison {suite_id}: {len(run_ids)} runs on the {a.backend} backend", file=sys.stderr)
    run_suite(
        a.runs_dir,
        run_ids,
        a.workers,
        echo=lambda s: print(s, file=sys.stderr),
        backend=a.backend,
        options=opts,
        owner=owner,
    )
    runs = [RunRecord.read(RunReader(os.path.join(a.runs_dir, r))) for r in run_ids]
    _say_disk_full([r.summary or {} for r in runs])
    _say_underfit([r.summary or {} for r in runs])
    check_one_dataset(runs)
    rows = suite_rows(runs)
    if a.json:
        print(
            json.dumps(
                {
                    "suite_id": suite_id,
                    "run_ids": run_ids,
                    "grid": grid.to_dict(),
                    "rows": [{k: v for k, v in r.items() if not k.endswith("_values")} for r in rows],
                },
                default=str,
            )
        )
    else:
        noise = ", ".join(f"{k} {r:.0%}" if r else k for k, r in grid.settings())
        print(f"comparison {suite_id}  ({base.dataset}, {noise}, seeds {a.seeds})")
        print(format_table(rows))
        from core.i18n import t

        sources = sorted({(r.summary or {}).get("noise_auroc_source") for r in runs} - {None})
        if sources:
            print("noise AUROC: " + "; ".join(t(f"detect.source.{s}") for s in sources))
        if len(grid.settings()) > 1:
            from core.verdict import robustness_lines

            print("\n".join(robustness_lines(runs)))
    return 0 if all(r["completed"] == r["n"] for r in rows) else 1


def cmd_stop(a) -> int:
    from core.engine.launch import request_stop
    from core.store.paths import check_id, is_run_id
    from core.store.reader import RunReader, read_suite

    check_id(a.target, "run or comparison id")  # nothing outside the runs folder is ever stopped
    run_ids = (
        [a.target]
        if is_run_id(a.runs_dir, a.target)
        else [r for r in (read_suite(a.runs_dir, a.target) or {}).get("run_ids", []) if is_run_id(a.runs_dir, r)]
    )
    if not run_ids:
        raise UserError(f"no run or comparison '{a.target}' in {a.runs_dir}")
    asked = [
        r for r in run_ids if RunReader(os.path.join(a.runs_dir, r)).status().get("state") in ("queued", "running")
    ]
    for rid in asked:
        request_stop(a.runs_dir, rid)
    print(f"asked {len(asked)} run(s) to stop", file=sys.stderr)
    return 0


def cmd_list(a) -> int:
    from core.registry import REGISTRIES

    if a.what == "runs":
        from core.store.reader import list_runs

        for r in list_runs(a.runs_dir):
            s, st = r.summary or {}, r.status
            acc = s.get("test_acc_final")
            if st.get("state") == "unreadable":  # one damaged run is named, the others listed as usual
                print(f"{r.run_id}  unreadable  {st.get('error', '')}")
                continue
            acc_text = f"test acc {acc:.4f}" if isinstance(acc, (int, float)) else ""
            print(f"{r.run_id}  {st.get('state', '?'):9s}  {acc_text}")
        return 0
    if a.what not in REGISTRIES:
        raise UserError(f"unknown list '{a.what}'; valid choices: {', '.join(list(REGISTRIES) + ['runs'])}")
    reg = REGISTRIES[a.what]
    for name, obj in reg.items():
        print(f"{name:18s} {getattr(obj, 'help', '') or ''}")
    return 0


def cmd_dashboard(a) -> int:
    import subprocess

    app = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "dashboard", "app.py")
    os.makedirs(a.runs_dir, exist_ok=True)
    env = dict(os.environ, LABELSCOPE_RUNS=os.path.abspath(a.runs_dir))
    # dashboard.serve is Streamlit's command line with deep links fixed (see its docstring).
    cmd = [
        sys.executable,
        "-m",
        "dashboard.serve",
        "run",
        app,
        "--server.address",
        a.host,
        "--server.port",
        str(a.port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
    ]
    print(f"labelscope dashboard on http://{a.host}:{a.port}  (runs in {os.path.abspath(a.runs_dir)})", file=sys.stderr)
    from dashboard.launcher import start_server

    # The warm launcher imports torch while the page loads, so Run starts training at once; it leaves with us.
    warm = start_server(os.path.abspath(a.runs_dir))
    try:
        return subprocess.call(cmd, env=env)
    finally:
        warm.terminate()
        try:
            warm.wait(timeout=10)
        except subprocess.TimeoutExpired:
            warm.kill()
            warm.wait()


def cmd_export(a) -> int:
    from core.export.cli import run_export

    return run_export(a)


def cmd_papers(a) -> int:
    from core.papers import report
    from core.registry import PAPERS

    names = [n.strip() for n in a.only.split(",") if n.strip()] or PAPERS.names()
    for n in names:
        PAPERS.get(n)  # an unknown name fails here with the valid choices
    results = report.run_checks(names, a.quick, echo=lambda s: print(s, file=sys.stderr))
    data = report.payload(results)
    path = report.save(a.runs_dir, data)
    if a.record:
        with open(report.RECORDED, "w") as f:
            json.dump(data, f, indent=1, default=float)
    print(json.dumps(data, default=float) if a.json else report.format_text(results))
    print(f"saved {path}", file=sys.stderr)
    return 0


def cmd_bench(a) -> int:
    if getattr(a, "faults", False):
        from core.bench.faults import main as faults_main

        return faults_main(a)
    from core.bench import main as bench_main

    return bench_main(a)


def main(argv: list[str] | None = None) -> int:
    ap = build_parser()
    a = None
    try:
        a = ap.parse_args(argv)
        if a.cmd is None:
            ap.print_help()
            return 2
        if a.cmd == "_worker":
            from core.engine.launch import run_worker

            return run_worker(a.run_dir)
        return {
            "train": cmd_train,
            "compare": cmd_compare,
            "list": cmd_list,
            "dashboard": cmd_dashboard,
            "export": cmd_export,
            "bench": cmd_bench,
            "stop": cmd_stop,
            "papers": cmd_papers,
        }[a.cmd](a)
    except UserError as e:
        print(f"labelscope: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        from core.store.files import disk_full_text

        text = disk_full_text(e, getattr(a, "runs_dir", None) or getattr(e, "filename", None) or ".")
        if text is None:
            raise
        print(f"labelscope: error: {text}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
