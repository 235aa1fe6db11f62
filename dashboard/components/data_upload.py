"""Upload component: a user's data file in, validated by `core.data.files.load_file`, stored once under
`<runs_dir>/_uploads/<sha256-16>/<file name>` (pickers show the file's own name); a failure shows its one clear
message, a success a small preview."""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import tempfile

import pandas as pd
import streamlit as st

from core import config as C
from core.data.file_options import FileOptions
from core.data.files import check_size, file_columns, file_defaults, load_file, reader_for
from core.errors import UserError
from core.i18n import t, words
from dashboard.components.choice import choose
from dashboard.components.plain import plain, tp

UPLOAD_DIR = "_uploads"
# An .npy holds one array and its labels need a second file, so a single upload takes the other formats.
TYPES = ("csv", "parquet", "npz", "zip")
NONE = ""
CACHE = "data_upload.cache"
SEEN = "data_upload.seen"  # digests accepted in this session: only a new file resets the noise choice
LIMIT_ENV = "LABELSCOPE_MAX_UPLOAD_MB"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def safe_name(name: str) -> str:
    """`name`'s base name with only letters, digits, '.', '-', '_' (others become '_'); never empty."""
    stem, ext = os.path.splitext(os.path.basename(name))
    stem = re.sub(r"[^\w.-]", "_", stem).strip("._") or "upload"
    return f"{stem[:80]}{ext.lower()}"


def store_upload(data: bytes, name: str, runs_dir: str) -> str:
    """`<runs_dir>/_uploads/<digest>/<safe name>` holding `data`; an existing file (same bytes, same name) is
    reused, never replaced. The digest folder keeps two different files of one name apart."""
    folder = os.path.join(runs_dir, UPLOAD_DIR, digest(data))
    final = os.path.join(folder, safe_name(name))
    if os.path.exists(final):
        return final
    os.makedirs(folder, exist_ok=True)
    part = f"{final}.{secrets.token_hex(4)}.part"
    with open(part, "xb") as f:
        f.write(data)
    try:
        os.link(part, final)  # fails if the name exists, so nothing is overwritten; readers never see half a file
    except FileExistsError:
        pass
    except OSError:  # filesystems without hard links
        if not os.path.exists(final):
            os.rename(part, final)
    finally:
        if os.path.exists(part):
            os.unlink(part)
    return final


def inspect(data: bytes, name: str, options: dict | None, cache_dir: str | None = None) -> dict:
    """Columns (options None) or a validation result of `data`, read as the file `name` (its extension counts).
    `cache_dir` (the runs folder) keeps a text column's embedding for the runs that follow.

    Returns {"columns": [...]} / {"ok": True, preview...} or {"ok": False, "message": one line}.
    """
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, f"upload{os.path.splitext(name)[1].lower()}")
        with open(path, "wb") as f:
            f.write(data)
        try:
            if options is None:
                return {"ok": True, "columns": file_columns(path), "defaults": file_defaults(path)}
            ds = load_file(path, options, cache_dir)
        except UserError as e:
            return {"ok": False, "message": str(e).replace(path, name)}
        except Exception as e:  # a reader bug still gets one line on the page, never a traceback
            return {"ok": False, "message": f"{type(e).__name__}: {str(e)[:300]}".replace(path, name)}
    counts = pd.Series(ds.y).value_counts().reindex(range(ds.num_classes), fill_value=0)
    return {
        "ok": True,
        "n": int(len(ds.y)),
        "shape": list(ds.input_shape),
        "kind": ds.kind,
        "classes": list(ds.class_names),
        "counts": [int(c) for c in counts],
        "truth": ds.truth is not None,
        "content_hash": ds.content_hash,
        "text_column": ds.text_column,
    }


def upload_limit_mb() -> float:
    """The operator's limit: env `LABELSCOPE_MAX_UPLOAD_MB`, else FileOptions' default (Streamlit's own
    `server.maxUploadSize` must be at least as large for bigger files to arrive)."""
    raw = os.environ.get(LIMIT_ENV)
    return C.build(FileOptions, {"max_upload_mb": raw} if raw else {}).max_upload_mb


def _cached(key: tuple, compute) -> dict:
    # Streamlit reruns the page on every widget change; reading a large file once per choice is enough.
    cache = st.session_state.setdefault(CACHE, {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _column_default(name: str, columns: list[str]) -> str:
    default = getattr(FileOptions(), name)
    if default in columns:
        return default
    if name == "label_column" and columns:
        return "y" if "y" in columns else columns[-1]
    return NONE


def _option_widgets(lang: str, names: tuple[str, ...], columns: list[str], key: str, file_defaults: dict) -> dict:
    """Widgets generated from `FileOptions` metadata: `_column` fields pick one of the file's columns;
    `file_defaults` (read from the file, e.g. its images' size) replace the general defaults."""
    values = {}
    for spec in C.field_specs(FileOptions):
        name = spec["name"]
        if name not in names:
            continue
        start = file_defaults.get(name, spec["default"])
        label, helptext = t(f"upload.opt.{name}", lang), t(f"upload.opt.{name}.help", lang)
        k = f"{key}.{name}"
        if name.endswith("_column"):
            choices = columns if name == "label_column" else [NONE] + columns
            default = _column_default(name, columns)
            value = choose(
                st.selectbox,
                label,
                choices,
                key=k,
                default=default,
                help=helptext,
                format_func=lambda c: t("upload.none", lang) if c == NONE else c,
            )
        elif isinstance(spec["default"], bool):
            value = st.checkbox(label, value=start, help=helptext, key=k)
        elif isinstance(spec["default"], str):
            value = st.text_input(label, value=start, help=helptext, key=k).strip() or spec["default"]
        else:
            value = st.number_input(
                label, value=start, step=1, min_value=int(spec["lo"]), max_value=int(spec["hi"]), help=helptext, key=k
            )
        if value != spec["default"] and value != NONE:
            values[name] = value
    return values


def _kind_words(kind: str, lang: str) -> str:
    return words("kind", kind, lang, kind)


def _preview(info: dict, lang: str) -> None:
    st.success(
        tp(
            "upload.accepted",
            lang,
            n=info["n"],
            k=len(info["classes"]),
            shape="×".join(map(str, info["shape"])),
            kind=_kind_words(info["kind"], lang),
        )
    )
    if info.get("text_column"):
        st.caption(t("upload.text_found", lang, column=info["text_column"], encoder=info.get("encoder", "")))
    st.caption(t("upload.truth_known" if info["truth"] else "upload.truth_hidden", lang))
    st.dataframe(
        pd.DataFrame({t("upload.class", lang): info["classes"], t("upload.count", lang): info["counts"]}),
        hide_index=True,
        height=min(38 + 35 * len(info["classes"]), 300),
    )


def render_data_upload(lang: str, runs_dir: str) -> dict | None:
    """The upload box and its options. Returns {"dataset": stored path, "dataset_options": {...}, "new": first
    time this file is accepted in the session, "truth": it has clean labels} once the file is valid, else None.
    Whether noise is injected is the Set up page's one noise control, not a choice made here."""
    try:
        limit = upload_limit_mb()
    except UserError as e:
        st.error(plain(f"{LIMIT_ENV}: {e}"))
        return None
    up = st.file_uploader(
        t("upload.file", lang),
        type=list(TYPES),
        key="data_upload.file",
        help=t("upload.file.help", lang, limit=f"{limit:g}"),
    )
    if up is None:
        return None
    try:
        reader = reader_for(up.name)
        check_size(up.size, limit, up.name)
    except UserError as e:
        st.error(plain(e))
        return None
    data = up.getvalue()
    h = digest(data)
    cols = _cached((h, up.name, None), lambda: inspect(data, up.name, None))
    if not cols["ok"]:
        st.error(plain(cols["message"]))
        return None
    options = _option_widgets(
        lang, reader.options, cols["columns"], key=f"data_upload.{h}", file_defaults=cols.get("defaults") or {}
    )
    if limit != FileOptions().max_upload_mb:
        options["max_upload_mb"] = limit  # training re-reads the file under the same limit
    info = _cached((h, up.name, json.dumps(options, sort_keys=True)), lambda: inspect(data, up.name, options, runs_dir))
    if not info["ok"]:
        st.error(plain(info["message"]))
        return None
    stored = store_upload(data, up.name, runs_dir)
    _preview({**info, "encoder": options.get("text_encoder", FileOptions().text_encoder)}, lang)
    seen = st.session_state.setdefault(SEEN, set())
    new = h not in seen
    seen.add(h)
    return {"dataset": stored, "dataset_options": options, "new": new, "truth": bool(info["truth"])}
