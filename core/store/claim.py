"""A run's claim: a file lock taken before its worker process exists and held by that worker until it exits.

Between the start of a worker and its first status write, the queued status names only the scheduler;
a scheduler killed in that gap would leave a run that reads failed and is then resumed. The lock is
inherited by the worker (fork, or `pass_fds`), so while the worker lives the run is claimed whatever
became of its scheduler, and the kernel releases it the moment the worker dies.
"""

from __future__ import annotations

import contextlib
import fcntl
import os

CLAIM_FILE = "worker.lock"


@contextlib.contextmanager
def claim(run_dir: str):
    """Yield an fd holding the run's lock for the worker to inherit (None when the lock file cannot be made, e.g.
    on a full disk: the run then has only its owner). The caller's copy closes on exit, after the worker has
    started; the lock lives on in the worker's copy."""
    try:
        fd = os.open(os.path.join(run_dir, CLAIM_FILE), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield None
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # waits out a reader's momentary test, nothing longer
        yield fd
    finally:
        os.close(fd)


def claimed(run_dir: str) -> bool:
    """Whether a living process holds the run's claim (a worker started for it, maybe before it wrote anything)."""
    try:
        fd = os.open(os.path.join(run_dir, CLAIM_FILE), os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)
