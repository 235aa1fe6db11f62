"""A ZIP of an image folder: one sub-folder per class, images resized to a common square size.

Guards: entries with '..' or absolute paths are refused; per-entry and total uncompressed sizes, the
compression ratio and the pixel count are capped (decompression bombs); a corrupt image is named.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile

import numpy as np
from PIL import Image

from core import config as C
from core.data._validate import RawData
from core.data.file_options import FileOptions
from core.errors import UserError

OPTIONS = ("image_size", "grayscale")
IMAGE_EXTS = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp")
MAX_ENTRY_BYTES = 64 << 20
MAX_TOTAL_BYTES = 2 << 30
MAX_RATIO = 100  # image formats compress little; a much higher ratio is a bomb
RATIO_FLOOR = 1 << 20  # tiny entries may compress well without harm
MAX_PIXELS = 40_000_000
GRAY_MODES = ("1", "L", "LA", "I", "I;16", "I;16B", "I;16L", "F")
SKIP = ("__MACOSX", "Thumbs.db")


def _mb(n: int) -> str:
    # The caps are binary (64 << 20): said in MiB they read "64 MiB", not "67.1 MB".
    mib = n / (1 << 20)
    return f"{mib / 1024:g} GiB" if mib >= 1024 else f"{mib:.3g} MiB"


def _unsafe(name: str) -> bool:
    n = name.replace("\\", "/")
    return n.startswith("/") or bool(re.match(r"^[A-Za-z]:", n)) or ".." in n.split("/")


def _entries(zf: zipfile.ZipFile, path: str) -> list[tuple[str, zipfile.ZipInfo]]:
    """(class, info) of every image, after the path and size checks on all entries."""
    total, images = 0, []
    for info in zf.infolist():
        name = info.filename
        if _unsafe(name):
            raise UserError(f"ZIP entry '{name}' has an absolute or '..' path; the ZIP is refused")
        if info.is_dir():
            continue
        if info.file_size > MAX_ENTRY_BYTES:
            raise UserError(
                f"ZIP entry '{name}' unpacks to {_mb(info.file_size)}, over the "
                f"{_mb(MAX_ENTRY_BYTES)} per-file limit; the ZIP is refused"
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise UserError(
                f"ZIP entry '{name}' expands {info.file_size // max(1, info.compress_size)}x "
                f"({_mb(info.compress_size)} to {_mb(info.file_size)}): refused as a possible "
                "decompression bomb"
            )
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise UserError(
                f"the ZIP unpacks to more than {_mb(MAX_TOTAL_BYTES)}; refused as a possible decompression bomb"
            )
        parts = name.replace("\\", "/").split("/")
        if any(p.startswith(".") or p in SKIP for p in parts) or not name.lower().endswith(IMAGE_EXTS):
            continue
        images.append((parts, info))
    if not images:
        raise UserError(
            f"no images found in '{path}': expected one sub-folder per class holding {', '.join(IMAGE_EXTS)} files"
        )
    # A ZIP of a folder puts everything under that folder's name: strip such shared roots.
    while all(len(p) >= 3 for p, _ in images) and len({p[0] for p, _ in images}) == 1:
        images = [(p[1:], i) for p, i in images]
    out = []
    for parts, info in images:
        if len(parts) != 2:
            raise UserError(
                f"image '{info.filename}' is not directly inside a class folder; the ZIP must "
                "hold one sub-folder per class (class/image.png)"
            )
        out.append((parts[0], info))
    return sorted(out, key=lambda t: (t[0], t[1].filename))


def _decode(zf: zipfile.ZipFile, info: zipfile.ZipInfo, gray: bool | None, size: int) -> np.ndarray:
    """One image as (size, size) for grayscale or (size, size, 3), uint8; `gray=None` keeps its own mode."""
    name = info.filename
    try:
        with zf.open(info) as f:
            data = f.read(MAX_ENTRY_BYTES + 1)  # the header's size may lie: read at most the cap
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as e:
        raise UserError(f"ZIP entry '{name}' cannot be unpacked: {str(e)[:200] or type(e).__name__}") from None
    if len(data) > MAX_ENTRY_BYTES:
        raise UserError(
            f"ZIP entry '{name}' unpacks to more than {_mb(MAX_ENTRY_BYTES)}; refused as a possible decompression bomb"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            w, h = img.size
            if w * h > MAX_PIXELS:
                raise UserError(
                    f"image '{name}' has {w}x{h} pixels, over the {MAX_PIXELS:,} limit; refused as "
                    "a possible decompression bomb"
                )
            img.load()
    except UserError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UserError(
            f"image '{name}' is too large to decode safely; refused as a possible decompression bomb"
        ) from None
    except Exception as e:  # Pillow raises many types for broken files; all mean the same to the user
        detail = str(e)[:120]
        detail = f": {detail}" if detail and "BytesIO" not in detail else ""
        raise UserError(f"image '{name}' in the ZIP is corrupt or not an image ({type(e).__name__}{detail})") from None
    is_gray = img.mode in GRAY_MODES
    mode = "L" if (gray if gray is not None else is_gray) else "RGB"
    img = img.convert(mode).resize((size, size), Image.BILINEAR)
    return np.asarray(img, dtype=np.uint8)


def defaults(path: str) -> dict:
    """{"image_size": the most common side of the ZIP's images} (their longer side, within the option's
    bounds), read from the image headers only; {} when the ZIP cannot be read (loading then says why)."""
    lo, hi = next((s["lo"], s["hi"]) for s in C.field_specs(FileOptions) if s["name"] == "image_size")
    try:
        with zipfile.ZipFile(path) as zf:
            sides = []
            for _, info in _entries(zf, path)[:200]:  # a sample is enough to see the usual size
                with zf.open(info) as f, Image.open(io.BytesIO(f.read(MAX_ENTRY_BYTES))) as img:
                    sides.append(max(img.size))
    except (UserError, zipfile.BadZipFile, OSError, EOFError, ValueError, Image.DecompressionBombError):
        return {}
    if not sides:
        return {}
    values, counts = np.unique(sides, return_counts=True)
    return {"image_size": int(min(max(values[np.argmax(counts)], lo), hi))}


def read_image_zip(path: str, o: FileOptions) -> RawData:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        raise UserError(f"cannot read '{path}' as ZIP: {str(e)[:200] or type(e).__name__}") from None
    with zf:
        entries = _entries(zf, path)
        imgs = [_decode(zf, info, True if o.grayscale else None, o.image_size) for _, info in entries]
    if any(a.ndim == 3 for a in imgs):
        # Mixed folders become RGB: grey images are repeated over the three channels.
        X = np.stack([a if a.ndim == 3 else np.repeat(a[..., None], 3, -1) for a in imgs]).transpose(0, 3, 1, 2)
    else:
        X = np.stack(imgs)[:, None]
    labels = np.array([c for c, _ in entries], dtype=object)
    return RawData(X.astype(np.float32) / 255.0, labels, None, "image", "the ZIP", "", "index")
