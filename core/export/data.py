"""A chart's data as CSV (read back from its traces) and the chart as a self-contained offline HTML file."""

from __future__ import annotations

import csv
import html
import io

import numpy as np
import plotly.graph_objects as go

# Per-point attributes worth a column; nested ones are (attribute, sub-attribute).
_POINT_ATTRS = ("x", "y", "z", "text", "values", "labels", "r", "theta", ("error_y", "array"), ("error_x", "array"))


def _get(js: dict, attr):
    if isinstance(attr, tuple):
        return (js.get(attr[0]) or {}).get(attr[1]), f"{attr[0]}_{attr[1]}"
    return js.get(attr), attr


def _as_list(v) -> list | None:
    if v is None or isinstance(v, (str, bytes, int, float, bool, dict)):
        return None  # scalars and styling objects are not per-point data
    a = np.asarray(v, dtype=object)
    return a.tolist() if a.ndim >= 1 else None


def trace_rows(fig: go.Figure) -> tuple[list[str], list[dict]]:
    """One row per plotted point: trace index and name, then x, y, (z), error bars, text...

    A 2-D `z` (heatmap) gives one row per cell with the matching x and y labels.
    """
    cols: list[str] = ["trace", "name", "type"]
    rows: list[dict] = []
    for i, tr in enumerate(fig.data):
        js = tr.to_plotly_json()
        base = {"trace": i, "name": js.get("name", ""), "type": js.get("type", "")}
        arrays = {}
        for attr in _POINT_ATTRS:
            v, col = _get(js, attr)
            lst = _as_list(v)
            if lst is not None:
                arrays[col] = lst
        z = arrays.get("z")
        if z is not None and z and isinstance(z[0], list):
            xs, ys = arrays.get("x"), arrays.get("y")
            for r, zrow in enumerate(z):
                for c, val in enumerate(zrow):
                    rows.append(
                        {
                            **base,
                            "x": xs[c] if xs and c < len(xs) else c,
                            "y": ys[r] if ys and r < len(ys) else r,
                            "z": val,
                        }
                    )
            cols += [c for c in ("x", "y", "z") if c not in cols]
            continue
        n = max((len(v) for v in arrays.values()), default=0)
        cols += [c for c in arrays if c not in cols]
        for k in range(n):
            rows.append({**base, **{c: v[k] for c, v in arrays.items() if k < len(v)}})
    return cols, rows


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(v):
    """A CSV cell that no spreadsheet runs as a formula (OWASP): text starting with = + - @ tab CR gets a leading '.

    Numbers stay numbers (a negative value is data, not a formula); labels drawn HTML-escaped are unescaped.
    """
    if not isinstance(v, str):
        return v
    v = html.unescape(v)
    return "'" + v if v.startswith(_FORMULA_START) else v


def write_csv(header: list[str], rows: list[dict]) -> bytes:
    """The one CSV writer of the tool: every cell (header too) through `safe_cell`, UTF-8 with a BOM for Excel."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([safe_cell(h) for h in header])
    for r in rows:
        w.writerow([safe_cell(r.get(c, "")) for c in header])
    return buf.getvalue().encode("utf-8-sig")  # BOM: Excel then reads Japanese names correctly


def figure_csv(fig: go.Figure) -> bytes:
    cols, rows = trace_rows(fig)
    return write_csv(cols, rows)


def figure_html(fig: go.Figure, config: dict) -> bytes:
    """A single file that opens offline: plotly.js is inlined, nothing is fetched from a CDN."""
    return fig.to_html(include_plotlyjs=True, full_html=True, config=config).encode("utf-8")
