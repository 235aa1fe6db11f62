"""The embedding map plots every PCA point of the probe and marks flipped samples."""

from __future__ import annotations

from core.viz.embedding import embedding


def test_embedding_map_plots_every_pca_point_and_marks_flips(run):
    a = run.reader.load_artifact("embedding")
    fig = embedding(run)
    pts = {(round(float(x), 5), round(float(y), 5)) for tr in fig.data for x, y in zip(tr.x, tr.y)}
    want = {(round(float(x), 5), round(float(y), 5)) for x, y in a["pca"]}
    assert pts == want
    crosses = sum(len(tr.x) for tr in fig.data if tr.marker.symbol == "x")
    assert crosses == int(a["flipped"].sum()) > 0
