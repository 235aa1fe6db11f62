"""Regenerates every file in sample_data/ from data that scikit-learn ships (no network), deterministically.

Run: python sample_data/make_samples.py [OUT_DIR]   (default: this folder)
"""
from __future__ import annotations

import io
import os
import sys
import zipfile

import numpy as np
from PIL import Image
from sklearn import datasets as skd
from sklearn.decomposition import PCA

SEED = 0
ZIP_PER_CLASS = 40
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed entry times keep the ZIP byte-identical across runs


def _savez(path: str, **arrays: np.ndarray) -> None:
    """Like np.savez_compressed, with fixed entry times (numpy stamps the current time)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, a in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asarray(a), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buf.getvalue())


def breast_cancer_csv(out: str) -> None:
    """569 tumours: 30 features, a string `label` (malignant/benign) and an `id` column."""
    d = skd.load_breast_cancer(as_frame=True)
    df = d.frame.drop(columns="target")
    df.insert(0, "id", [f"bc{i:04d}" for i in range(len(df))])
    df["label"] = np.asarray(d.target_names)[d.target]
    df.to_csv(os.path.join(out, "breast_cancer.csv"), index=False, float_format="%.6g")


def wine_parquet(out: str) -> None:
    """178 wines: 13 features, `label` with 20% of cultivars flipped to the next one (seeded), `label_clean` true."""
    d = skd.load_wine(as_frame=True)
    df = d.frame.drop(columns="target")
    names = np.array(["barolo", "grignolino", "barbera"])  # the three cultivars of the original study
    y = d.target.to_numpy()
    rng = np.random.default_rng(SEED)
    flip = rng.random(len(y)) < 0.2
    noisy = np.where(flip, (y + 1) % 3, y)
    df["label"] = names[noisy]
    df["label_clean"] = names[y]
    df.to_parquet(os.path.join(out, "wine_noisy.parquet"), index=False)


def digits_embeddings_npz(out: str) -> None:
    """A 32-dimensional PCA embedding of the 1,797 digits: X (N, 32) float32, y (N,)."""
    d = skd.load_digits()
    X = PCA(n_components=32, random_state=SEED).fit_transform(d.data).astype(np.float32)
    _savez(os.path.join(out, "digits_pca32.npz"), X=X, y=d.target.astype(np.int64))


def digits_images_npz(out: str) -> None:
    """The digits as images: X (N, 8, 8) uint8 in 0..16, y (N,)."""
    d = skd.load_digits()
    _savez(os.path.join(out, "digits_images.npz"), X=d.images.astype(np.uint8),
                        y=d.target.astype(np.int64))


def wine_npy_pair(out: str) -> None:
    """wine_X.npy (178, 13) float64 and wine_y.npy (178,) beside it."""
    d = skd.load_wine()
    np.save(os.path.join(out, "wine_X.npy"), d.data)
    np.save(os.path.join(out, "wine_y.npy"), d.target.astype(np.int64))


def digits_zip(out: str) -> None:
    """The first 40 digits of each class as 8x8 grey PNGs in digits/<class>/<index>.png."""
    d = skd.load_digits()
    with zipfile.ZipFile(os.path.join(out, "digits_folders.zip"), "w", zipfile.ZIP_DEFLATED) as zf:
        for c in range(10):
            for i in np.flatnonzero(d.target == c)[:ZIP_PER_CLASS]:
                buf = io.BytesIO()
                Image.fromarray((d.images[i] * 255 / 16).round().astype(np.uint8), "L").save(buf, "PNG")
                info = zipfile.ZipInfo(f"digits/{c}/{i:04d}.png", ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, buf.getvalue())


MAKERS = (breast_cancer_csv, wine_parquet, digits_embeddings_npz, digits_images_npz, wine_npy_pair, digits_zip)


def main(out: str) -> None:
    os.makedirs(out, exist_ok=True)
    for make in MAKERS:
        make(out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
