"""The offline TF-IDF + SVD encoder: label-free, deterministic, bounded dimensions, options validated."""

from __future__ import annotations

import numpy as np
import pytest

from core.data.files import load_file
from core.data.text.base import make_encoder
from core.errors import UserError

from .conftest import text_frame


def test_features_are_label_free(tmp_path):
    """Scrambling (and renaming) the labels leaves the features byte-identical, with and without the cache."""
    df = text_frame()
    scrambled = df.copy()
    rng = np.random.default_rng(7)
    scrambled["label"] = "topic_" + rng.permutation(df["label"].to_numpy())
    scrambled["label_clean"] = "topic_" + rng.permutation(df["label_clean"].to_numpy())
    a, b = str(tmp_path / "a.csv"), str(tmp_path / "b.csv")
    df.to_csv(a, index=False)
    scrambled.to_csv(b, index=False)
    opts = {"clean_label_column": "label_clean"}
    np.testing.assert_array_equal(load_file(a, opts).X, load_file(b, opts).X)
    np.testing.assert_array_equal(
        load_file(a, opts, str(tmp_path / "runs")).X, load_file(b, opts, str(tmp_path / "runs2")).X
    )


def test_same_texts_same_features_and_topics_separate():
    texts = list(text_frame()["text"])
    enc = make_encoder("tfidf", {"dims": 6})
    Z1, Z2 = enc.encode(texts), enc.encode(texts)
    np.testing.assert_array_equal(Z1, Z2)
    assert Z1.shape == (36, 6) and Z1.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(Z1, axis=1), 1.0, atol=1e-5)
    # nearest neighbour by cosine shares the topic far more often than chance (1/3)
    labels = np.array(text_frame()["label"])
    sim = Z1 @ Z1.T
    np.fill_diagonal(sim, -np.inf)
    assert (labels[sim.argmax(1)] == labels).mean() > 0.8


def test_dims_are_capped_by_the_data():
    assert make_encoder("tfidf", {}).encode(["red fish", "blue fish", "red bird", "blue bird"]).shape[1] <= 3


def test_empty_texts_stay_finite():
    Z = make_encoder("tfidf", {"dims": 3}).encode(["red fish", "", "blue fish", "red bird", "blue bird"])
    assert np.isfinite(Z).all() and not Z[1].any()


@pytest.mark.parametrize(
    "spec,opts,needle",
    [
        ("nope", {}, "unknown text encoder 'nope'"),
        ("tfidf", {"dims": 1}, "dims"),
        ("tfidf", {"depth": 3}, "unknown option 'depth'"),
        ("tfidf", "{not json", "text_options must be a JSON object"),
    ],
)
def test_bad_encoder_or_option_is_one_line(spec, opts, needle):
    with pytest.raises(UserError) as e:
        make_encoder(spec, opts)
    assert needle in str(e.value)
