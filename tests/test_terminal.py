"""Terminal safety: controls, C1 and bidi characters made visible; markup and emoji never read."""

from __future__ import annotations

import io

from assay.terminal import SafeConsole, safe_text, visible
from hostile import ESCAPES


def test_escape_sequences_become_visible() -> None:
    assert visible("a\x1b[2Jb") == "a␛[2Jb"
    assert visible("\x07\x00\x7f") == "␇␀␡"
    assert visible("x\x9b31m") == "x<U+009B>31m"
    assert visible("\u202eevil") == "<U+202E>evil"
    assert visible("\u2066a\u2069\u200f") == "<U+2066>a<U+2069><U+200F>"


def test_newlines_and_tabs_stay_unless_one_line_is_wanted() -> None:
    assert visible("a\nb\tc") == "a\nb\tc"
    assert visible("a\nb\tc", single_line=True) == "a b c"
    assert visible("a\r\nb") == "a␍\nb"


def test_ordinary_text_is_untouched() -> None:
    text = "镁锭价格 17,800 CNY/t — Société, «quotes», naïve"
    assert visible(text) == text


def _printed(*renderables: object) -> str:
    out = io.StringIO()
    console = SafeConsole(file=out, width=200, force_terminal=True, color_system="truecolor")
    for renderable in renderables:
        console.print(renderable, highlight=False)
    return out.getvalue()


def test_safe_text_is_never_markup_or_emoji() -> None:
    printed = _printed(safe_text("[bold red]x[/bold red] :warning:"))
    assert "[bold red]x[/bold red] :warning:" in printed
    assert "\u26a0" not in printed


def test_the_console_shows_controls_a_command_forgot_and_keeps_its_own_styles() -> None:
    printed = _printed("[bold]title[/bold]: " + "".join(ESCAPES).replace("[", "\\["))
    assert "\x1b[1m" in printed  # Rich's own bold
    for raw in ("\x1b[2J", "\x1b]0;", "\x1b]8;;", "\x1b[5m", "\x9b", "\u202e"):
        assert raw not in printed
    assert "␛[2J" in printed and "<U+202E>" in printed
