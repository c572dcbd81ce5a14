"""Markdown rendering: no raw HTML, only allowed link schemes, citations replaced by the caller's HTML."""

from __future__ import annotations

import pytest

from assay.editorial.markdown import plain_text, render_markdown


def test_raw_html_is_shown_as_text() -> None:
    html = render_markdown("Hello <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n<div>block</div>")
    assert "<script" not in html and "<img" not in html and "<div" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
        "//evil.example/x",
    ],
)
def test_dangerous_links_are_not_links(link: str) -> None:
    html = render_markdown(f"[click]({link}) and ![pic]({link}) and <{link}>")
    assert "href=" not in html and "src=" not in html


@pytest.mark.parametrize(
    ("link", "href"),
    [
        ("https://www.usgs.gov/mcs", "https://www.usgs.gov/mcs"),
        ("mailto:desk@example.org", "mailto:desk@example.org"),
        ("/facts?commodity=magnesium", "/facts?commodity=magnesium"),
        ("#notes", "#notes"),
    ],
)
def test_safe_links_stay_links(link: str, href: str) -> None:
    assert f'href="{href}"' in render_markdown(f"[see]({link})")


def test_citations_are_replaced_by_the_callers_html_even_inside_emphasis() -> None:
    html = render_markdown(
        "Exports were **[[fact:12]]** and [[series:magnesium/exports/CN?partner=NL]].", lambda t: f"<b>{t}</b>"
    )
    assert "<strong><b>[[fact:12]]</b></strong>" in html
    assert "<b>[[series:magnesium/exports/CN?partner=NL]]</b>" in html


def test_a_placeholder_lookalike_in_the_text_is_left_alone() -> None:
    html = render_markdown("ASSAYCITE0N0X [[fact:1]]", lambda t: "<i>cited</i>")
    assert html.count("<i>cited</i>") == 1 and "ASSAYCITE0N0X" in html


def test_plain_text_drops_marks_and_citations() -> None:
    assert plain_text("# Title\n\n**Bold** [[fact:3]] [link](https://x.org)") == "Title Bold link https://x.org"
