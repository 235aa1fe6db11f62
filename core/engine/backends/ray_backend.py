"""The Ray backend: each run is a Ray task; its records stream back to this driver, which writes the run store.

A run is a streaming-generator task: the engine trains in a thread of the Ray worker and writes
through a `StreamWriter`, whose records the task yields in batches. The driver (this process, the
runs' owner) replays them with the same `RunWriter` as the local backend, so no shared filesystem is
needed and the dashboard reads Ray runs like any other. Stop: the driver sees a run's STOP file and
tells a small control actor, which the run polls; a run that does not stop within `stop_grace_s` is
cancelled by force. A worker or node that dies ends its run `failed` with Ray's reason.
"""

from __future__ import annotations

import dataclasses
import os
import time

from core.config import opt
from core.errors import UserError
from core.registry import register_backend
from core.store.reader import RunReader
from core.store.writer import RunWriter

INSTALL_HINT = "the Ray backend needs Ray: pip install 'labelscope[ray]'"
POLL_S = 0.25  # how often the driver looks for STOP files and the run polls the control actor


def require_ray():
    try:
        import ray
    except ImportError:
        raise UserError(INSTALL_HINT) from None
    return ray


def init_kwargs(address: str, num_cpus: int | None = None) -> dict:
    """ray.init arguments. No address: a private instance without Ray's dashboard, advertising 127.0.0.1 (Ray
    still binds its GCS/raylet sockets to all interfaces, behind its token authentication; docs/SCALE.md)."""
    if address.startswith("ray://"):  # Ray Client: the head's own settings apply; only the address travels
        return {"address": address}
    common = {"include_dashboard": False, "log_to_driver": False, "configure_logging": False}
    if address:
        return {"address": address, **common}
    return {**common, "num_cpus": num_cpus or os.cpu_count() or 1, "_node_ip_address": "127.0.0.1"}


def connect(address: str, num_cpus: int | None = None):
    """Join (or start, with `num_cpus`) Ray; returns (ray, started) where `started` means this call must shut it
    down."""
    ray = require_ray()
    if ray.is_initialized():  # a caller (a test, a notebook) already chose the cluster
        return ray, False
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no network at run time
    try:
        ray.init(**init_kwargs(address, num_cpus))
    except (ConnectionError, RuntimeError, ValueError) as e:
        where = address or "a local Ray instance"
        raise UserError(f"could not reach {where}: {str(e).splitlines()[0] if str(e) else type(e).__name__}") from None
    return ray, True


class _Control:
    """Run ids asked to stop; one actor per comparison, polled by its runs (body of a Ray actor)."""

    def __init__(self):
        self.stopped: set[str] = set()

    def stop(self, run_id: str) -> None:
        self.stopped.add(run_id)

    def is_stopped(self, run_id: str) -> bool:
        return run_id in self.stopped


def _train_task(config: dict, run_id: str, control, threads: int, driver_runs_dir: str = ""):
    """Body of the Ray task (a generator): yields lists of run records until the run has ended."""
    import queue
    import tempfile
    import threading

    import ray

    from core.store.stream import StreamWriter

    records: queue.SimpleQueue = queue.SimpleQueue()
    end = object()
    last = {"t": 0.0, "ref": None, "stopped": False}

    def stop_requested() -> bool:
        # Asked at every step: look at the actor's last answer, and ask again at most every POLL_S.
        ref = last["ref"]
        if ref is not None:
            done, _ = ray.wait([ref], timeout=0)
            if done:
                last["stopped"] = bool(ray.get(done[0]))
                last["ref"] = None
        if last["ref"] is None and not last["stopped"] and time.monotonic() - last["t"] > POLL_S:
            last["t"] = time.monotonic()
            last["ref"] = control.is_stopped.remote(run_id)
        return last["stopped"]

    writer = StreamWriter(run_id, records.put, stop_requested)

    def body():
        try:
            import torch

            from core import config as C
            from core.engine.run_config import RunConfig, validate
            from core.engine.trainer import Trainer

            cfg = C.build(RunConfig, config)
            validate(cfg)
            if not cfg.threads:
                torch.set_num_threads(max(1, threads))
            # Caches (e.g. backbone features, `<runs_dir>/_features`) go to the driver's runs folder when this node
            # sees it (same machine or a shared filesystem), else to node-local scratch; the run's own records
            # always travel to the driver.
            cache_dir = (
                driver_runs_dir
                if driver_runs_dir and os.access(driver_runs_dir, os.W_OK)
                else os.path.join(tempfile.gettempdir(), "labelscope-ray")
            )
            Trainer(cfg, cache_dir, run_id, writer=writer).run()
        except BaseException as e:  # noqa: BLE001  (a config that cannot be built still ends failed, with why)
            writer.set_status("failed", error=f"{type(e).__name__}: {e}")
        finally:
            records.put(end)

    worker = threading.Thread(target=body, name=f"train-{run_id}", daemon=True)
    worker.start()
    done = False
    while not done:
        batch = [records.get()]
        while True:  # everything already written goes in one message
            try:
                batch.append(records.get_nowait())
            except queue.Empty:
                break
        done = batch[-1] is end
        batch = [r for r in batch if r is not end]
        if batch:
            yield batch
    worker.join()


@dataclasses.dataclass
class _Active:
    gen: object
    writer: RunWriter
    state: str = "queued"
    stop_asked: float = 0.0
    submitted: float = 0.0


@register_backend("ray")
class RayBackend:
    help = "train each run as a Ray task (a local Ray instance, or a cluster with --address)"
    help_ja = "各ランを Ray タスクとして学習（ローカルの Ray、または --address のクラスター）"

    @dataclasses.dataclass(frozen=True)
    class Config:
        address: str = opt(
            "",
            "Ray address: '' starts a private local instance, 'auto' joins this machine's "
            "cluster, 'ray://host:10001' a remote one",
        )
        cpus_per_run: float = opt(1.0, "CPUs Ray reserves for each run", lo=0.0, hi=1024.0)
        local_cpus: int = opt(0, "CPUs of a private local instance (0: all of this machine's)", lo=0, hi=4096)
        gpus_per_run: float = opt(0.0, "GPUs per run (fractions let small runs share a GPU)", lo=0.0, hi=64.0)
        stop_grace_s: float = opt(
            10.0, "seconds a stopped run may take to end before it is cancelled by force", lo=0.0, hi=3600.0
        )

    def __init__(self, cfg: Config):
        self.cfg = cfg

    @staticmethod
    def available() -> str | None:
        """None when Ray can be imported, else the one-line install hint."""
        try:
            require_ray()
        except UserError as e:
            return str(e)
        return None

    def run(self, runs_dir: str, run_ids: list[str], echo) -> None:
        ray, started = connect(self.cfg.address, self.cfg.local_cpus or None)
        try:
            self._run(ray, runs_dir, run_ids, echo)
        finally:
            if started:
                ray.shutdown()

    def _run(self, ray, runs_dir: str, run_ids: list[str], echo) -> None:
        cfg = self.cfg
        control = ray.remote(_Control).options(num_cpus=0).remote()
        task = ray.remote(_train_task).options(
            num_cpus=cfg.cpus_per_run, num_gpus=cfg.gpus_per_run, max_retries=0, num_returns="streaming"
        )
        threads = max(1, int(cfg.cpus_per_run))
        active: dict[str, _Active] = {}
        for rid in run_ids:
            w = RunWriter(runs_dir, rid)
            if w.stop_requested():  # stopped while queued, before Ray ever saw it
                _end(w, "stopped", "stopped before it started", rid, RunReader(w.dir).config)
                continue
            w.set_status("queued", backend="ray")  # this driver now owns the queued run
            gen = task.remote(RunReader(w.dir).config, rid, control, threads, os.path.abspath(runs_dir))
            active[rid] = _Active(gen, w, submitted=time.monotonic())
        try:
            while active:
                self._step(ray, active, control, echo)
        except KeyboardInterrupt:  # Ctrl-C on the driver stops every run it owns
            for rid, a in active.items():
                ray.cancel(a.gen, force=True)
                _end(a.writer, "stopped", "interrupted", rid, RunReader(a.writer.dir).config)
            raise

    def _step(self, ray, active: dict[str, _Active], control, echo) -> None:
        by_gen = {id(a.gen): rid for rid, a in active.items()}
        ready, _ = ray.wait([a.gen for a in active.values()], num_returns=len(active), timeout=POLL_S)
        for gen in ready:
            rid = by_gen[id(gen)]
            a = active[rid]
            try:
                try:
                    ref = next(gen)
                except StopIteration:
                    ray.get(gen.completed())  # raises when the worker or its node died
                else:
                    for record in ray.get(ref):
                        _apply(a, record)
                    continue
            except Exception as e:  # noqa: BLE001  (the worker or its node died, or Ray cancelled the task)
                a.state = "stopped" if a.stop_asked else "failed"
                _end(
                    a.writer,
                    a.state,
                    "stopped by the user" if a.stop_asked else _reason(e),
                    rid,
                    RunReader(a.writer.dir).config,
                )
            if a.state not in ("completed", "failed", "stopped"):  # the task ended without a final status
                a.state = "failed"
                _end(
                    a.writer, a.state, "the Ray task ended before the run finished", rid, RunReader(a.writer.dir).config
                )
            a.writer.close()
            active.pop(rid)
            s = RunReader(a.writer.dir).summary() or {}
            echo(f"{rid}: {s.get('state', 'failed')} test acc {s.get('test_acc_final') or float('nan'):.4f}")
        now = time.monotonic()
        for rid, a in list(active.items()):
            if not a.stop_asked and a.writer.stop_requested():
                a.stop_asked = now
                control.stop.remote(rid)
                if a.state == "queued":  # not started: Ray drops it from its queue at once
                    ray.cancel(a.gen, force=False)
            elif a.stop_asked and now - a.stop_asked > self.cfg.stop_grace_s:
                ray.cancel(a.gen, force=True)


def _apply(a: _Active, record) -> None:
    from core.store.stream import replay

    op = replay(a.writer, record)
    if op == "set_status":
        a.state = record[1][0]


def _reason(e: Exception) -> str:
    """Ray's error in one line: its class and first line (e.g. WorkerCrashedError: the worker died ...)."""
    text = str(e).strip().splitlines()
    first = next((line.strip() for line in text if line.strip()), "")
    return f"the Ray worker or node running this run died ({type(e).__name__}: {first[:300]})"


def _end(w: RunWriter, state: str, reason: str, run_id: str, config: dict) -> None:
    """Mark a run that could not end itself: status and a summary holding what is known."""
    old = RunReader(w.dir)
    rows = old.metrics()
    st = old.status()
    summary = old.summary() or {}  # the engine's own, when it got that far
    wall = (time.time() - st["started"]) if st.get("started") else 0.0
    accs = [r["test/acc"] for r in rows if isinstance(r.get("test/acc"), (int, float))]
    summary = {
        "run_id": run_id,
        "method": config.get("method"),
        "dataset": config.get("dataset"),
        "model": config.get("model"),
        "seed": config.get("seed"),
        "noise": config.get("noise"),
        "noise_rate": config.get("noise_rate"),
        "suite": config.get("suite"),
        "wall_time_s": wall,
        "epochs": rows[-1].get("epoch", 0) if rows else 0,
        "test_acc_final": accs[-1] if accs else None,
        "test_acc_best": max(accs) if accs else None,
        **summary,
        "state": state,
        "error": reason,
    }
    w.write_summary(summary)
    w.set_status(state, error=reason)
