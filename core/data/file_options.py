"""`FileOptions`: the options of a user's data file (the same keys in CLI `--set` and the dashboard form)."""

from __future__ import annotations

import dataclasses

from core.config import opt


@dataclasses.dataclass(frozen=True)
class FileOptions:
    """Fields ending in `_column` name a column (CSV/Parquet) or an array (NPZ) of the file."""

    label_column: str = opt(
        "label", "column (CSV/Parquet) or array (NPZ; 'y' when 'label' is absent) holding the labels to train on"
    )
    clean_label_column: str = opt(
        "", "optional column/array of verified labels, used only to evaluate (NPZ: 'y_clean' is picked up when present)"
    )
    id_column: str = opt("", "optional id column, left out of the features")
    text_column: str = opt(
        "",
        "column (CSV/Parquet) of free text whose embedding becomes the features; empty: a "
        "single non-numeric column of long strings is detected",
    )
    text_encoder: str = opt(
        "tfidf",
        "how text becomes features: 'tfidf' (offline: word + character n-grams, "
        "truncated SVD) or 'hf:<model id or folder>' (a transformers encoder, mean-pooled)",
    )
    text_options: dict = opt({}, "options of the text encoder, as {option: value} (CLI: --set text.dims=128)")
    image_size: int = opt(32, "side in pixels that ZIP images are resized to", lo=8, hi=256)
    grayscale: bool = opt(False, "convert ZIP images to grayscale (off: keep what the images are)")
    max_upload_mb: float = opt(200.0, "largest data file accepted, in MB", lo=0.0, hi=100_000.0, lo_open=True)
    # Training memory grows with rows, not bytes (~1.6 KB a row for a 2-column table, ~3 KB for 50 columns,
    # docs/RELIABILITY.md): a narrow file far under max_upload_mb can hold millions of rows.
    max_rows: int = opt(1_000_000, "most rows (samples) accepted; training memory grows by about 2-3 KB a row", lo=1)
