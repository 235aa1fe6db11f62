"""Comparison grids: parsing the CLI lists, one cell per (noise kind, rate, method, seed), the suite
records the grid."""

import pytest

from core.engine.grid import make_grid
from core.engine.run_config import make_config
from core.engine.suite import format_table, plan_suite, suite_rows
from core.errors import UserError
from core.store.reader import RunReader, read_suite
from core.store.record import RunRecord


def test_a_grid_has_one_cell_per_setting_method_and_seed():
    g = make_grid("ce,labo", "0,1", "symmetric,pairflip,none", "0.2, 0.4")
    assert g.settings() == [("symmetric", 0.2), ("symmetric", 0.4), ("pairflip", 0.2), ("pairflip", 0.4), ("none", 0.0)]
    assert len(g) == 5 * 2 * 2 and g.cells()[0] == ("symmetric", 0.2, "ce", 0)


@pytest.mark.parametrize(
    "args,word",
    [
        (("ce,nope", "0"), "nope"),
        (("ce", "0", "nope"), "nope"),
        (("ce", "0", "symmetric", "0.2,1.5"), "[0, 1)"),
        (("ce", "0", "symmetric", "0.2,x"), "'x'"),
        (("ce", "a"), "--seeds"),
        ((",", "0"), "--methods"),
    ],
)
def test_bad_grid_values_are_one_clear_line(args, word):
    with pytest.raises(UserError) as e:
        make_grid(*args)
    assert word in str(e.value) and "\n" not in str(e.value)


def test_the_suite_records_the_grid_and_creates_every_run(tmp_path):
    base = make_config({"dataset": "digits", "method": "ce", "epochs": 1})
    sid, run_ids = plan_suite(base, ["ce", "labo"], [0], str(tmp_path), noises=["symmetric"], rates=[0.2, 0.4])
    info = read_suite(str(tmp_path), sid)
    assert info["grid"] == {"methods": ["ce", "labo"], "seeds": [0], "noise": ["symmetric"], "noise_rate": [0.2, 0.4]}
    cfgs = [RunReader(str(tmp_path / r)).config for r in run_ids]
    assert [(c["noise_rate"], c["method"]) for c in cfgs] == [(0.2, "ce"), (0.2, "labo"), (0.4, "ce"), (0.4, "labo")]


def test_the_table_gains_a_noise_column_for_a_grid():
    runs = [
        RunRecord(
            run_id=f"{m}-{r}",
            config={"method": m, "seed": 0, "noise": "symmetric", "noise_rate": r},
            summary={"state": "completed", "test_acc_final": 0.9 - r, "epoch_time_s": 1.0},
        )
        for r in (0.2, 0.4)
        for m in ("ce", "labo")
    ]
    rows = suite_rows(runs)
    assert [(r["noise_rate"], r["method"]) for r in rows] == [(0.2, "ce"), (0.2, "labo"), (0.4, "ce"), (0.4, "labo")]
    text = format_table(rows)
    assert text.splitlines()[0].startswith("noise") and "symmetric 40%" in text
    assert not format_table(rows[:2]).startswith("noise")
