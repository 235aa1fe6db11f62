"""Setting a run up: data on the device, the method, monitors and probes built from their configs, and the run
folder's config.json, data.json and split.json written. The loop (core/engine/trainer.py) gets an `Assembly`."""

from __future__ import annotations

import contextlib
import dataclasses

import numpy as np
import torch

from core import config as C
from core.data.prepare import Prepared, prepare
from core.engine.device import describe_device, pick_device
from core.engine.evaluate import Evaluator, predict
from core.engine.run_config import RunConfig
from core.methods.base import Method, MethodContext, Stage, StageData
from core.models import build_model, default_model_for
from core.monitors.base import Monitor
from core.probes.base import Probe
from core.registry import METHODS, MODELS, MONITORS, PROBES
from core.store.writer import RunWriter


def stratified_subset(idx: np.ndarray, y: np.ndarray, size: int, seed: int) -> np.ndarray:
    """A fixed subset (sorted, ≤ size) of `idx` keeping the class shares of `y[idx]`: the probe samples."""
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
    method_opts = C.to_dict(C.build(METHODS.get(cfg.method).Config, cfg.method_options))
    model_opts = C.to_dict(C.build(MODELS.get(model).Config, cfg.model_options))
    return dataclasses.replace(cfg, model=model, method_options=method_opts, model_options=model_opts)


@dataclasses.dataclass
class Assembly:
    """Everything the loop needs. Tensors live on `device`; X (N, ...), y_obs (N,) with -1 where hidden."""

    cfg: RunConfig  # resolved
    prep: Prepared
    device: torch.device
    X: torch.Tensor
    y_obs: torch.Tensor
    train_idx: torch.Tensor
    unl_idx: torch.Tensor
    evaluator: Evaluator
    mctx: MethodContext
    method: Method
    monitors: list[Monitor]
    probes: list[Probe]
    probe_idx: np.ndarray  # (P,) dataset indices of the fixed probe subset
    stage_data: StageData
    stages: list[Stage]
    data_info: dict  # what data.json holds
    autocast: contextlib.AbstractContextManager

    @property
    def num_classes(self) -> int:
        return self.mctx.num_classes

    def build_model(self, stage_index: int) -> torch.nn.Module:
        """A freshly initialized model for stage `stage_index` (its own seed, so stages are reproducible)."""
        torch.manual_seed(self.cfg.seed + 1000 * stage_index)
        ds = self.prep.dataset
        return build_model(self.cfg.model, ds.input_shape, ds.num_classes, self.cfg.model_options).to(self.device)


def _plugin(registry, name: str, options: dict):
    cls = registry.get(name)
    return cls, C.build(cls.Config, options)


def _adapt_data(prep: Prepared, cfg: RunConfig, runs_dir: str, device: torch.device, echo) -> tuple[Prepared, dict]:
    """A model may declare `adapt_data` (e.g. a frozen backbone turns images into cached features)."""
    model_cls = MODELS.get(cfg.model)
    if not hasattr(model_cls, "adapt_data"):
        return prep, {}
    ds, info = model_cls.adapt_data(
        prep.dataset, C.build(model_cls.Config, cfg.model_options), runs_dir=runs_dir, device=device
    )
    echo(f"model data: {info}")
    return dataclasses.replace(prep, dataset=ds), info


def assemble(cfg: RunConfig, writer: RunWriter, runs_dir: str, echo=lambda s: None) -> Assembly:
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    prep = prepare(cfg, runs_dir)
    cfg = resolve(cfg, prep)
    writer.write_json("config.json", cfg.to_dict())
    dev = pick_device(cfg.device)
    prep, features_info = _adapt_data(prep, cfg, runs_dir, dev, echo)
    ds, sp = prep.dataset, prep.split
    X = torch.as_tensor(ds.X, device=dev)
    obs = prep.observed.copy()
    obs[sp.unlabeled] = -1  # hidden labels are invisible to methods
    y_obs = torch.as_tensor(obs, device=dev)
    truth = torch.as_tensor(prep.truth, device=dev) if prep.truth is not None else None
    train_idx, unl_idx = torch.as_tensor(sp.train, device=dev), torch.as_tensor(sp.unlabeled, device=dev)
    evaluator = Evaluator(
        X, torch.as_tensor(prep.observed, device=dev), truth, torch.as_tensor(prep.flipped, device=dev), sp, dev
    )
    feature_dim = build_model(cfg.model, ds.input_shape, ds.num_classes, cfg.model_options).feature_dim
    mctx = MethodContext(
        num_classes=ds.num_classes,
        n_total=len(ds.y),
        feature_dim=feature_dim,
        input_shape=ds.input_shape,
        device=dev,
        seed=cfg.seed,
        epochs=cfg.epochs,
        n_labeled=len(sp.train),
        n_unlabeled=len(sp.unlabeled),
        model_name=cfg.model,
        batch_size=cfg.batch_size,
    )
    method_cls, method_cfg = _plugin(METHODS, cfg.method, cfg.method_options)
    method = method_cls(method_cfg, mctx)
    monitors = []
    for name in cfg.monitors:
        cls, mcfg = _plugin(MONITORS, name, cfg.monitor_options.get(name, {}))
        monitors.append(cls(mcfg, mctx))
    probes = []
    for name in PROBES.names() if "all" in cfg.probes else list(cfg.probes):
        cls, pcfg = _plugin(PROBES, name, cfg.probe_options.get(name, {}))
        probes.append(cls(pcfg))
    probe_idx = stratified_subset(sp.train, prep.observed, cfg.probe_size, cfg.seed)
    stage_data = StageData(
        x=X[train_idx],
        y=y_obs[train_idx],
        idx=train_idx,
        x_u=X[unl_idx],
        idx_u=unl_idx,
        predict=lambda m, x: predict(m, x)[1],
    )
    data_info = {
        "dataset": ds.name,
        "source": ds.source,
        "content_hash": ds.content_hash,
        "num_classes": ds.num_classes,
        "class_names": list(ds.class_names),
        "input_shape": list(ds.input_shape),
        "kind": ds.kind,
        "n": int(len(ds.y)),
        "n_train": int(len(sp.train)),
        "n_val": int(len(sp.val)),
        "n_test": int(len(sp.test)),
        "n_unlabeled": int(len(sp.unlabeled)),
        "noise": prep.noise,
        "device": describe_device(dev),
        **({"features": features_info} if features_info else {}),
    }
    writer.write_json("data.json", data_info)
    # The indices as int32 arrays in split.npz (a 1M-row table's split was ~50 MB of JSON); split.json says so.
    parts = {k: getattr(sp, k) for k in ("train", "val", "test", "unlabeled")} | {"probe": probe_idx}
    writer.save_file("split.npz", {k: np.asarray(v, np.int32) for k, v in parts.items()})
    writer.write_json("split.json", {"arrays": "split.npz", "sizes": {k: int(len(v)) for k, v in parts.items()}})
    autocast = (
        torch.autocast("cuda", dtype=torch.bfloat16) if cfg.amp and dev.type == "cuda" else contextlib.nullcontext()
    )
    return Assembly(
        cfg,
        prep,
        dev,
        X,
        y_obs,
        train_idx,
        unl_idx,
        evaluator,
        mctx,
        method,
        monitors,
        probes,
        probe_idx,
        stage_data,
        method.stages(),
        data_info,
        autocast,
    )
