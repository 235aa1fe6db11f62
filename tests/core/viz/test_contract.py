"""Contract of the chart registry: every registered chart renders on a small fixture comparison in English and
Japanese, draws numbers that are in the run store, follows the store when it changes, and says "no data" without it.

Adding a chart needs no edit here: the test is parametrized over `core.viz.CHARTS`.
"""

from __future__ import annotations

import json
import os
import re
import shutil

import numpy as np
import plotly.graph_objects as go
import pytest

from core.i18n import LANGS, TEXT, t
from core.store.run_data import load_run
from core.viz import CHARTS
from core.viz.registry import SCOPES

PAGES = ("compare", "live", "samples")  # views that are whole pages; the other views are diagnostics views
_NUMERIC = ("x", "y", "z")


def _transform(v):
    """The perturbation applied to every stored float: affine, so no chart can draw the old numbers by chance."""
    return v * 0.5 + 0.25


def _copy_store(src_dir: str, dst_dir: str, run_ids: list[str], perturb: bool, with_scalars: bool) -> None:
    """Copy the fixture runs; optionally add `method/*` scalars (one run has per-method scalars) and perturb floats."""
    for i, rid in enumerate(run_ids):
        shutil.copytree(os.path.join(src_dir, rid), os.path.join(dst_dir, rid))
        d = os.path.join(dst_dir, rid)
        rows = [json.loads(line) for line in open(os.path.join(d, "metrics.jsonl")) if line.strip()]
        if with_scalars and i == 0:
            for r in rows:
                r.update({"method/flip_rate": 0.1 + 0.01 * r["epoch"], "method/weight_mean": 0.9 - 0.02 * r["epoch"]})
        if perturb:
            rows = [{k: _transform(v) if isinstance(v, float) else v for k, v in r.items()} for r in rows]
            summary = json.load(open(os.path.join(d, "summary.json")))
            summary = {k: _transform(v) if isinstance(v, float) else v for k, v in summary.items()}
            json.dump(summary, open(os.path.join(d, "summary.json"), "w"))
            data = json.load(open(os.path.join(d, "data.json")))
            noise = data.get("noise") or {}
            if noise.get("transition_matrix") is not None:
                noise["transition_matrix"] = _transform(np.asarray(noise["transition_matrix"], float)).tolist()
            json.dump(data, open(os.path.join(d, "data.json"), "w"))
            for root, _, files in os.walk(os.path.join(d, "artifacts")):
                for f in files:
                    path = os.path.join(root, f)
                    with np.load(path, allow_pickle=False) as z:
                        arrays = {k: _transform(z[k]) if z[k].dtype.kind == "f" else z[k] for k in z.files}
                    np.savez(path, **arrays)
        with open(os.path.join(d, "metrics.jsonl"), "w") as f:
            f.writelines(json.dumps(r) + "\n" for r in rows)


@pytest.fixture(scope="module")
def stores(tiny_suite, tmp_path_factory):
    """(original, perturbed) lists of RunData of the fixture comparison."""
    out = []
    for perturb in (False, True):
        dst = str(tmp_path_factory.mktemp("perturbed" if perturb else "fixture"))
        _copy_store(tiny_suite["runs_dir"], dst, tiny_suite["run_ids"], perturb, with_scalars=True)
        out.append([load_run(dst, rid) for rid in tiny_suite["run_ids"]])
    return out


def _draw(spec, runs, lang="en"):
    fig = spec.fn(runs if spec.scope == "suite" else runs[0], lang)
    assert isinstance(fig, go.Figure)
    return fig


def _key(v: float) -> float:
    return round(float(np.float32(v)), 5)


def _store_numbers(runs) -> set[float]:
    """Every number stored for `runs`: metric and summary values, data.json, probe artifact arrays."""
    pool: set[float] = set()

    def add(values):
        arr = np.asarray(values)
        if arr.dtype.kind in "fiub":
            pool.update(_key(v) for v in arr.ravel() if np.isfinite(v))

    for r in runs:
        for row in r.metrics:
            add([v for v in row.values() if isinstance(v, (int, float))])
        add([v for v in (r.summary or {}).values() if isinstance(v, (int, float))])
        tm = ((r.reader.read_json("data.json", {}) or {}).get("noise") or {}).get("transition_matrix")
        if tm is not None:
            add(np.asarray(tm, float))
        for name in r.reader.artifact_names():
            for ep in r.reader.artifact_epochs(name):
                for arr in r.reader.load_artifact(name, ep).values():
                    add(arr)
    return pool


def _trace_numbers(tr) -> list[np.ndarray]:
    out = []
    for attr in _NUMERIC:
        v = getattr(tr, attr, None)
        if v is None:
            continue
        arr = np.asarray(v, dtype=object).ravel()
        nums = np.array([float(x) for x in arr if isinstance(x, (int, float, np.number)) and not isinstance(x, bool)])
        if len(nums):
            out.append(nums[np.isfinite(nums)])
    return out


def _all_numbers(fig) -> np.ndarray:
    parts = [n for tr in fig.data for n in _trace_numbers(tr)]
    return np.concatenate(parts) if parts else np.array([])


def test_the_registry_covers_the_topic_modules():
    assert len(CHARTS) >= 14
    for cid, spec in CHARTS.items():
        assert spec.chart_id == cid and spec.scope in SCOPES and spec.view
        assert re.fullmatch(r"[a-z][a-z0-9_]*", cid), cid


@pytest.mark.parametrize("chart_id", sorted(CHARTS))
def test_every_chart_has_a_bilingual_title(chart_id):
    entry = TEXT.get(CHARTS[chart_id].title_key)
    assert entry and all(entry.get(lang) for lang in LANGS), f"{CHARTS[chart_id].title_key} needs en and ja"


@pytest.mark.parametrize("chart_id", sorted(CHARTS))
def test_every_chart_renders_store_numbers_in_both_languages(chart_id, stores):
    spec, (runs, _) = CHARTS[chart_id], stores
    figs = {lang: _draw(spec, runs, lang) for lang in LANGS}
    pool = _store_numbers(runs)
    for lang, fig in figs.items():
        assert fig.data, f"{chart_id} drew nothing on the fixture comparison ({lang})"
        assert fig.layout.title.text, chart_id
        # At least one trace plots stored numbers themselves (the others may be means, powers, bands).
        assert any(len(n) and all(_key(v) in pool for v in n) for tr in fig.data for n in _trace_numbers(tr)), (
            f"{chart_id}: no trace draws numbers found in the run store"
        )
    assert figs["en"].layout.title.text != figs["ja"].layout.title.text
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", figs["ja"].layout.title.text), "Japanese title expected"
    # The same data whatever the language.
    np.testing.assert_allclose(_all_numbers(figs["en"]), _all_numbers(figs["ja"]))


@pytest.mark.parametrize("chart_id", sorted(CHARTS))
def test_every_chart_follows_the_store(chart_id, stores):
    spec = CHARTS[chart_id]
    before, after = (_all_numbers(_draw(spec, runs)) for runs in stores)
    assert len(before) and len(after)
    assert len(before) != len(after) or not np.allclose(before, after), f"{chart_id} did not change with the store"


@pytest.mark.parametrize("chart_id", sorted(CHARTS))
def test_every_chart_without_data_says_so(chart_id, stores, tmp_path):
    src = stores[0][0]
    os.makedirs(tmp_path / "empty")
    shutil.copy(os.path.join(src.reader.dir, "config.json"), tmp_path / "empty" / "config.json")
    empty = load_run(str(tmp_path), "empty")
    for lang in LANGS:
        fig = _draw(CHARTS[chart_id], [empty], lang)
        assert not fig.data and fig.layout.annotations[0].text == t("chart.no_data", lang), chart_id
        assert fig.layout.xaxis.showticklabels is False and fig.layout.yaxis.showticklabels is False, chart_id
