"""Run store: one append-only folder per run (`config.json`, `status.json`, `metrics.jsonl`, `summary.json`, npz artifacts)."""
from core.store.reader import RunReader, list_runs, list_suites, read_suite  # noqa: F401
from core.store.writer import RunWriter, new_run_id, write_suite  # noqa: F401

STATES = ("queued", "running", "completed", "failed", "stopped")
