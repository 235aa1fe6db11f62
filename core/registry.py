"""Name -> plug-in registries: the registered name is the config value, CLI value, UI key and test id."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from typing import Any

from core.errors import UserError


class Registry:
    """A named collection of plug-ins; `get` on an unknown name lists the valid ones."""

    def __init__(self, kind: str, package: str):
        self.kind = kind
        self._package = package
        self._items: dict[str, Any] = {}
        self._loaded = False

    def register(self, name: str) -> Callable[[Any], Any]:
        def deco(obj: Any) -> Any:
            if name in self._items and self._items[name] is not obj:
                raise RuntimeError(f"{self.kind} '{name}' registered twice")
            try:
                obj.name = name
            except (AttributeError, TypeError):
                pass
            self._items[name] = obj
            return obj

        return deco

    def _load(self) -> None:
        # Plug-ins are discovered by importing every module of their package, so adding one is adding a file.
        if self._loaded:
            return
        self._loaded = True
        pkg = importlib.import_module(self._package)
        for mod in pkgutil.iter_modules(pkg.__path__):
            if not mod.name.startswith("_"):
                importlib.import_module(f"{self._package}.{mod.name}")

    def get(self, name: str) -> Any:
        self._load()
        if name not in self._items:
            raise UserError(f"unknown {self.kind} '{name}'; valid choices: {', '.join(self.names())}")
        return self._items[name]

    def names(self) -> list[str]:
        self._load()
        return sorted(self._items)

    def items(self) -> Iterator[tuple[str, Any]]:
        self._load()
        return iter(sorted(self._items.items()))

    def __contains__(self, name: str) -> bool:
        self._load()
        return name in self._items

    def help(self, name: str, lang: str = "en") -> str:
        """The plug-in's one-line help in `lang` (its `help`/`help_ja`, see core.i18n.plugin_help)."""
        from core.i18n import plugin_help

        obj = self.get(name)
        doc = getattr(obj, "help", None) or (obj.__doc__ or "").strip().splitlines()[0:1]
        english = doc if isinstance(doc, str) else (doc[0] if doc else "")
        return plugin_help(self.kind.replace(" ", "_"), name, english, lang, getattr(obj, "help_ja", "") or "")


METHODS = Registry("method", "core.methods")
MODELS = Registry("model", "core.models")
DATASETS = Registry("dataset", "core.data")
PROBES = Registry("probe", "core.probes")
NOISE = Registry("noise", "core.noise")
MONITORS = Registry("monitor", "core.monitors")
PAPERS = Registry("paper check", "core.papers")
OPTIMIZERS = Registry("optimizer", "core.optimizers")
BACKENDS = Registry("backend", "core.engine.backends")
TEXT_ENCODERS = Registry("text encoder", "core.data.text")

register_method = METHODS.register
register_model = MODELS.register
register_dataset = DATASETS.register
register_probe = PROBES.register
register_noise = NOISE.register
register_monitor = MONITORS.register
register_paper_check = PAPERS.register
register_optimizer = OPTIMIZERS.register
register_backend = BACKENDS.register
register_text_encoder = TEXT_ENCODERS.register


def baseline_method() -> str:
    """The one registered method that declares `baseline = True` (what comparisons, costs and the bench measure
    against); two or none is a plug-in error, raised rather than guessed."""
    names = [name for name, cls in METHODS.items() if getattr(cls, "baseline", False)]
    if len(names) != 1:
        raise RuntimeError(f"exactly one method must declare baseline = True; found {names or 'none'}")
    return names[0]


REGISTRIES = {
    "methods": METHODS,
    "models": MODELS,
    "datasets": DATASETS,
    "probes": PROBES,
    "noise": NOISE,
    "monitors": MONITORS,
    "optimizers": OPTIMIZERS,
    "backends": BACKENDS,
    "text_encoders": TEXT_ENCODERS,
    "papers": PAPERS,
}
