"""The meeting pack's summary table sized from its content: column widths and one font size at which no body
cell ("label_smoothing", "0.976 ± 0.007") wraps or is cut and no header word is split, for the deck and the PDF.

Widths are estimated from character classes (core/text_size.py), never from a font file: the deck is drawn by
whatever PowerPoint or LibreOffice opens it, so the estimate is an upper bound for the fonts the pack names.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from core.text_size import is_wide, text_em, text_width

NO_BREAK_BEFORE = set("）)」』、。，．・ー%")  # Japanese line breaking: these never start a line
NO_BREAK_AFTER = set("（(「『")  # and these never end one


def wrap(text: str, limit: float, measure: Callable[[str], float] = text_width) -> list[str]:
    """Lines of at most `limit` by `measure` (by default columns, a CJK character counts 2), broken only between
    the pieces of `break_units`: at spaces and between CJK characters, as the column sizing assumes (a header
    that broke only at its spaces kept "AUROC（標本外）" whole and ran into the next column)."""
    pieces: list[tuple[str, str]] = []  # (piece, the separator before it)
    for word in text.replace("\n", " ").split(" "):
        for i, unit in enumerate(break_units(word) if word else []):
            pieces.append((unit, " " if i == 0 and pieces else ""))
    lines, line, cols = [], "", 0.0
    for unit, sep in pieces:
        sep = sep if line else ""
        w, s = measure(unit), measure(sep) if sep else 0.0
        if line and cols + s + w > limit:
            lines.append(line)
            line, cols = unit, w
        else:
            line, cols = line + sep + unit, cols + s + w
    if line:
        lines.append(line)
    return lines or [""]


def break_units(text: str) -> list[str]:
    """The pieces a header may wrap between: words, and single CJK characters (with a closing bracket or
    punctuation mark kept on the character before it, an opening bracket on the one after it)."""
    units: list[str] = []
    for word in str(text).split():
        if not any(is_wide(ch) for ch in word):
            units.append(word)
            continue
        piece = ""
        for ch in word:
            joined = ch in NO_BREAK_BEFORE or piece[-1:] in NO_BREAK_AFTER
            if piece and not (joined or (not is_wide(ch) and not is_wide(piece[-1]))):
                units.append(piece)
                piece = ""
            piece += ch
        units.append(piece)
    return units or [""]


@dataclasses.dataclass(frozen=True)
class TableFit:
    widths: list[float]  # one per column, summing to the available width (its unit)
    size: float  # font size in the same unit, at most the size asked for

    def fits(self, text: str, column: int, pad: float) -> bool:
        return text_em(text) * self.size + pad <= self.widths[column] + 1e-6


def fit_table(
    head: list[str], rows: list[list[str]], avail: float, size: float, pad: float, min_size: float, step: float = 0.5
) -> TableFit:
    """Widths of len(head) columns filling `avail` and the largest font size <= `size` (in steps of `step`, not
    below `min_size`) at which every body cell and every header word fits on one line with `pad` beside it.

    Spare width goes first to the headers that would otherwise wrap, then to every column by its need. A table
    too wide even at `min_size` gets its columns shrunk alike, and its cells wrap.
    """
    cols = [[str(r[j]) for r in rows] for j in range(len(head))]

    def need_em(j: int) -> float:  # the unbreakable part of column j
        return max([text_em(c) for c in cols[j]] + [text_em(u) for u in break_units(head[j])] + [text_em("0000")])

    needs = [need_em(j) for j in range(len(head))]
    fitted = size
    while fitted - step >= min_size and sum(n * fitted + pad for n in needs) > avail:
        fitted -= step
    widths = [n * fitted + pad for n in needs]
    spare = avail - sum(widths)
    if spare < 0:  # too many columns even at the smallest size: shrink them all alike (cells will wrap)
        widths = [w * avail / sum(widths) for w in widths]
    elif spare > 0:
        short = [max(0.0, text_em(h) * fitted + pad - w) for h, w in zip(head, widths)]  # a header on one line
        give = min(spare, sum(short))
        if give > 0:
            widths = [w + give * s / sum(short) for w, s in zip(widths, short)]
        spare -= give
        total = sum(widths)
        widths = [w + spare * w / total for w in widths]
    return TableFit(widths, fitted)


def header_lines(head: list[str], fit: TableFit, pad: float, size: float | None = None) -> int:
    """Lines the tallest header takes when wrapped in its column at `size` (the fit's size by default)."""
    size = size or fit.size
    return max([len(wrap(h, (w - pad) / size, text_em)) for h, w in zip(head, fit.widths)] + [1])
