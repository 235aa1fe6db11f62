"""The engine: the only place with the optimizer, the device, AMP, the logging cadence and the run store writer."""

from core.engine.run_config import RunConfig, make_config  # noqa: F401
