"""CLID and the CLID-MU meta-update: the loss as the authors coded it, and the second-order meta-gradient."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest
import torch
from torch.func import functional_call

from core.config import build
from core.methods.base import Batch, MethodContext, StageData
from core.methods.clid_mu import (
    CLID_EPS,
    ClidMU,
    WeightNet,
    clid,
    feature_neighbours,
    meta_loss,
    meta_surrogate,
    normalize_weights,
    output_affinities,
)
from core.methods.functional import fcall, params_of, sgd_step
from core.registry import METHODS, MODELS


def _reference_clid(h: np.ndarray, z: np.ndarray, tau: float) -> float:
    """Loop-by-loop transcription of METHODS.md section 4 steps 1-5 (values only)."""
    b = len(h)
    hn = h / np.linalg.norm(h, axis=1, keepdims=True)
    p = np.exp(z - z.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    pn = p / np.linalg.norm(p, axis=1, keepdims=True)
    total = 0.0
    for i in range(b):
        a = [max(hn[i] @ hn[j], 0.0) / tau for j in range(b)]
        s = np.exp(a) / np.sum(np.exp(a))
        w = np.array([pn[i] @ pn[j] for j in range(b)])
        total += np.sum(w / w.sum() * -np.log(s + 1e-7))
    return total / b


def test_clid_matches_reference_transcription():
    g = torch.Generator().manual_seed(0)
    h, z = torch.randn(7, 5, generator=g, dtype=torch.float64), torch.randn(7, 4, generator=g, dtype=torch.float64)
    assert float(clid(h, z, 0.3)) == pytest.approx(_reference_clid(h.numpy(), z.numpy(), 0.3), rel=1e-10)


def test_gradient_flows_only_through_logits():
    g = torch.Generator().manual_seed(1)
    h = torch.randn(6, 5, generator=g, requires_grad=True)
    z = torch.randn(6, 3, generator=g, requires_grad=True)
    for variant in ("ce", "kl"):
        h.grad = z.grad = None
        clid(h, z, 0.5, variant).backward()
        assert h.grad is None or torch.count_nonzero(h.grad) == 0
        assert z.grad is not None and z.grad.abs().max() > 1e-4


def test_detached_normaliser_gradient():
    """d CLID / d W_ij = -log(S_ij + eps) / (B sum_k W_ik): the row normaliser carries no gradient."""
    g = torch.Generator().manual_seed(2)
    h, z = torch.randn(5, 4, generator=g, dtype=torch.float64), torch.randn(5, 3, generator=g, dtype=torch.float64)
    p = torch.nn.functional.normalize(torch.softmax(z, 1), dim=1)
    w = (p @ p.T).requires_grad_()
    s = feature_neighbours(h, 0.5)
    loss = (w / w.sum(1, keepdim=True).detach() * -torch.log(s + CLID_EPS)).sum(1).mean()
    (gw,) = torch.autograd.grad(loss, w)
    expect = -torch.log(s + CLID_EPS) / (5 * w.detach().sum(1, keepdim=True))
    assert torch.allclose(gw, expect)
    assert float(loss.detach()) == pytest.approx(float(clid(h, z, 0.5)), rel=1e-12)


@pytest.mark.parametrize("variant", ["ce", "kl"])
def test_permutation_invariance(variant):
    g = torch.Generator().manual_seed(3)
    h, z = torch.randn(9, 6, generator=g, dtype=torch.float64), torch.randn(9, 4, generator=g, dtype=torch.float64)
    perm = torch.randperm(9, generator=g)
    assert float(clid(h[perm], z[perm], 0.5, variant)) == pytest.approx(float(clid(h, z, 0.5, variant)), rel=1e-12)


def test_large_tau_gives_uniform_neighbours():
    h = torch.randn(8, 5, generator=torch.Generator().manual_seed(4), dtype=torch.float64)
    s = feature_neighbours(h, 1e9)
    assert torch.allclose(s, torch.full_like(s, 1 / 8), atol=1e-9)
    s_small = feature_neighbours(h, 0.05)
    assert (s_small - 1 / 8).abs().max() > 0.1  # not uniform at small tau: the limit is a real change


def _agreeing_batch():
    """Two groups of 3: identical features within a group, orthogonal across; one-hot-like outputs per group."""
    h = torch.tensor([[1.0, 0.0]] * 3 + [[0.0, 1.0]] * 3, dtype=torch.float64)
    z = torch.tensor([[60.0, 0.0]] * 3 + [[0.0, 60.0]] * 3, dtype=torch.float64)
    return h, z


def test_kl_variant_zero_when_structures_agree_and_ce_equals_entropy():
    h, z = _agreeing_batch()
    tau = 0.01  # S -> uniform within the group, 0 across
    s, w = feature_neighbours(h, tau), output_affinities(z)
    assert torch.allclose(s, w, atol=1e-12)
    assert abs(float(clid(h, z, tau, "kl"))) < 1e-6
    # CE variant at W~ = S is the entropy H(S_i) = log 3 for every row.
    assert float(clid(h, z, tau, "ce")) == pytest.approx(math.log(3), abs=1e-6)
    # Outputs that disagree with the feature groups give a clearly positive KL.
    z_bad = z[[0, 3, 1, 4, 2, 5]]
    assert float(clid(h, z_bad, tau, "kl")) > 0.1


def test_normalized_weights_sum_to_one_and_zero_sum_kept():
    raw = torch.rand(17, generator=torch.Generator().manual_seed(5))
    assert float(normalize_weights(raw).sum()) == pytest.approx(1.0, abs=1e-6)
    z = torch.zeros(4)
    assert torch.equal(normalize_weights(z), z)


def _tiny_mlp():
    torch.manual_seed(0)
    cfg = build(MODELS.get("mlp").Config, {"width": 5, "depth": 1})
    return MODELS.get("mlp")((3,), 3, cfg).double()


def _autograd_meta_gradient(how, model, wnet, x, y, xm, lr, tau):
    """(d meta / d phi per weight-net parameter, CLID value at theta') by either of the two routes."""
    if how == "double_backward":
        meta, _ = meta_loss(model, wnet, x, y, xm, lr, tau)
        return torch.autograd.grad(meta, list(wnet.parameters())), float(meta.detach())
    per = torch.nn.functional.cross_entropy(model(x)[1], y, reduction="none")
    surrogate, meta, _ = meta_surrogate(model, wnet, per, x, y, xm, lr, tau)
    return torch.autograd.grad(surrogate, list(wnet.parameters())), float(meta)


@pytest.mark.parametrize("how", ["double_backward", "jvp"])
def test_meta_gradient_matches_finite_differences(how):
    """d CLID(theta'(phi)) / d phi through the virtual step, against central differences in float64.

    CLID's targets (S and the row sums of W) are stop-gradients, so the finite differences hold them
    at their values at phi_0; everything else (weights, virtual step, meta outputs) is recomputed."""
    g = torch.Generator().manual_seed(6)
    model = _tiny_mlp()
    wnet = WeightNet(4).double()
    x, y = torch.randn(6, 3, generator=g, dtype=torch.float64), torch.randint(0, 3, (6,), generator=g)
    xm = torch.randn(5, 3, generator=g, dtype=torch.float64)
    lr, tau = 0.7, 0.5
    auto, meta = _autograd_meta_gradient(how, model, wnet, x, y, xm, lr, tau)
    names = [k for k, _ in wnet.named_parameters()]

    phi0 = {k: v.detach().clone() for k, v in wnet.named_parameters()}
    with torch.no_grad():
        params = params_of(model)

    def virt_meta_outputs(phi):
        with torch.enable_grad():
            p = {k: v.detach().requires_grad_() for k, v in params.items()}
            _, logits = fcall(model, p, {}, x)
            per = torch.nn.functional.cross_entropy(logits, y, reduction="none")
            raw = functional_call(wnet, phi, (per.detach(),))
            virt = sgd_step(p, (normalize_weights(raw) * per).sum(), lr, create_graph=False)
        return fcall(model, {k: v.detach() for k, v in virt.items()}, {}, xm)

    h0, z0 = virt_meta_outputs(phi0)
    target = -torch.log(feature_neighbours(h0, tau) + CLID_EPS)
    pn0 = torch.nn.functional.normalize(torch.softmax(z0, 1), dim=1)
    rows0 = (pn0 @ pn0.T).sum(1, keepdim=True)

    def surrogate(phi):
        _, z = virt_meta_outputs(phi)
        pn = torch.nn.functional.normalize(torch.softmax(z, 1), dim=1)
        return float((pn @ pn.T / rows0 * target).sum(1).mean())

    assert surrogate(phi0) == pytest.approx(meta, rel=1e-12)
    eps = 1e-6
    worst = 0.0
    for name, ga in zip(names, auto):
        fd = torch.zeros_like(ga)
        for i in range(ga.numel()):
            plus = {k: v.clone() for k, v in phi0.items()}
            minus = {k: v.clone() for k, v in phi0.items()}
            plus[name].view(-1)[i] += eps
            minus[name].view(-1)[i] -= eps
            fd.view(-1)[i] = (surrogate(plus) - surrogate(minus)) / (2 * eps)
        worst = max(worst, float((fd - ga).abs().max() / (ga.abs().max() + 1e-12)))
        assert torch.allclose(ga, fd, rtol=1e-5, atol=1e-9), name
    assert max(float(a.abs().max()) for a in auto) > 1e-6  # the check is not vacuous


def test_jvp_and_double_backward_meta_gradients_agree_with_batchnorm():
    """The forward-mode route equals the create_graph route on a conv net with BatchNorm (float64)."""
    torch.manual_seed(1)
    cls = MODELS.get("cnn_small")
    model = cls((1, 8, 8), 4, build(cls.Config, {"channels": 4, "blocks": 1, "feature_dim": 8})).double()
    wnet = WeightNet(8).double()
    g = torch.Generator().manual_seed(7)
    x, y = torch.randn(12, 1, 8, 8, generator=g, dtype=torch.float64), torch.randint(0, 4, (12,), generator=g)
    xm = torch.randn(10, 1, 8, 8, generator=g, dtype=torch.float64)
    a, ma = _autograd_meta_gradient("double_backward", model, wnet, x, y, xm, 0.5, 0.5)
    b, mb = _autograd_meta_gradient("jvp", model, wnet, x, y, xm, 0.5, 0.5)
    assert ma == pytest.approx(mb, rel=1e-12)
    scale = max(float(t.abs().max()) for t in a)
    assert scale > 0
    assert all(torch.allclose(p, q, rtol=1e-8, atol=1e-10 * scale) for p, q in zip(a, b))


class _FakeOpt:
    """Stands in for the engine's Optimizers: records the groups stepped, applies plain SGD."""

    def __init__(self, model, method, lr=0.1):
        self.model, self.method, self._lr, self.calls = model, method, lr, []

    def step(self, loss, group="model"):
        self.calls.append(group)
        params = list(self.model.parameters()) if group == "model" else list(self.method.wnet.parameters())
        grads = torch.autograd.grad(loss, params, allow_unused=True)
        with torch.no_grad():
            for p, gr in zip(params, grads):
                if gr is not None:
                    p -= self._lr * gr

    def lr(self, group="model"):
        return self._lr


def _ctx(**kw):
    base = dict(
        num_classes=10,
        n_total=40,
        feature_dim=16,
        input_shape=(1, 8, 8),
        device=torch.device("cpu"),
        seed=0,
        epochs=1,
        n_labeled=40,
        n_unlabeled=0,
        model_name="cnn_small",
    )
    return MethodContext(**(base | kw))


@pytest.mark.parametrize("how", ["jvp", "double_backward"])
def test_train_step_moves_bn_statistics_once_and_reports_weights(how):
    torch.manual_seed(0)
    cls = MODELS.get("cnn_small")
    model = cls((1, 8, 8), 10, build(cls.Config, {"channels": 4, "blocks": 1, "feature_dim": 16}))
    method = METHODS.get("clid_mu")(
        build(ClidMU.Config, {"meta_size": 30, "meta_batch": 8, "meta_grad": how, "normalize": True}), _ctx()
    )
    x, y, idx = torch.randn(40, 1, 8, 8), torch.randint(0, 10, (40,)), torch.arange(40)
    method.begin_stage(0, None, model, None, StageData(x, y, idx, x[:0], idx[:0], lambda m, t: m(t)[1]))
    assert len(method.meta_x) == 30
    reference = copy.deepcopy(model)
    with torch.no_grad():
        reference(x[:16])  # what one real training forward does to the BatchNorm statistics
    wnet_before = [p.detach().clone() for p in method.wnet.parameters()]
    opt_ = _FakeOpt(model, method)
    res = method.train_step(Batch(x[:16], y[:16], idx[:16]), model, 0, opt_)
    assert opt_.calls == ["meta", "model"]
    assert any(not torch.equal(a, b) for a, b in zip(wnet_before, method.wnet.parameters()))
    # Virtual and meta passes ran on copied buffers: the statistics moved exactly once.
    ref = dict(reference.named_buffers())
    assert all(torch.allclose(ref[k], b) for k, b in model.named_buffers())
    w = res.per_sample["clid_weight"]
    assert w.shape == (16,) and bool(((w > 0) & (w < 1)).all())
    assert res.features.shape == (16, 16)
    # The real step is the weighted mean of the per-sample losses with the normalized raw weights.
    assert float(res.loss) == pytest.approx(float((normalize_weights(w) * res.per_sample["loss"]).sum()), rel=1e-5)
    scal, _ = method.end_epoch(1, model, None)
    assert set(scal) == {"clid_meta"} and math.isfinite(scal["clid_meta"])


def test_run_logs_meta_set_clid_and_selects_the_lowest(tmp_path):
    import os

    from core.engine.run_config import make_config
    from core.engine.trainer import train
    from core.store.reader import RunReader

    cfg = make_config(
        {
            "method": "clid_mu",
            "dataset": "digits",
            "model": "mlp",
            "epochs": 2,
            "probes": [],
            "batch_size": 256,
            "threads": 1,
            "noise_rate": 0.4,
        },
        ["model.width=16", "meta_size=200", "meta_batch=50"],
    )
    run_id, summary = train(cfg, str(tmp_path))
    assert summary["state"] == "completed", summary.get("error")
    rows = RunReader(os.path.join(str(tmp_path), run_id)).metrics()
    clids = [r["method/clid_meta"] for r in rows]
    assert len(clids) == 2 and all(math.isfinite(c) for c in clids)
    best = int(np.argmin(clids))
    assert summary["selected_epoch"] == rows[best]["epoch"]
    assert summary["test_acc_at_selected"] == rows[best]["test/acc"]


def test_warm_up_trains_with_uniform_weights_and_no_meta_step():
    torch.manual_seed(0)
    cls = MODELS.get("cnn_small")
    model = cls((1, 8, 8), 10, build(cls.Config, {"channels": 4, "blocks": 1, "feature_dim": 16}))
    # 40 labeled samples in batches of 16: 3 steps per epoch, so one warm-up epoch is steps 0, 1, 2.
    method = METHODS.get("clid_mu")(
        build(ClidMU.Config, {"meta_size": 30, "meta_batch": 8, "warmup_epochs": 1}), _ctx(batch_size=16)
    )
    x, y, idx = torch.randn(40, 1, 8, 8), torch.randint(0, 10, (40,)), torch.arange(40)
    method.begin_stage(0, None, model, None, StageData(x, y, idx, x[:0], idx[:0], lambda m, t: m(t)[1]))
    wnet_before = [p.detach().clone() for p in method.wnet.parameters()]
    b = Batch(x[:16], y[:16], idx[:16])
    opt_ = _FakeOpt(model, method)
    res = method.train_step(b, model, 2, opt_)
    assert opt_.calls == ["model"] and "clid_weight" not in res.per_sample
    assert float(res.loss) == pytest.approx(float(res.per_sample["loss"].mean()), rel=1e-6)  # uniform weights
    assert all(torch.equal(a, b_) for a, b_ in zip(wnet_before, method.wnet.parameters()))
    opt_ = _FakeOpt(model, method)
    res = method.train_step(b, model, 3, opt_)
    assert opt_.calls == ["meta", "model"] and "clid_weight" in res.per_sample


def _per_class_train_accuracy(method_options: dict, seed: int = 1) -> np.ndarray:
    """Per-class accuracy (K,) on the clean training samples (observed label = true label), after clid_mu on
    digits with 40% symmetric noise (the setting where the authors'-style weight net starved classes 8 and 9).
    Clean samples only: a starved class fails on them, while memorized flips (which lower the accuracy
    against the truth on all samples of every class alike) do not count."""
    import tempfile

    import torch

    from core.engine.evaluate import predict
    from core.engine.run_config import make_config
    from core.engine.trainer import Trainer

    cfg = make_config(
        {
            "method": "clid_mu",
            "dataset": "digits",
            "noise": "symmetric",
            "noise_rate": 0.4,
            "epochs": 30,
            "seed": seed,
            "probes": [],
            "threads": 1,
            "method_options": method_options,
        },
        [],
    )
    with tempfile.TemporaryDirectory() as d:
        t = Trainer(cfg, d)
        assert t.run()["state"] == "completed"
        a = t.a
        tr = a.prep.split.train
        pred = predict(t.model, a.X[torch.as_tensor(tr)])[1].argmax(1).cpu().numpy()
    truth, clean = a.prep.truth[tr], ~a.prep.flipped[tr]
    return np.array([(pred[clean & (truth == k)] == k).mean() for k in range(a.num_classes)])


@pytest.mark.slow
def test_no_class_collapses_under_the_defaults():
    # Issue 13's failure: Adam at 1e-3 from the first step starved classes 8 and 9 on this seed with the
    # previous default CNN (0.00 test accuracy). With the current CNN that setting no longer collapses
    # here (min per-class train accuracy 0.885, measured), so only the defaults are asserted.
    acc = _per_class_train_accuracy({})
    assert acc.min() >= 0.8, acc  # every class is fit (against its true labels)
