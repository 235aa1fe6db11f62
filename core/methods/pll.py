"""One-round partial-label refinement (Jeong & Chung, arXiv 2402.10482, ICLR 2025; code github.com/Hyeonsu-Jeong/SelfPLL).

A teacher trains on the observed labels; a student then trains on two-hot targets, ½ on each of the
teacher's top-2 classes [V]. Loss: CE on the two-hot target (the theory, default) or the code's GCE
partial loss, mean over the two candidates of (1 − p_k^q)/q with q = 0.7 [V]. The student starts from the
teacher's weights, as in the authors' code [V] (`init_from_teacher`, on by default; off = a fresh student).
"""

from __future__ import annotations

import dataclasses

import torch
import torch.nn.functional as F

from core.config import opt
from core.methods.base import Method, Stage, StepOutput
from core.outputs import CLASS, LOSS, PerSample, Produces
from core.registry import register_method


def top2(teacher_logits: torch.Tensor) -> torch.Tensor:
    """(B, K) -> (B, 2) indices of the two largest logits; ties go to the lower class index."""
    # A stable sort makes the tie-break a rule instead of an implementation detail of topk.
    return torch.sort(teacher_logits, dim=1, descending=True, stable=True).indices[:, :2]


def two_hot(teacher_logits: torch.Tensor) -> torch.Tensor:
    """(B, K) -> (B, K) target with ½ on each of the teacher's top-2 classes (see `top2`), 0 elsewhere."""
    out = torch.zeros_like(teacher_logits, dtype=torch.promote_types(teacher_logits.dtype, torch.float32))
    return out.scatter_(1, top2(teacher_logits), 0.5)


def two_hot_ce(logits: torch.Tensor, cand: torch.Tensor) -> torch.Tensor:
    """Per-sample CE(two-hot, softmax(logits)) = ½(−log p_k1 − log p_k2): logits (B, K), cand (B, 2) -> (B,)."""
    return -F.log_softmax(logits, dim=1).gather(1, cand).mean(1)


def gce_partial(logits: torch.Tensor, cand: torch.Tensor, q: float) -> torch.Tensor:
    """Per-sample mean over the two candidates of (1 − p_k^q)/q (→ two_hot_ce as q → 0): (B,)."""
    logp = F.log_softmax(logits, dim=1).gather(1, cand)
    return ((1 - torch.exp(q * logp)) / q).mean(1)


@register_method("pll")
class PartialLabel(Method):
    help = (
        "Train once, then retrain on each sample's two most likely classes as equal candidates, "
        "so a wrong label no longer has to win outright."
    )
    help_ja = (
        "一度学習した後、各サンプルの上位2クラスを同等の候補として学習し直す：誤ったラベルが単独で勝つ必要がなくなる。"
    )
    produces = Produces(
        per_sample=(
            LOSS,
            PerSample(
                "pll_top1",
                CLASS,
                {"en": "teacher top-1 candidate class", "ja": "教師の第 1 候補クラス"},
                metric="train/teacher_top1_true",
            ),
            PerSample(
                "pll_top2",
                CLASS,
                {"en": "teacher top-2 candidate class", "ja": "教師の第 2 候補クラス"},
                metric="train/teacher_top2_true",
                any_of=("pll_top1",),
            ),
        ),
    )

    @dataclasses.dataclass(frozen=True)
    class Config:
        loss: str = opt(
            "ce", "student loss: cross-entropy on the two-hot target, or the authors' code's GCE", choices=("ce", "gce")
        )
        q: float = opt(0.7, "GCE exponent q (as q -> 0 GCE becomes cross-entropy)", lo=0.0, hi=1.0, lo_open=True)
        init_from_teacher: bool = opt(
            True,
            "start the student from the teacher's weights (as the authors' code); off: a freshly initialized student",
        )

    def __init__(self, cfg, ctx):
        super().__init__(cfg, ctx)
        self.cand: torch.Tensor | None = None  # (n_total, 2) teacher top-2 keyed by dataset index, -1 = none
        self._teacher_idx: torch.Tensor | None = None

    def stages(self):
        return [Stage("teacher"), Stage("student", fresh_model=not self.cfg.init_from_teacher)]

    @torch.no_grad()
    def begin_stage(self, index, stage, model, prev_model, data):
        if index == 0 or prev_model is None:
            self.cand = None
            return {}
        logits = data.predict(prev_model, data.x)
        c = top2(logits)
        self.cand = torch.full((self.ctx.n_total, 2), -1, dtype=torch.long, device=c.device)
        self.cand[data.idx] = c
        self._teacher_idx = data.idx
        return {
            "teacher_top1_observed": (c[:, 0] == data.y).float().mean().item(),
            "teacher_top2_observed": (c == data.y[:, None]).any(1).float().mean().item(),
        }

    def loss(self, batch, out, step):
        _, logits = out
        z = logits.to(torch.promote_types(logits.dtype, torch.float32))
        if self.cand is None:
            per = F.cross_entropy(z, batch.y, reduction="none")
        else:
            cand = self.cand[batch.idx]
            per = gce_partial(z, cand, self.cfg.q) if self.cfg.loss == "gce" else two_hot_ce(z, cand)
        return StepOutput(per.mean(), per_sample={"loss": per.detach()})

    def end_epoch(self, epoch, model, data):
        if self.cand is None:
            return {}, {}
        c = self.cand[self._teacher_idx]
        # Per-sample teacher candidates, so probes and summaries (which know the truth) can score them.
        return {}, {"pll_top1": (self._teacher_idx, c[:, 0].float()), "pll_top2": (self._teacher_idx, c[:, 1].float())}
