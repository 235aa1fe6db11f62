"""A comparison grid: methods x seeds x noise kinds x noise rates, parsed from the CLI or the Set up page.

The grid is what a suite records (`runs/_suites/<id>.json` -> "grid"), so a reader can lay runs out
as robustness curves without guessing which settings were asked for.
"""

from __future__ import annotations

import dataclasses
import itertools

from core.errors import UserError


@dataclasses.dataclass(frozen=True)
class Grid:
    methods: tuple[str, ...]
    seeds: tuple[int, ...]
    noises: tuple[str, ...] = ("symmetric",)
    rates: tuple[float, ...] = (0.0,)

    def settings(self) -> list[tuple[str, float]]:
        """(noise kind, rate) pairs in grid order; a kind that declares `uses_rate = False` (it ignores the rate)
        appears once, at rate 0."""
        from core.registry import NOISE

        out: list[tuple[str, float]] = []
        for kind, rate in itertools.product(self.noises, self.rates):
            cell = (kind, float(rate)) if NOISE.get(kind).uses_rate else (kind, 0.0)
            if cell not in out:
                out.append(cell)
        return out

    def cells(self) -> list[tuple[str, float, str, int]]:
        """(noise kind, rate, method, seed) for every run: a setting's methods and seeds sit together."""
        return [(k, r, m, s) for k, r in self.settings() for m in self.methods for s in self.seeds]

    def __len__(self) -> int:
        return len(self.cells())

    def to_dict(self) -> dict:
        return {
            "methods": list(self.methods),
            "seeds": list(self.seeds),
            "noise": list(self.noises),
            "noise_rate": list(self.rates),
        }


def split_list(raw: str | list | tuple, what: str) -> list[str]:
    """'a, b,c' -> ['a', 'b', 'c'] (a list passes through); empty items are dropped, none left is an error."""
    items = [str(x).strip() for x in raw] if isinstance(raw, (list, tuple)) else str(raw).split(",")
    items = [x.strip() for x in items if x.strip()]
    if not items:
        raise UserError(f"{what} must name at least one value")
    return list(dict.fromkeys(items))  # a repeated value would train the same cell twice


def parse_rates(raw: str | list | tuple, what: str = "--noise-rate") -> list[float]:
    """Noise rates in [0, 1), e.g. '0.2,0.4' -> [0.2, 0.4]."""
    out = []
    for item in split_list(raw, what):
        try:
            r = float(item)
        except ValueError:
            raise UserError(f"{what} must be numbers in [0, 1) separated by commas, got '{item}'") from None
        if not 0.0 <= r < 1.0:
            raise UserError(f"{what} values must be in [0, 1), got {r}")
        out.append(r)
    return out


def parse_seeds(raw: str | list | tuple, what: str = "--seeds") -> list[int]:
    try:
        return [int(s) for s in split_list(raw, what)]
    except ValueError:
        raise UserError(f"{what} must be integers separated by commas, got '{raw}'") from None


def make_grid(methods, seeds, noises="symmetric", rates="0.0") -> Grid:
    """Parse and check every axis (unknown method or noise kind: one UserError naming it and the choices)."""
    from core.registry import METHODS, NOISE

    ms, ks = split_list(methods, "--methods"), split_list(noises, "--noise")
    for m in ms:
        METHODS.get(m)
    for k in ks:
        NOISE.get(k)
    return Grid(tuple(ms), tuple(parse_seeds(seeds)), tuple(ks), tuple(parse_rates(rates)))
