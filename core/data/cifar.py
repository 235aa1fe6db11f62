"""`cifar10` and `cifar10n`: CIFAR-10 (Krizhevsky 2009) and the CIFAR-10N human labels (Wei et al., ICLR 2022).

Files come from their official sources on first use, into `root` (default `~/.cache/labelscope/cifar`,
or `$LABELSCOPE_DATA/cifar`), or are read from a local copy in the official formats (`--set root=DIR`
holding `cifar-10-python.tar.gz` or its extracted `cifar-10-batches-py/`, and for CIFAR-10N
`CIFAR-10_human.pt`). Checksums: the CIFAR-10 archive and batches have published md5 sums (checked
every load); CIFAR-10N publishes none, so its file is checked by content (label sets of 50,000
labels in 0..9, its `clean_label` equal to the checksum-verified CIFAR-10 training labels). The
pickles are read with a restricted unpickler (plain containers and numpy arrays only).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import socket
import tarfile
import urllib.request
from urllib.parse import urlparse

import numpy as np

from core.config import opt
from core.data._validate import image_stats
from core.data.base import Dataset, DatasetLoader
from core.data.safe_pickle import load_torch_file, loads
from core.errors import UserError
from core.registry import register_dataset

ARCHIVE = "cifar-10-python.tar.gz"
FOLDER = "cifar-10-batches-py"
HUMAN = "CIFAR-10_human.pt"
URLS = {
    ARCHIVE: "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
    HUMAN: "https://github.com/UCSC-REAL/cifar-10-100n/raw/main/data/CIFAR-10_human.pt",
}
TRAIN = tuple(f"data_batch_{i}" for i in range(1, 6))
# Published md5 sums (https://www.cs.toronto.edu/~kriz/cifar.html for the archive; the batch sums are the
# ones torchvision checks). Tests replace these with the sums of the tiny files they write.
CHECKSUMS: dict[str, str | None] = {
    ARCHIVE: "c58f30108f718f92721af3b95e74349a",
    "data_batch_1": "c99cafc152244af753f735de768cd75f",
    "data_batch_2": "d4bba439e000b95fd0a9bffe97cbabec",
    "data_batch_3": "54ebc095f3ab1f0389bbae665268c751",
    "data_batch_4": "634d18415352ddfa80567beed471001a",
    "data_batch_5": "482c414d41f54cd18b22e5b47cb7c3cb",
    "test_batch": "40351d587109b95175f43aff81a1287e",
    "batches.meta": "5ff9c542aee3614f3951f8cda6e48888",
    HUMAN: None,  # CIFAR-10N publishes no checksum: checked by content instead
}
CLASSES = (
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
)
LABEL_SETS = {
    "aggre": "aggre_label",
    "random1": "random_label1",
    "random2": "random_label2",
    "random3": "random_label3",
    "worse": "worse_label",
}
PROBE_TIMEOUT_S = 1.5


def default_root() -> str:
    base = os.environ.get("LABELSCOPE_DATA") or os.path.join(os.path.expanduser("~"), ".cache", "labelscope")
    return os.path.join(base, "cifar")


def _md5(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def _check(name: str, data: bytes, where: str) -> bytes:
    want = CHECKSUMS.get(name)
    if want is not None and _md5(data) != want:
        raise UserError(
            f"'{where}' fails its published checksum (md5 {_md5(data)}, expected {want}): the copy is "
            "damaged or not the official file; delete it to download again"
        )
    return data


def _reachable(url: str) -> bool:
    host = urlparse(url).hostname or ""
    try:
        socket.create_connection((host, 443), timeout=PROBE_TIMEOUT_S).close()
        return True
    except OSError:
        return False


def _download(name: str, root: str) -> str:
    """Fetch `name` from its official URL into `root` (checked before it is kept); one line when offline."""
    url, dest = URLS[name], os.path.join(root, name)
    if not _reachable(url):
        raise UserError(
            f"{name} is not in {root} and {urlparse(url).hostname} cannot be reached (offline): "
            f"download {url} on a machine with internet and give its folder with --set root=DIR"
        )
    os.makedirs(root, exist_ok=True)
    tmp = f"{dest}.{os.getpid()}.part"
    try:
        with (
            urllib.request.urlopen(url, timeout=30) as r,
            open(tmp, "wb") as f,
        ):  # a fixed https URL
            while block := r.read(1 << 20):
                f.write(block)
        with open(tmp, "rb") as f:
            _check(name, f.read(), url)
        os.replace(tmp, dest)
    except OSError as e:
        raise UserError(
            f"downloading {url} failed ({type(e).__name__}: {str(e)[:120]}); "
            "try again, or give a local copy with --set root=DIR"
        ) from None
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return dest


def read_batches(root: str) -> dict[str, dict]:
    """Every official batch (train 1..5, test, meta) as a dict, from the extracted folder or the archive."""
    folder = os.path.join(root, FOLDER)
    names = TRAIN + ("test_batch", "batches.meta")
    raw: dict[str, bytes] = {}
    if os.path.isdir(folder):
        for n in names:
            p = os.path.join(folder, n)
            if not os.path.isfile(p):
                raise UserError(f"'{folder}' lacks {n}; it must hold the official CIFAR-10 python batches")
            with open(p, "rb") as f:
                raw[n] = _check(n, f.read(), p)
    else:
        path = os.path.join(root, ARCHIVE)
        if not os.path.isfile(path):
            path = _download(ARCHIVE, root)
        with open(path, "rb") as f:
            data = _check(ARCHIVE, f.read(), path)
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tf:
            for m in tf.getmembers():
                base = os.path.basename(m.name)
                if m.isfile() and base in names:
                    raw[base] = tf.extractfile(m).read()
        missing = [n for n in names if n not in raw]
        if missing:
            raise UserError(f"'{path}' lacks {', '.join(missing)}; not the official CIFAR-10 python archive")
    return {n: loads(b, n) for n, b in raw.items()}


def _images(batch: dict, name: str) -> tuple[np.ndarray, np.ndarray]:
    try:
        data = np.asarray(batch["data"], dtype=np.uint8).reshape(-1, 3, 32, 32)
        labels = np.asarray(batch["labels"], dtype=np.int64)
    except (KeyError, TypeError, ValueError):
        raise UserError(f"CIFAR-10 batch '{name}' lacks 'data' (N, 3072) uint8 or 'labels'") from None
    if len(data) != len(labels) or labels.min() < 0 or labels.max() > 9:
        raise UserError(f"CIFAR-10 batch '{name}' has mismatched or out-of-range labels")
    return data, labels


def cifar_arrays(root: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(train images (50000, 3, 32, 32) uint8, train labels, test images, test labels) of the official files."""
    b = read_batches(root)
    parts = [_images(b[n], n) for n in TRAIN]
    x_te, y_te = _images(b["test_batch"], "test_batch")
    return (
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        x_te,
        y_te,
    )


def human_labels(root: str, n_train: int) -> dict[str, np.ndarray]:
    """The CIFAR-10N label sets (`clean_label`, `aggre_label`, ...) of the training images, checked by content."""
    path = os.path.join(root, HUMAN)
    if not os.path.isfile(path):
        path = _download(HUMAN, root)
    with open(path, "rb") as f:
        obj = load_torch_file(_check(HUMAN, f.read(), path), path)
    if not isinstance(obj, dict):
        raise UserError(f"'{path}' does not hold a dict of label arrays")
    out = {}
    for key in ("clean_label", *LABEL_SETS.values()):
        if key not in obj:
            raise UserError(f"'{path}' lacks the label set '{key}'; not the official CIFAR-10N file")
        a = np.asarray(obj[key]).astype(np.int64).reshape(-1)
        if len(a) != n_train or a.min() < 0 or a.max() > 9:
            raise UserError(f"'{path}': '{key}' must hold {n_train} labels in 0..9")
        out[key] = a
    return out


def stratified_subset(y: np.ndarray, n: int, seed: int) -> np.ndarray:
    """Sorted indices of about `n` samples with the class shares of `y`, the same for the same seed."""
    if n <= 0 or n >= len(y):
        return np.arange(len(y))
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0xC1FA]))
    classes, counts = np.unique(y, return_counts=True)
    take = np.maximum(1, np.round(n * counts / len(y)).astype(int))
    idx = [rng.choice(np.flatnonzero(y == c), size=min(k, m), replace=False) for c, k, m in zip(classes, take, counts)]
    return np.sort(np.concatenate(idx))


def _dataset(name: str, x: np.ndarray, y: np.ndarray, y_clean: np.ndarray | None, truth: bool) -> Dataset:
    X = x.astype(np.float32) / 255.0
    mean, sd = image_stats(X)
    return Dataset(
        name,
        (X - mean) / sd,
        y,
        CLASSES,
        labels_are_truth=truth,
        y_clean=y_clean,
        kind="image",
        source="official",
        pixel_stats=(mean, sd),
    )


@register_dataset("cifar10")
class CIFAR10(DatasetLoader):
    online = True
    help = "CIFAR-10: 60,000 real 32x32 colour photos, 10 classes (downloaded once, or --set root=DIR)"

    @dataclasses.dataclass(frozen=True)
    class Config:
        root: str = opt(
            "",
            "folder with the official files (cifar-10-python.tar.gz or cifar-10-batches-py/); "
            "empty: ~/.cache/labelscope/cifar, downloaded on first use",
        )
        subset: int = opt(0, "keep this many images, stratified by class (0 = all)", lo=0, hi=60000)
        subset_seed: int = opt(
            0,
            "seed of the subset (the same for every run of a comparison)",
            lo=0,
            hi=2**31 - 1,
        )

    def load(self, cfg, seed):
        root = os.path.expanduser(cfg.root) or default_root()
        x_tr, y_tr, x_te, y_te = cifar_arrays(root)
        x, y = np.concatenate([x_tr, x_te]), np.concatenate([y_tr, y_te])
        keep = stratified_subset(y, cfg.subset, cfg.subset_seed)
        return _dataset("cifar10", x[keep], y[keep], None, True)


@register_dataset("cifar10n")
class CIFAR10N(DatasetLoader):
    online = True
    help = "CIFAR-10N: the 50,000 CIFAR-10 training photos with real human labels (aggre, random1..3, worse)"

    @dataclasses.dataclass(frozen=True)
    class Config:
        labels: str = opt("aggre", "which human label set to train on", choices=tuple(LABEL_SETS))
        root: str = opt(
            "",
            "folder with the official files (CIFAR-10 archive or batches, and CIFAR-10_human.pt); "
            "empty: ~/.cache/labelscope/cifar, downloaded on first use",
        )
        subset: int = opt(0, "keep this many images, stratified by class (0 = all)", lo=0, hi=50000)
        subset_seed: int = opt(
            0,
            "seed of the subset (the same for every run of a comparison)",
            lo=0,
            hi=2**31 - 1,
        )

    def load(self, cfg, seed):
        root = os.path.expanduser(cfg.root) or default_root()
        x_tr, y_tr, _, _ = cifar_arrays(root)
        sets = human_labels(root, len(y_tr))
        if not np.array_equal(sets["clean_label"], y_tr):
            raise UserError(
                f"'{os.path.join(root, HUMAN)}': its clean labels differ from the CIFAR-10 training "
                "labels; not the official CIFAR-10N file"
            )
        keep = stratified_subset(y_tr, cfg.subset, cfg.subset_seed)
        noisy = sets[LABEL_SETS[cfg.labels]]
        return _dataset("cifar10n", x_tr[keep], noisy[keep], y_tr[keep], False)
