"""Train the runs a paper check needs through the engine, in this process, in a throw-away runs folder."""

from __future__ import annotations

import shutil
import tempfile

from core.engine.run_config import make_config
from core.engine.trainer import Trainer

# Paper checks measure methods, not diagnostics: no probes, one thread (the machine is shared).
BASE = {"probes": [], "threads": 1}


def train_runs(values: list[dict], echo=None) -> list[dict]:
    """One run per values dict (RunConfig fields); returns [{"summary", "history"}] in the same order."""
    out = []
    tmp = tempfile.mkdtemp(prefix="labelscope-papers-")
    try:
        for v in values:
            cfg = make_config({**BASE, **v}, [])
            t = Trainer(cfg, tmp)
            s = t.run()
            if s.get("state") != "completed":
                raise RuntimeError(f"paper-check run {cfg.method} seed {cfg.seed} {s.get('state')}: {s.get('error')}")
            out.append({"summary": s, "history": t.history})
            if echo:
                echo(f"  {cfg.method} seed {cfg.seed}: test acc {s.get('test_acc_final', float('nan')):.3f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out
