"""sample_data/: every file loads into the format it shows, stays small, and make_samples.py regenerates it exactly."""

from __future__ import annotations

import importlib.util
import os

import numpy as np
import pytest

from core.data.files import load_file

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..", "sample_data")
SAMPLES = {  # file -> (options, kind, number of classes)
    "breast_cancer.csv": ({"id_column": "id"}, "tabular", 2),
    "wine_noisy.parquet": ({"clean_label_column": "label_clean"}, "tabular", 3),
    "digits_pca32.npz": ({}, "embedding", 10),
    "digits_images.npz": ({}, "image", 10),
    "wine_X.npy": ({}, "embedding", 3),
    "digits_folders.zip": ({"image_size": 16}, "image", 10),
    "wordnet_glosses.csv": ({"clean_label_column": "label_clean"}, "text", 6),
}
TEXT_SAMPLE = "wordnet_glosses.csv"


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_loads_and_is_small(name):
    opts, kind, k = SAMPLES[name]
    path = os.path.join(ROOT, name)
    assert os.path.getsize(path) < 1_000_000
    ds = load_file(path, opts)
    assert ds.kind == kind and ds.num_classes == k and np.isfinite(ds.X).all()


def test_wine_noisy_has_known_noise():
    ds = load_file(os.path.join(ROOT, "wine_noisy.parquet"), {"clean_label_column": "label_clean"})
    rate = float((ds.y != ds.y_clean).mean())
    assert 0.1 < rate < 0.3 and set(ds.class_names) == {"barolo", "grignolino", "barbera"}


def test_make_samples_regenerates_the_same_files(tmp_path):
    spec = importlib.util.spec_from_file_location("make_samples", os.path.join(ROOT, "make_samples.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.main(str(tmp_path))
    for name in os.listdir(tmp_path):
        with open(tmp_path / name, "rb") as a, open(os.path.join(ROOT, name), "rb") as b:
            assert a.read() == b.read(), f"{name} differs from the committed sample"
    assert set(SAMPLES) - {TEXT_SAMPLE} <= set(os.listdir(tmp_path))  # the text sample has its own script


def test_wordnet_glosses_has_real_text_and_known_noise():
    ds = load_file(os.path.join(ROOT, "wordnet_glosses.csv"), {"clean_label_column": "label_clean"})
    assert ds.text_column == "text" and len(ds.texts) == 1500 and min(map(len, ds.texts)) >= 12
    assert 0.15 < float((ds.y != ds.y_clean).mean()) < 0.25
    assert os.path.isfile(os.path.join(ROOT, "wordnet_glosses.LICENSE.txt"))


@pytest.mark.skipif(not os.path.isfile("/usr/share/wordnet/data.noun"), reason="needs Debian's wordnet-base")
def test_make_text_samples_regenerates_the_same_file(tmp_path):
    spec = importlib.util.spec_from_file_location("make_text_samples", os.path.join(ROOT, "make_text_samples.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = tmp_path / "g.csv"
    mod.main(["--out", str(out)])
    assert out.read_bytes() == open(os.path.join(ROOT, "wordnet_glosses.csv"), "rb").read()
