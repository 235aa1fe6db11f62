"""The embedding is cached in the shared feature cache: a second load skips the encoder; options change the key."""

from __future__ import annotations

import os

import numpy as np

from core.data.files import load_file
from core.data.text.tfidf import TfidfSvd
from core.engine.run_config import make_config
from core.features.cache import FOLDER


def test_second_load_hits_the_cache(text_csv, tmp_path, monkeypatch):
    runs = str(tmp_path / "runs")
    first = load_file(text_csv, {"clean_label_column": "label_clean"}, runs)
    entries = [f for f in os.listdir(os.path.join(runs, FOLDER)) if f.endswith(".npy")]
    assert len(entries) == 1

    def boom(self, texts):
        raise AssertionError("the encoder ran again despite a cached embedding")

    monkeypatch.setattr(TfidfSvd, "encode", boom)
    second = load_file(text_csv, {"clean_label_column": "label_clean"}, runs)
    np.testing.assert_array_equal(first.X, second.X)
    monkeypatch.undo()
    load_file(text_csv, {"clean_label_column": "label_clean", "text_options": {"dims": 4}}, runs)
    assert len([f for f in os.listdir(os.path.join(runs, FOLDER)) if f.endswith(".npy")]) == 2


def test_set_routes_text_options(text_csv):
    cfg = make_config({"dataset": text_csv}, ["text_column=text", "text_encoder=tfidf", "text.dims=16"])
    assert cfg.dataset_options == {"text_column": "text", "text_encoder": "tfidf", "text_options": {"dims": 16}}
