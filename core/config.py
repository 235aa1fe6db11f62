"""Frozen-dataclass config helpers: fields carry default, bounds, choices and help (which also build UI forms)."""

from __future__ import annotations

import dataclasses
import json
import typing
from typing import Any

from core.errors import UserError


def opt(
    default: Any,
    help: str,
    lo: float | None = None,
    hi: float | None = None,
    choices: tuple | None = None,
    lo_open: bool = False,
    hi_open: bool = False,
) -> Any:
    """A config field with its metadata. Bounds are inclusive unless `lo_open`/`hi_open`."""
    meta = {"help": help, "lo": lo, "hi": hi, "choices": choices, "lo_open": lo_open, "hi_open": hi_open}
    if isinstance(default, (list, dict)):
        return dataclasses.field(default_factory=lambda: type(default)(default), metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


@dataclasses.dataclass(frozen=True)
class EmptyConfig:
    """No options."""


def field_specs(cls: type) -> list[dict]:
    """One dict per field: name, type name, default, help, lo, hi, choices (for forms and `list`)."""
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        default = (
            f.default
            if f.default is not dataclasses.MISSING
            else (f.default_factory() if f.default_factory is not dataclasses.MISSING else None)
        )  # type: ignore[misc]
        t = hints.get(f.name, type(default))
        out.append(
            {
                "name": f.name,
                "type": getattr(t, "__name__", str(t)),
                "default": default,
                **{k: f.metadata.get(k) for k in ("help", "lo", "hi", "choices", "lo_open", "hi_open")},
            }
        )
    return out


def _coerce(value: Any, default: Any, name: str) -> Any:
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        s = str(value).strip().lower()
        if s in ("1", "true", "yes", "on"):
            return True
        if s in ("0", "false", "no", "off"):
            return False
        raise UserError(f"option '{name}' must be true or false, got '{value}'")
    if isinstance(default, int) and not isinstance(default, bool):
        try:
            f = float(value)
        except (TypeError, ValueError):
            raise UserError(f"option '{name}' must be an integer, got '{value}'") from None
        if f != int(f):
            raise UserError(f"option '{name}' must be an integer, got '{value}'")
        return int(f)
    if isinstance(default, float):
        try:
            return float(value)
        except (TypeError, ValueError):
            raise UserError(f"option '{name}' must be a number, got '{value}'") from None
    if isinstance(default, (list, tuple)) and isinstance(value, str):
        try:
            return type(default)(json.loads(value))
        except json.JSONDecodeError:
            return type(default)(v.strip() for v in value.split(",") if v.strip())
    if isinstance(default, str) or default is None:
        return value if value is None or isinstance(value, (str, int, float, list, dict)) else str(value)
    return value


def _check(spec: dict, value: Any) -> None:
    name, lo, hi, choices = spec["name"], spec["lo"], spec["hi"], spec["choices"]
    if choices is not None and value not in choices:
        raise UserError(f"option '{name}'='{value}' is not valid; valid choices: {', '.join(map(str, choices))}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if lo is not None and (value < lo or (spec["lo_open"] and value == lo)):
            rng = f"{'(' if spec['lo_open'] else '['}{lo}, {hi if hi is not None else 'inf'}{')' if spec['hi_open'] or hi is None else ']'}"
            raise UserError(f"option '{name}'={value} is out of range; valid range: {rng}")
        if hi is not None and (value > hi or (spec["hi_open"] and value == hi)):
            rng = f"{'(' if spec['lo_open'] else '['}{lo if lo is not None else '-inf'}, {hi}{')' if spec['hi_open'] else ']'}"
            raise UserError(f"option '{name}'={value} is out of range; valid range: {rng}")


def build(cls: type, values: dict | None = None) -> Any:
    """Build config `cls` from a (possibly string-valued) dict, validating types, bounds and choices."""
    values = dict(values or {})
    specs = {s["name"]: s for s in field_specs(cls)}
    unknown = set(values) - set(specs)
    if unknown:
        raise UserError(
            f"unknown option '{sorted(unknown)[0]}' for {cls.__qualname__}; "
            f"valid options: {', '.join(specs) or '(none)'}"
        )
    kwargs = {}
    for name, spec in specs.items():
        if name in values:
            v = _coerce(values[name], spec["default"], name)
            _check(spec, v)
            kwargs[name] = v
    obj = cls(**kwargs)
    for name, spec in specs.items():
        _check(spec, getattr(obj, name))
    return obj


def to_dict(cfg: Any) -> dict:
    return dataclasses.asdict(cfg)


def field_names(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]
