"""The paper-check interface: a claim, what theory or the paper predicts, a measurement, held or not held.

A check never tunes itself until it holds: its thresholds are fixed in its file before it runs, and a
check that does not hold is reported as not held, with its numbers.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np


@dataclasses.dataclass
class CheckResult:
    """One check's outcome. `figures`: the measured numbers by name (lists over seeds where per seed)."""

    name: str
    paper: str
    methods: list[str]
    claim: str
    prediction: str
    measurement: str
    held: bool
    seeds: list[int]
    quick: bool
    figures: dict[str, Any]
    seconds: float = 0.0
    load: float = dataclasses.field(default_factory=lambda: float(os.getloadavg()[0]))

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


class PaperCheck:
    name: ClassVar[str] = ""
    paper: ClassVar[str] = ""  # "arXiv id, short title"
    methods: ClassVar[tuple[str, ...]] = ()  # the method ids whose help shows this check
    claim: ClassVar[str] = ""
    help: ClassVar[str] = ""  # one line for `labelscope list`

    def seeds(self, quick: bool) -> list[int]:
        return [0, 1] if quick else [0, 1, 2]

    def run(self, quick: bool, echo: Callable[[str], None]) -> CheckResult:
        raise NotImplementedError


def mean_sd(values) -> str:
    """'0.953 ± 0.004 (n=3)' of a list of numbers."""
    a = np.asarray(values, float)
    return f"{a.mean():.3f} ± {a.std(ddof=1) if len(a) > 1 else 0.0:.3f} (n={len(a)})"


def per_seed(values) -> str:
    return "/".join(f"{v:.3f}" for v in values)


def spearman(a, b) -> float:
    """Spearman rank correlation of two equal-length sequences (NaN when either is constant)."""
    from scipy.stats import spearmanr

    a, b = np.asarray(a, float), np.asarray(b, float)
    if len(a) < 3 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return float("nan")
    return float(spearmanr(a, b).statistic)
