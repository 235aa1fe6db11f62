"""Tiny text tables made by the tests: three topics, each text a few words from its topic's vocabulary."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

TOPICS = {
    "sport": "match goal team coach league score striker season cup final referee stadium".split(),
    "weather": "rain storm cloud forecast wind snow sunny humid frost thunder drizzle heatwave".split(),
    "market": "shares stocks profit bank rates inflation bond investor earnings trade currency index".split(),
}
COMMON = "the a today new big after report says".split()


def text_frame(n_per: int = 12, seed: int = 0) -> pd.DataFrame:
    """Columns text (str), label, label_clean (the same topic), n_per rows per topic, shuffled."""
    rng = np.random.default_rng(seed)
    rows = []
    for topic, words in TOPICS.items():
        for _ in range(n_per):
            w = list(rng.choice(words, 5)) + list(rng.choice(COMMON, 2))
            rng.shuffle(w)
            rows.append((" ".join(w).capitalize(), topic, topic))
    df = pd.DataFrame(rows, columns=["text", "label", "label_clean"])
    return df.iloc[rng.permutation(len(df))].reset_index(drop=True)


@pytest.fixture
def text_csv(tmp_path):
    p = tmp_path / "texts.csv"
    text_frame().to_csv(p, index=False)
    return str(p)
