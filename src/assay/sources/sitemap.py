"""Sitemaps (sitemaps.org): the page URLs of a <urlset>, or the child sitemaps of a <sitemapindex>."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from urllib.parse import urljoin
from xml.etree import ElementTree

from assay.sources.base import SourceError

MAX_URLS = 50_000  # the protocol's own limit per file


@dataclass(frozen=True)
class Sitemap:
    pages: tuple[tuple[str, str | None], ...]  # (URL, lastmod)
    children: tuple[str, ...]  # sitemaps listed by a sitemap index


def parse_sitemap(url: str, body: bytes) -> Sitemap:
    """Read a sitemap or sitemap index (gzip allowed); raises SourceError for anything else."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError):
            raise SourceError(url, "corrupt gzip sitemap") from None
    if b"<!ENTITY" in body[:4096]:  # entity expansion is never needed in a sitemap
        raise SourceError(url, "sitemap declares XML entities; refused")
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as exc:
        raise SourceError(url, f"sitemap is not XML ({exc})") from None
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise SourceError(url, f"not a sitemap (root element <{kind}>)")
    entries: list[tuple[str, str | None]] = []
    for item in root:
        loc = next((c.text for c in item if _local(c.tag) == "loc"), None)
        mod = next((c.text for c in item if _local(c.tag) == "lastmod"), None)
        if loc and loc.strip():
            entries.append((urljoin(url, loc.strip()), mod.strip() if mod else None))
        if len(entries) >= MAX_URLS:
            break
    if kind == "sitemapindex":
        return Sitemap((), tuple(loc for loc, _ in entries))
    return Sitemap(tuple(entries), ())


def _local(tag: str) -> str:
    """`{http://www.sitemaps.org/schemas/sitemap/0.9}url` → `url`."""
    return tag.rsplit("}", 1)[-1]
