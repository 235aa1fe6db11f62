"""User files through the CLI: bad files fail in one line before any run folder exists; real-noise mode
hides truth metrics (and brings them back with a clean column); an image ZIP trains a cnn_small run."""

from __future__ import annotations

import io
import json
import os
import zipfile

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from core.cli import main


def tiny_csv(path, clean: bool) -> str:
    rng = np.random.default_rng(0)
    y = np.repeat(["a", "b", "c"], 12)
    X = rng.normal(size=(36, 3)) + 2.5 * np.repeat(np.eye(3), 12, 0)
    df = pd.DataFrame(X, columns=["x1", "x2", "x3"])
    noisy = y.copy()
    noisy[[0, 13, 26]] = ["b", "c", "a"]
    df["label"] = noisy
    if clean:
        df["truth"] = y
    df.to_csv(path, index=False)
    return str(path)


def last_json(out: str) -> dict:
    return json.loads(out.strip().splitlines()[-1])


def run_dirs(runs: str) -> list[str]:
    return [d for d in os.listdir(runs) if not d.startswith("_")] if os.path.isdir(runs) else []


@pytest.mark.parametrize(
    "content,needle",
    [
        (b"", "is empty"),
        (b"f0,label\n1,x\n2,x\n3,x\n", "single class"),
        (b"f0,label\n1,x\n2,y\n3,z\n", "at least 2 x 3 = 6 samples"),
        (b"f0,f1,label\n1,red,x\n2,blue,y\n3,red,x\n4,red,y\n5,red,x\n6,blue,y\n", "not numeric: 'f1'"),
        (b"f0,label\n1,x\n,y\n3,x\n4,y\n5,x\n6,y\n", "1 NaN/inf value in the feature columns: column 'f0' row 2"),
    ],
)
def test_cli_bad_file_one_line_exit_2_no_run(tmp_path, capsys, content, needle):
    p = tmp_path / "bad.csv"
    p.write_bytes(content)
    runs = tmp_path / "runs"
    rc = main(["train", "--dataset", str(p), "--epochs", "1", "--runs-dir", str(runs)])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and len(err.splitlines()) == 1 and needle in err and "Traceback" not in err
    assert run_dirs(str(runs)) == [], "a bad file must not create a run"


def test_cli_unknown_label_column_from_set(tmp_path, capsys):
    p = tiny_csv(tmp_path / "d.csv", clean=False)
    rc = main(
        ["train", "--dataset", p, "--epochs", "1", "--runs-dir", str(tmp_path / "r"), "--set", "label_column=kind"]
    )
    err = capsys.readouterr().err.strip()
    assert rc == 2 and "label column 'kind' is not in the file" in err


@pytest.mark.parametrize("clean", [False, True])
def test_real_noise_mode_end_to_end(tmp_path, capsys, clean):
    p = tiny_csv(tmp_path / "d.csv", clean)
    runs = str(tmp_path / "runs")
    argv = [
        "train",
        "--dataset",
        p,
        "--noise",
        "none",
        "--epochs",
        "2",
        "--runs-dir",
        runs,
        "--set",
        "probes=[]",
        "--set",
        "batch_size=16",
    ]
    if clean:
        argv += ["--set", "clean_label_column=truth"]
    rc = main(argv)
    summary = last_json(capsys.readouterr().out)
    assert rc == 0 and summary["state"] == "completed"
    rid = summary["run_id"]
    data = json.load(open(os.path.join(runs, rid, "data.json")))
    metrics = [json.loads(line) for line in open(os.path.join(runs, rid, "metrics.jsonl"))]
    truth_keys = ("train/acc_clean", "train/memorized", "train/acc_true_flipped", "val/acc_clean")
    assert data["noise"]["truth_known"] is clean and data["class_names"] == ["a", "b", "c"]
    assert data["content_hash"] == summary["dataset_hash"] and data["source"] == os.path.abspath(p)
    assert "test_acc_final" in summary
    if clean:
        assert "noise_auroc" in summary and "train_acc_clean_final" in summary
        assert all("train/acc_clean" in m for m in metrics)
        # 3 flipped rows of 36; the train share depends on the split
        assert 0 < summary["noise_rate_realized"] < 0.2
    else:
        assert not any(k in summary for k in ("noise_auroc", "train_acc_clean_final", "train_memorized_final"))
        assert not any(k in m for m in metrics for k in truth_keys)
        assert summary["noise_rate_realized"] is None


def test_image_zip_trains_a_cnn_small_run(tmp_path, capsys):
    rng = np.random.default_rng(0)
    p = str(tmp_path / "shapes.zip")
    with zipfile.ZipFile(p, "w") as zf:
        for c, level in (("dark", 40), ("light", 210)):
            for i in range(10):
                buf = io.BytesIO()
                img = np.clip(rng.normal(level, 20, (12, 12, 3)), 0, 255).astype(np.uint8)
                Image.fromarray(img).save(buf, "PNG")
                zf.writestr(f"{c}/{i}.png", buf.getvalue())
    runs = str(tmp_path / "runs")
    rc = main(
        [
            "train",
            "--dataset",
            p,
            "--noise",
            "none",
            "--epochs",
            "2",
            "--runs-dir",
            runs,
            "--set",
            "image_size=8",
            "--set",
            "probes=[]",
            "--set",
            "model.channels=4",
        ]
    )
    summary = last_json(capsys.readouterr().out)
    assert rc == 0 and summary["state"] == "completed" and summary["model"] == "cnn_small"
    data = json.load(open(os.path.join(runs, summary["run_id"], "data.json")))
    assert data["kind"] == "image" and data["input_shape"] == [3, 8, 8] and data["class_names"] == ["dark", "light"]


def test_compare_refuses_runs_on_different_data(tmp_path):
    from core.engine.suite import check_one_dataset
    from core.errors import UserError
    from core.store.record import RunRecord

    same = [RunRecord("a", {}, {"dataset_hash": "aa"}), RunRecord("b", {}, {"dataset_hash": "aa"}), RunRecord("c", {})]
    check_one_dataset(same)
    with pytest.raises(UserError, match="trained on different data .*aa, bb"):
        check_one_dataset(same + [RunRecord("d", {}, {"dataset_hash": "bb"})])
