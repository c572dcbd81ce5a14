"""Markdown to safe HTML: raw HTML in the source is shown as text, links and images only with
allowed schemes, and citations (`[[fact:…]]`, `[[series:…]]`) replaced by HTML the caller makes."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

from assay.editorial.citations import CITATION

ALLOWED_SCHEMES = ("http", "https", "mailto")


def _allowed_link(url: str) -> bool:
    """http(s) and mailto links, and links within the portal (`/facts`, `#notes`, `other-page`)."""
    text = url.strip()
    if any(ord(c) < 32 for c in text):
        return False
    scheme = urlsplit(text).scheme.lower()
    if scheme:
        return scheme in ALLOWED_SCHEMES
    return not text.startswith("//")  # a scheme-relative link leaves the portal as a relative-looking one


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.validateLink = _allowed_link  # type: ignore[method-assign]  # markdown-it's documented hook
    return md


_MD = _parser()


def render_markdown(text: str, citation_html: Callable[[str], str] | None = None) -> str:
    """HTML for `text`; each citation token becomes `citation_html(token)` (or stays as text)."""
    if citation_html is None:
        return str(_MD.render(text))
    nonce = secrets.token_hex(4)
    tokens: list[str] = []

    def hold(match: re.Match[str]) -> str:
        tokens.append(match.group(0))
        return f"ASSAYCITE{nonce}N{len(tokens) - 1}X"

    rendered = str(_MD.render(CITATION.sub(hold, text)))
    return re.sub(rf"ASSAYCITE{nonce}N(\d+)X", lambda m: citation_html(tokens[int(m.group(1))]), rendered)


def plain_text(text: str, limit: int = 300) -> str:
    """A summary for lists and feeds: the Markdown without its marks, cut at a word."""
    stripped = re.sub(r"[#*_`>\[\]()!|-]+", " ", CITATION.sub(" ", text))
    words = " ".join(stripped.split())
    return words if len(words) <= limit else words[:limit].rsplit(" ", 1)[0] + "…"
