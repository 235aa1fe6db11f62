"""The translation table: every plug-in has a Japanese help line, and keys fall back sensibly."""
import pytest

from core.i18n import TEXT, plugin_help, t
from core.registry import DATASETS, METHODS, MODELS, NOISE


@pytest.mark.parametrize("kind,reg", [("method", METHODS), ("dataset", DATASETS), ("model", MODELS), ("noise", NOISE)])
def test_every_plugin_has_japanese_help(kind, reg):
    for name, obj in reg.items():
        ja = plugin_help(kind, name, obj.help, "ja")
        assert ja and ja != obj.help, f"{kind} '{name}' has no Japanese help"
        assert plugin_help(kind, name, obj.help, "en") == obj.help


def test_every_entry_has_english_or_is_a_help_override():
    for key, entry in TEXT.items():
        assert "en" in entry or key.startswith("help."), key
        assert "ja" in entry, key


def test_unknown_key_falls_back_to_the_key():
    assert t("no.such.key", "ja") == "no.such.key"
