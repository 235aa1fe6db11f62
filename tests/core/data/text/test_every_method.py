"""Every registered method and every probe runs on text features (a tiny text CSV, 2 epochs each)."""

from __future__ import annotations

import pytest

from core.engine.run_config import make_config
from core.engine.trainer import train
from core.registry import METHODS

from .conftest import text_frame


@pytest.fixture(scope="module")
def text_file(tmp_path_factory):
    p = tmp_path_factory.mktemp("text") / "t.csv"
    text_frame(n_per=20).to_csv(p, index=False)
    return str(p)


@pytest.mark.slow
@pytest.mark.parametrize("method", METHODS.names())
def test_method_and_probes_run_on_text(method, text_file, tmp_path):
    values = {
        "dataset": text_file,
        "noise": "symmetric",
        "noise_rate": 0.3,
        "method": method,
        "epochs": 2,
        "probe_every": 1,
        "monitors": ["rlp"],
        "dataset_options": {"clean_label_column": "label_clean"},
    }
    if METHODS.get(method).uses_unlabeled:
        values["labeled_fraction"] = 0.5
    _, summary = train(make_config(values), str(tmp_path))
    assert summary["state"] == "completed", summary
    assert summary["model"] == "mlp" and 0.0 <= summary["test_acc_final"] <= 1.0
    assert "noise_auroc" in summary
