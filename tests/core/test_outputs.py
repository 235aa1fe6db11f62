"""Plug-in output declarations (core/outputs.py): every method and monitor declares well-formed outputs, and the
consumers read the meaning from the declaration, never from a key's name."""

from __future__ import annotations

import numpy as np
import pytest

from core.outputs import CLASS, SCORE, WEIGHT, PerSample, Produces
from core.registry import METHODS, MONITORS
from core.scores import method_scores

LAB = {"en": "x", "ja": "x"}


@pytest.mark.parametrize("reg", [METHODS, MONITORS], ids=["methods", "monitors"])
def test_every_plugin_declares_well_formed_outputs(reg):
    for name, cls in reg.items():
        p = cls.produces
        assert isinstance(p, Produces), name
        keys = [x.key for x in p.per_sample]
        assert len(keys) == len(set(keys)), f"{name}: a per-sample key declared twice"
        for x in p.per_sample:
            assert all(k in keys for k in x.any_of), f"{name}: '{x.key}' names an undeclared candidate"
        scalars = [x.key for x in p.scalars]
        assert len(scalars) == len(set(scalars)), f"{name}: a scalar declared twice"
        if p.caption:
            assert p.caption.get("en") and p.caption.get("ja"), name


def test_a_declaration_needs_both_languages_and_a_metric_for_classes():
    with pytest.raises(ValueError):
        PerSample("x", SCORE, {"en": "only English"})
    with pytest.raises(ValueError):
        PerSample("x", CLASS, LAB)  # no metric to log its accuracy under
    with pytest.raises(ValueError):
        PerSample("x", "mystery", LAB)


def test_orientation_comes_from_the_declaration_not_the_name():
    v = {"weight": np.array([1.0, 0.0]), "loss": np.array([0.0, 1.0])}
    # Named like a weight but declared a high-is-suspicious score, and the other way round.
    meaning = {"weight": PerSample("weight", SCORE, LAB), "loss": PerSample("loss", WEIGHT, LAB)}
    m = method_scores(v, meaning, np.array([0, 1]))
    assert m["method_weight"][0] > m["method_weight"][1] and m["method_loss"][0] > m["method_loss"][1]
