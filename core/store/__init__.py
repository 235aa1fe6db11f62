"""Run store: one append-only folder per run (`config.json`, `status.json`, `metrics.jsonl`, `summary.json`, npz artifacts)."""

from core.store.paths import run_path, safe_name  # noqa: F401
from core.store.reader import STATES, TERMINAL, UNREADABLE, RunReader, list_runs, list_suites, read_suite  # noqa: F401
from core.store.writer import RunWriter, new_run_id, write_suite  # noqa: F401
