"""Declaration contracts: every plug-in declares the flags the rest of the code reads instead of its name
(methods: `baseline`; noise kinds: `uses_rate`, `pickable`, `injects`, `needs_features`, `options`; models:
`suggested`; monitors: `default_on`), and a second baseline or a new noise kind is handled by those flags alone."""

from __future__ import annotations

import pytest

from core import noise as N
from core.engine.grid import Grid
from core.engine.run_config import make_config
from core.engine.suite import format_table, suite_rows
from core.registry import METHODS, MODELS, MONITORS, NOISE, baseline_method
from core.store.record import RunRecord
from core.verdict import contrasts, per_method_values


def test_every_method_declares_whether_it_is_the_baseline_and_exactly_one_is():
    flags = {name: cls.baseline for name, cls in METHODS.items()}
    assert all(isinstance(v, bool) for v in flags.values())
    assert [n for n, v in flags.items() if v] == [baseline_method()] == ["ce"]


def test_a_second_baseline_is_refused_not_guessed(monkeypatch):
    monkeypatch.setattr(METHODS.get("labo"), "baseline", True)
    with pytest.raises(RuntimeError, match="exactly one method"):
        baseline_method()


def _rec(method, seed, acc, epoch_s):
    summary = {"state": "completed", "test_acc_final": acc, "epoch_time_s": epoch_s}
    return RunRecord(f"{method}-{seed}", {"method": method, "seed": seed}, summary)


def test_the_verdict_and_the_cost_column_follow_the_declared_baseline(monkeypatch):
    runs = [_rec(m, s, acc + 0.01 * s, t) for m, acc, t in (("ce", 0.7, 1.0), ("labo", 0.8, 2.0)) for s in range(3)]
    rows = {r["method"]: r for r in suite_rows(runs)}
    assert rows["labo"]["cost_vs_ce"] == pytest.approx(2.0) and {
        c.reference for c in contrasts(per_method_values(runs))
    } == {"ce"}
    monkeypatch.setattr(METHODS.get("ce"), "baseline", False)
    monkeypatch.setattr(METHODS.get("labo"), "baseline", True)
    rows = {r["method"]: r for r in suite_rows(runs)}
    assert rows["ce"]["cost_vs_ce"] == pytest.approx(0.5) and rows["labo"]["cost_vs_ce"] == pytest.approx(1.0)
    assert {c.reference for c in contrasts(per_method_values(runs))} == {"labo"}
    head = format_table(suite_rows(runs)).splitlines()[0]
    assert "cost vs labo" in head and "cost vs ce" not in head  # the header names the declared baseline too


def test_every_noise_kind_declares_its_flags():
    for name, fn in NOISE.items():
        for flag in ("uses_rate", "pickable", "injects", "needs_features"):
            assert isinstance(getattr(fn, flag, None), bool), f"noise '{name}' does not declare {flag}"
        assert isinstance(fn.options, tuple) and all(isinstance(k, str) for k in fn.options), name
    assert N.no_noise() == "none" and not N.injects("none") and N.injects("symmetric")
    assert N.pickable_kinds() == ["instance", "pairflip", "symmetric"] and N.option_keys() == {"matrix"}


def _kind(**flags):
    def fake(labels, num_classes, rate, rng, **_):
        return labels.copy()

    fake.help = "a test kind"
    for k, v in {"uses_rate": True, "pickable": True, "injects": True, "needs_features": False, "options": ()}.items():
        setattr(fake, k, flags.get(k, v))
    return fake


def test_a_new_noise_kind_is_handled_by_its_flags_alone(monkeypatch):
    NOISE.names()  # every real kind is registered before the test adds its own
    monkeypatch.setitem(NOISE._items, "fresh", _kind(options=("strength",)))
    monkeypatch.setitem(NOISE._items, "hidden", _kind(pickable=False, uses_rate=False))
    assert "fresh" in N.pickable_kinds() and "hidden" not in N.pickable_kinds()
    assert N.injects("fresh") and N.injects("hidden")
    assert Grid(("ce",), (0,), ("fresh", "hidden"), (0.2, 0.4)).settings() == [
        ("fresh", 0.2),
        ("fresh", 0.4),
        ("hidden", 0.0),
    ]
    cfg = make_config({"dataset": "digits", "noise": "fresh", "noise_rate": 0.2}, ["strength=3"])
    assert cfg.noise_options == {"strength": "3"}
    monkeypatch.setitem(NOISE._items, "also_none", _kind(injects=False))
    with pytest.raises(RuntimeError, match="injects = False"):
        N.no_noise()


def test_models_and_monitors_declare_their_flags():
    for name, cls in MODELS.items():
        assert isinstance(cls.suggested, tuple), name
        if cls.suggested:  # picked as <name>:<source>
            assert getattr(cls, "arg_option", None), name
            assert all(isinstance(s, str) and isinstance(n, str) for s, n in cls.suggested), name
    assert [n for n, c in MODELS.items() if c.suggested] == ["hf"]
    assert all(isinstance(c.default_on, bool) for _, c in MONITORS.items())
