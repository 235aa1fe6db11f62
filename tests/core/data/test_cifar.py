"""cifar10 / cifar10n on tiny files written in the official formats: checksums checked (the test supplies the
sums of its files), restricted unpickling, archive or extracted folder, stratified seeded subsets, the
CIFAR-10N label sets with clean labels, and one fast line offline."""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import tarfile
import time

import numpy as np
import pytest
import torch

from core import cli
from core.data import cifar
from core.data.base import load_dataset
from core.errors import UserError

PER_BATCH = 20  # 2 images per class per batch


def _batch(rng, n):
    y = np.tile(np.arange(10), n // 10)
    return {
        "batch_label": "tiny",
        "labels": y.tolist(),
        "data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),
        "filenames": [f"img{i}.png" for i in range(n)],
    }


@pytest.fixture
def official(tmp_path, monkeypatch):
    """A root folder with a tiny cifar-10-python.tar.gz and CIFAR-10_human.pt; CHECKSUMS set to their sums."""
    rng = np.random.default_rng(0)
    files = {f"data_batch_{i}": _batch(rng, PER_BATCH) for i in range(1, 6)}
    files["test_batch"] = _batch(rng, PER_BATCH)
    files["batches.meta"] = {
        "label_names": list(cifar.CLASSES),
        "num_cases_per_batch": PER_BATCH,
    }
    blobs = {n: pickle.dumps(v, protocol=2) for n, v in files.items()}
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for n, b in blobs.items():
            info = tarfile.TarInfo(f"{cifar.FOLDER}/{n}")
            info.size = len(b)
            tf.addfile(info, io.BytesIO(b))
    root = tmp_path / "cifar"
    root.mkdir()
    (root / cifar.ARCHIVE).write_bytes(buf.getvalue())
    clean = np.concatenate([files[f"data_batch_{i}"]["labels"] for i in range(1, 6)]).astype(np.int64)
    human = {"clean_label": clean}
    for j, key in enumerate(cifar.LABEL_SETS.values()):
        noisy = clean.copy()
        flip = rng.random(len(clean)) < 0.1 * (j + 1)
        noisy[flip] = (noisy[flip] + 1) % 10
        human[key] = noisy
    torch.save(human, str(root / cifar.HUMAN))
    sums = {n: hashlib.md5(b).hexdigest() for n, b in blobs.items()}
    sums[cifar.ARCHIVE] = hashlib.md5(buf.getvalue()).hexdigest()
    sums[cifar.HUMAN] = None
    for k, v in sums.items():
        monkeypatch.setitem(cifar.CHECKSUMS, k, v)
    return {"root": str(root), "blobs": blobs, "human": human}


def test_cifar10_from_the_archive(official):
    ds = load_dataset("cifar10", {"root": official["root"]})
    assert ds.X.shape == (6 * PER_BATCH, 3, 32, 32) and ds.kind == "image" and ds.labels_are_truth
    assert ds.class_names == cifar.CLASSES and np.bincount(ds.y).tolist() == [12] * 10
    mean, sd = ds.pixel_stats
    assert (ds.X * sd + mean).min() >= -1e-5 and (ds.X * sd + mean).max() <= 1 + 1e-5


def test_extracted_folder_is_read_and_checked(official, tmp_path):
    folder = tmp_path / "other" / cifar.FOLDER
    folder.mkdir(parents=True)
    for n, b in official["blobs"].items():
        (folder / n).write_bytes(b)
    assert load_dataset("cifar10", {"root": str(folder.parent)}).X.shape[0] == 6 * PER_BATCH
    (folder / "data_batch_3").write_bytes(official["blobs"]["data_batch_3"][:-1] + b"x")
    with pytest.raises(UserError, match="checksum"):
        load_dataset("cifar10", {"root": str(folder.parent)})


def test_damaged_archive_fails_its_checksum(official, monkeypatch):
    monkeypatch.setitem(cifar.CHECKSUMS, cifar.ARCHIVE, "0" * 32)
    with pytest.raises(UserError, match="published checksum"):
        load_dataset("cifar10", {"root": official["root"]})


def test_subset_is_stratified_and_seeded(official):
    a = load_dataset("cifar10", {"root": official["root"], "subset": 50})
    b = load_dataset("cifar10", {"root": official["root"], "subset": 50})
    c = load_dataset("cifar10", {"root": official["root"], "subset": 50, "subset_seed": 1})
    assert len(a.y) == 50 and np.bincount(a.y).tolist() == [5] * 10
    assert a.content_hash == b.content_hash != c.content_hash


def test_cifar10n_label_sets_with_clean_labels(official):
    h = official["human"]
    for name, key in cifar.LABEL_SETS.items():
        ds = load_dataset("cifar10n", {"root": official["root"], "labels": name})
        assert not ds.labels_are_truth and np.array_equal(ds.y, h[key]) and np.array_equal(ds.y_clean, h["clean_label"])
    assert (load_dataset("cifar10n", {"root": official["root"], "labels": "worse"}).y != h["clean_label"]).any()


def test_cifar10n_trains_with_truth_metrics(official, tmp_path, capsys):
    import json

    rc = cli.main(
        [
            "train",
            "--dataset",
            "cifar10n",
            "--noise",
            "none",
            "--model",
            "cnn_small",
            "--epochs",
            "1",
            "--runs-dir",
            str(tmp_path / "runs"),
            "--set",
            f"root={official['root']}",
            "--set",
            "labels=worse",
            "--set",
            "probes=[]",
            "--set",
            "channels=4",
        ]
    )
    s = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert rc == 0 and s["state"] == "completed" and "train_acc_clean_final" in s and s["noise_rate_realized"] > 0


def test_restricted_unpickler_refuses_code(official, tmp_path):
    class Evil:
        def __reduce__(self):
            return (os.system, ("echo pwned",))

    from core.data.safe_pickle import load_torch_file, loads

    with pytest.raises(UserError, match="only plain containers and numpy arrays"):
        loads(pickle.dumps({"data": Evil()}), "evil")
    buf = io.BytesIO()
    torch.save({"clean_label": torch.zeros(3)}, buf)
    with pytest.raises(UserError):
        load_torch_file(buf.getvalue(), "tensors.pt")


def test_offline_without_a_copy_is_one_fast_line(tmp_path, monkeypatch, capsys):
    def no_network(*a, **k):
        raise OSError("network unreachable")

    monkeypatch.setattr(cifar.socket, "create_connection", no_network)
    t0 = time.perf_counter()
    with pytest.raises(UserError) as e:
        load_dataset("cifar10", {"root": str(tmp_path / "empty")})
    assert time.perf_counter() - t0 < 2 and "--set root=DIR" in str(e.value) and "\n" not in str(e.value)
    runs = tmp_path / "runs"
    rc = cli.main(
        [
            "train",
            "--dataset",
            "cifar10n",
            "--runs-dir",
            str(runs),
            "--set",
            f"root={tmp_path / 'empty'}",
        ]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "offline" in err[0]
    assert not runs.exists() or not [p for p in runs.iterdir() if not p.name.startswith("_")]
