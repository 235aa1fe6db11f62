"""How wide a piece of text is drawn, estimated from character classes (no font file needed): display columns
(a CJK character counts 2) and an upper bound in ems for the fonts the app and the exports name (Arial /
Liberation Sans, Noto Sans CJK; bold included). Used to size the meeting pack's table columns."""

from __future__ import annotations

import unicodedata

_NARROW = set(" .,:;'`|!()[]{}ijlftrI")
_WIDE_LATIN = set("mwMW@%")
EM_NARROW, EM_UPPER, EM_WIDE_LATIN, EM_OTHER, EM_CJK = 0.36, 0.8, 1.0, 0.64, 1.0


def is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def text_width(text: str) -> int:
    """Display columns of `text`: a wide (CJK) character counts 2."""
    return sum(2 if is_wide(ch) else 1 for ch in str(text))


def char_em(ch: str) -> float:
    # East-Asian "ambiguous" characters (±, ×, °, ・) are drawn a full em wide by CJK fonts.
    if is_wide(ch) or unicodedata.east_asian_width(ch) == "A":
        return EM_CJK
    if ch in _NARROW:
        return EM_NARROW
    if ch in _WIDE_LATIN:
        return EM_WIDE_LATIN
    return EM_UPPER if ch.isupper() else EM_OTHER


def text_em(text: str) -> float:
    """Width of `text` on one line, in ems of its font size (an upper bound, see the module docstring)."""
    return sum(char_em(ch) for ch in str(text))
