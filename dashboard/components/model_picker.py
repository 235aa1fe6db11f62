"""Set up page, model choice: automatic (names the model the data's shape picks and why), any registered
model, or, for a model that declares `suggested` pretrained sources (the Hugging Face backbone), one of those
or one typed in."""

from __future__ import annotations

from core.i18n import plugin_help, t
from core.registry import MODELS
from dashboard.components.choice import choose

OTHER = "__other__"


def model_picker(col, lang: str, info: dict | None) -> tuple[str, dict]:
    """Draws into `col`; returns (model value for the run config, model options)."""
    auto = (info or {}).get("model", "")
    models = [""] + MODELS.names()
    # "" is the value of "automatic"; its label names the model the data picks (and changes with it).
    model = choose(
        col.selectbox,
        t("setup.model", lang),
        models,
        key="setup.model",
        format_func=lambda m: t("setup.model_auto", lang, model=auto or "?") if m == "" else m,
    )
    if model == "" and auto:
        col.caption(
            t(
                "setup.model_chosen",
                lang,
                model=auto,
                reason=t((info or {}).get("reason", ""), lang),
            )
        )
    elif model:
        col.caption(plugin_help("model", model, MODELS.help(model), lang))
    suggested = MODELS.get(model).suggested if model else ()
    if not suggested:  # a model without pretrained sources to pick from
        return model, {}
    ids = [m for m, _ in suggested] + [OTHER]
    notes = dict(suggested)
    pick = choose(
        col.selectbox,
        t("setup.hf_backbone", lang),
        ids,
        key="setup.hf_pick",
        format_func=lambda m: t("setup.hf_other", lang) if m == OTHER else m,
    )
    if pick == OTHER:
        source = col.text_input(
            t("setup.hf_source", lang),
            key="setup.hf_source",
            placeholder="org/model or /path/to/folder",
        ).strip()
    else:
        source = pick
        col.caption(notes.get(pick, ""))
    mode = choose(
        col.radio,
        t("setup.hf_mode", lang),
        ["frozen", "finetune"],
        key="setup.hf_mode",
        format_func=lambda m: t(f"setup.hf_mode.{m}", lang),
        horizontal=True,
    )
    return f"{model}:{source}", {"mode": mode}
