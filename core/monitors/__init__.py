"""Training-time measurements attached to any run (e.g. random-label heads); they must not change training."""

from core.monitors.base import Monitor  # noqa: F401
