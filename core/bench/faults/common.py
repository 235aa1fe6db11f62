"""Shared pieces of the fault scenarios: the outcome record, a tiny run config, and the checks of a run folder."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time

import numpy as np

from core.store.files import Unreadable, load_json
from core.store.reader import TERMINAL, RunReader

DEAD_WITHIN_S = 10.0  # a run whose process died must read as terminal this soon


@dataclasses.dataclass
class Outcome:
    tried: int = 0
    survived: int = 0
    lost: int = 0
    notes: list[str] = dataclasses.field(default_factory=list)
    seconds: float = 0.0

    def add(self, ok: bool, note: str | None = None) -> None:
        self.tried += 1
        self.survived += ok
        self.lost += not ok
        if note and len(self.notes) < 12:
            self.notes.append(note)


def tiny_values(epochs: int = 3, **extra) -> dict:
    """A run that trains in about a second: 300 blob points, an MLP, the noise-detection and embedding probes."""
    return {
        "dataset": "blobs",
        "noise": "symmetric",
        "noise_rate": 0.2,
        "method": "ce",
        "model": "mlp",
        "epochs": epochs,
        "probes": ["noise_detection", "embedding"],
        "probe_every": 1,
        "probe_size": 60,
        "dataset_options": {"n_samples": 300},
        "threads": 1,
        **extra,
    }


def tiny_config(epochs: int = 3, **extra):
    from core.engine.run_config import make_config

    return make_config(tiny_values(epochs, **extra), [])


def file_problems(run_dir: str) -> list[str]:
    """Every file of a run that a reader could not use: JSON that does not parse, a metrics line that is not
    complete JSON (a partial last line included), an npz that does not load. [] when all is well."""
    bad = []
    for root, _, files in os.walk(run_dir):
        for f in files:
            path = os.path.join(root, f)
            if f.startswith(".tmp-"):
                continue  # a temp file a killed atomic write left; never read by anything
            if f.endswith(".json"):
                try:
                    load_json(path)
                except (Unreadable, OSError) as e:
                    bad.append(f"{path}: {e}")
            elif f == "metrics.jsonl":
                with open(path, "rb") as fh:
                    raw = fh.read()
                if raw and not raw.endswith(b"\n"):
                    bad.append(f"{path}: partial last line")
                for line in raw.splitlines():
                    try:
                        import json

                        json.loads(line)
                    except ValueError:
                        bad.append(f"{path}: unparsable line")
                        break
            elif f.endswith(".npz"):
                try:
                    with np.load(path, allow_pickle=False) as z:
                        for k in z.files:
                            z[k]
                except Exception as e:  # noqa: BLE001
                    bad.append(f"{path}: {type(e).__name__}")
    return bad


def wait_terminal(run_dir: str, timeout: float) -> tuple[str, float]:
    """(state, seconds waited) once the run reads as terminal, or its state when `timeout` ran out."""
    t0 = time.monotonic()
    while True:
        st = RunReader(run_dir).status().get("state")
        if st in TERMINAL or time.monotonic() - t0 > timeout:
            return st, time.monotonic() - t0
        time.sleep(0.05)


def labelscope(*args: str, timeout: float = 300, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    """Run the CLI in a subprocess (`python -m core ...`), capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", "core", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "OMP_NUM_THREADS": "1", **(env or {})},
        **kw,
    )


def tiny_args(runs_dir: str, epochs: int = 3) -> list[str]:
    v = tiny_values(epochs)
    return [
        "--dataset",
        v["dataset"],
        "--noise",
        v["noise"],
        "--noise-rate",
        str(v["noise_rate"]),
        "--model",
        v["model"],
        "--epochs",
        str(epochs),
        "--runs-dir",
        runs_dir,
        "--set",
        "probes=noise_detection,embedding",
        "--set",
        "probe_every=1",
        "--set",
        "probe_size=60",
        "--set",
        "dataset.n_samples=300",
        "--set",
        "threads=1",
    ]
