"""HTML to main text (trafilatura, with an lxml fallback), plus the title and date the markup declares."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

import lxml.etree  # type: ignore[import-untyped]  # lxml ships no type information
import lxml.html  # type: ignore[import-untyped]  # same
import trafilatura
from trafilatura.settings import Extractor

_DATE_META = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "publishdate",
    "publish_date",
    "publish-date",
    "pubdate",
    "date",
    "dc.date.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "publication_date",
    "citation_publication_date",
)
_TITLE_META = ("og:title", "twitter:title", "dc.title", "citation_title")
_BLOCKS = {
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "table", "ul", "ol", "blockquote", "pre", "header", "footer", "dt", "dd", "figcaption",
}  # fmt: skip
ARTICLE_MAX_CHARS = 2 * 1024 * 1024  # markup trafilatura reads; a longer page is read in one linear pass
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


@dataclass(frozen=True)
class HtmlText:
    text: str
    title: str | None
    published: str | None  # as written in the markup; dates.py normalises it
    used_fallback: bool
    page_text: str  # the whole page's visible text, roughly: where a byline date trafilatura left out may be


class HtmlUnreadable(ValueError):
    pass


def html_to_text(markup: str) -> HtmlText:
    """Main text with one paragraph per line and table rows as `cell | cell |` lines.

    Linear in the page: trafilatura, whose pruning grows faster than the page, reads pages up to
    ARTICLE_MAX_CHARS; a longer one (a whole report as one page) is read by `fallback_text`.
    """
    tree = _parse(markup)
    metas = _meta_map(tree)
    title = _title(tree, metas)
    published = _published(tree, metas)
    page_text = _visible_text(tree)  # before trafilatura, which prunes the tree it is given
    text: str | None = None
    if len(markup) <= ARTICLE_MAX_CHARS:
        with quiet_logger("trafilatura"):
            text = trafilatura.extract(tree, options=_extraction_options())
    used_fallback = False
    if not text or not text.strip():
        text = fallback_text(_parse(markup))  # a fresh tree: trafilatura may have pruned this one
        used_fallback = True
    return HtmlText(text=text, title=title, published=published, used_fallback=used_fallback, page_text=page_text)


@cache
def _extraction_options() -> Extractor:
    """trafilatura's options for the main text, made once: `extract` would build them from its
    configuration on every call (trafilatura copies them before changing any, so they can be shared)."""
    return Extractor(tables=True, comments=False, images=False, dedup=False, fast=True)


def _visible_text(tree: lxml.html.HtmlElement) -> str:
    """Every text node outside head, scripts and styles, one per line (where a byline date may be).
    One pass over the tree: a regex over the markup was quadratic on unclosed <script> tags."""
    nodes = tree.xpath(
        "//text()[not(ancestor::head or ancestor::script or ancestor::style or ancestor::noscript"
        " or ancestor::template)]"
    )
    return "\n".join(str(node) for node in nodes)


@contextmanager
def quiet_logger(name: str) -> Iterator[None]:
    """Damaged files make parsers log warnings; the CleanError (or nothing) is what the user sees."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _parse(markup: str) -> lxml.html.HtmlElement:
    body = _XML_DECLARATION.sub("", markup, count=1)
    if not body.strip():
        raise HtmlUnreadable("no HTML in this page")
    try:
        return lxml.html.fromstring(body)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise HtmlUnreadable(f"unreadable HTML ({exc})") from None


def fallback_text(tree: lxml.html.HtmlElement) -> str:
    """All visible text, one block element per line, for pages trafilatura finds no article in."""
    for bad in tree.xpath("//script|//style|//noscript|//template|//svg"):
        bad.drop_tree()
    parts: list[str] = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            if element.tail:
                parts.append(element.tail)
            continue
        tag = element.tag.lower()
        if tag in _BLOCKS:
            parts.append("\n")
        if element.text:
            parts.append(element.text)
        if tag in ("td", "th"):
            parts.append(" | ")
        if element.tail:
            parts.append(element.tail)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _title(tree: lxml.html.HtmlElement, metas: dict[str, str]) -> str | None:
    """og:title and friends, else the page <title> (its <h1> when the title is the h1 plus a site name)."""
    for name in _TITLE_META:
        value = metas.get(name)
        if value:
            return value
    page_title = _first_text(tree, "//title")
    heading = _first_text(tree, "//h1")
    if page_title and heading and heading in page_title:
        return heading
    return page_title or heading


def _first_text(tree: lxml.html.HtmlElement, xpath: str) -> str | None:
    nodes = tree.xpath(xpath)
    text = " ".join(nodes[0].text_content().split()) if nodes else ""
    return text or None


def _published(tree: lxml.html.HtmlElement, metas: dict[str, str]) -> str | None:
    for name in _DATE_META:
        value = metas.get(name)
        if value:
            return value
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        found = _ld_date(script.text_content())
        if found:
            return found
    for node in tree.xpath("//time[@datetime]"):
        value = str(node.get("datetime") or "").strip()
        if value:
            return value
    return None


def _meta_map(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """Each <meta> name/property (lower-case) to its first non-empty content."""
    metas: dict[str, str] = {}
    for node in tree.iter("meta"):
        key = str(node.get("property") or node.get("name") or node.get("itemprop") or "").strip().lower()
        value = " ".join(str(node.get("content") or "").split())
        if key and value and key not in metas:
            metas[key] = value
    return metas


def _ld_date(payload: str) -> str | None:
    try:
        data = json.loads(payload)
    except (json.JSONDecodeError, ValueError):
        return None
    stack: list[object] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key in ("datePublished", "dateCreated"):
                value = item.get(key)
                if isinstance(value, str) and value.strip():
                    return value.strip()
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None
