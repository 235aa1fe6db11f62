"""Backends train a comparison's queued runs: `local` (processes on this machine) or `ray` (a Ray cluster).

A backend is a class registered with `@register_backend(name)`, with a frozen `Config` of its options
and `run(runs_dir, run_ids, echo)`; it returns when every run has reached a terminal state.
"""
