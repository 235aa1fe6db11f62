"""The one translation table for every UI string and chart title (English and Japanese)."""
from __future__ import annotations

LANGS = ("en", "ja")

TEXT: dict[str, dict[str, str]] = {
    "app.title": {"en": "labelscope", "ja": "labelscope"},
    "chart.test_acc": {"en": "Test accuracy", "ja": "テスト精度"},
    "chart.final_acc": {"en": "Final test accuracy (mean ± std over seeds)", "ja": "最終テスト精度（シード平均 ± 標準偏差）"},
    "axis.epoch": {"en": "epoch", "ja": "エポック"},
    "axis.accuracy": {"en": "accuracy", "ja": "精度"},
    "axis.method": {"en": "method", "ja": "手法"},
    # --- dashboard: app, set up, live, compare ---
    # --- dashboard: diagnostics, samples ---
    # --- bring your own data ---
    # --- export ---
}


def t(key: str, lang: str = "en", **fmt) -> str:
    """Translated text for `key` (falls back to English, then to the key itself)."""
    entry = TEXT.get(key)
    if entry is None:
        return key
    s = entry.get(lang) or entry.get("en") or key
    return s.format(**fmt) if fmt else s
