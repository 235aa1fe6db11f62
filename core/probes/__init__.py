"""Probes: no-grad diagnostics on a fixed probe subset, every `probe_every` epochs, for every method."""

from core.probes.base import Probe, ProbeContext, ProbeResult  # noqa: F401
