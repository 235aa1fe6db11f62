"""DRIFT: self-training with a differentiable teacher (Zuo et al., Findings of NAACL 2022, arXiv 2109.07049).

No official code exists; reconstructions (METHODS.md section 5, [R]): the follower map (EMA follower by
default, K-step unrolled follower as an option), soft pseudo-labels softmax(z_T / T), and the smooth
confidence weight (1 - H/log K by default, max-probability as an option)."""

from __future__ import annotations

import dataclasses
import math

import torch
import torch.nn.functional as F
from torch import nn

from core.config import opt
from core.errors import UserError
from core.methods.base import Method, StageData, StepOutput
from core.methods.functional import Params, buffers_copy, fcall, mode, params_of, sgd_step
from core.outputs import CLASS, WEIGHT, PerSample, Produces, Scalar
from core.registry import register_method


def pseudo_targets(
    teacher_logits: torch.Tensor, temperature: float, weight: str = "entropy"
) -> tuple[torch.Tensor, torch.Tensor]:
    """Soft pseudo-labels (B, K) on the simplex and confidence weights (B,) in [0, 1], both differentiable.

    weight "entropy": 1 - H(y^)/log K (0 for a uniform label, 1 for one-hot); "maxprob": max_k y^_k.
    """
    y_hat = torch.softmax(teacher_logits / temperature, dim=1)
    if weight == "entropy":
        k = y_hat.shape[1]
        ent = -(y_hat * torch.log(y_hat.clamp_min(1e-30))).sum(1)
        w = (1 - ent / math.log(k)).clamp(0, 1) if k > 1 else torch.ones_like(ent)
    elif weight == "maxprob":
        w = y_hat.max(1).values
    else:
        raise ValueError(f"unknown weight '{weight}'; valid: entropy, maxprob")
    return y_hat, w


def ema_follower(student: Params, stored: Params, decay: float) -> Params:
    """theta_T = decay * sg[t] + (1 - decay) * theta_S, so J_T = (1 - decay) I."""
    return {k: decay * stored[k].detach() + (1 - decay) * s for k, s in student.items()}


def unrolled_follower(
    model: nn.Module,
    student: Params,
    buffers: Params,
    x: torch.Tensor,
    y: torch.Tensor,
    steps: int,
    lr: float,
    create_graph: bool = True,
) -> Params:
    """theta_T = K plain SGD steps on the labeled loss CE(f(x; theta), y) starting from theta_S,
    differentiated through when `create_graph`. x (B, ...), y (B,)."""
    theta = dict(student)
    for _ in range(steps):
        _, logits = fcall(model, theta, buffers, x)
        theta = sgd_step(theta, F.cross_entropy(logits, y), lr, create_graph=create_graph)
    return theta


def leader_objective(
    student_logits_l: torch.Tensor,
    y_l: torch.Tensor,
    student_logits_u: torch.Tensor,
    teacher_logits_u: torch.Tensor,
    temperature: float,
    weight: str,
    lambda_u: float,
) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """F = CE(z_l, y_l) + lambda_u * mean_u[w(z_T) * CE(y^(z_T), softmax(z_u))].

    student_logits_l (B_l, K), y_l (B_l,), student_logits_u / teacher_logits_u (B_u, K).
    Returns F and the parts (labeled loss, unlabeled loss, y^ (B_u, K), w (B_u,), per-sample CE (B_u,))."""
    y_hat, w = pseudo_targets(teacher_logits_u, temperature, weight)
    sup = F.cross_entropy(student_logits_l, y_l) if len(y_l) else student_logits_u.new_zeros(())
    ce_u = -(y_hat * F.log_softmax(student_logits_u, dim=1)).sum(1)
    unsup = (w * ce_u).mean()
    return sup + lambda_u * unsup, {"sup": sup, "unsup": unsup, "y_hat": y_hat, "w": w, "ce_u": ce_u}


@register_method("drift")
class Drift(Method):
    """Student (leader) trained on labeled CE plus confidence-weighted soft pseudo-labels from a teacher
    (follower) that is a function of the student inside the autograd graph (Stackelberg gradient)."""

    help = "Self-training on unlabeled data where the teacher's pseudo-labels react to the student, which steadies training."
    help_ja = "ラベルなしデータでの自己学習。教師の疑似ラベルが生徒に反応して動くので、学習が安定する。"
    # Time per step relative to ce (docs/DESIGN.md "Targets"): a step trains 2B samples plus a teacher pass.
    cost_target = 3.0
    produces = Produces(
        per_sample=(
            PerSample(
                "drift_weight", WEIGHT, {"en": "pseudo-label weight", "ja": "疑似ラベルの重み"}, part="unlabeled"
            ),
            PerSample(
                "pseudo_label",
                CLASS,
                {"en": "teacher pseudo-label", "ja": "教師の疑似ラベル"},
                part="unlabeled",
                metric="unlabeled/pseudo_acc",
            ),
        ),
        scalars=(
            Scalar("loss_labeled", {"en": "loss on the labeled batch", "ja": "ラベル付きバッチの損失"}),
            Scalar("loss_unlabeled", {"en": "loss on the unlabeled batch", "ja": "ラベルなしバッチの損失"}),
            Scalar("weight_mean", {"en": "mean pseudo-label weight (batch)", "ja": "疑似ラベル重みの平均（バッチ）"}),
            Scalar(
                "weight_std",
                {"en": "std of the pseudo-label weights (batch)", "ja": "疑似ラベル重みの標準偏差（バッチ）"},
            ),
            Scalar(
                "disagreement",
                {"en": "teacher-student disagreement (batch)", "ja": "教師と生徒の不一致（バッチ）"},
                unit="share",
            ),
            Scalar(
                "teacher_disagreement",
                {"en": "teacher-student disagreement (all unlabeled)", "ja": "教師と生徒の不一致（ラベルなし全体）"},
                unit="share",
            ),
            Scalar("pseudo_weight_mean", {"en": "mean pseudo-label weight", "ja": "疑似ラベル重みの平均"}),
            Scalar("pseudo_weight_std", {"en": "std of the pseudo-label weights", "ja": "疑似ラベル重みの標準偏差"}),
            Scalar(
                "pseudo_flip_rate",
                {"en": "pseudo-labels changed since the last epoch", "ja": "前エポックから変わった疑似ラベルの割合"},
                unit="share",
            ),
            Scalar(
                "follower_share",
                {"en": "share of steps the follower map was used", "ja": "フォロワー写像を使ったステップの割合"},
                unit="share",
            ),
        ),
        caption={
            "en": "How DRIFT's differentiable teacher behaves: pseudo-label flip rate, sample weights, teacher-student disagreement, pseudo-label accuracy.\nA falling flip rate means the teacher has settled; the paper targets exactly this instability.",
            "ja": "DRIFT の微分可能な教師の振る舞い: 疑似ラベルの反転率、サンプル重み、教師と生徒の不一致、疑似ラベル精度。\n反転率が下がれば教師が安定したことを示します。論文が狙うのはまさにこの不安定性です。",
        },
    )
    uses_unlabeled = True

    @dataclasses.dataclass(frozen=True)
    class Config:
        follower: str = opt(
            "ema",
            "teacher as a function of the student: EMA follower or K unrolled SGD steps",
            choices=("ema", "unroll"),
        )
        ema_decay: float = opt(
            0.9, "EMA follower: teacher = decay * old teacher + (1 - decay) * student", lo=0.0, hi=1.0, hi_open=True
        )
        unroll_steps: int = opt(1, "unrolled follower: SGD steps of the teacher on the labeled batch", lo=1, hi=20)
        unroll_lr: float = opt(0.1, "unrolled follower: step size of those SGD steps", lo=0.0, lo_open=True, hi=10.0)
        temperature: float = opt(0.5, "pseudo-label temperature (< 1 sharpens)", lo=0.0, lo_open=True, hi=100.0)
        weight: str = opt(
            "entropy", "confidence weight: 1 - entropy/log K, or the max probability", choices=("entropy", "maxprob")
        )
        lambda_u: float = opt(1.0, "weight of the unlabeled (pseudo-label) loss", lo=0.0, hi=100.0)
        detach_teacher: bool = opt(False, "cut the follower path: plain soft self-training, for comparison")
        share_every: int = opt(
            10,
            "measure the follower-path share of the gradient every this many steps (costs one backward)",
            lo=1,
            hi=100000,
        )

    def __init__(self, cfg, ctx):
        super().__init__(cfg, ctx)
        self.teacher: Params = {}
        self.teacher_bufs: Params = {}
        self.prev_pseudo: torch.Tensor | None = None
        self._share_sum, self._share_n, self._epoch_steps = 0.0, 0, 0

    def begin_stage(self, index, stage, model, prev_model, data: StageData) -> dict[str, float]:
        self.teacher = {k: p.detach().clone() for k, p in params_of(model).items()}
        self.teacher_bufs = buffers_copy(model)
        self.prev_pseudo = None
        return {}

    # --- the follower ---------------------------------------------------------------------------
    def teacher_params(self, model: nn.Module, student: Params, x_l: torch.Tensor, y_l: torch.Tensor) -> Params:
        c = self.cfg
        if c.follower == "ema":
            theta = ema_follower(student, self.teacher, c.ema_decay)
        else:
            theta = unrolled_follower(
                model,
                student,
                buffers_copy(model),
                x_l,
                y_l,
                c.unroll_steps,
                c.unroll_lr,
                create_graph=not c.detach_teacher,
            )
        return {k: v.detach() for k, v in theta.items()} if c.detach_teacher else theta

    def objective(self, model: nn.Module, batch) -> tuple[torch.Tensor, dict, Params, Params, torch.Tensor]:
        """F for one step, with the student params it depends on and the teacher params it was built from."""
        c = self.cfg
        student = params_of(model)
        n_l = len(batch.x)
        feats, logits = model(torch.cat([batch.x, batch.x_u]))  # one student pass (BatchNorm sees both parts)
        theta_t = self.teacher_params(model, student, batch.x, batch.y)
        with mode(model, False):  # the teacher labels without dropout, with its own BatchNorm statistics
            _, z_t = fcall(model, theta_t, self.teacher_bufs, batch.x_u)
        up = lambda t: t.float() if t.dtype in (torch.float16, torch.bfloat16) else t  # noqa: E731 (AMP only)
        f, parts = leader_objective(
            up(logits[:n_l]), batch.y, up(logits[n_l:]), up(z_t), c.temperature, c.weight, c.lambda_u
        )
        parts["z_t"], parts["z_s"] = z_t.detach(), logits[n_l:].detach()
        return f, parts, student, theta_t, feats[:n_l]

    def follower_share(self, f: torch.Tensor, student: Params, theta_t: Params) -> torch.Tensor:
        """||J_T^T dF/d theta_T|| / ||dF/d theta_S (total)||, from one extra backward (graph kept)."""
        names = list(student)
        t_list = [theta_t[k] for k in names]
        grads = torch.autograd.grad(f, [student[k] for k in names] + t_list, retain_graph=True, allow_unused=True)
        total, g_t = grads[: len(names)], grads[len(names) :]
        pairs = [(t, g) for t, g in zip(t_list, g_t) if g is not None]
        follow = torch.autograd.grad(
            [t for t, _ in pairs],
            [student[k] for k in names],
            grad_outputs=[g for _, g in pairs],
            retain_graph=True,
            allow_unused=True,
        )
        sq = lambda gs: sum((g.double() ** 2).sum() for g in gs if g is not None)  # noqa: E731
        return torch.sqrt(sq(follow)) / torch.sqrt(sq(total)).clamp_min(1e-30)

    def train_step(self, batch, model, step, opt_) -> StepOutput:
        if batch.x_u is None or len(batch.x_u) == 0:
            raise UserError(
                "drift needs unlabeled training samples: set labeled_fraction < 1 so that some "
                "training labels are hidden (e.g. --set labeled_fraction=0.1)"
            )
        c = self.cfg
        f, parts, student, theta_t, feats = self.objective(model, batch)
        # Counted within the epoch, so every epoch gets at least one measurement (its first step).
        if not c.detach_teacher and self._epoch_steps % c.share_every == 0:
            self._share_sum += float(self.follower_share(f, student, theta_t))
            self._share_n += 1
        self._epoch_steps += 1
        opt_.step(f)
        self._update_teacher(model, theta_t)
        w = parts["w"].detach()
        pseudo = parts["z_t"].argmax(1)
        return StepOutput(
            f.detach(),
            scalars={
                "loss_labeled": parts["sup"].detach(),
                "loss_unlabeled": parts["unsup"].detach(),
                "weight_mean": w.mean(),
                "weight_std": w.std() if len(w) > 1 else w.new_zeros(()),
                "disagreement": (pseudo != parts["z_s"].argmax(1)).float().mean(),
            },
            per_sample_unlabeled={"drift_weight": w, "pseudo_label": pseudo.float()},
            features=feats.detach(),
        )

    @torch.no_grad()
    def _update_teacher(self, model: nn.Module, theta_t: Params) -> None:
        if self.cfg.follower == "ema":
            # The stored teacher becomes this step's follower, built from the student *before* its step:
            # t <- a t + (1 - a) theta_S. Mixing in the updated student instead would count each student
            # twice (weight (1 - a)(1 + a) = 0.19 at a = 0.9 in the next teacher instead of 0.1).
            a = self.cfg.ema_decay
            for k, v in theta_t.items():
                self.teacher[k].copy_(v.detach())
            for k, b in model.named_buffers():
                if b.dtype.is_floating_point:
                    self.teacher_bufs[k].mul_(a).add_(b, alpha=1 - a)
                else:
                    self.teacher_bufs[k].copy_(b)
        else:
            # The unrolled teacher is rebuilt from the student every step; keep the last one for end_epoch.
            self.teacher = {k: v.detach().clone() for k, v in theta_t.items()}
            self.teacher_bufs = buffers_copy(model)

    @torch.no_grad()
    def end_epoch(self, epoch, model, data: StageData):
        if not self.teacher or len(data.x_u) == 0:
            return {}, {}
        c = self.cfg
        zt, zs = [], []
        with mode(model, False):
            for i in range(0, len(data.x_u), 2048):
                xu = data.x_u[i : i + 2048]
                zt.append(fcall(model, self.teacher, self.teacher_bufs, xu)[1].float())
                zs.append(model(xu)[1].float())
        z_t, z_s = torch.cat(zt), torch.cat(zs)
        _, w = pseudo_targets(z_t, c.temperature, c.weight)
        pseudo = z_t.argmax(1)
        out = {
            "teacher_disagreement": float((pseudo != z_s.argmax(1)).float().mean()),
            "pseudo_weight_mean": float(w.mean()),
            "pseudo_weight_std": float(w.std()) if len(w) > 1 else 0.0,
        }
        if self.prev_pseudo is not None:
            out["pseudo_flip_rate"] = float((pseudo != self.prev_pseudo).float().mean())
        self.prev_pseudo = pseudo
        self._epoch_steps = 0
        if self._share_n:
            out["follower_share"] = self._share_sum / self._share_n
            self._share_sum, self._share_n = 0.0, 0
        return out, {"pseudo_label": (data.idx_u, pseudo.float()), "drift_weight": (data.idx_u, w)}
