"""Shared pieces of the benchmarks: settings per mode, timed engine runs, paired ratios, memory meters, fits.

Benchmarks compare contenders in one process, alternating them, and report medians; ratios of
alternated medians are what count on a shared machine, absolute times are only indicative. Every ratio
is taken on two clocks: this process's CPU time (the primary one: other processes on a shared machine
barely move it) and wall time, each with its spread over the repeats. Torch runs on `threads` threads
(1 by default), so idle BLAS threads spinning on busy cores do not count as work.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import importlib
import math
import os
import pkgutil
import shutil
import tempfile
from collections.abc import Iterator

import numpy as np
import torch

# The one setting every training benchmark uses (the dashboard's bundled sample, 40% symmetric noise).
BASE_SETTING = {"dataset": "digits", "noise": "symmetric", "noise_rate": 0.4, "batch_size": 128}


@dataclasses.dataclass(frozen=True)
class BenchSettings:
    """How much to measure. `epochs`: epochs per timed run (per stage); the first of each stage is warm-up."""

    quick: bool
    device: str
    repeats: int
    epochs: int
    probe_epochs: int
    probe_repeats: int
    gram_ns: tuple[int, ...]
    gram_dims: tuple[int, ...]
    gram_dense_max: int
    gram_repeats: int
    method_model: str = "cnn_small"
    methods: tuple[str, ...] | None = None  # None: every registered method
    demo: dict | None = None  # overrides of the demo preset (tests shrink it)
    live_busy: tuple[int, ...] = (0, 2)  # first-live-point bench: CPU-bound processes started beside it
    live_cold: bool = True  # also time the fallback without the warm launcher
    image_models: dict | None = None  # overrides of the image-model benchmark (epochs, models, dataset)
    frozen: dict | None = None  # overrides of the frozen-backbone benchmark (n, sides, epochs, seeds, ...)
    ray_grid: dict | None = None  # overrides of the local-vs-Ray grid (core/bench/ray_grid.py; tests shrink it)
    threads: int = 1  # torch threads while benchmarking (0: torch's default)


def settings_for(quick: bool, device: str = "auto") -> BenchSettings:
    if quick:
        return BenchSettings(
            quick=True,
            device=device,
            repeats=5,
            epochs=3,
            probe_epochs=10,
            probe_repeats=1,
            gram_ns=(1000, 2000, 4000, 8000),
            gram_dims=(128, 512),
            gram_dense_max=2000,
            gram_repeats=2,
        )
    return BenchSettings(
        quick=False,
        device=device,
        repeats=5,
        epochs=5,
        probe_epochs=10,
        probe_repeats=3,
        gram_ns=(1000, 2000, 4000, 8000, 16000, 32000),
        gram_dims=(128, 512),
        gram_dense_max=4000,
        gram_repeats=3,
    )


def discover(registry) -> dict[str, str]:
    """Import every plug-in module of `registry`, tolerating broken ones; returns module -> error.

    Other plug-ins are being written while benchmarks run: one that fails to import must not hide
    the rest, so after the registry's own loader stops at it, the remaining modules load one by one.
    """
    try:
        registry.names()
        return {}
    except Exception:
        pass
    errors = {}
    pkg_name = registry._package
    pkg = importlib.import_module(pkg_name)
    for mod in pkgutil.iter_modules(pkg.__path__):
        if mod.name.startswith("_"):
            continue
        try:
            importlib.import_module(f"{pkg_name}.{mod.name}")
        except Exception as e:
            errors[f"{pkg_name}.{mod.name}"] = f"{type(e).__name__}: {e}"
    return errors


def median(xs) -> float:
    xs = [float(x) for x in xs]
    return float(np.median(xs)) if xs else float("nan")


def _pair_ratios(num: list[float], den: list[float]) -> list[float]:
    return [a / b for a, b in zip(num, den) if b > 0 and math.isfinite(a) and math.isfinite(b)]


def paired_ratio(num: list[float], den: list[float]) -> float:
    """Median over repeats of num[r] / den[r]: each repeat's pair ran back to back, so load drifts cancel."""
    return median(_pair_ratios(num, den))


def ratio_spread(num: list[float], den: list[float]) -> float:
    """Half the range of the per-repeat ratios relative to their median (0.05 = the repeats lie within ±5%)."""
    rs = _pair_ratios(num, den)
    if len(rs) < 2:
        return float("nan")
    return float((max(rs) - min(rs)) / 2 / np.median(rs))


def ratio_stats(num: dict[str, list[float]], den: dict[str, list[float]]) -> dict:
    """Paired ratio and spread on each clock: num/den map "cpu" and "wall" to per-repeat times."""
    out = {}
    for clock in ("cpu", "wall"):
        out[f"ratio_{clock}"] = paired_ratio(num[clock], den[clock])
        out[f"spread_{clock}"] = ratio_spread(num[clock], den[clock])
    out["ratio"], out["spread"], out["clock"] = out["ratio_cpu"], out["spread_cpu"], "cpu"
    out["n"] = len(_pair_ratios(num["cpu"], den["cpu"]))
    return out


@contextlib.contextmanager
def torch_threads(n: int) -> Iterator[None]:
    """torch uses `n` threads inside (0: unchanged); the previous count is restored."""
    prev = torch.get_num_threads()
    if n:
        torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(prev)


def growth_exponent(ns, ts) -> float | None:
    """Least-squares slope b of log t = a + b log N (None with fewer than two points)."""
    pts = [(math.log(n), math.log(t)) for n, t in zip(ns, ts) if t and t > 0]
    if len(pts) < 2:
        return None
    x, y = np.array(pts).T
    return float(np.polyfit(x, y, 1)[0])


def sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


@contextlib.contextmanager
def scratch_dir() -> Iterator[str]:
    d = tempfile.mkdtemp(prefix="labelscope-bench-")
    try:
        yield d
    finally:
        shutil.rmtree(d, ignore_errors=True)


# --- engine runs ---------------------------------------------------------------------------------


@dataclasses.dataclass
class EngineRun:
    """Per logged epoch: train wall and CPU time (as the engine records them), steps, and stage index."""

    epoch_s: list[float]
    steps: list[int]
    stages: list[int]
    history: list[dict]
    summary: dict
    epoch_cpu_s: list[float] = dataclasses.field(default_factory=list)

    def timed(self, clock: str = "wall") -> list[tuple[float, int]]:
        """(epoch seconds on `clock`, steps) of every epoch but the first of each stage (warm-up)."""
        times = self.epoch_cpu_s if clock == "cpu" else self.epoch_s
        out, seen = [], set()
        for t, n, s in zip(times, self.steps, self.stages):
            if s not in seen:
                seen.add(s)
                continue
            out.append((t, n))
        return out or list(zip(times, self.steps))

    def epoch_median(self, clock: str = "wall") -> float:
        return median(t for t, _ in self.timed(clock))

    def step_median(self, clock: str = "wall") -> float:
        return median(t / max(1, n) for t, n in self.timed(clock))


def make_run_config(values: dict, device: str):
    from core.engine.run_config import make_config

    return make_config({**BASE_SETTING, "probes": [], **values, "device": device})


def engine_run(values: dict, device: str, runs_dir: str) -> EngineRun:
    """Train one run through the real `Trainer` (log every epoch; evaluation is outside the epoch timer)."""
    from core.engine.trainer import Trainer

    tr = Trainer(make_run_config(values, device), runs_dir)
    summary = tr.run()
    if summary.get("state") != "completed":
        raise RuntimeError(summary.get("error") or f"run ended {summary.get('state')}")
    recs = [r for r in tr.history if "time/train_epoch_s" in r]
    steps = np.diff([0] + [int(r["step"]) for r in recs]).tolist()
    return EngineRun(
        [float(r["time/train_epoch_s"]) for r in recs],
        steps,
        [int(r.get("stage", 0)) for r in recs],
        tr.history,
        summary,
        [float(r.get("time/train_epoch_cpu_s", r["time/train_epoch_s"])) for r in recs],
    )


# --- memory --------------------------------------------------------------------------------------


def _proc_status_kb(key: str) -> int | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _trim_heap() -> None:
    # Return freed heap pages to the OS so the next run's growth shows up in RSS again.
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


class PeakMemory:
    """Peak memory of a block in MiB, and what it measured (`kind`).

    CUDA: `torch.cuda.max_memory_allocated` above the allocation at entry. CPU: the resident-set
    high-water mark (VmHWM, reset through /proc/self/clear_refs) above the RSS at entry, after
    `malloc_trim`; it counts every allocation of the process (torch, numpy, Python), not only tensors.
    """

    def __init__(self, device: torch.device):
        self.device = device
        self.mib: float | None = None
        self.kind = "cuda max_memory_allocated delta" if device.type == "cuda" else "RSS high-water delta"

    def __enter__(self):
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
            torch.cuda.reset_peak_memory_stats(self.device)
            self._base = torch.cuda.memory_allocated(self.device)
        else:
            _trim_heap()
            self._base = _proc_status_kb("VmRSS")
            try:
                with open("/proc/self/clear_refs", "w") as f:
                    f.write("5")
                self._reset = True
            except OSError:
                self._reset = False
        return self

    def __exit__(self, *exc):
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
            self.mib = (torch.cuda.max_memory_allocated(self.device) - self._base) / 2**20
        else:
            hwm = _proc_status_kb("VmHWM")
            if self._base is not None and hwm is not None and self._reset:
                self.mib = max(0.0, (hwm - self._base) / 1024)
        return False


def machine_info(device: torch.device) -> dict:
    from core.engine.device import describe_device

    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), "")
    except OSError:
        pass
    try:
        from threadpoolctl import threadpool_info

        blas = sorted({(i.get("internal_api"), i.get("num_threads")) for i in threadpool_info()})
    except Exception:  # threadpoolctl comes with scikit-learn; without it the pools are just not listed
        blas = []
    return {
        "cpu": cpu,
        "cpu_count": os.cpu_count(),
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "native_pools": [f"{a}:{n}" for a, n in blas],
        "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS"),
        "device": describe_device(device),
        "loadavg_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }
