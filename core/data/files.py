"""A user's data file -> `Dataset`: CSV/Parquet, NPZ/NPY, image-folder ZIP, with one clear error per bad input.

Labels are taken as given (`labels_are_truth=False`); a clean-label column, when given, becomes `y_clean`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable

import numpy as np

from core import config as C
from core.data import read_arrays, read_image_zip, read_table
from core.data._validate import (
    RawData,
    check_classes,
    encode_labels,
    image_stats,
    standardize_columns,
    standardize_images,
)
from core.data.dataset import Dataset
from core.data.file_options import FileOptions
from core.data.text.base import make_encoder
from core.data.text.embed import embed_texts
from core.errors import UserError


@dataclasses.dataclass(frozen=True)
class Reader:
    """How one extension is read and which `FileOptions` fields apply to it (the dashboard shows those)."""

    read: Callable[[str, FileOptions], RawData]
    options: tuple[str, ...]
    columns: Callable[[str], list[str]] | None = None
    # Option defaults read from the file itself (e.g. a ZIP's own image size), for forms to start from.
    defaults: Callable[[str], dict] | None = None
    texts: Callable[[str, FileOptions], object] | None = None  # the raw texts of a text column, without embedding


READERS: dict[str, Reader] = {
    ".csv": Reader(read_table.read_table, read_table.OPTIONS, read_table.columns, texts=read_table.texts),
    ".parquet": Reader(read_table.read_table, read_table.OPTIONS, read_table.columns, texts=read_table.texts),
    ".npz": Reader(read_arrays.read_npz, read_arrays.OPTIONS, read_arrays.npz_keys),
    ".npy": Reader(read_arrays.read_npy, ()),
    ".zip": Reader(read_image_zip.read_image_zip, read_image_zip.OPTIONS, defaults=read_image_zip.defaults),
}

# "text": the numeric columns beside a text column (the embedding is scaled by `core.data.text.embed`).
STANDARDIZE = {
    "tabular": standardize_columns,
    "embedding": standardize_columns,
    "image": standardize_images,
    "text": standardize_columns,
}


def reader_for(path: str) -> Reader:
    ext = os.path.splitext(path)[1].lower()
    if ext not in READERS:
        raise UserError(
            f"file '{os.path.basename(path)}' has extension '{ext or '(none)'}'; supported: {', '.join(READERS)}"
        )
    return READERS[ext]


def check_size(nbytes: int, max_mb: float, name: str) -> None:
    if nbytes > max_mb * 1e6:
        raise UserError(f"'{name}' is {nbytes / 1e6:.3g} MB, larger than the {max_mb:g} MB limit (max_upload_mb)")


def check_rows(n: int, max_rows: int, name: str) -> None:
    if n > max_rows:
        raise UserError(
            f"'{name}' has {n:,} rows, more than the {max_rows:,} row limit (max_rows); training needs about "
            "2-3 KB of memory a row"
        )


def file_hash(path: str) -> str:
    """sha256 of the file's bytes, 16 hex digits (names stored uploads)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:16]


def _check_file(path: str, o: FileOptions) -> None:
    if not os.path.exists(path):
        raise UserError(f"data file '{path}' does not exist")
    if not os.path.isfile(path):
        raise UserError(f"'{path}' is not a file")
    if not os.access(path, os.R_OK):
        raise UserError(f"data file '{path}' cannot be read (permission denied)")
    size = os.path.getsize(path)
    if size == 0:
        raise UserError(f"file '{path}' is empty")
    check_size(size, o.max_upload_mb, path)


def file_columns(path: str) -> list[str]:
    """Column names of a table, array names (but 'X') of an NPZ; [] for formats without either."""
    r = reader_for(path)
    return r.columns(path) if r.columns else []


def file_defaults(path: str) -> dict:
    """`FileOptions` values that suit this file better than the general defaults ({} when none)."""
    r = reader_for(path)
    return r.defaults(path) if r.defaults else {}


def load_file(path: str, options: dict | None = None, cache_dir: str | None = None) -> Dataset:
    """Read, validate and encode `path`; options are `FileOptions` keys (strings are coerced). A text column is
    embedded by `text_encoder`, cached under `cache_dir` (a runs folder) when given."""
    o = C.build(FileOptions, options or {})
    reader = reader_for(path)
    _check_file(path, o)
    if o.text_column and reader.texts is None:
        raise UserError(f"text_column applies to CSV/Parquet tables, not to '{os.path.basename(path)}'")
    if o.text_column or o.text_encoder != FileOptions().text_encoder:
        make_encoder(o.text_encoder, o.text_options)  # a bad or offline encoder fails before the file is read
    raw = reader.read(path, o)
    check_rows(len(raw.X), o.max_rows, path)
    y, y_clean, names = encode_labels(raw)
    check_classes(y, names, raw.label_name)
    X = STANDARDIZE[raw.kind](raw.X)
    if raw.texts is not None:
        E, _ = embed_texts(raw.texts, o.text_encoder, o.text_options, cache_dir)
        X = np.concatenate([E, X], 1) if X.shape[1] else E
    # Pixels known to lie in [0, 1] (ZIP images) can be restored for pretrained backbones.
    in_unit = raw.kind == "image" and float(raw.X.min()) >= 0.0 and float(raw.X.max()) <= 1.0
    return Dataset(
        os.path.basename(path),
        X,
        y,
        names,
        labels_are_truth=False,
        y_clean=y_clean,
        kind=raw.kind,
        source=os.path.abspath(path),
        pixel_stats=image_stats(raw.X.astype(np.float32)) if in_unit else None,
        texts=raw.texts,
        text_column=raw.text_column,
    )


def read_texts(path: str, options: dict | None = None) -> np.ndarray | None:
    """The texts (N,) of a table's text column (as training uses it), or None when the file has none."""
    o = C.build(FileOptions, options or {})
    reader = reader_for(path)
    _check_file(path, o)
    return reader.texts(path, o) if reader.texts else None
