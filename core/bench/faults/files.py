"""Damaged and hostile inputs: one corrupted file per run, crafted ids that point outside, hostile class names.

Survived: the other runs read as before (and `labelscope list runs` lists them), a damaged run reads
as `unreadable` or with the damaged part skipped and named, nothing is written outside the runs or
export folder, and no exported CSV cell starts a formula.
"""

from __future__ import annotations

import csv
import io
import os
import shutil

from core.bench.faults.common import Outcome, labelscope, tiny_config
from core.errors import UserError
from core.store.files import atomic_write_json, load_json
from core.store.reader import UNREADABLE, list_runs
from core.store.writer import write_suite


def _train(runs_dir: str, **extra) -> str:
    from core.engine.trainer import train

    rid, summary = train(tiny_config(epochs=2, **extra), runs_dir)
    if summary.get("state") != "completed":
        raise RuntimeError(f"the template run failed: {summary.get('error')}")
    return rid


def _latest_npz(run_dir: str, probe: str) -> str:
    d = os.path.join(run_dir, "artifacts", probe)
    return os.path.join(d, max(os.listdir(d)))


def _write(path: str, data: bytes, mode: str = "wb") -> None:
    with open(path, mode) as f:
        f.write(data)


# kind -> how to damage a copy of a good run folder
DAMAGE = {
    "truncated metrics line": lambda d: _write(os.path.join(d, "metrics.jsonl"), b'{"epoch": 9, "test/a', "ab"),
    "non-UTF-8 status.json": lambda d: _write(os.path.join(d, "status.json"), b"\x00\xffgarbage"),
    "garbage status.json": lambda d: _write(os.path.join(d, "status.json"), b"hello, not json"),
    "status.json not an object": lambda d: _write(os.path.join(d, "status.json"), b"[1, 2]"),
    "non-UTF-8 config.json": lambda d: _write(os.path.join(d, "config.json"), b"\xff\xfe{"),
    "zero-byte npz": lambda d: _write(_latest_npz(d, "embedding"), b""),  # drawn on Diagnostics
    "corrupt npz": lambda d: _write(_latest_npz(d, "noise_detection"), b"PK\x03\x04 not a zip"),  # on Samples
    "missing summary.json": lambda d: os.unlink(os.path.join(d, "summary.json")),
    "garbage data.json": lambda d: _write(os.path.join(d, "data.json"), b"[]"),
}


def corrupt_files(workdir: str, n: int) -> Outcome:
    """One run per kind of damage next to two good runs, all in one comparison."""
    from core.export.formats import export_files

    out = Outcome()
    runs_dir = os.path.join(workdir, "runs")
    template = _train(runs_dir)
    good = [template]
    shutil.copytree(os.path.join(runs_dir, template), os.path.join(runs_dir, "good-copy"))
    good.append("good-copy")
    damaged = {}
    for i, (kind, fn) in enumerate(DAMAGE.items()):
        rid = f"damaged-{i}"
        shutil.copytree(os.path.join(runs_dir, template), os.path.join(runs_dir, rid))
        cfg_path = os.path.join(runs_dir, rid, "config.json")
        atomic_write_json(cfg_path, {**load_json(cfg_path), "seed": 100 + i})  # a label of its own in pickers
        fn(os.path.join(runs_dir, rid))
        damaged[kind] = rid
    write_suite(runs_dir, "cmp-damaged", {"run_ids": good + list(damaged.values()), "methods": ["ce"], "seeds": [0]})
    listed = {r.run_id: r for r in list_runs(runs_dir)}
    cli = labelscope("list", "runs", "--runs-dir", runs_dir)
    try:
        export_files(runs_dir, "cmp-damaged", "csv")
        export_error = None
    except Exception as e:  # noqa: BLE001 - an export that fails on one damaged run is what this counts
        export_error = f"{type(e).__name__}: {e}"
    others_fine = (
        all(g in listed and listed[g].status.get("state") == "completed" for g in good)
        and cli.returncode == 0
        and all(g in cli.stdout for g in good)
        and export_error is None
    )
    for kind, rid in damaged.items():
        rec = listed.get(rid)
        state = rec.status.get("state") if rec is not None else None
        note = f"{kind}: {state}"
        ok = others_fine and rec is not None and rid in cli.stdout and state in ("completed", UNREADABLE)
        if "status" in kind or "config" in kind:
            ok = ok and state == UNREADABLE  # never read as queued (an active run nobody owns)
        if "npz" in kind:
            try:
                res = export_files(runs_dir, rid, "csv")
                named = any("unreadable" in s and ".npz" in s for s in res.skipped)
                ok = ok and named
                note += ", export names the file" if named else ", export did NOT name the file"
            except Exception as e:  # noqa: BLE001
                ok = False
                note += f", export failed: {type(e).__name__}"
        out.add(ok, note)
    if export_error or not others_fine:
        out.notes.append(f"others: list rc {cli.returncode}, export {export_error or 'ok'}")
    return out


def _snapshot(root: str) -> set[str]:
    return {os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs} | {root}


def crafted_ids(workdir: str, n: int) -> Outcome:
    """Ids with `..`, absolute paths and a symlink out of the runs folder, via a suite file, export and stop."""
    from core.engine.launch import request_stop
    from core.export.formats import export_files

    out = Outcome()
    runs_dir = os.path.join(workdir, "runs")
    outside = os.path.join(workdir, "outside")
    template = _train(runs_dir)
    os.makedirs(outside, exist_ok=True)
    shutil.copytree(os.path.join(runs_dir, template), os.path.join(outside, "RUN"))
    os.symlink(os.path.join(outside, "RUN"), os.path.join(runs_dir, "link-out"))
    bad_ids = ["../outside/RUN", os.path.join(outside, "RUN"), "link-out", "..", "a/../../outside/RUN"]
    write_suite(runs_dir, "cmp-crafted", {"run_ids": [template, *bad_ids], "methods": ["ce"], "seeds": [0]})
    export_dir = os.path.join(workdir, "export")
    before = _snapshot(outside)
    # 1. the crafted suite: its good run exports, its bad ids are left out and named
    res = export_files(runs_dir, "cmp-crafted", "csv")
    names_ok = all(os.path.basename(f) == f and not f.startswith(".") for f in res.files)
    refused = sum("refused" in s for s in res.skipped)
    out.add(names_ok and refused == len(bad_ids), f"suite with {len(bad_ids)} crafted ids: {refused} refused by name")
    # 2. each crafted id given straight to export, stop and the store: one UserError, nothing written outside
    for rid in bad_ids:
        caught = 0
        for fn in (lambda rid=rid: export_files(runs_dir, rid, "csv"), lambda rid=rid: request_stop(runs_dir, rid)):
            try:
                fn()
            except UserError:
                caught += 1
        cli = labelscope("export", rid, "--format", "csv", "--out", export_dir, "--runs-dir", runs_dir)
        one_line = cli.returncode == 2 and len(cli.stderr.strip().splitlines()) == 1
        out.add(caught == 2 and one_line, f"{rid!r}: {caught}/2 refused in code, CLI rc {cli.returncode}")
    listed = {r.run_id for r in list_runs(runs_dir)}
    after = _snapshot(outside)
    escaped = sorted(after - before)
    out.add(
        not escaped and "link-out" not in listed,
        "nothing written outside" if not escaped else f"WRITTEN OUTSIDE: {escaped[:3]}",
    )
    return out


HOSTILE = (
    "**bold** [x](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    '=HYPERLINK("http://x","y")',
    "+cmd",
    "-2+3",
    "@SUM(A1)",
    "</script><script>alert(2)</script>",
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _is_number(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def hostile_names(workdir: str, n: int) -> Outcome:
    """A CSV whose class names are Markdown, HTML and formulas: exported CSV cells never start a formula,
    exported HTML holds no raw tag of them. (The pages' plain-text rendering is checked in tests/reliability.)"""
    import numpy as np

    from core.export.formats import export_files

    out = Outcome()
    runs_dir = os.path.join(workdir, "runs")
    os.makedirs(runs_dir, exist_ok=True)
    rng = np.random.default_rng(0)
    path = os.path.join(workdir, "hostile.csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["f1", "f2", "f3", "label"])
        for i in range(280):
            c = i % len(HOSTILE)
            w.writerow([*(rng.normal(size=3) + 3 * c).round(4), HOSTILE[c]])
    rid = _train(runs_dir, dataset=path, dataset_options={}, noise_rate=0.2)
    res = export_files(runs_dir, rid, "csv")
    cells = [
        cell for blob in res.files.values() for row in csv.reader(io.StringIO(blob.decode("utf-8-sig"))) for cell in row
    ]
    formulas = [c for c in cells if c.startswith(_FORMULA) and not _is_number(c)]
    present = sum(c.lstrip("'") in HOSTILE for c in cells)
    out.add(
        not formulas,
        f"{len(res.files)} CSV files, {present} cells with a hostile name, "
        f"{len(formulas)} starting a formula {formulas[:2]}",
    )
    try:
        html_files = export_files(runs_dir, rid, "html").files
    except UserError as e:  # no browser needed for HTML; a UserError here is a finding
        out.add(False, f"html export failed: {e}")
        return out
    raw = [
        h
        for blob in html_files.values()
        for h in ("<img src=x", "</script><script>alert(2)")
        if h in blob.decode("utf-8", "replace")
    ]
    out.add(not raw, f"{len(html_files)} HTML files, raw markup found: {raw[:2]}")
    return out
