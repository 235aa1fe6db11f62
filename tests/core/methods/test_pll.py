"""pll: two-hot targets, the GCE partial loss's q -> 0 limit, stage logic and the teacher top-2 metric."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from core import config as C
from core.engine.run_config import make_config
from core.engine.trainer import Trainer
from core.methods.base import Batch, MethodContext, StageData
from core.methods.pll import PartialLabel, gce_partial, top2, two_hot, two_hot_ce
from core.models import build_model
from core.registry import METHODS


def test_two_hot_rows():
    g = torch.Generator().manual_seed(0)
    z = torch.randn(50, 7, generator=g)
    t = two_hot(z)
    assert torch.all((t == 0.5).sum(1) == 2) and torch.all((t == 0).sum(1) == 5)
    torch.testing.assert_close(t.sum(1), torch.ones(50))
    ref = torch.topk(z, 2, dim=1).indices
    assert torch.equal(torch.sort(top2(z), 1).values, torch.sort(ref, 1).values)
    assert torch.equal(top2(z)[:, 0], z.argmax(1))


def test_ties_break_to_the_lower_class():
    z = torch.tensor([[1.0, 1.0, 1.0], [0.0, 2.0, 2.0], [3.0, 1.0, 1.0], [5.0, 5.0, 0.0]])
    assert top2(z).tolist() == [[0, 1], [1, 2], [0, 1], [0, 1]]
    assert torch.equal(two_hot(z), two_hot(z.flip(0)).flip(0))


def test_gce_tends_to_two_hot_cross_entropy():
    g = torch.Generator().manual_seed(1)
    z = torch.randn(20, 5, generator=g, dtype=torch.float64)
    cand = top2(torch.randn(20, 5, generator=g))
    ce = two_hot_ce(z, cand)
    target = torch.zeros(20, 5, dtype=torch.float64).scatter(1, cand, 0.5)
    torch.testing.assert_close(ce, -(target * F.log_softmax(z, 1)).sum(1))
    torch.testing.assert_close(gce_partial(z, cand, 1e-7), ce, rtol=1e-5, atol=1e-6)
    # At q = 0.7 GCE is bounded by 1/q and differs from CE (the code's loss is a real option).
    g7 = gce_partial(z, cand, 0.7)
    assert torch.all(g7 < 1 / 0.7) and not torch.allclose(g7, ce)


def _ctx(N, K, D):
    return MethodContext(
        num_classes=K,
        n_total=N,
        feature_dim=D,
        input_shape=(D,),
        device=torch.device("cpu"),
        seed=0,
        epochs=1,
        n_labeled=N,
        n_unlabeled=0,
    )


@pytest.mark.parametrize("loss", ["ce", "gce"])
def test_student_trains_on_the_teachers_top2_keyed_by_index(loss):
    torch.manual_seed(0)
    N, K, D = 16, 4, 6
    x, y = torch.randn(N, D), torch.randint(0, K, (N,))
    perm = torch.randperm(N)
    teacher = build_model("linear", (D,), K, {})
    data = StageData(x[perm], y[perm], perm, x[:0], perm[:0], predict=lambda m, xx: m(xx)[1].detach())
    m = PartialLabel(C.build(PartialLabel.Config, {"loss": loss}), _ctx(N, K, D))
    st = m.stages()
    assert [s.name for s in st] == ["teacher", "student"] and not st[1].fresh_model  # authors' init
    b = Batch(x, y, torch.arange(N))
    logits = torch.randn(N, K)
    m.begin_stage(0, st[0], teacher, None, data)
    assert torch.isclose(m.loss(b, (x, logits), 0).loss, F.cross_entropy(logits, y))
    scal = m.begin_stage(1, st[1], teacher, teacher, data)
    assert 0 <= scal["teacher_top1_observed"] <= scal["teacher_top2_observed"] <= 1
    with torch.no_grad():
        cand = top2(teacher(x)[1])
    expected = gce_partial(logits, cand, 0.7) if loss == "gce" else two_hot_ce(logits, cand)
    torch.testing.assert_close(m.loss(b, (x, logits), 0).loss, expected.mean())
    _, per = m.end_epoch(1, teacher, data)
    idx1, c1 = per["pll_top1"]
    idx2, c2 = per["pll_top2"]
    assert torch.equal(c1, cand[idx1, 0].float()) and torch.equal(c2, cand[idx2, 1].float())


def test_student_starts_from_the_teacher_by_default_and_fresh_on_request():
    m = PartialLabel(C.build(PartialLabel.Config, {}), _ctx(4, 3, 2))
    assert not m.stages()[1].fresh_model
    m = PartialLabel(C.build(PartialLabel.Config, {"init_from_teacher": False}), _ctx(4, 3, 2))
    assert m.stages()[1].fresh_model
    assert METHODS.get("pll") is PartialLabel and PartialLabel.help


def test_engine_reports_true_label_in_teacher_top2(tmp_path):
    cfg = make_config(
        {
            "dataset": "blobs",
            "noise": "symmetric",
            "noise_rate": 0.4,
            "method": "pll",
            "model": "mlp",
            "epochs": 1,
            "probes": [],
            "seed": 0,
        }
    )
    t = Trainer(cfg, str(tmp_path))
    s = t.run()
    assert s["state"] == "completed", s.get("error")
    teacher_rec, student_rec = t.history
    assert "train/teacher_top2_true" not in teacher_rec
    tr = t.a.prep.split.train
    c1 = t.per_sample["pll_top1"].cpu().numpy()[tr]
    c2 = t.per_sample["pll_top2"].cpu().numpy()[tr]
    truth = t.a.prep.truth[tr]
    share = float(np.mean((c1 == truth) | (c2 == truth)))
    assert student_rec["train/teacher_top2_true"] == pytest.approx(share, abs=1e-6)
    assert student_rec["train/teacher_top1_true"] <= student_rec["train/teacher_top2_true"]
    assert s["train_teacher_top2_true_final"] == pytest.approx(share, abs=1e-6)
