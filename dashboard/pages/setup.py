"""Set up page: data, label noise, methods (generated option forms), training and device; one button starts
the comparison through the launcher. A ready-made demo comparison is one click away."""

from __future__ import annotations

import dataclasses
import json

import streamlit as st

from core import presets
from core.engine.run_config import RunConfig, make_config
from core.errors import UserError
from core.i18n import plugin_help, t
from core.monitors.base import default_monitors
from core.noise import injects, no_noise, pickable_kinds
from core.registry import DATASETS, METHODS, NOISE
from core.store.paths import is_run_id, run_path
from core.viz.style import method_name
from dashboard import launcher, state
from dashboard.components.choice import choose, set_choice
from dashboard.components.config_form import config_form
from dashboard.components.data_upload import render_data_upload
from dashboard.components.grid_picker import backend_box, grid_size, noise_grid
from dashboard.components.model_picker import model_picker

# The demo comparison is the measured preset of core/presets.py (see docs/BENCHMARKS.md, "Demo setting").
DEMO = {k: v for k, v in presets.DEMO.items() if k not in ("methods", "seeds")}
DEMO_SEEDS = len(presets.DEMO["seeds"])
DEMO_METHODS = tuple(presets.DEMO["methods"])
ADVANCED = ("lr", "batch_size", "optimizer", "weight_decay", "schedule", "probe_every", "labeled_fraction")
OWN = "__own__"
NOISE_MODE = "setup.noise_mode"  # the one authoritative noise control ("inject" / "real"); an upload sets it


@st.cache_data(show_spinner=False)
def _data_info(name: str, options_json: str, runs_dir: str) -> dict:
    from core.data.base import load_dataset
    from core.models import default_choice

    ds = load_dataset(name, json.loads(options_json), 0, cache_dir=runs_dir)
    return {
        "n": len(ds.y),
        "shape": list(ds.input_shape),
        "k": ds.num_classes,
        "kind": ds.kind,
        "model": default_choice(ds.input_shape, ds.kind)[0],
        "reason": default_choice(ds.input_shape, ds.kind)[1],
        "truth": ds.truth is not None,
        "labels_are_truth": ds.labels_are_truth,
    }


@st.cache_resource(show_spinner=False)
def _device() -> tuple[bool, str]:
    from core.engine.device import describe_device, pick_device

    dev = pick_device("auto")
    return dev.type == "cuda", describe_device(dev)


def demo_methods() -> list[str]:
    return [m for m in DEMO_METHODS if m in METHODS]


def start(
    values: dict,
    methods: list[str],
    seeds: int,
    method_options: dict[str, dict],
    grid: dict | None = None,
    backend: str = "local",
    backend_options: dict | None = None,
) -> tuple[str, list[str]]:
    """Validate every method's config, then hand the comparison (a grid when `grid` names noise settings) to
    the launcher, which trains it on `backend`."""
    values = {**values, "monitors": default_monitors()}
    base = None
    for m in methods:
        cfg = make_config({**values, "method": m, "method_options": method_options.get(m, {})})
        base = base or cfg
    grid = grid or {}
    return launcher.start_comparison(
        base,
        methods,
        list(range(seeds)),
        state.runs_dir(),
        method_options=method_options,
        noises=grid.get("noises"),
        rates=grid.get("rates"),
        backend=backend,
        backend_options=backend_options,
    )


def _started(suite_id: str, run_ids: list[str], lang: str) -> None:
    state.set_current_suite(suite_id)
    st.session_state["setup.started"] = (suite_id, len(run_ids))
    st.switch_page("pages/live.py")


def measured_demo(runs_dir: str, methods: list[str]) -> dict | None:
    """The newest finished demo comparison in `runs_dir`: {"seconds": first start to last finish, "runs": n}.

    A demo is a comparison of the demo's methods x seeds on the demo setting; the duration is what this
    machine took, so the demo box promises nothing it has not measured."""
    from core.store.reader import RunReader, list_suites

    for s in list_suites(runs_dir):
        setting = s.get("setting") or {}
        if (
            s.get("methods") != methods
            or len(s.get("seeds") or []) != DEMO_SEEDS
            or any(setting.get(k) != v for k, v in DEMO.items())
        ):
            continue
        stats = [RunReader(run_path(runs_dir, r)).status() for r in s.get("run_ids", []) if is_run_id(runs_dir, r)]
        if not stats or any(x.get("state") != "completed" for x in stats):
            continue
        return {"seconds": max(x["finished"] for x in stats) - s["created"], "runs": len(stats)}
    return None


def demo_box(lang: str) -> None:
    methods = demo_methods()
    with st.container(border=True):
        st.markdown(f"**{t('setup.demo_title', lang)}**")
        measured = presets.MEASURED
        st.write(
            t(
                "setup.demo_text",
                lang,
                methods=", ".join(method_name(x, lang) for x in methods),
                seeds=DEMO_SEEDS,
                epochs=DEMO["epochs"],
                m=int(measured["wall_s"]) // 60,
                s=int(measured["wall_s"]) % 60,
                cores=measured["cores"],
                load=f"{measured['load']:.1f}",
            )
        )
        took = measured_demo(state.runs_dir(), methods)
        if took:  # what this machine took last time, beside the figure measured when the preset was chosen
            mins, sec = divmod(int(round(took["seconds"])), 60)
            st.caption(t("setup.demo_took", lang, m=mins, s=sec, runs=took["runs"]))
        if st.button(t("setup.demo_button", lang), type="primary", icon=":material/play_arrow:", key="demo"):
            _started(*start(dict(DEMO), methods, DEMO_SEEDS, {}), lang=lang)


def data_section(lang: str) -> tuple[str, dict, bool] | None:
    st.subheader(t("setup.data", lang))
    names = DATASETS.names()
    options = names + [OWN]
    choice = choose(
        st.selectbox,
        t("setup.dataset", lang),
        options,
        key="setup.dataset",
        default="digits" if "digits" in names else names[0],
        format_func=lambda n: t("setup.own_data", lang) if n == OWN else n,
    )
    if choice != OWN:
        st.caption(plugin_help("dataset", choice, DATASETS.help(choice), lang))
        return choice, {}, False
    got = render_data_upload(lang, state.runs_dir())
    if not got:
        return None
    if got.get("new"):  # a freshly uploaded file holds the user's real labels unless they say otherwise
        set_choice(NOISE_MODE, "real")
    st.caption(t("setup.noise_set_by_upload", lang))
    return got["dataset"], dict(got.get("dataset_options") or {}), True


def noise_section(lang: str, note: str) -> dict:
    """The one noise control; `note` says what real-labels mode means for the chosen data."""
    st.subheader(t("setup.noise", lang))
    mode = choose(
        st.radio,
        t("setup.noise_mode", lang),
        ["inject", "real"],
        key=NOISE_MODE,
        format_func=lambda m: t(f"setup.noise_{m}", lang),
    )
    if mode == "real":
        st.caption(t(note, lang))
        return {"noise": no_noise(), "noise_rate": 0.0}
    kinds = pickable_kinds()
    c1, c2 = st.columns(2)
    kind = choose(
        c1.selectbox,
        t("setup.noise_kind", lang),
        kinds,
        key="setup.noise_kind",
        default="symmetric",
        format_func=lambda k: t(f"noise.{k}", lang),
    )
    c1.caption(plugin_help("noise", kind, NOISE.help(kind), lang))
    rate = c2.slider(t("setup.noise_rate", lang), 0.0, 0.8, 0.4, 0.05, format="%.2f", key="setup.noise_rate")
    return {"noise": kind, "noise_rate": float(rate), "grid": noise_grid(lang, kind, float(rate), kinds)}


def noise_sentence(noise: dict, lang: str) -> str:
    """What the run will do to the labels, in plain words (shown next to the Run button)."""
    if not injects(noise["noise"]) or not noise.get("noise_rate"):
        return t("setup.will.none", lang)
    return t("setup.will.inject", lang, pct=100 * noise["noise_rate"], how=t(f"noise.how.{noise['noise']}", lang))


def methods_section(lang: str) -> tuple[list[str], dict[str, dict], list[str]]:
    st.subheader(t("setup.methods", lang))
    chosen, options, errors = [], {}, []
    defaults = set(presets.TICKED) & set(METHODS.names())
    for name, cls in METHODS.items():
        words = method_name(name, lang)
        label = f"**{words}** · `{name}`" if words != name else f"**{name}**"  # the id: what CLI and files say
        ticked = st.checkbox(label, value=name in defaults, key=f"setup.method.{name}")
        st.caption(METHODS.help(name, lang))
        if ticked:
            chosen.append(name)
            with st.expander(t("setup.options_of", lang, method=words)):
                if not dataclasses.fields(cls.Config):
                    st.caption(t("setup.no_options", lang))
                    values, err = {}, None
                else:
                    values, err = config_form(cls.Config, key=f"setup.opt.{name}", columns=3, lang=lang)
                if err:
                    st.error(err)
                    errors.append(err)
                options[name] = values
    return chosen, options, errors


def training_section(lang: str, info: dict | None) -> tuple[dict, int, str | None]:
    st.subheader(t("setup.training", lang))
    c1, c2, c3, c4 = st.columns(4)
    seeds = c1.number_input(t("setup.seeds", lang), 1, 10, 3, help=t("setup.seeds_help", lang), key="setup.seeds")
    epochs = c2.number_input(t("setup.epochs", lang), 1, 1000, 30, key="setup.epochs")
    model, model_options = model_picker(c3, lang, info)
    devices = next(f.metadata["choices"] for f in dataclasses.fields(RunConfig) if f.name == "device")
    device = choose(
        c4.selectbox,
        t("setup.device", lang),
        list(devices),
        key="setup.device",
        format_func=lambda d: t(f"setup.device.{d}", lang),
    )
    gpu, name = _device()
    c4.caption(t("setup.device_gpu", lang, name=name) if gpu else t("setup.device_cpu", lang, name=name))
    with st.expander(t("setup.advanced", lang)):
        adv, err = config_form(RunConfig, key="setup.adv", columns=3, only=ADVANCED, lang=lang)
        if err:
            st.error(err)
    return (
        {"model": model, "model_options": model_options, "epochs": int(epochs), "device": device, **adv},
        int(seeds),
        err,
    )


def run_section(
    lang: str,
    data,
    noise: dict,
    methods: list[str],
    method_options: dict,
    training: dict,
    seeds: int,
    errors: list[str],
) -> None:
    st.divider()
    grid = noise.get("grid") or {}
    if grid and not (grid["noises"] and grid["rates"]):
        errors = [*errors, t("setup.grid_empty", lang)]
    backend, backend_options, backend_err = backend_box(lang)
    if backend_err:
        errors = [*errors, backend_err]
    if methods:
        n_set = grid_size(grid)
        st.write(
            t(
                "setup.summary_grid" if n_set > 1 else "setup.summary",
                lang,
                runs=len(methods) * seeds * n_set,
                methods=", ".join(methods),
                seeds=seeds,
                settings=n_set,
                epochs=training["epochs"],
            )
        )
    else:
        st.warning(t("setup.pick_method", lang))
    st.info(noise_sentence(noise, lang), icon=":material/label:")
    ready = data is not None and bool(methods) and not errors
    if st.button(t("setup.run", lang), type="primary", disabled=not ready, icon=":material/rocket_launch:", key="run"):
        values = {"dataset": data[0], "dataset_options": data[1], **noise, **training}
        values.pop("grid", None)
        try:
            _started(*start(values, methods, seeds, method_options, grid, backend, backend_options), lang=lang)
        except UserError as e:
            st.error(str(e))


def data_info(data) -> tuple[dict | None, str | None]:
    """(shape/classes/default model of the chosen data, None) or (None, the one-line reason it cannot be read)."""
    if data is None:
        return None, None
    try:
        return _data_info(data[0], json.dumps(data[1], sort_keys=True), state.runs_dir()), None
    except UserError as e:
        return None, str(e)


lang = state.lang()
st.title(t("setup.title", lang))
st.write(t("setup.intro", lang))
demo_box(lang)
data = data_section(lang)
info, data_err = data_info(data)
if data_err:
    st.error(data_err)
    data = None
elif info:
    st.caption(t("setup.data_shape", lang, n=info["n"], shape="×".join(map(str, info["shape"])), k=info["k"]))
# A bundled set may carry real noise with separate truth (wordnet_glosses): the note follows the labels, not the origin.
noise = noise_section(
    lang,
    "setup.noise_real_note_builtin"
    if info and info.get("labels_are_truth")
    else "setup.noise_real_note_truth"
    if info and info["truth"]
    else "setup.noise_real_note",
)
methods, method_options, form_errors = methods_section(lang)
training, seeds, train_err = training_section(lang, info)
run_section(lang, data, noise, methods, method_options, training, seeds, form_errors + [e for e in [train_err] if e])
