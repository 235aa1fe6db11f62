"""`labelscope train` on a CSV with a text column: trains, truth metrics come back, a second run reuses the
cached embedding (the encoder is not run again)."""

from __future__ import annotations

import json
import os

import pytest

from core.cli import main
from core.data.text.tfidf import TfidfSvd
from core.features.cache import FOLDER


def _train(path: str, runs: str, capsys, *extra: str) -> dict:
    rc = main(
        [
            "train",
            "--dataset",
            path,
            "--noise",
            "none",
            "--method",
            "ce",
            "--epochs",
            "3",
            "--seed",
            "0",
            "--runs-dir",
            runs,
            "--set",
            "clean_label_column=label_clean",
            "--set",
            "probes=[]",
            *extra,
        ]
    )
    out = capsys.readouterr().out.strip().splitlines()
    assert rc == 0
    return json.loads(out[-1])


def test_text_csv_trains_and_the_second_run_hits_the_cache(text_csv, tmp_path, capsys, monkeypatch):
    runs = str(tmp_path / "runs")
    first = _train(text_csv, runs, capsys, "--set", "text_column=text")
    assert first["state"] == "completed" and first["model"] == "mlp"
    assert 0.0 <= first["test_acc_final"] <= 1.0
    cfg = json.load(open(os.path.join(runs, first["run_id"], "config.json")))
    assert cfg["dataset_options"]["text_column"] == "text"
    entries = sorted(os.listdir(os.path.join(runs, FOLDER)))

    def boom(self, texts):
        raise AssertionError("the text encoder ran again")

    monkeypatch.setattr(TfidfSvd, "encode", boom)
    second = _train(text_csv, runs, capsys, "--set", "text_column=text")
    assert second["state"] == "completed" and second["test_acc_final"] == first["test_acc_final"]
    assert sorted(os.listdir(os.path.join(runs, FOLDER))) == entries


def test_bad_text_option_is_one_line_and_creates_no_run(text_csv, tmp_path, capsys):
    runs = tmp_path / "runs"
    rc = main(["train", "--dataset", text_csv, "--runs-dir", str(runs), "--set", "text_column=body"])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and len(err.splitlines()) == 1 and "text column 'body'" in err
    assert not runs.exists() or not [p for p in runs.iterdir() if not p.name.startswith("_")]


@pytest.mark.parametrize("key", ["text.dims=8", 'text_options={"dims": 8}'])
def test_encoder_options_reach_the_encoder(text_csv, tmp_path, capsys, key):
    s = _train(text_csv, str(tmp_path / "runs"), capsys, "--set", key, "--model", "linear")
    assert s["state"] == "completed"
