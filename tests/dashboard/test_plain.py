"""User strings inside Markdown show as plain text: no bold, no link, no Streamlit directive, no HTML."""

from __future__ import annotations

from dashboard.components.plain import plain, tp


def test_plain_escapes_markdown_links_directives_and_html():
    s = plain("**bold** [x](javascript:alert(1)) :red[x] $x$ <b>")
    assert "**" not in s.replace("\\*", "") and "](" not in s.replace("\\]\\(", "")
    assert "<b>" not in s and ":red[" not in s


def test_tp_escapes_only_the_values():
    out = tp("samples.observed_predicted", "en", obs="**a**", pred="[b](x)", score="0.5")
    assert out.startswith("Observed label **") and "\\*\\*a\\*\\*" in out and "\\[b\\]\\(x\\)" in out
