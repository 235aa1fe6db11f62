"""Offline default text encoder: TF-IDF of word and character n-grams, reduced by truncated SVD (latent semantic
analysis), rows L2-normalized. Fitted on every text of the file and never on labels, so it leaks nothing."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from core.config import opt
from core.data.text.base import TextEncoder
from core.errors import UserError
from core.registry import register_text_encoder


@register_text_encoder("tfidf")
class TfidfSvd(TextEncoder):
    help = "offline: TF-IDF of word and character n-grams reduced by truncated SVD, fitted without labels"

    @dataclasses.dataclass(frozen=True)
    class Config:
        dims: int = opt(
            256, "dimensions kept by the truncated SVD (fewer when the vocabulary is smaller)", lo=2, hi=4096
        )
        word_ngrams: int = opt(2, "longest word n-gram (1 = single words only)", lo=1, hi=4)
        char_min: int = opt(2, "shortest character n-gram (within words)", lo=1, hi=8)
        char_max: int = opt(5, "longest character n-gram (0 = no character n-grams)", lo=0, hi=8)
        min_df: int = opt(2, "keep only n-grams found in at least this many texts", lo=1, hi=1000)
        max_features: int = opt(
            100_000, "largest vocabulary per n-gram kind (most frequent kept)", lo=100, hi=10_000_000
        )
        svd_iter: int = opt(
            2, "power iterations of the randomized SVD (more: slower, closer to the exact SVD)", lo=0, hi=20
        )
        seed: int = opt(0, "seed of the randomized SVD", lo=0, hi=2**31 - 1)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        import scipy.sparse as sp
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        c = self.cfg
        if c.char_max and c.char_min > c.char_max:
            raise UserError(f"text option char_min={c.char_min} is larger than char_max={c.char_max}")
        texts = list(texts)
        min_df = min(c.min_df, max(1, len(texts) // 2))  # a tiny file keeps its words
        kw = {"min_df": min_df, "sublinear_tf": True, "max_features": c.max_features, "dtype": np.float32}
        vecs = [TfidfVectorizer(ngram_range=(1, c.word_ngrams), **kw)]
        if c.char_max:
            vecs.append(TfidfVectorizer(analyzer="char_wb", ngram_range=(c.char_min, c.char_max), **kw))
        blocks = []
        for v in vecs:
            try:
                blocks.append(v.fit_transform(texts))
            except ValueError:  # "empty vocabulary": no n-gram of this kind occurs min_df times
                continue
        if not blocks:
            raise UserError(
                f"the text column has no word or character n-gram found in {min_df} or more texts; "
                "it cannot be turned into features"
            )
        S = sp.hstack(blocks, format="csr", dtype=np.float32)
        k = min(c.dims, S.shape[1] - 1, S.shape[0] - 1)
        if k < 1:
            raise UserError(f"the texts hold only {S.shape[1]} distinct n-gram(s); at least 2 are needed")
        Z = TruncatedSVD(k, n_iter=c.svd_iter, random_state=c.seed).fit_transform(S)
        norms = np.linalg.norm(Z, axis=1, keepdims=True)
        # An empty text has no n-grams: its row stays zero instead of dividing by zero.
        return (Z / np.where(norms > 0, norms, 1.0)).astype(np.float32)
