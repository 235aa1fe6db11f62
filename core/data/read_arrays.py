"""NPZ / NPY arrays: `X` (N, D) embeddings or (N, H, W[, C]) images, `y` (N,), optional `y_clean` (N,).

Files are opened with `allow_pickle=False`: object arrays are refused, never unpickled.
"""

from __future__ import annotations

import os
import zipfile

import numpy as np

from core.data._validate import RawData, check_finite
from core.data.file_options import FileOptions
from core.errors import UserError

OPTIONS = ("label_column", "clean_label_column")
PICKLE_HINT = "it would need pickle to load, which is refused for safety; save plain numeric or string arrays"


def _load(path: str, what: str = "") -> np.ndarray:
    try:
        a = np.load(path, allow_pickle=False)
    except ValueError as e:
        if "pickle" in str(e).lower():
            raise UserError(f"'{path}' holds an object array: {PICKLE_HINT}") from None
        raise UserError(f"cannot read '{path}' as NPY: {str(e)[:200]}") from None
    except (OSError, EOFError) as e:
        raise UserError(f"cannot read '{path}': {str(e)[:200] or type(e).__name__}") from None
    if not isinstance(a, np.ndarray):
        raise UserError(f"'{path}' is an NPZ archive, not a single NPY array")
    return a


def _member(npz, key: str, path: str) -> np.ndarray:
    try:
        return npz[key]
    except ValueError as e:
        if "pickle" in str(e).lower():
            raise UserError(f"array '{key}' in '{path}' is an object array: {PICKLE_HINT}") from None
        raise UserError(f"cannot read array '{key}' in '{path}': {str(e)[:200]}") from None
    except (OSError, EOFError, zipfile.BadZipFile) as e:
        raise UserError(f"cannot read array '{key}' in '{path}': {str(e)[:200] or type(e).__name__}") from None


def _label_key(keys: list[str], o: FileOptions, path: str) -> str:
    # 'label' is the tables' default; arrays conventionally call it 'y'.
    wanted = o.label_column
    if wanted == "label" and "label" not in keys:
        wanted = "y"
    if wanted not in keys:
        raise UserError(
            f"'{path}' has no labels array '{wanted}'; its arrays are "
            f"{', '.join(repr(k) for k in keys) or '(none)'} (it needs 'X' and 'y', optionally 'y_clean')"
        )
    return wanted


def _images(X: np.ndarray, path: str) -> np.ndarray:
    """(N, H, W) or (N, H, W, C) -> (N, C, H, W); (N, C, H, W) with C in 1, 3, 4 is kept."""
    if X.ndim == 3:
        return X[:, None]
    if X.shape[-1] in (1, 3, 4):
        return np.moveaxis(X, -1, 1)
    if X.shape[1] in (1, 3, 4):
        return X
    raise UserError(f"X in '{path}' has shape {X.shape}: images must be (N, H, W) or (N, H, W, C) with C = 1, 3 or 4")


def to_raw(
    X: np.ndarray,
    y: np.ndarray,
    y_clean: np.ndarray | None,
    path: str,
    label_key: str = "y",
    clean_key: str = "y_clean",
) -> RawData:
    if X.dtype.kind not in "biuf":
        raise UserError(f"X in '{path}' has dtype {X.dtype}; it must be numeric")
    if X.ndim < 2 or X.ndim > 4:
        raise UserError(f"X in '{path}' has shape {X.shape}; expected (N, D) embeddings or (N, H, W[, C]) images")
    if len(X) == 0:
        raise UserError(f"'{path}' holds no samples (X is empty)")
    for name, a in ((label_key, y), (clean_key, y_clean)):
        if a is None:
            continue
        if a.ndim != 1:
            raise UserError(f"'{name}' in '{path}' has shape {a.shape}; labels must be one-dimensional (N,)")
        if len(a) != len(X):
            raise UserError(f"X has {len(X)} rows but '{name}' has {len(a)} in '{path}'; they must match")
    kind = "embedding" if X.ndim == 2 else "image"
    Xf = X.astype(np.float32) if X.ndim == 2 else _images(X, path).astype(np.float32)
    check_finite(Xf, "X", "index")
    return RawData(Xf, y, y_clean, kind, f"labels '{label_key}'", f"clean labels '{clean_key}'", "index")


def read_npz(path: str, o: FileOptions) -> RawData:
    try:
        npz = np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as e:
        raise UserError(f"cannot read '{path}' as NPZ: {str(e)[:200] or type(e).__name__}") from None
    if isinstance(npz, np.ndarray):
        raise UserError(f"'{path}' is a single NPY array, not an NPZ archive; rename it to .npy")
    with npz:
        keys = list(npz.files)
        if "X" not in keys:
            raise UserError(
                f"'{path}' has no array 'X'; its arrays are "
                f"{', '.join(repr(k) for k in keys) or '(none)'} (it needs 'X' and 'y', optionally 'y_clean')"
            )
        yk = _label_key(keys, o, path)
        ck = o.clean_label_column or ("y_clean" if "y_clean" in keys else "")
        if ck and ck not in keys:
            raise UserError(
                f"'{path}' has no clean labels array '{ck}'; its arrays are {', '.join(repr(k) for k in keys)}"
            )
        X, y = _member(npz, "X", path), _member(npz, yk, path)
        yc = _member(npz, ck, path) if ck else None
    return to_raw(X, y, yc, path, yk, ck or "y_clean")


def npz_keys(path: str) -> list[str]:
    """Names of the label-like arrays of an NPZ (all but 'X'), for the dashboard's pickers."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            return [k for k in npz.files if k != "X"]
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, AttributeError, TypeError) as e:
        raise UserError(f"cannot read '{path}' as NPZ: {str(e)[:200] or type(e).__name__}") from None


def sibling(path: str, suffix: str) -> str | None:
    """`<stem>_y.npy` beside `<stem>.npy`, or `y.npy` beside `X.npy` (any `...X.npy` -> `...y.npy`)."""
    d, stem = os.path.split(path[:-4])
    names = [f"{stem}_{suffix}.npy"] + ([f"{stem[:-1]}{suffix}.npy"] if stem.endswith("X") else [])
    for n in names:
        p = os.path.join(d, n)
        if os.path.isfile(p):
            return p
    return None


def read_npy(path: str, o: FileOptions) -> RawData:
    X = _load(path)
    yp = sibling(path, "y")
    if yp is None:
        raise UserError(
            f"no labels file beside '{path}': an .npy holds one array, so put the labels in "
            f"'{os.path.basename(path)[:-4]}_y.npy' (or X.npy with y.npy), or use one .npz with X and y"
        )
    cp = sibling(path, "y_clean")
    return to_raw(
        X, _load(yp), _load(cp) if cp else None, path, os.path.basename(yp), os.path.basename(cp) if cp else "y_clean"
    )
