"""The one training loop: stages -> epochs -> steps. Everything else hangs on hooks (core/engine/hooks.py).

Set-up is core/engine/assemble.py, the summary core/engine/summary.py (a pure function of the records),
the probes' isolation core/engine/probe_guard.py. Small datasets live on the device as tensors (no
DataLoader); metrics are reduced on the device and synchronized once per log point.
"""

from __future__ import annotations

import contextlib
import math
import os
import time
import traceback

import numpy as np
import torch

from core.engine.assemble import Assembly, assemble
from core.engine.hooks import Hook, default_hooks
from core.engine.optim import Optimizers, make_optimizer
from core.engine.per_sample import PerSampleBuffer
from core.engine.run_config import RunConfig
from core.engine.summary import FINAL_KEYS, final_keys, summarize
from core.methods.base import Batch, OptimGroup
from core.store.files import disk_full_text
from core.store.writer import RunWriter, new_run_id


class RunStopped(Exception):
    """The STOP file appeared."""


class RunDiverged(Exception):
    """The loss became NaN or inf."""


class Trainer:
    """Trains one run into `runs_dir/run_id`. Public state the hooks read: `a` (the Assembly), `model`, `opts`,
    `per_sample`, `writer`, `history` (the records so far), `epoch`, `step`, `stage_index`, `progress`,
    `epochs_total`, `run_probes` (whether this log point runs the probes)."""

    def __init__(
        self,
        cfg: RunConfig,
        runs_dir: str,
        run_id: str | None = None,
        echo=None,
        hooks: list[Hook] | None = None,
        writer=None,
    ):
        """`writer`: a RunWriter by default; a Ray task passes a StreamWriter with the same methods."""
        self.cfg = cfg
        self.runs_dir = runs_dir
        self.run_id = run_id or new_run_id(cfg.method, cfg.dataset, cfg.seed)
        self.echo = echo or (lambda s: None)
        self.writer = writer or RunWriter(runs_dir, self.run_id)
        self.extra_hooks = list(hooks or [])
        self.history: list[dict] = []
        self.a: Assembly | None = None
        self.model = None
        self.epoch = self.step = self.stage_index = 0
        self.progress = 0.0
        self.epochs_total = 0
        self.run_probes = False

    def run(self) -> dict:
        w = self.writer
        t_start = time.time()
        self.t_start = t_start
        tb = None
        try:
            w.set_status("running", progress={"epoch": 0, "epochs_total": None})
            if hasattr(w, "reserve"):  # room for the last words, should the disk fill up (a streamed run has none)
                w.reserve()
            self.setup()
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
        a = self.a
        summary = summarize(
            self.history,
            self.cfg.to_dict(),
            a.data_info if a else {},
            run_id=self.run_id,
            state=state,
            wall_time_s=time.time() - t_start,
            select_by=getattr(a.method, "select_by", "") if a else "",
            final=final_keys(a.method, a.monitors) if a else FINAL_KEYS,
        )
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

    def setup(self) -> Assembly:
        self.a = a = assemble(self.cfg, self.writer, self.runs_dir, self.echo)
        self.cfg = a.cfg
        self.per_sample = PerSampleBuffer(a.mctx.n_total, a.device)
        self.hooks = default_hooks(a.method, a.monitors, a.probes) + self.extra_hooks
        self.epochs_total = a.cfg.epochs * len(a.stages)
        ds = a.prep.dataset
        self.echo(
            f"run {self.run_id}: {a.cfg.method} on {ds.name} ({len(a.prep.split.train)} train) with "
            f"{a.cfg.model} on {a.data_info['device']}"
        )
        return a

    def _optimizers(self, model) -> Optimizers:
        a, cfg = self.a, self.a.cfg
        opts = Optimizers()
        params = list(model.parameters())
        for mod in a.method.modules().values():
            mod.to(a.device)
            params += list(mod.parameters())
        opts.add("model", make_optimizer(cfg.optimizer, params, cfg.lr, cfg.weight_decay, cfg.momentum), params)
        groups: list[OptimGroup] = list(a.method.optim_groups())
        for mon in a.monitors:
            for mod in mon.modules().values():
                mod.to(a.device)
            groups += mon.optim_groups()
        for g in groups:
            opts.add(g.name, make_optimizer(g.kind, g.params, g.lr, g.weight_decay, g.momentum), g.params)
        return opts

    def save_per_sample(self) -> dict[str, np.ndarray]:
        """Write the method's per-sample values of the training (labeled and unlabeled) indices; returns all."""
        sp = self.a.prep.split
        return self.per_sample.save(self.writer, self.epoch, np.concatenate([sp.train, sp.unlabeled]))

    def _call(self, event: str, *args) -> None:
        for h in self.hooks:
            getattr(h, event)(self, *args)

    # ------------------------------------------------------------------------------------------
    def _train(self) -> None:
        a = self.a
        cfg, dev, method = a.cfg, a.device, a.method
        gen = torch.Generator().manual_seed(cfg.seed)
        n_l, n_u = len(a.train_idx), len(a.unl_idx)
        bs = min(cfg.batch_size, max(1, n_l))
        uses_u = method.uses_unlabeled and n_u > 0
        steps_per_epoch = math.ceil((n_u if uses_u else n_l) / bs)
        total_steps = cfg.epochs * steps_per_epoch
        stop_requested = self.writer.stop_requested
        model = prev = None
        for s_i, stage in enumerate(a.stages):
            self.stage_index = s_i
            if model is None or stage.fresh_model:
                prev, model = model, a.build_model(s_i)
            else:
                prev = model
            self.model = model
            for mon in a.monitors:  # before the optimizers: a monitor may renew its modules for a new model
                mon.begin_stage(s_i, stage.fresh_model)
            self.opts = opts = self._optimizers(model)
            stage_scalars = method.begin_stage(s_i, stage, model, prev, a.stage_data) or {}
            for ep in range(cfg.epochs):
                model.train()
                self._call("on_epoch_start")
                t_ep, cpu_ep = time.perf_counter(), time.process_time()
                loss_sum = torch.zeros((), device=dev)
                scal_sum: dict[str, torch.Tensor] = {}
                # Index the epoch's order once; each step then takes a slice (a view, no extra op).
                if uses_u:
                    order = a.unl_idx[torch.randperm(n_u, generator=gen).to(dev)]
                    picks = a.train_idx[torch.randint(n_l, (steps_per_epoch, bs), generator=gen).to(dev)]
                else:
                    order = a.train_idx[torch.randperm(n_l, generator=gen).to(dev)]
                for b in range(steps_per_epoch):
                    if stop_requested():
                        raise RunStopped()
                    if cfg.schedule == "cosine":
                        opts.set_lr(
                            cfg.lr * 0.5 * (1 + math.cos(math.pi * (ep * steps_per_epoch + b) / max(1, total_steps)))
                        )
                    if uses_u:
                        idx, idx_u = picks[b], order[b * bs : (b + 1) * bs]
                        batch = Batch(a.X[idx], a.y_obs[idx], idx, a.X[idx_u], idx_u)
                    else:
                        idx = order[b * bs : (b + 1) * bs]
                        batch = Batch(a.X[idx], a.y_obs[idx], idx)
                    with a.autocast:
                        out = method.train_step(batch, model, self.step, opts)
                    loss_sum += out.loss.detach()
                    for k, v in out.scalars.items():
                        scal_sum[k] = scal_sum.get(k, 0) + v.detach().float()
                    for k, v in out.per_sample.items():
                        self.per_sample.store(k, idx, v)
                    for k, v in out.per_sample_unlabeled.items():
                        self.per_sample.store(k, batch.idx_u, v)
                    self._call("on_step", batch, out)
                    self.step += 1
                    self.progress = self.epoch + (b + 1) / steps_per_epoch
                if dev.type == "cuda":
                    torch.cuda.synchronize()
                train_time, train_cpu = time.perf_counter() - t_ep, time.process_time() - cpu_ep
                self.epoch += 1
                is_last = ep == cfg.epochs - 1
                if self.epoch % cfg.log_every and not is_last:
                    continue
                self.run_probes = (
                    (self.epoch % cfg.probe_every == 0)
                    or (is_last and s_i == len(a.stages) - 1)
                    or (is_last and len(a.stages) > 1)
                )
                self._log_point(
                    stage,
                    loss_sum / steps_per_epoch,
                    {k: v / steps_per_epoch for k, v in scal_sum.items()},
                    stage_scalars if ep == 0 else {},
                    train_time,
                    train_cpu,
                )
        self._call("on_end")
        self.save_per_sample()  # the final values, also when no probe ran at the last epoch

    def _log_point(self, stage, mean_loss, scalars, stage_scalars, train_time, train_cpu) -> None:
        a = self.a
        t0 = time.perf_counter()
        rec: dict = {
            "epoch": self.epoch,
            "step": self.step,
            "stage": self.stage_index,
            "stage_name": stage.name,
            "time": time.time() - self.t_start,
            "lr": self.opts.lr("model"),
        }
        vals = torch.stack([mean_loss] + list(scalars.values())).tolist()  # the epoch's one host sync
        rec["train/loss"] = vals[0]
        if not math.isfinite(vals[0]):
            self._call("on_record", rec)
            raise RunDiverged(
                f"the loss became {vals[0]} at epoch {self.epoch} (step {self.step}); try a lower learning rate"
            )
        rec.update({f"method/{k}": v for k, v in zip(scalars, vals[1:])})
        rec.update(a.evaluator(self.model))
        ep_scalars, ep_per_sample = a.method.end_epoch(self.epoch, self.model, a.stage_data)
        rec.update({f"method/{k}": float(v) for k, v in (ep_scalars or {}).items()})
        for k, (idx, v) in (ep_per_sample or {}).items():
            self.per_sample.store(k, idx, v)
        rec.update({f"stage/{k}": float(v) for k, v in stage_scalars.items()})
        rec["time/train_epoch_s"] = train_time
        rec["time/train_epoch_cpu_s"] = (
            train_cpu  # this process's CPU time: steadier than wall time on a shared machine
        )
        self._call("on_log_point", rec)
        rec["time/eval_s"] = time.perf_counter() - t0 - rec.get("time/probes_s", 0.0)
        self._call("on_record", rec)


def train(cfg: RunConfig, runs_dir: str, run_id: str | None = None, echo=None) -> tuple[str, dict]:
    """Train one run to the end; returns (run_id, summary)."""
    t = Trainer(cfg, runs_dir, run_id, echo)
    summary = t.run()
    return t.run_id, summary
