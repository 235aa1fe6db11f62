"""Label methods (registered plug-ins): a loss, or a whole training step for bi-level methods."""

from core.methods.base import Batch, Method, MethodContext, Stage, StageData, StepOutput  # noqa: F401
