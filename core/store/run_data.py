"""One run as charts and pages read it: `RunData` (config, summary, metric rows, reader) and its data helpers.

Built in one place (`RunData.from_reader`); the dashboard's run cache wraps it to re-read only changed files.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from core.noise import injects
from core.store.paths import run_path
from core.store.reader import RunReader
from core.store.record import RunRecord


@dataclasses.dataclass
class RunData:
    run_id: str
    config: dict
    summary: dict | None
    metrics: list[dict]
    reader: RunReader | None

    @classmethod
    def from_reader(cls, reader: RunReader) -> RunData:
        """A snapshot of the run behind `reader` (its metrics are read incrementally by the reader)."""
        return cls(reader.run_id, reader.config, reader.summary(), list(reader.metrics()), reader)

    def record(self, status: dict | None = None) -> RunRecord:
        """This snapshot as a run record (tables, verdicts, run pickers); `status` as the caller judged it."""
        return RunRecord.make(self.run_id, self.config, self.summary, status, self.reader.dir if self.reader else "")

    @property
    def label(self) -> str:
        return f"{self.config.get('method')} s{self.config.get('seed')}"

    @property
    def method(self) -> str:
        return str(self.config.get("method"))


def load_run(runs_dir: str, run_id: str) -> RunData:
    return RunData.from_reader(RunReader(run_path(runs_dir, run_id)))


def series(run: RunData, key: str) -> tuple[np.ndarray, np.ndarray]:
    """(epochs (T,), values (T,)) of metric `key` over the rows that hold it."""
    rows = [m for m in run.metrics if key in m and m[key] is not None]
    return np.array([m["epoch"] for m in rows]), np.array([m[key] for m in rows], dtype=float)


def metric_keys(run: RunData, prefix: str) -> list[str]:
    """Sorted metric keys starting with `prefix` that hold a number in some row."""
    keys = {k for m in run.metrics for k in m if k.startswith(prefix)}
    return sorted(k for k in keys if any(isinstance(m.get(k), (int, float)) for m in run.metrics))


def artifact(run: RunData, name: str, epoch: int | None = None, exact: bool = False) -> dict[str, np.ndarray]:
    """Arrays of probe `name` at `epoch` (nearest readable recorded; latest if None; only that one with
    `exact`); {} when none was recorded or none is readable (the reader notes which files it passed over)."""
    return (run.reader.load_artifact(name, epoch, exact=exact) if run.reader is not None else None) or {}


def data_info(run: RunData) -> dict:
    """The run's `data.json` (dataset hash, class names, noise with its transition matrix); {} if absent or damaged."""
    info = run.reader.read_json("data.json", {}) if run.reader is not None else {}
    return info if isinstance(info, dict) else {}


def truth_known(run: RunData) -> bool:
    """Whether the run knows which labels were flipped (False for real-noise runs)."""
    noise = data_info(run).get("noise") or {}
    return bool(noise.get("truth_known", injects(run.config.get("noise"))))


def class_names(run: RunData) -> list[str]:
    """The user's class names as given (plain strings; charts escape them, see core/viz/style.plot_text)."""
    names = data_info(run).get("class_names")
    return [str(n) for n in names] if isinstance(names, list) else []
