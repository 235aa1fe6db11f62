"""Config fields: coercion from strings, bounds, choices and unknown keys give one clear message."""

import dataclasses

import pytest

from core import config as C
from core.engine.run_config import make_config
from core.errors import UserError


@dataclasses.dataclass(frozen=True)
class Demo:
    rate: float = C.opt(0.1, "a rate", lo=0.0, hi=1.0, hi_open=True)
    n: int = C.opt(3, "a count", lo=1)
    kind: str = C.opt("a", "a choice", choices=("a", "b"))
    flag: bool = C.opt(False, "a flag")


def test_strings_are_coerced():
    d = C.build(Demo, {"rate": "0.5", "n": "7", "kind": "b", "flag": "true"})
    assert (d.rate, d.n, d.kind, d.flag) == (0.5, 7, "b", True)


@pytest.mark.parametrize(
    "values,needle",
    [
        ({"rate": 1.0}, "out of range"),
        ({"n": 0}, "out of range"),
        ({"n": "2.5"}, "integer"),
        ({"kind": "c"}, "valid choices"),
        ({"flag": "maybe"}, "true or false"),
        ({"zzz": 1}, "unknown option"),
    ],
)
def test_bad_values_raise_one_clear_message(values, needle):
    with pytest.raises(UserError, match=needle):
        C.build(Demo, values)


def test_set_routes_keys_to_their_owner():
    cfg = make_config(
        {"method": "label_smoothing", "model": "mlp"}, ["eps=0.2", "model.width=64", "lr=0.01", "probes=[]"]
    )
    assert cfg.method_options == {"eps": "0.2"} and cfg.model_options == {"width": "64"}
    assert cfg.lr == 0.01 and cfg.probes == []
