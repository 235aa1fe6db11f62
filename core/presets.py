"""The built-in demo comparison, chosen by measurement (docs/BENCHMARKS.md, "Demo setting").

mnist5k (5,000 real 28x28 digits) with 40% symmetric noise and an MLP: plain `ce` memorizes the flipped
labels (test accuracy falls from its best to its final epoch), and `clid_mu` and `self_distill` end
significantly above it over three seeds. `measured` is the wall time of the whole comparison as
`labelscope bench` measures it (2 worker processes), with the machine's load at the time.
"""

from __future__ import annotations

DEMO = {
    "dataset": "mnist5k",
    "noise": "symmetric",
    "noise_rate": 0.4,
    "model": "mlp",
    "epochs": 30,
    "lr": 1e-3,
    "methods": ["ce", "self_distill", "clid_mu"],
    "seeds": [0, 1, 2],
}

# `labelscope bench --quick --only demo`, 2026-12-06, on the otherwise idle 2-core development machine (load average
# 0.5 at the start); the same comparison took 504 s on 2026-12-02 while seven engineers shared those cores (load 20).
MEASURED = {"wall_s": 71.0, "cores": 2, "load": 0.5}

# Methods ticked on a fresh Set up page: the baseline and the simplest regularizer.
TICKED = ("ce", "label_smoothing")
