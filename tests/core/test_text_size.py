"""The text-width estimate is an upper bound of the real fonts' advance widths (Arial's metrics through Liberation
Sans, and Noto Sans CJK JP), regular and bold, so columns sized with it never cut their text."""

from __future__ import annotations

import pytest

from core.i18n import t
from core.text_size import text_em, text_width

SAMPLES = [
    "label_smoothing",
    "0.976 ± 0.007",
    "12.3",
    "1.02×",
    "MWmw@% ijl",
    "plain training (n=2)",
    "ce 比のコスト",
    "テスト精度（最終）",
]


@pytest.mark.parametrize("family", ["Liberation Sans", "Noto Sans CJK JP"])
@pytest.mark.parametrize("bold", [False, True])
def test_the_estimate_is_an_upper_bound_of_the_real_fonts(family, bold, font_em):
    texts = SAMPLES + [t("col.noise_auroc", lang) for lang in ("en", "ja")] + [t("method.labo", "ja")]
    for text in texts:
        assert font_em(text, family, bold) <= text_em(text), (text, family, bold)


def test_the_estimate_is_not_wildly_loose():
    # An estimate twice too wide would shrink every table for nothing.
    assert text_em("0.976 ± 0.007") < 13 * 0.7
    assert text_em("所要時間") == 4.0


def test_columns_count_cjk_twice():
    assert text_width("ab") == 2 and text_width("精度") == 4
