"""Atomic file writes (write to a temp file in the same folder, then rename) shared by the store's writers."""

from __future__ import annotations

import errno
import io
import json
import os
import tempfile

import numpy as np


def atomic_write_bytes(path: str, data: bytes) -> None:
    d = os.path.dirname(path) or "."
    os.makedirs(d, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".tmp-", suffix=os.path.basename(path))
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _default(o):
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, (set, tuple)):
        return list(o)
    return str(o)


def dumps(obj) -> str:
    return json.dumps(obj, default=_default, allow_nan=True)


def atomic_write_json(path: str, obj) -> None:
    atomic_write_bytes(path, json.dumps(obj, default=_default, indent=2, allow_nan=True).encode())


def atomic_write_npz(path: str, arrays: dict) -> None:
    buf = io.BytesIO()
    np.savez_compressed(buf, **{k: np.asarray(v) for k, v in arrays.items()})
    atomic_write_bytes(path, buf.getvalue())


class Unreadable(Exception):
    """A store file exists but cannot be read as JSON (garbage, not UTF-8, truncated, unreadable)."""

    def __init__(self, path: str, why: str):
        super().__init__(f"{path}: {why}")
        self.path, self.why = path, why


def load_json(path: str):
    """The JSON in `path`; FileNotFoundError when it is missing, `Unreadable` for any other failure."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise
    except OSError as e:
        raise Unreadable(path, e.strerror or type(e).__name__) from None
    try:
        # ValueError covers JSONDecodeError and UnicodeDecodeError (one stray byte must not crash a page).
        return json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as e:
        raise Unreadable(path, f"{type(e).__name__}: {str(e)[:120]}") from None


def read_json(path: str, default=None):
    """The JSON in `path`, or `default` when it is missing or unreadable (never raises)."""
    try:
        return load_json(path)
    except (OSError, Unreadable):
        return default


def disk_full_text(exc: BaseException | None, where: str) -> str | None:
    """ "no space left on device under <where>" when `exc` is a full disk or quota, else None."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"no space left on device under {os.path.abspath(where)}"
    return None
