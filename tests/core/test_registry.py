"""Registry contract: every registered plug-in has a name, help text and a buildable Config."""

import dataclasses

import pytest

from core import config as C
from core.errors import UserError
from core.registry import REGISTRIES


@pytest.mark.parametrize("kind", sorted(REGISTRIES))
def test_every_plugin_has_help_and_a_valid_config(kind):
    reg = REGISTRIES[kind]
    assert reg.names(), f"nothing registered as {kind}"
    for name, obj in reg.items():
        assert getattr(obj, "name", name) == name
        assert (getattr(obj, "help", "") or "").strip(), f"{kind} '{name}' has no help text"
        cfg_cls = getattr(obj, "Config", None)
        if cfg_cls is not None:
            assert dataclasses.is_dataclass(cfg_cls) and cfg_cls.__dataclass_params__.frozen, name
            cfg = C.build(cfg_cls, {})
            for spec in C.field_specs(cfg_cls):
                assert spec["help"], f"{kind} '{name}' option '{spec['name']}' has no help"
                assert getattr(cfg, spec["name"]) == spec["default"]


@pytest.mark.parametrize("kind", sorted(REGISTRIES))
def test_unknown_name_lists_the_valid_choices(kind):
    reg = REGISTRIES[kind]
    with pytest.raises(UserError) as e:
        reg.get("definitely-not-registered")
    msg = str(e.value)
    assert "definitely-not-registered" in msg and all(n in msg for n in reg.names())
