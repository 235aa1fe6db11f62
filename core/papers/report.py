"""Run the registered paper checks, print them, and keep their results (runs folder, and the record bundled in
the repository that the dashboard shows when this machine has not run them yet)."""

from __future__ import annotations

import glob
import json
import os
import time

from core.papers.base import CheckResult

RECORDED = os.path.join(os.path.dirname(__file__), "recorded.json")  # written by `labelscope papers --record`


def run_checks(names: list[str], quick: bool, echo=None) -> list[CheckResult]:
    from core.registry import PAPERS

    echo = echo or (lambda s: None)
    out = []
    for name in names:
        check = PAPERS.get(name)()
        echo(f"{name}: {check.paper}")
        t0 = time.perf_counter()
        res = check.run(quick, echo)
        res.seconds = time.perf_counter() - t0
        out.append(res)
        echo(f"{name}: {'held' if res.held else 'NOT HELD'} ({res.seconds:.0f} s)")
    return out


def format_text(results: list[CheckResult]) -> str:
    blocks = []
    for r in results:
        blocks.append(
            "\n".join(
                [
                    f"[{'held' if r.held else 'NOT HELD'}] {r.name} — {r.paper}",
                    f"  claim:       {r.claim}",
                    f"  prediction:  {r.prediction}",
                    f"  measurement: {r.measurement}",
                    f"  seeds {r.seeds}, {'quick' if r.quick else 'full'}, {r.seconds:.0f} s, load average {r.load:.1f}",
                ]
            )
        )
    return "\n\n".join(blocks)


def payload(results: list[CheckResult]) -> dict:
    return {
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "load": os.getloadavg()[0],
        "checks": [r.to_dict() for r in results],
    }


def save(runs_dir: str, data: dict) -> str:
    """Write `data` to <runs_dir>/_papers/<time>.json; returns the path."""
    d = os.path.join(runs_dir, "_papers")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, time.strftime("%Y%m%d-%H%M%S") + ".json")
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(data, f, indent=1, default=float)
    os.replace(tmp, path)
    return path


def latest(runs_dir: str) -> tuple[dict | None, str]:
    """The newest saved results in `runs_dir` ("local"), else the repository's record ("recorded"), else None."""
    files = sorted(glob.glob(os.path.join(runs_dir, "_papers", "*.json")))
    for path, where in [(p, "local") for p in reversed(files)] + [(RECORDED, "recorded")]:
        try:
            with open(path) as f:
                return json.load(f), where
        except (OSError, ValueError):
            continue
    return None, ""


def by_method(data: dict | None) -> dict[str, list[dict]]:
    """Method id -> the checks (as dicts) that concern it."""
    out: dict[str, list[dict]] = {}
    for c in (data or {}).get("checks", []):
        for m in c.get("methods", []):
            out.setdefault(m, []).append(c)
    return out
