"""`text_encoder=hf:<dir>`: a tiny BERT and a tokenizer whose vocabulary the test writes, saved with
save_pretrained; texts become mean-pooled features, cached; offline without weights: one line, fast."""

from __future__ import annotations

import os
import time

import numpy as np
import pytest

from core.data.files import load_file
from core.errors import UserError
from core.features.cache import FOLDER
from core.models import hf_backbone as hb

from .conftest import COMMON, TOPICS, text_frame


@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory):
    import torch
    from transformers import BertConfig, BertModel, BertTokenizer

    d = tmp_path_factory.mktemp("tiny_bert")
    words = sorted({w for ws in TOPICS.values() for w in ws} | set(COMMON))
    vocab = {w: i for i, w in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words])}
    tok = BertTokenizer(vocab=vocab, do_lower_case=True)
    assert tok("Match goal")["input_ids"][1:3] == [vocab["match"], vocab["goal"]]
    torch.manual_seed(0)
    cfg = BertConfig(
        vocab_size=len(tok),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=64,
    )
    BertModel(cfg).save_pretrained(str(d))
    tok.save_pretrained(str(d))
    return str(d)


def test_hf_text_encoder_embeds_and_caches(tiny_bert, tmp_path, monkeypatch):
    p = str(tmp_path / "t.csv")
    text_frame().to_csv(p, index=False)
    runs = str(tmp_path / "runs")
    opts = {"clean_label_column": "label_clean", "text_encoder": f"hf:{tiny_bert}"}
    ds = load_file(p, opts, runs)
    assert ds.kind == "text" and ds.X.shape == (36, 16) and np.isfinite(ds.X).all()
    assert len(set(map(tuple, ds.X.round(5)))) > 30  # different texts, different features
    assert len([f for f in os.listdir(os.path.join(runs, FOLDER)) if f.endswith(".npy")]) == 1

    def no_model(*a, **k):
        raise AssertionError("the encoder loaded again on a cached embedding")

    monkeypatch.setattr(hb, "load_backbone", no_model)
    np.testing.assert_array_equal(load_file(p, opts, runs).X, ds.X)


def test_hf_text_offline_without_weights_is_one_fast_line(tmp_path, monkeypatch, text_csv):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty_hub"))
    t0 = time.perf_counter()
    with pytest.raises(UserError) as e:
        load_file(text_csv, {"text_encoder": "hf:nobody/no-such-text-model"})
    assert time.perf_counter() - t0 < 3.0
    msg = str(e.value)
    assert "\n" not in msg and "nobody/no-such-text-model" in msg and "offline" in msg


def test_hf_needs_a_model(text_csv):
    with pytest.raises(UserError, match="needs a model id or a folder"):
        load_file(text_csv, {"text_encoder": "hf:"})
