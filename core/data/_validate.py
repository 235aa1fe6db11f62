"""Checks shared by the file readers: label encoding, NaN/inf reports, class counts, standardization.

Every failure raises one `UserError` whose message names what is wrong and where.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from core.errors import UserError

SHOW = 5  # positions listed in a message before "..."


@dataclasses.dataclass
class RawData:
    """What a reader found, before labels become class ids.

    X: (N, D) features or (N, C, H, W) images, finite float; labels (N,) and clean (N,) or None as
    stored in the file (numbers or strings). `rows` describes positions in messages ("row" counts
    from 1 below a table's header, "index" from 0 in an array). `texts` (N,) str: a text column, whose
    embedding is prepended to X (kind "text"; X may then have no columns).
    """

    X: np.ndarray
    labels: np.ndarray
    clean: np.ndarray | None
    kind: str
    label_name: str
    clean_name: str = ""
    rows: str = "row"
    texts: np.ndarray | None = None
    text_column: str = ""


def positions(idx: np.ndarray, rows: str) -> str:
    """'rows 3, 8' / 'index 4' for 0-based positions `idx`, numbered as `rows` says."""
    base = 1 if rows == "row" else 0
    idx = np.asarray(idx)
    shown = ", ".join(str(int(i) + base) for i in idx[:SHOW]) + (", ..." if len(idx) > SHOW else "")
    word = rows if len(idx) == 1 else ("indices" if rows == "index" else rows + "s")
    return f"{word} {shown}"


def check_finite(X: np.ndarray, what: str, rows: str, columns: list[str] | None = None) -> None:
    """X (N, ...) numeric. Raise naming how many values are NaN/inf and where (per column when named)."""
    bad = ~np.isfinite(X)
    n_bad = int(bad.sum())
    if not n_bad:
        return
    if columns is not None:
        parts = []
        for j in np.flatnonzero(bad.any(0)):
            r = np.flatnonzero(bad[:, j])
            parts.append(f"column '{columns[j]}' {positions(r, rows)}")
        where = "; ".join(parts[:SHOW]) + ("; ..." if len(parts) > SHOW else "")
    else:
        where = positions(np.flatnonzero(bad.reshape(len(X), -1).any(1)), rows)
    raise UserError(f"{n_bad} NaN/inf value{'s' if n_bad > 1 else ''} in {what}: {where}; fill or drop them first")


def _merge(codes: np.ndarray, keys: list[str]) -> tuple[np.ndarray, list[str]]:
    """(codes (N,) over `keys`, keys possibly repeated) -> the same with each key once."""
    ids: dict[str, int] = {}
    remap = np.array([ids.setdefault(k, len(ids)) for k in keys], dtype=np.int64)
    return (remap[codes] if len(keys) else np.zeros(len(codes), np.int64)), list(ids)


def _keys(values: np.ndarray, name: str, rows: str) -> tuple[np.ndarray, list[str]]:
    """Labels (N,) as (codes (N,) int64, keys): each key a label as a string ('3' for 3 and 3.0), once, after
    refusing missing and non-integer numbers. Strings are made per distinct value, not per row, so a long
    column of a few classes costs 8 bytes a row."""
    v = np.asarray(values)
    if v.dtype.kind in "biuf":
        f = v.astype(np.float64)
        miss = ~np.isfinite(f)
        if miss.any():
            raise UserError(
                f"{name} is empty or NaN/inf in {int(miss.sum())} place(s): {positions(np.flatnonzero(miss), rows)}"
            )
        frac = f != np.round(f)
        if frac.any():
            i = int(np.flatnonzero(frac)[0])
            raise UserError(
                f"{name} holds non-integer numbers (e.g. {f[i]:g} at {positions([i], rows)}); "
                "labels must be class names or integer class ids"
            )
        uniq, inv = np.unique(f, return_inverse=True)
        return _merge(inv.reshape(-1), [str(int(x)) for x in uniq])
    if v.dtype.kind in "USO":
        seen: dict = {}
        codes = np.fromiter(
            ((seen.setdefault((type(x), x), len(seen))) for x in v.tolist()), dtype=np.int64, count=len(v)
        )
        keys = [_key(x) for _, x in seen]
        missing = np.array([k is None for k in keys] + [False])
        miss = np.flatnonzero(missing[codes]) if len(codes) else np.zeros(0, np.int64)
        if len(miss):
            raise UserError(f"{name} is empty in {len(miss)} place(s): {positions(miss, rows)}")
        return _merge(codes, keys)
    raise UserError(f"{name} has values of type {v.dtype} that cannot be labels")


def _key(x) -> str | None:
    """One label value as its class name; None when missing (None, NaN, an empty string)."""
    if x is None or (isinstance(x, float) and not np.isfinite(x)):
        return None
    if isinstance(x, (bytes, np.bytes_)):
        x = x.decode("utf-8", "replace")
    if isinstance(x, (float, np.floating)) and float(x).is_integer():
        x = int(x)
    return str(x).strip() or None


def _order(names: list[str]) -> list[str]:
    """Integer-like names in numeric order, others alphabetically."""
    try:
        return sorted(names, key=int)
    except ValueError:
        return sorted(names)


def encode_labels(raw: RawData) -> tuple[np.ndarray, np.ndarray | None, tuple[str, ...]]:
    """(y (N,) int64, y_clean (N,) int64 or None, class names) with the class names kept from the file."""
    codes, keys = _keys(raw.labels, raw.label_name, raw.rows)
    names = _order(sorted(keys))
    index = {n: i for i, n in enumerate(names)}
    y = np.array([index[k] for k in keys], dtype=np.int64)[codes]
    y_clean = None
    if raw.clean is not None:
        ccodes, ckeys = _keys(raw.clean, raw.clean_name, raw.rows)
        unknown = sorted(set(ckeys) - set(index))
        if unknown:
            bad = np.array([k in unknown for k in ckeys])
            where = np.flatnonzero(bad[ccodes])
            shown = ", ".join(f"'{u}'" for u in unknown[:SHOW]) + (", ..." if len(unknown) > SHOW else "")
            raise UserError(
                f"{raw.clean_name} has labels that never occur in {raw.label_name}: {shown} "
                f"({positions(where, raw.rows)})"
            )
        y_clean = np.array([index[k] for k in ckeys], dtype=np.int64)[ccodes]
    return y, y_clean, tuple(names)


def check_classes(y: np.ndarray, names: tuple[str, ...], label_name: str) -> None:
    """At least two classes, 2 x K samples, and 3 per class (the stratified train/val/test split needs them)."""
    K, n = len(names), len(y)
    if K < 2:
        raise UserError(f"{label_name} holds a single class ('{names[0]}'); at least two are needed")
    if n < 2 * K:
        raise UserError(f"the data has {n} samples but {K} classes; at least 2 x {K} = {2 * K} samples are needed")
    counts = np.bincount(y, minlength=K)
    if counts.min() < 3:
        c = int(counts.argmin())
        raise UserError(
            f"class '{names[c]}' has only {counts[c]} sample(s); each class needs at least 3 "
            "(one each for train, validation and test)"
        )


_BLOCK = 1 << 16  # rows per block when standardizing


def standardize_columns(X: np.ndarray) -> np.ndarray:
    """(N, D) -> zero mean, unit variance per column; constant columns are only centred."""
    # Whole-file statistics use no labels, so they leak nothing about the split. Float64 statistics,
    # computed in row blocks: a big table is never copied whole to float64 (memory stays ~2x the float32 X).
    n = len(X)
    mean = np.zeros(X.shape[1:], np.float64)
    for i in range(0, n, _BLOCK):
        mean += X[i : i + _BLOCK].sum(0, dtype=np.float64)
    mean /= max(n, 1)
    var = np.zeros_like(mean)
    for i in range(0, n, _BLOCK):
        var += ((X[i : i + _BLOCK] - mean) ** 2).sum(0)
    sd = np.sqrt(var / max(n, 1))
    sd = np.where(sd > 0, sd, 1.0)
    out = np.empty(X.shape, np.float32)
    for i in range(0, n, _BLOCK):
        out[i : i + _BLOCK] = (X[i : i + _BLOCK] - mean) / sd
    return out


def image_stats(X: np.ndarray) -> tuple[float, float]:
    """(mean, scale) that `standardize_images` uses: X_std = (X - mean) / scale."""
    sd = float(X.std())
    return float(X.mean()), (sd if sd > 0 else 1.0)


def standardize_images(X: np.ndarray) -> np.ndarray:
    """(N, C, H, W) -> one mean and one scale over all pixels, so images keep their relative contrast."""
    X = X.astype(np.float32)
    mean, sd = image_stats(X)
    return (X - mean) / sd
