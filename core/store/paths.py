"""Run and comparison ids -> folders, confined to the runs folder: an id is one plain name directly under it.

Ids come from files a user can edit (`_suites/*.json`), from URLs and from the command line, so every
reader, Stop button and export goes through `run_path` / `suite_path` and refuses anything else.
"""

from __future__ import annotations

import os
import re

from core.errors import UserError

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def check_id(run_id, what: str = "run id") -> str:
    """`run_id` itself when it is one plain folder name (no separator, not `.`/`..`, no NUL); else UserError."""
    rid = run_id if isinstance(run_id, str) else ""
    if (
        not rid
        or rid in (".", "..")
        or "/" in rid
        or "\\" in rid
        or "\0" in rid
        or os.path.isabs(rid)
        or rid != rid.strip()
        or len(rid) > 200
    ):
        raise UserError(f"refused {what} {str(run_id)[:80]!r}: an id is one folder name directly under the runs folder")
    return rid


def _inside(runs_dir: str, path: str) -> bool:
    # realpath: a symlink inside the runs folder that points elsewhere is outside too.
    return os.path.dirname(os.path.realpath(path)) == os.path.realpath(runs_dir)


def run_path(runs_dir: str, run_id, what: str = "run id") -> str:
    """`<runs_dir>/<run_id>` after checking that it is a folder name directly under the runs folder."""
    rid = check_id(run_id, what)
    path = os.path.join(runs_dir, rid)
    if os.path.lexists(path) and not _inside(runs_dir, path):
        raise UserError(f"refused {what} {rid!r}: it leads outside the runs folder {runs_dir}")
    return path


def is_run_id(runs_dir: str, run_id) -> bool:
    """True for an id that `run_path` accepts and that names an existing folder."""
    try:
        return os.path.isdir(run_path(runs_dir, run_id))
    except UserError:
        return False


def suite_path(runs_dir: str, suite_id) -> str:
    """`<runs_dir>/_suites/<suite_id>.json`, the id checked like a run id."""
    sid = check_id(suite_id, "comparison id")
    return os.path.join(runs_dir, "_suites", f"{sid}.json")


def safe_name(text, limit: int = 80) -> str:
    """A file-name part built from an id: letters, digits, `.`, `-`, `_` only, never starting with a dot."""
    out = _SAFE.sub("-", str(text)).strip("-.")[:limit]
    return out or "export"
