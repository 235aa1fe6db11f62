"""The translation table: every plug-in has a Japanese help line, and keys fall back sensibly."""

import pytest

from core.i18n import TEXT, t
from core.registry import METHODS, MONITORS, REGISTRIES


@pytest.mark.parametrize("kind", sorted(REGISTRIES))
def test_every_plugin_has_japanese_help(kind):
    reg = REGISTRIES[kind]
    for name, obj in reg.items():
        ja = reg.help(name, "ja")
        assert ja and ja != obj.help, f"{kind} '{name}' has no Japanese help"
        assert reg.help(name, "en") == obj.help


@pytest.mark.parametrize("reg", [METHODS, MONITORS], ids=["methods", "monitors"])
def test_methods_and_monitors_declare_their_japanese_help_next_to_the_code(reg):
    for name, obj in reg.items():
        assert obj.help_ja, f"{reg.kind} '{name}' needs help_ja beside help"
        assert f"help.{reg.kind}.{name}" not in TEXT, "the declaration is the one place"


def test_every_entry_has_english_or_is_a_help_override():
    for key, entry in TEXT.items():
        assert "en" in entry or key.startswith("help."), key
        assert "ja" in entry, key


def test_unknown_key_falls_back_to_the_key():
    assert t("no.such.key", "ja") == "no.such.key"
