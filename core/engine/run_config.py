"""`RunConfig`: everything that defines one run, complete and resolvable (it is what `config.json` holds)."""

from __future__ import annotations

import dataclasses
import json
import time

from core import config as C
from core.config import opt
from core.errors import UserError
from core.registry import OPTIMIZERS


@dataclasses.dataclass(frozen=True)
class RunConfig:
    dataset: str = opt("digits", "a bundled dataset name or a path to a data file")
    dataset_options: dict = opt({}, "dataset options (e.g. label_column, image_size)")
    noise: str = opt("symmetric", "noise kind to inject ('none' keeps the labels as given)")
    noise_rate: float = opt(0.0, "share of labels to corrupt", lo=0.0, hi=1.0, hi_open=True)
    noise_options: dict = opt({}, "noise options (e.g. matrix for kind 'matrix')")
    method: str = opt("ce", "label method id")
    method_options: dict = opt({}, "method options")
    model: str = opt("", "model id ('' picks a default from the data's shape)")
    model_options: dict = opt({}, "model options (width, depth, dropout, ...)")
    epochs: int = opt(30, "epochs per stage", lo=1, hi=100000)
    batch_size: int = opt(128, "mini-batch size", lo=1, hi=1_000_000)
    optimizer: str = opt("adamw", "optimizer (core/optimizers/)", choices=tuple(OPTIMIZERS.names()))
    lr: float = opt(1e-3, "learning rate", lo=0.0, hi=10.0, lo_open=True)
    momentum: float = opt(0.9, "SGD momentum", lo=0.0, hi=1.0, hi_open=True)
    weight_decay: float = opt(5e-4, "weight decay", lo=0.0, hi=1.0)
    schedule: str = opt("cosine", "learning-rate schedule", choices=("cosine", "constant"))
    amp: bool = opt(False, "bf16 autocast on CUDA")
    device: str = opt("auto", "device", choices=("auto", "cpu", "cuda", "mps"))
    threads: int = opt(0, "CPU threads for torch (0 = torch's default)", lo=0, hi=256)
    seed: int = opt(0, "seed for split, noise, init and batches", lo=0, hi=2**31 - 1)
    val_fraction: float = opt(0.1, "share of the data held out for validation", lo=0.0, hi=0.5)
    test_fraction: float = opt(0.2, "share of the data held out for testing", lo=0.05, hi=0.5)
    labeled_fraction: float = opt(
        1.0, "share of the training labels kept (the rest are hidden)", lo=0.0, hi=1.0, lo_open=True
    )
    monitors: list = opt([], "training-time measurements to attach (e.g. rlp)")
    monitor_options: dict = opt({}, "options of the monitors, as {monitor: {option: value}}")
    probes: list = opt(["all"], "probes to run ('all', or names; [] for none)")
    probe_options: dict = opt({}, "options of the probes, as {probe: {option: value}}")
    probe_every: int = opt(10, "run the probes every this many epochs (and at the end)", lo=1, hi=100000)
    probe_size: int = opt(2000, "size of the fixed, stratified probe subset", lo=10, hi=1_000_000)
    log_every: int = opt(1, "log metrics every this many epochs", lo=1, hi=100000)
    suite: str = opt("", "comparison id this run belongs to")
    created: float = opt(0.0, "creation time (seconds since the epoch)")

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


TOP_KEYS = set(C.field_names(RunConfig))


def _file_keys() -> set[str]:
    from core.data.file_options import FileOptions

    return set(C.field_names(FileOptions))


DATASET_KEYS = _file_keys()


def make_config(values: dict, sets: list[str] | None = None) -> RunConfig:
    """Build and validate a RunConfig from CLI/UI values plus `key=value` overrides.

    A key is a RunConfig field, a `method.`/`model.`/`dataset.`/`noise.` option (prefix optional
    when the name is unique), e.g. `alpha=0.2`, `model.width=512`, `label_column=target`; `text.` options
    go to the text encoder of a data file, e.g. `text.dims=128`.
    """
    from core.models import split_model_id
    from core.noise import option_keys
    from core.registry import DATASETS, METHODS, MODELS

    noise_keys = option_keys()  # a kind's own options (e.g. matrix) need no `noise.` prefix
    values = {k: v for k, v in values.items() if v is not None}
    for key in (
        "dataset_options",
        "noise_options",
        "method_options",
        "model_options",
        "monitor_options",
        "probe_options",
    ):
        values[key] = dict(values.get(key) or {})
    if values.get("model"):  # `family:argument` (e.g. hf:microsoft/resnet-18) -> model + its option
        values["model"], arg = split_model_id(str(values["model"]))
        values["model_options"].update(arg)
    for item in sets or []:
        if "=" not in item:
            raise UserError(f"--set needs key=value, got '{item}'")
        key, raw = item.split("=", 1)
        key, raw = key.strip(), raw.strip()
        prefix, _, name = key.rpartition(".")
        method_cls = METHODS.get(values.get("method", "ce"))
        method_keys = set(C.field_names(method_cls.Config))
        model_name = values.get("model") or ""
        model_keys = set(C.field_names(MODELS.get(model_name).Config)) if model_name else set()
        ds = values.get("dataset", "digits")
        ds_keys = set(C.field_names(DATASETS.get(ds).Config)) if ds in DATASETS else DATASET_KEYS
        if prefix == "method" or (not prefix and name in method_keys and name not in TOP_KEYS):
            values["method_options"][name] = raw
        elif prefix == "model" or (not prefix and name in model_keys and name not in TOP_KEYS):
            values["model_options"][name] = raw
        elif prefix == "dataset" or (not prefix and name in ds_keys and name not in TOP_KEYS):
            values["dataset_options"][name] = raw
        elif prefix == "text" and ds not in DATASETS:  # options of the text encoder, e.g. text.dims=128
            values["dataset_options"].setdefault("text_options", {})[name] = _parse_value(raw)
        elif prefix == "noise" or (not prefix and name in noise_keys):
            values["noise_options"][name] = raw
        elif not prefix and name in TOP_KEYS:
            values[name] = _parse_value(raw)
        else:
            valid = sorted(TOP_KEYS | method_keys | model_keys | ds_keys)
            raise UserError(f"unknown --set key '{key}'; valid keys: {', '.join(valid)}")
    if "created" not in values or not values["created"]:
        values["created"] = time.time()
    cfg = C.build(RunConfig, values)
    validate(cfg)
    return cfg


def _parse_value(raw: str):
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


def validate(cfg: RunConfig) -> None:
    """Names and options of every plug-in the config refers to (raises UserError naming the bad value)."""
    from core.registry import METHODS, MODELS, NOISE, PROBES

    method = METHODS.get(cfg.method)
    C.build(method.Config, cfg.method_options)
    if cfg.model:
        model_cls = MODELS.get(cfg.model)
        model_cfg = C.build(model_cls.Config, cfg.model_options)
        if hasattr(model_cls, "check"):  # a model's own fast check (e.g. its weights can be found)
            model_cls.check(model_cfg)
    NOISE.get(cfg.noise)
    for p in cfg.probes:
        if p != "all":
            PROBES.get(p)
    if method.uses_unlabeled and cfg.labeled_fraction >= 1.0:
        raise UserError(
            f"method '{cfg.method}' trains on unlabeled data: set labeled_fraction below 1, e.g. 0.1 "
            "(CLI: --set labeled_fraction=0.1; dashboard: Advanced training options)"
        )
