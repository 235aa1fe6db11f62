"""Hooks: the concerns hung on the training loop (monitors, per-sample evaluations, probes, writer, heartbeat).

The loop (core/engine/trainer.py) calls, in hook order: `on_epoch_start`, `on_step` after every step,
`on_log_point` at a log point (hooks add entries to the record), `on_record` once the record is complete
(writing it), `on_end` when training finished. Hooks observe: none changes what the model learns.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import torch

from core.engine.evaluate import predict
from core.engine.probe_guard import probe_guard
from core.engine.summary import PER_SAMPLE_AUROC
from core.outputs import CLASS
from core.probes.base import ProbeContext
from core.scores import auroc, method_scores

if TYPE_CHECKING:  # the loop passes itself; hooks read its public state
    from core.engine.trainer import Trainer

HEARTBEAT_S = 5.0


class Hook:
    def on_epoch_start(self, loop: Trainer) -> None:
        pass

    def on_step(self, loop: Trainer, batch, out) -> None:
        """After a step: `batch` (core.methods.base.Batch) and the method's StepOutput `out`."""

    def on_log_point(self, loop: Trainer, rec: dict) -> None:
        """Add this hook's entries to the log-point record `rec`."""

    def on_record(self, loop: Trainer, rec: dict) -> None:
        """`rec` is complete (or the run diverged at it)."""

    def on_end(self, loop: Trainer) -> None:
        pass


class MonitorHook(Hook):
    """Monitors train on each step's detached features; at log points their epoch means and evaluations."""

    def __init__(self, monitors: list):
        self.monitors = monitors
        self.sums: dict[str, torch.Tensor] = {}
        self.steps = 0

    def on_epoch_start(self, loop):
        self.sums, self.steps = {}, 0

    def on_step(self, loop, batch, out):
        feats = out.features if out.features is not None else predict(loop.model, batch.x)[0]
        feats = feats.detach().float()
        for mon in self.monitors:
            for k, v in mon.observe(feats, batch.idx, loop.step, loop.opts).items():
                self.sums[k] = self.sums.get(k, 0) + v.detach().float()
        self.steps += 1

    def on_log_point(self, loop, rec):
        if self.sums:
            vals = torch.stack(list(self.sums.values())).tolist()  # one host sync for all monitors
            rec.update({k: v / max(1, self.steps) for k, v in zip(self.sums, vals)})
        by, ids = loop.a.evaluator.features_by_split()
        for mon in self.monitors:
            rec.update(mon.evaluate(by, ids))


class PerSampleMetricsHook(Hook):
    """What the method's per-sample values say about the truth, read from its declaration (core/outputs.py):
    class guesses scored as their declared metric (`<metric>_flipped` on the flipped samples), and the AUROC
    of the training loss and of each suspicion value for finding the flipped labels."""

    def __init__(self, meaning: dict):
        self.meaning = meaning
        self.classes = [p for p in meaning.values() if p.meaning == CLASS]

    def on_log_point(self, loop, rec):
        ps, ev = loop.per_sample, loop.a.evaluator
        for spec in self.classes:
            keys = (spec.key, *spec.any_of)
            if all(k in ps for k in keys):
                res = ev.class_guess_acc([ps[k] for k in keys], spec.part)
                if res is not None:
                    rec[spec.metric] = res[0]
                    if res[1] is not None:
                        rec[spec.metric + "_flipped"] = res[1]
        prep = loop.a.prep
        if prep.truth is None or ev.last_logits is None:
            return
        fl = prep.flipped[prep.split.train]
        if not 0 < fl.sum() < len(fl):
            return
        # The model's own loss: it goes blind once the model memorizes (the headline comes from DetectionHook).
        rec["train/noise_auroc_model_loss"] = auroc(ev.train_losses(), fl)
        # How well each of the method's per-sample scores (weights, temperatures, ...) flags flipped
        # samples, oriented like the noise-detection probe (higher = more suspicious).
        if ps:
            for k, v in method_scores(ps.numpy(), self.meaning, prep.split.train).items():
                rec[PER_SAMPLE_AUROC + k.removeprefix("method_")] = auroc(v, fl)


class DetectionHook(Hook):
    """Out-of-sample noise detection on the training set (core/detection): cross-validated probabilities on
    label-free features, so memorization cannot blind it. It depends on the data and the observed labels
    only, so it is computed once (at the first log point) and each record carries it as `detect/...`."""

    def __init__(self):
        self.entries: dict | None = None

    def on_log_point(self, loop, rec):
        if self.entries is None:
            self.entries = self._detect(loop.a.prep, loop.a.num_classes, loop.a.cfg.seed)
        rec.update(self.entries)

    @staticmethod
    def _detect(prep, num_classes: int, seed: int) -> dict:
        import numpy as np

        from core.detection.out_of_sample import record_entries

        try:
            tr = prep.split.train
            counts = np.bincount(prep.observed[tr], minlength=num_classes)
            if len(tr) < 4 or (counts > 0).sum() < 2 or counts[counts > 0].min() < 2:
                return {}
            flipped = prep.flipped[tr] if prep.truth is not None else None
            return record_entries(prep.dataset.X[tr], prep.observed[tr], num_classes, seed, flipped)
        except Exception as e:  # a detection failure must not cost the run its training
            return {"detect/error": f"{type(e).__name__}: {e}"}


class ProbeHook(Hook):
    """Probes at the log points the loop marks (`loop.run_probes`), inside the probe guard; a failing probe
    is recorded as `probe_error/<probe>` and never stops the run. Saves the per-sample values they read."""

    def __init__(self, probes: list):
        self.probes = probes

    def on_log_point(self, loop, rec):
        if not loop.run_probes:
            return
        if not self.probes:
            return
        a, epoch = loop.a, loop.epoch
        per_sample = loop.save_per_sample()
        pidx, p = a.probe_idx, a.prep
        ctx = ProbeContext(
            model=loop.model,
            x=a.X[torch.as_tensor(pidx, device=a.device)],
            idx=pidx,
            y_obs=p.observed[pidx],
            y_true=p.truth[pidx] if p.truth is not None else None,
            flipped=p.flipped[pidx] if p.truth is not None else None,
            num_classes=a.num_classes,
            epoch=epoch,
            method=a.cfg.method,
            weight_decay=a.cfg.weight_decay,
            per_sample=per_sample,
            history=loop.history,
            class_names=p.dataset.class_names,
            kind=p.dataset.kind,
            seed=a.cfg.seed,
            cached=a.evaluator.outputs_of(pidx),
            per_sample_meaning=a.method.produces.per_sample_by_key(),
        )
        total = 0.0
        with probe_guard(loop.model, a.device):
            for probe in self.probes:
                t0 = time.perf_counter()
                try:
                    res = probe.run(ctx)
                except Exception as e:  # a broken probe must not kill the training it observes
                    rec[f"probe_error/{probe.name}"] = f"{type(e).__name__}: {e}"
                    continue
                finally:
                    dt = time.perf_counter() - t0
                    total += dt
                    rec[f"time/probe/{probe.name}"] = dt
                rec.update({f"probe/{probe.name}/{k}": float(v) for k, v in res.scalars.items()})
                if res.arrays:
                    loop.writer.save_arrays(probe.name, epoch, res.arrays)
        rec["time/probes_s"] = total


class WriterHook(Hook):
    """Appends each complete record to the run's history and to metrics.jsonl."""

    def on_record(self, loop, rec):
        loop.history.append(rec)
        loop.writer.log(rec)


class HeartbeatHook(Hook):
    """status.json's heartbeat and progress: every HEARTBEAT_S seconds during an epoch and at each log point."""

    def __init__(self, every_s: float = HEARTBEAT_S):
        self.every_s = every_s
        self.last = time.monotonic()

    def on_step(self, loop, batch, out):
        if time.monotonic() - self.last > self.every_s:
            self.last = time.monotonic()
            loop.writer.heartbeat(
                progress={"epoch": loop.progress, "epochs_total": loop.epochs_total, "stage": loop.stage_index}
            )

    def on_record(self, loop, rec):
        loop.writer.heartbeat(
            progress={
                "epoch": loop.epoch,
                "epochs_total": loop.epochs_total,
                "stage": loop.stage_index,
                "test_acc": rec.get("test/acc"),
            }
        )
        self.last = time.monotonic()


def default_hooks(method, monitors: list, probes: list) -> list[Hook]:
    """The hooks of every run, in order: evaluations add to the record before the writer and heartbeat see it."""
    hooks: list[Hook] = [MonitorHook(monitors)] if monitors else []
    meaning = method.produces.per_sample_by_key()
    return hooks + [PerSampleMetricsHook(meaning), DetectionHook(), ProbeHook(probes), WriterHook(), HeartbeatHook()]
