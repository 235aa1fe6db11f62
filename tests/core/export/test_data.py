"""CSV read back equals the plotted values; the offline HTML carries the figure data and plotly.js itself."""

from __future__ import annotations

import base64
import io
import json
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from core.export import export_files
from core.export.data import figure_csv, trace_rows
from core.export.target import load_target
from core.viz import CHARTS


def _decode(v):
    """A plotly JSON array: a plain list or a typed array {"dtype", "bdata"}."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"])).tolist()
    return v


@pytest.mark.parametrize("chart_id", ["curves", "bars", "rlp_heads"])
def test_csv_round_trips_to_the_plotted_values(tiny_suite, chart_id):
    target = load_target(tiny_suite["runs_dir"], tiny_suite["suite_id"])
    fig = CHARTS[chart_id].fn(target.runs, lang="en")
    files = export_files(tiny_suite["runs_dir"], tiny_suite["suite_id"], "csv", "en", chart_id).files
    df = pd.read_csv(io.BytesIO(next(iter(files.values()))), encoding="utf-8-sig")
    assert len(fig.data) > 0
    for i, tr in enumerate(fig.data):
        rows = df[df["trace"] == i]
        assert len(rows) == len(tr.y)
        np.testing.assert_allclose(rows["y"].to_numpy(float), np.asarray(tr.y, float), rtol=1e-12)
        x = np.asarray(tr.x)
        if x.dtype.kind in "fiu":
            np.testing.assert_allclose(rows["x"].to_numpy(float), x.astype(float))
        else:
            assert rows["x"].astype(str).tolist() == [str(v) for v in x]


def test_csv_heatmap_gives_one_row_per_cell():
    z = np.array([[0.9, 0.1], [0.3, 0.7]])
    fig = go.Figure(go.Heatmap(z=z, x=["a", "b"], y=["p", "q"]))
    cols, rows = trace_rows(fig)
    assert {"x", "y", "z"} <= set(cols)
    assert [(r["y"], r["x"], r["z"]) for r in rows] == [
        ("p", "a", 0.9),
        ("p", "b", 0.1),
        ("q", "a", 0.3),
        ("q", "b", 0.7),
    ]
    df = pd.read_csv(io.BytesIO(figure_csv(fig)), encoding="utf-8-sig")
    assert df["z"].tolist() == [0.9, 0.1, 0.3, 0.7]


def test_html_is_offline_and_holds_the_figure_data(tiny_suite):
    target = load_target(tiny_suite["runs_dir"], tiny_suite["suite_id"])
    fig = CHARTS["bars"].fn(target.runs, lang="en")
    files = export_files(tiny_suite["runs_dir"], tiny_suite["suite_id"], "html", "en", "bars").files
    html = next(iter(files.values())).decode("utf-8")
    assert not re.search(r"<script[^>]+src=[\"']https?:", html)  # no CDN: opens without network
    assert "Plotly.newPlot" in html and len(html) > 1_000_000  # plotly.js inlined
    start = html.index("Plotly.newPlot(")
    args = html[start + len("Plotly.newPlot(") :]
    args = args[args.index(",") + 1 :].lstrip()
    data, end = json.JSONDecoder().raw_decode(args)
    assert len(data) == len(fig.data)
    np.testing.assert_allclose(_decode(data[0]["y"]), np.asarray(fig.data[0].y, float))
    assert '"toImageButtonOptions"' in html and '"scale": 3' in html.replace('"scale":3', '"scale": 3')


def test_csv_cells_never_start_a_formula():
    import csv
    import io

    import plotly.graph_objects as go

    from core.export.data import figure_csv, safe_cell

    for bad in ("=HYPERLINK(1)", "+1", "-x", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(bad) == "'" + bad
    assert safe_cell(-0.5) == -0.5 and safe_cell("plain") == "plain" and safe_cell("&lt;b&gt;") == "<b>"
    fig = go.Figure(go.Bar(x=["=cmd()", "ok", "@x"], y=[1, -2, 3], name="+evil"))
    rows = list(csv.reader(io.StringIO(figure_csv(fig).decode("utf-8-sig"))))
    cells = [c for r in rows for c in r]
    assert not [c for c in cells if c[:1] in "=+@"] and "-2" in cells
