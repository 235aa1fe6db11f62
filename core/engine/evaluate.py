"""Per-log-point metrics. The only place (with probes and the summary) where the truth is used."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F


@torch.no_grad()
def predict(model: torch.nn.Module, x: torch.Tensor, batch_size: int = 4096) -> tuple[torch.Tensor, torch.Tensor]:
    """features (n, D) and logits (n, K) in eval mode; the model's previous mode is restored."""
    was = model.training
    model.eval()
    try:
        # Filled in place: a list of batches joined by torch.cat held every feature twice at the end (with
        # 256 features a row, 2 GB for a million rows).
        feats = logits = None
        for i in range(0, max(len(x), 1), batch_size):
            f, z = model(x[i : i + batch_size])
            if feats is None:
                feats = torch.empty((len(x), *f.shape[1:]), dtype=torch.float32, device=f.device)
                logits = torch.empty((len(x), *z.shape[1:]), dtype=torch.float32, device=z.device)
            feats[i : i + len(f)] = f
            logits[i : i + len(z)] = z
        return feats, logits
    finally:
        model.train(was)


class Evaluator:
    """Holds device index tensors of each split; `__call__(model)` -> metrics dict (one host sync)."""

    def __init__(
        self,
        X: torch.Tensor,
        observed: torch.Tensor,
        truth: torch.Tensor | None,
        flipped: torch.Tensor,
        split,
        device: torch.device,
    ):
        t = lambda a: torch.as_tensor(a, dtype=torch.long, device=device)  # noqa: E731
        self.X, self.obs, self.truth, self.flipped = X, observed, truth, flipped
        self.parts = {name: t(getattr(split, name)) for name in ("train", "val", "test", "unlabeled")}
        # One forward over the union of all evaluated samples.
        self.all_idx = torch.cat([self.parts[p] for p in ("train", "val", "test", "unlabeled")])
        self.last_logits: torch.Tensor | None = None
        self.last_feats: torch.Tensor | None = None

    def __call__(self, model) -> dict[str, float]:
        feats, logits = predict(model, self.X[self.all_idx])
        self.last_logits, self.last_feats = logits, feats
        pred = logits.argmax(1)
        out: dict[str, torch.Tensor] = {}
        off = 0
        sl = {}
        for p in ("train", "val", "test", "unlabeled"):
            n = len(self.parts[p])
            sl[p] = slice(off, off + n)
            off += n
        tr = self.parts["train"]
        p_tr = pred[sl["train"]]
        out["train/acc_observed"] = (p_tr == self.obs[tr]).float().mean()
        val = self.parts["val"]
        if len(val):
            out["val/acc"] = (pred[sl["val"]] == self.obs[val]).float().mean()
        te = self.parts["test"]
        y_te = self.truth[te] if self.truth is not None else self.obs[te]
        out["test/acc"] = (pred[sl["test"]] == y_te).float().mean()
        out["test/loss"] = F.cross_entropy(logits[sl["test"]], y_te)
        if self.truth is not None:
            y_tr = self.truth[tr]
            fl = self.flipped[tr]
            out["train/acc_clean"] = (p_tr == y_tr).float().mean()
            if len(val):
                out["val/acc_clean"] = (pred[sl["val"]] == self.truth[val]).float().mean()
            nf = fl.sum().clamp(min=1)
            nc = (~fl).sum().clamp(min=1)
            # memorized: a flipped sample predicted as its wrong observed label.
            out["train/memorized"] = ((p_tr == self.obs[tr]) & fl).sum() / nf
            out["train/acc_true_flipped"] = ((p_tr == y_tr) & fl).sum() / nf
            out["train/acc_true_clean"] = ((p_tr == y_tr) & ~fl).sum() / nc
            un = self.parts["unlabeled"]
            if len(un):
                out["unlabeled/acc"] = (pred[sl["unlabeled"]] == self.truth[un]).float().mean()
        keys = list(out)
        vals = torch.stack([v.float() for v in out.values()]).tolist()  # the one host sync
        res = dict(zip(keys, vals))
        if self.truth is not None and not bool(self.flipped[tr].any()):
            for k in ("train/memorized", "train/acc_true_flipped"):
                res.pop(k, None)
        return res

    def class_guess_acc(self, guesses: list[torch.Tensor], part: str) -> tuple[float, float | None] | None:
        """A method's class guesses (n_total,) each, NaN where unset, scored against the truth on split `part`
        ("train" or "unlabeled"): the share of samples where any of `guesses` is the true class, and the same on
        the flipped samples (None where there are none); None without truth or without any guess."""
        idx = self.parts[part]
        if self.truth is None or not len(idx):
            return None
        g = torch.stack([x[idx] for x in guesses])  # (G, n)
        seen = ~torch.isnan(g).any(0)
        if not bool(seen.any()):
            return None
        y = self.truth[idx][seen]
        hit = (g[:, seen].long() == y).any(0)
        fl = self.flipped[idx][seen]
        acc_fl = float(hit[fl].float().mean()) if part == "train" and bool(fl.any()) else None
        return float(hit.float().mean()), acc_fl

    def features_by_split(self) -> tuple[dict[str, torch.Tensor], dict[str, torch.Tensor]]:
        """The last evaluation's features of 'train' (n_tr, D) and 'heldout' (val + test) samples, and their
        dataset indices: what monitors evaluate on."""
        n_tr, n_val, n_te = (len(self.parts[p]) for p in ("train", "val", "test"))
        feats = self.last_feats
        by = {"train": feats[:n_tr], "heldout": feats[n_tr : n_tr + n_val + n_te]}
        ids = {"train": self.parts["train"], "heldout": torch.cat([self.parts["val"], self.parts["test"]])}
        return by, ids

    def outputs_of(self, idx) -> tuple[torch.Tensor, torch.Tensor] | None:
        """The last evaluation's eval-mode features (P, D) and logits (P, K) of dataset indices idx (P,), so
        probes need no forward of their own; None before any evaluation."""
        if self.last_feats is None:
            return None
        n_total = int(self.all_idx.max()) + 1
        inv = torch.full((n_total,), -1, dtype=torch.long, device=self.all_idx.device)
        inv[self.all_idx] = torch.arange(len(self.all_idx), device=self.all_idx.device)
        pos = inv[torch.as_tensor(idx, device=inv.device)]
        return self.last_feats[pos], self.last_logits[pos]

    def train_losses(self) -> np.ndarray:
        """Per-sample CE (n_train,) of the last evaluation against the observed labels."""
        tr = self.parts["train"]
        z = self.last_logits[: len(tr)]
        return F.cross_entropy(z, self.obs[tr], reduction="none").cpu().numpy()
