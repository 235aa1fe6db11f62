"""The one training loop: stages -> epochs -> steps, with logging, probes, STOP and NaN handling.

Small datasets live on the device as tensors (no DataLoader). Metrics are reduced on the device and
synchronized once per log point.
"""
from __future__ import annotations

import contextlib
import math
import os
import time
import traceback

import numpy as np
import torch

from core import config as C
from core.data.prepare import Prepared, prepare
from core.engine.device import describe_device, pick_device
from core.engine.evaluate import Evaluator, predict
from core.engine.run_config import RunConfig
from core.methods.base import Batch, MethodContext, OptimGroup, StageData
from core.models import build_model, default_model_for
from core.probes.base import ProbeContext
from core.registry import METHODS, MONITORS, PROBES
from core.store.files import disk_full_text
from core.store.writer import RunWriter, new_run_id

HEARTBEAT_S = 5.0


class RunStopped(Exception):
    """The STOP file appeared."""


class RunDiverged(Exception):
    """The loss became NaN or inf."""


class Optimizers:
    """The engine's optimizers by group; methods call `step(loss, group)` and never see them directly."""

    def __init__(self):
        self.opts: dict[str, torch.optim.Optimizer] = {}
        self.params: dict[str, list] = {}

    def add(self, name: str, opt: torch.optim.Optimizer, params: list) -> None:
        self.opts[name], self.params[name] = opt, params

    def step(self, loss: torch.Tensor, group: str = "model") -> None:
        opt = self.opts[group]
        if group == "model":
            opt.zero_grad(set_to_none=True)
            loss.backward()
        else:
            # Only this group's parameters get gradients, so a meta-loss leaves no stale grads in the model.
            grads = torch.autograd.grad(loss, self.params[group], allow_unused=True)
            for p, g in zip(self.params[group], grads):
                p.grad = g
        opt.step()

    def lr(self, group: str = "model") -> float:
        return self.opts[group].param_groups[0]["lr"]


def _make_optimizer(kind: str, params: list, lr: float, wd: float, momentum: float) -> torch.optim.Optimizer:
    if kind == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=momentum, weight_decay=wd)
    if kind == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=wd)
    return torch.optim.AdamW(params, lr=lr, weight_decay=wd)


def _stratified_subset(idx: np.ndarray, y: np.ndarray, size: int, seed: int) -> np.ndarray:
    if len(idx) <= size:
        return np.sort(idx)
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x9B0BE]))
    out = []
    for c in np.unique(y[idx]):
        m = idx[y[idx] == c]
        k = max(1, int(round(size * len(m) / len(idx))))
        out.append(rng.choice(m, size=min(k, len(m)), replace=False))
    return np.sort(np.concatenate(out))


def resolve(cfg: RunConfig, prep: Prepared | None = None) -> RunConfig:
    """Fill the defaults a run depends on (model by data shape, all method/model options) for config.json."""
    prep = prep or prepare(cfg)
    model = cfg.model or default_model_for(prep.dataset.input_shape, prep.dataset.kind)
    from core.registry import MODELS

    method_opts = C.to_dict(C.build(METHODS.get(cfg.method).Config, cfg.method_options))
    model_opts = C.to_dict(C.build(MODELS.get(model).Config, cfg.model_options))
    import dataclasses

    return dataclasses.replace(cfg, model=model, method_options=method_opts, model_options=model_opts)


class Trainer:
    def __init__(self, cfg: RunConfig, runs_dir: str, run_id: str | None = None, echo=None, writer=None):
        """`writer`: a RunWriter by default; a Ray task passes a StreamWriter with the same methods."""
        self.cfg = cfg
        self.runs_dir = runs_dir
        self.run_id = run_id or new_run_id(cfg.method, cfg.dataset, cfg.seed)
        self.echo = echo or (lambda s: None)
        self.writer = writer or RunWriter(runs_dir, self.run_id)

    # ------------------------------------------------------------------------------------------
    def run(self) -> dict:
        w = self.writer
        t_start = time.time()
        self.t_start = t_start
        self.history: list[dict] = []
        self.summary: dict = {}
        tb = None
        try:
            w.set_status("running", progress={"epoch": 0, "epochs_total": None})
            if hasattr(w, "reserve"):  # room for the last words, should the disk fill up (a streamed run has none)
                w.reserve()
            self._setup()
            self._train()
            state, err = "completed", None
        except RunStopped:
            state, err = "stopped", "stopped by the user"
        except RunDiverged as e:
            state, err = "failed", str(e)
        except KeyboardInterrupt:
            state, err = "stopped", "interrupted"
        except Exception as e:  # the run is marked failed with the reason; other runs go on
            state, err = "failed", disk_full_text(e, self.runs_dir) or f"{type(e).__name__}: {e}"
            tb = traceback.format_exc()
        summary = self._summary(state, time.time() - t_start)
        if hasattr(w, "release"):
            w.release()
        if state != "completed":  # the reason first, while the freed reserve still has room for it
            with contextlib.suppress(OSError):
                w.set_status(state, error=err)
        if tb is not None:
            try:
                w.write_json("traceback.json", {"traceback": tb})
            except OSError:
                pass  # the reason is in the status; the traceback is a nice-to-have
        try:
            if err:
                summary["error"] = err
            w.write_summary(summary)
        except OSError as e:  # the disk filled up at the end: the status below still says why
            state, err = "failed", disk_full_text(e, self.runs_dir) or f"{type(e).__name__}: {e}"
            summary.update(state=state, error=err)
        try:
            w.set_status(state, error=err)
        except OSError:
            # Not even the status fits: the reader reports the run dead once this process is gone, and
            # a folder left empty is removed rather than shown as a broken run.
            with contextlib.suppress(OSError, TypeError):
                os.rmdir(getattr(w, "dir", None))
        with contextlib.suppress(OSError):
            w.close()
        return summary

    # ------------------------------------------------------------------------------------------
    def _setup(self) -> None:
        cfg = self.cfg
        if cfg.threads:
            torch.set_num_threads(cfg.threads)
        torch.manual_seed(cfg.seed)
        self.prep = prep = prepare(cfg)
        self.cfg = cfg = resolve(cfg, prep)
        self.writer.write_json("config.json", cfg.to_dict())
        self.device = dev = pick_device(cfg.device)
        ds = prep.dataset
        self.K = ds.num_classes
        sp = prep.split
        self.X = torch.as_tensor(ds.X, device=dev)
        obs = prep.observed.copy()
        obs[sp.unlabeled] = -1  # hidden labels are invisible to methods
        self.y_obs = torch.as_tensor(obs, device=dev)
        self.truth = torch.as_tensor(prep.truth, device=dev) if prep.truth is not None else None
        self.flipped = torch.as_tensor(prep.flipped, device=dev)
        self.train_idx = torch.as_tensor(sp.train, device=dev)
        self.unl_idx = torch.as_tensor(sp.unlabeled, device=dev)
        self.evaluator = Evaluator(self.X, torch.as_tensor(prep.observed, device=dev), self.truth,
                                   self.flipped, sp, dev)
        method_cls = METHODS.get(cfg.method)
        probe_model = build_model(cfg.model, ds.input_shape, self.K, cfg.model_options)
        self.mctx = MethodContext(
            num_classes=self.K, n_total=len(ds.y), feature_dim=probe_model.feature_dim,
            input_shape=ds.input_shape, device=dev, seed=cfg.seed, epochs=cfg.epochs,
            n_labeled=len(sp.train), n_unlabeled=len(sp.unlabeled), model_name=cfg.model)
        del probe_model
        self.method = method_cls(C.build(method_cls.Config, cfg.method_options), self.mctx)
        self.monitors = []
        for name in cfg.monitors:
            mcls = MONITORS.get(name)
            self.monitors.append(mcls(C.build(mcls.Config, cfg.monitor_options.get(name, {})), self.mctx))
        names = PROBES.names() if "all" in cfg.probes else list(cfg.probes)
        self.probes = []
        for name in names:
            pcls = PROBES.get(name)
            self.probes.append(pcls(C.build(pcls.Config, cfg.probe_options.get(name, {}))))
        pidx = _stratified_subset(sp.train, prep.observed, cfg.probe_size, cfg.seed)
        self.probe_idx = pidx
        self.per_sample: dict[str, torch.Tensor] = {}
        self.stage_data = StageData(
            x=self.X[self.train_idx], y=self.y_obs[self.train_idx], idx=self.train_idx,
            x_u=self.X[self.unl_idx], idx_u=self.unl_idx, predict=lambda m, x: predict(m, x)[1])
        self.stages = self.method.stages()
        self.epochs_total = cfg.epochs * len(self.stages)
        self.autocast = (torch.autocast("cuda", dtype=torch.bfloat16) if cfg.amp and dev.type == "cuda"
                         else contextlib.nullcontext())
        self.writer.write_json("data.json", {
            "dataset": ds.name, "source": ds.source, "content_hash": ds.content_hash,
            "num_classes": self.K, "class_names": list(ds.class_names), "input_shape": list(ds.input_shape),
            "kind": ds.kind, "n": int(len(ds.y)), "n_train": int(len(sp.train)), "n_val": int(len(sp.val)),
            "n_test": int(len(sp.test)), "n_unlabeled": int(len(sp.unlabeled)), "noise": prep.noise,
            "device": describe_device(dev)})
        self.writer.write_json("split.json", {k: getattr(sp, k).tolist() for k in ("train", "val", "test", "unlabeled")}
                               | {"probe": pidx.tolist()})
        self.echo(f"run {self.run_id}: {cfg.method} on {ds.name} ({len(sp.train)} train) with {cfg.model} on {describe_device(dev)}")

    def _build(self, stage_index: int):
        cfg, ds = self.cfg, self.prep.dataset
        torch.manual_seed(cfg.seed + 1000 * stage_index)
        model = build_model(cfg.model, ds.input_shape, self.K, cfg.model_options).to(self.device)
        return model

    def _optimizers(self, model) -> Optimizers:
        cfg = self.cfg
        opts = Optimizers()
        params = list(model.parameters())
        for mod in self.method.modules().values():
            mod.to(self.device)
            params += list(mod.parameters())
        opts.add("model", _make_optimizer(cfg.optimizer, params, cfg.lr, cfg.weight_decay, cfg.momentum), params)
        groups: list[OptimGroup] = list(self.method.optim_groups())
        for mon in self.monitors:
            for mod in mon.modules().values():
                mod.to(self.device)
            groups += mon.optim_groups()
        for g in groups:
            opts.add(g.name, _make_optimizer(g.kind, g.params, g.lr, g.weight_decay, g.momentum), g.params)
        return opts

    # ------------------------------------------------------------------------------------------
    def _train(self) -> None:
        cfg, dev = self.cfg, self.device
        gen = torch.Generator().manual_seed(cfg.seed)
        n_l, n_u = len(self.train_idx), len(self.unl_idx)
        bs = min(cfg.batch_size, max(1, n_l))
        uses_u = self.method.uses_unlabeled and n_u > 0
        steps_per_epoch = math.ceil((n_u if uses_u else n_l) / bs)
        stop_requested = self.writer.stop_requested
        step, epoch = 0, 0
        model = prev = None
        last_beat = time.monotonic()
        for s_i, stage in enumerate(self.stages):
            if model is None or stage.fresh_model:
                prev, model = model, self._build(s_i)
            else:
                prev = model
            opts = self._optimizers(model)
            stage_scalars = self.method.begin_stage(s_i, stage, model, prev, self.stage_data) or {}
            total_steps = cfg.epochs * steps_per_epoch
            base_lr = cfg.lr
            for ep in range(cfg.epochs):
                model.train()
                t_ep = time.perf_counter()
                loss_sum = torch.zeros((), device=dev)
                scal_sum: dict[str, torch.Tensor] = {}
                mon_sum: dict[str, torch.Tensor] = {}
                # Index the epoch's order once; each step then takes a slice (a view, no extra op).
                if uses_u:
                    order = self.unl_idx[torch.randperm(n_u, generator=gen).to(dev)]
                    picks = self.train_idx[torch.randint(n_l, (steps_per_epoch, bs), generator=gen).to(dev)]
                else:
                    order = self.train_idx[torch.randperm(n_l, generator=gen).to(dev)]
                for b in range(steps_per_epoch):
                    if stop_requested():
                        raise RunStopped()
                    if cfg.schedule == "cosine":
                        t = (ep * steps_per_epoch + b) / max(1, total_steps)
                        lr = base_lr * 0.5 * (1 + math.cos(math.pi * t))
                        for g in opts.opts["model"].param_groups:
                            g["lr"] = lr
                    if uses_u:
                        idx_u = order[b * bs:(b + 1) * bs]
                        idx = picks[b]
                        batch = Batch(self.X[idx], self.y_obs[idx], idx, self.X[idx_u], idx_u)
                    else:
                        idx = order[b * bs:(b + 1) * bs]
                        batch = Batch(self.X[idx], self.y_obs[idx], idx)
                    with self.autocast:
                        res = self.method.train_step(batch, model, step, opts)
                    loss_sum += res.loss.detach()
                    for k, v in res.scalars.items():
                        scal_sum[k] = scal_sum.get(k, 0) + v.detach().float()
                    for k, v in res.per_sample.items():
                        self._store_per_sample(k, idx, v)
                    for k, v in res.per_sample_unlabeled.items():
                        self._store_per_sample(k, batch.idx_u, v)
                    if self.monitors:
                        feats = res.features if getattr(res, "features", None) is not None else None
                        if feats is None:
                            feats = predict(model, batch.x)[0]
                        for mon in self.monitors:
                            for k, v in mon.observe(feats.detach().float(), idx, step, opts).items():
                                mon_sum[k] = mon_sum.get(k, 0) + v.detach().float()
                    step += 1
                    if time.monotonic() - last_beat > HEARTBEAT_S:
                        last_beat = time.monotonic()
                        self.writer.heartbeat(progress={"epoch": epoch + b / steps_per_epoch,
                                                        "epochs_total": self.epochs_total, "stage": s_i})
                if dev.type == "cuda":
                    torch.cuda.synchronize()
                train_time = time.perf_counter() - t_ep
                epoch += 1
                is_last = ep == cfg.epochs - 1
                if epoch % cfg.log_every and not is_last:
                    continue
                self._log_point(model, opts, s_i, stage, epoch, step, loss_sum / steps_per_epoch,
                                {k: v / steps_per_epoch for k, v in scal_sum.items()},
                                {k: v / steps_per_epoch for k, v in mon_sum.items()},
                                stage_scalars if ep == 0 else {}, train_time,
                                run_probes=(epoch % cfg.probe_every == 0) or (is_last and s_i == len(self.stages) - 1)
                                or (is_last and len(self.stages) > 1))
                last_beat = time.monotonic()
        self.model = model
        self._save_per_sample(epoch)  # the final values, also when no probe ran at the last epoch

    def _store_per_sample(self, key: str, idx: torch.Tensor, v: torch.Tensor) -> None:
        buf = self.per_sample.get(key)
        if buf is None:
            buf = self.per_sample[key] = torch.full((self.mctx.n_total,), float("nan"), device=self.device)
        buf[idx] = v.detach().float().reshape(-1)

    def _log_point(self, model, opts, s_i, stage, epoch, step, mean_loss, scalars, mon_scalars,
                   stage_scalars, train_time, run_probes) -> None:
        t0 = time.perf_counter()
        rec: dict = {"epoch": epoch, "step": step, "stage": s_i, "stage_name": stage.name,
                     "time": time.time() - self.t_start, "lr": opts.lr("model")}
        vals = torch.stack([mean_loss] + list(scalars.values()) + list(mon_scalars.values())).tolist()
        rec["train/loss"] = vals[0]
        if not math.isfinite(vals[0]):
            self.writer.log(rec)
            raise RunDiverged(f"the loss became {vals[0]} at epoch {epoch} (step {step}); "
                              "try a lower learning rate")
        rec.update({f"method/{k}": v for k, v in zip(scalars, vals[1:1 + len(scalars)])})
        rec.update({k: v for k, v in zip(mon_scalars, vals[1 + len(scalars):])})
        rec.update(self.evaluator(model))
        ep_scalars, ep_per_sample = self.method.end_epoch(epoch, model, self.stage_data)
        rec.update({f"method/{k}": float(v) for k, v in (ep_scalars or {}).items()})
        for k, (idx, v) in (ep_per_sample or {}).items():
            self._store_per_sample(k, idx, v)
        if "pseudo_label" in self.per_sample:  # a method's class guesses for hidden labels (e.g. drift)
            rec.update(self.evaluator.pseudo_label_acc(self.per_sample["pseudo_label"]))
        if "pll_top1" in self.per_sample and "pll_top2" in self.per_sample:  # teacher candidates (pll)
            rec.update(self.evaluator.candidate_acc(self.per_sample["pll_top1"], self.per_sample["pll_top2"]))
        rec.update({f"stage/{k}": float(v) for k, v in stage_scalars.items()})
        if self.monitors:
            ev = self.evaluator
            feats = ev.last_feats
            n_tr = len(ev.parts["train"])
            n_val = len(ev.parts["val"])
            by = {"train": feats[:n_tr], "heldout": feats[n_tr:n_tr + n_val + len(ev.parts["test"])]}
            ids = {"train": ev.parts["train"], "heldout": torch.cat([ev.parts["val"], ev.parts["test"]])}
            for mon in self.monitors:
                rec.update(mon.evaluate(by, ids))
        rec["time/train_epoch_s"] = train_time
        rec["time/eval_s"] = time.perf_counter() - t0
        if run_probes and self.probes:
            rec.update(self._run_probes(model, epoch))
        self.history.append(rec)
        self.writer.log(rec)
        self.writer.heartbeat(progress={"epoch": epoch, "epochs_total": self.epochs_total, "stage": s_i,
                                        "test_acc": rec.get("test/acc")})

    def _per_sample_numpy(self) -> dict[str, np.ndarray]:
        return {k: v.cpu().numpy() for k, v in self.per_sample.items()}

    def _probe_forward(self, pidx: np.ndarray):
        """The evaluation's eval-mode features and logits of the probe subset (it just ran on every
        sample with this model), so probes need no forward of their own; None before any evaluation."""
        ev = self.evaluator
        if ev.last_feats is None:
            return None
        inv = torch.full((self.mctx.n_total,), -1, dtype=torch.long, device=ev.all_idx.device)
        inv[ev.all_idx] = torch.arange(len(ev.all_idx), device=ev.all_idx.device)
        pos = inv[torch.as_tensor(pidx, device=inv.device)]
        return ev.last_feats[pos], ev.last_logits[pos]

    def _save_per_sample(self, epoch: int) -> dict[str, np.ndarray]:
        """Write the method's per-sample values of the training (labeled and unlabeled) indices; returns all."""
        per_sample = self._per_sample_numpy()
        if per_sample and epoch != getattr(self, "_per_sample_saved", None):
            idx = np.concatenate([self.prep.split.train, self.prep.split.unlabeled])
            self.writer.save_arrays("per_sample", epoch, {"idx": idx, **{k: v[idx] for k, v in per_sample.items()}})
            self._per_sample_saved = epoch
        return per_sample

    def _run_probes(self, model, epoch: int) -> dict:
        cpu_rng = torch.get_rng_state()
        cuda_rng = torch.cuda.get_rng_state_all() if self.device.type == "cuda" else None
        was = model.training
        model.eval()
        out: dict = {}
        per_sample = self._save_per_sample(epoch)
        pidx = self.probe_idx
        p = self.prep
        ctx = ProbeContext(
            model=model, x=self.X[torch.as_tensor(pidx, device=self.device)], idx=pidx,
            y_obs=p.observed[pidx], y_true=p.truth[pidx] if p.truth is not None else None,
            flipped=p.flipped[pidx] if p.truth is not None else None, num_classes=self.K, epoch=epoch,
            method=self.cfg.method, weight_decay=self.cfg.weight_decay, per_sample=per_sample,
            history=self.history, class_names=p.dataset.class_names, kind=p.dataset.kind, seed=self.cfg.seed,
            cached=self._probe_forward(pidx))
        total = 0.0
        try:
            for probe in self.probes:
                t0 = time.perf_counter()
                try:
                    with torch.no_grad():
                        res = probe.run(ctx)
                except Exception as e:  # a broken probe must not kill the training it observes
                    out[f"probe_error/{probe.name}"] = f"{type(e).__name__}: {e}"
                    continue
                finally:
                    dt = time.perf_counter() - t0
                    total += dt
                    out[f"time/probe/{probe.name}"] = dt
                out.update({f"probe/{probe.name}/{k}": float(v) for k, v in res.scalars.items()})
                if res.arrays:
                    self.writer.save_arrays(probe.name, epoch, res.arrays)
        finally:
            model.train(was)
            torch.set_rng_state(cpu_rng)
            if cuda_rng is not None:
                torch.cuda.set_rng_state_all(cuda_rng)
        out["time/probes_s"] = total
        return out

    # ------------------------------------------------------------------------------------------
    def _summary(self, state: str, wall: float) -> dict:
        h = self.history
        s: dict = {"run_id": self.run_id, "state": state, "method": self.cfg.method, "dataset": self.cfg.dataset,
                   "model": self.cfg.model, "seed": self.cfg.seed, "noise": self.cfg.noise,
                   "noise_rate": self.cfg.noise_rate, "wall_time_s": wall, "epochs": h[-1]["epoch"] if h else 0,
                   "suite": self.cfg.suite}
        prep = getattr(self, "prep", None)
        if prep is not None:
            s["noise_rate_realized"] = prep.noise.get("realized_rate")
            s["dataset_hash"] = prep.dataset.content_hash
        if h:
            last = h[-1]
            accs = [r["test/acc"] for r in h if "test/acc" in r]
            s["test_acc_final"] = last.get("test/acc")
            s["test_acc_best"] = max(accs) if accs else None
            vals = [(r.get("val/acc", -1), r["test/acc"]) for r in h if "test/acc" in r]
            s["test_acc_at_best_val"] = max(vals, key=lambda t: t[0])[1] if vals else None
            sel = getattr(getattr(self, "method", None), "select_by", "")  # a label-free metric to minimize
            picks = [r for r in h if sel and "test/acc" in r and isinstance(r.get(sel), (int, float))]
            if picks:
                best = min(picks, key=lambda r: r[sel])
                s["selected_by"], s["selected_epoch"], s["test_acc_at_selected"] = sel, best["epoch"], best["test/acc"]
            for k in ("train/acc_clean", "train/memorized", "train/acc_observed", "test/loss", "rlp/acc_train",
                      "rlp/acc_heldout", "rlp/acc_train_norm", "train/teacher_top2_true"):
                if k in last:
                    s[k.replace("/", "_") + "_final"] = last[k]
            times = [r["time/train_epoch_s"] for r in h if "time/train_epoch_s" in r]
            s["epoch_time_s"] = float(np.median(times)) if times else None
            ptimes = [r["time/probes_s"] for r in h if "time/probes_s" in r]
            s["probe_time_s"] = float(np.sum(ptimes)) if ptimes else 0.0
            s["train_time_s"] = float(np.sum(times)) if times else None
            ev = getattr(self, "evaluator", None)
            if prep is not None and prep.truth is not None and ev is not None and ev.last_logits is not None:
                fl = prep.flipped[prep.split.train]
                if 0 < fl.sum() < len(fl):
                    from sklearn.metrics import roc_auc_score

                    s["noise_auroc"] = float(roc_auc_score(fl, ev.train_losses()))
                    # How well each of the method's per-sample scores (weights, temperatures, ...) flags
                    # flipped samples, oriented like the noise-detection probe (higher = more suspicious).
                    from core.probes.noise_detection import auroc, method_scores

                    scores = method_scores(self._per_sample_numpy(), prep.split.train)
                    aucs = {k.removeprefix("method_"): auroc(v, fl) for k, v in scores.items()}
                    if aucs:
                        s["per_sample_auroc"] = {k: v for k, v in aucs.items() if np.isfinite(v)}
            for k, v in last.items():
                if k.startswith(("probe/", "method/")) and isinstance(v, (int, float)):
                    s.setdefault("final", {})[k] = v
        return s


def train(cfg: RunConfig, runs_dir: str, run_id: str | None = None, echo=None) -> tuple[str, dict]:
    """Train one run to the end; returns (run_id, summary)."""
    t = Trainer(cfg, runs_dir, run_id, echo)
    summary = t.run()
    return t.run_id, summary
