"""Cleaning and duplicate-signature speed, with baselines measured in the same run.

    python bench/clean.py [--rounds 300]

Figures printed (ms per document, lower is better):
- clean_document on a ~3 KB HTML news page (navigation, cookie banner, footer around the article),
  beside trafilatura.extract alone on the same page (the floor our HTML cleaning builds on);
- clean_document on a ~3 KB plain-text page (GBK-encoded, so detection runs), beside bytes.decode;
- DuplicateIndex.signature on 2 KB of text, beside datasketch's default MinHash (SHA-1 per shingle).
The page is written here, in our own words, so the bench runs without ../shared.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, datetime

import trafilatura
from datasketch import MinHash

from assay.clean import CleaningContext, clean_document
from assay.clean.dedupe import DuplicateIndex, shingles
from assay.sources import RawDocument

PARAGRAPHS = [
    "China exported 38,000 tonnes of magnesium ingot in February, up 12.5% from a year earlier, customs data "
    "showed on Tuesday, as buyers in the Netherlands and Turkey restocked after the Lunar New Year holiday.",
    "Prices in Fugu held at 16,800 yuan per tonne while smelters in Shaanxi restarted furnaces; ferrosilicon, "
    "the main reductant, traded at 6,500 yuan per tonne, leaving producers a thin margin.",
    "Magnesium alloy shipments rose to 11,300 tonnes and magnesium powder to 8,400 tonnes, while scrap exports "
    "remained small. Traders expect the second quarter to be firmer once die-casters in Japan place orders.",
    "In Liaoning, fused magnesia makers in Dashiqiao kept kilns idle for environmental inspections, and the "
    "price of 97% fused magnesia rose 150 yuan to 3,100 yuan per tonne over the week.",
    "Analysts noted that exports for January and February combined reached 71,500 tonnes, 8% more than in the "
    "same period of 2023, and that freight costs to Rotterdam had eased since January.",
    "Graphite markets were quieter: flake graphite of 94% carbon, -100 mesh, was offered at 4,300 yuan per "
    "tonne in Heilongjiang, unchanged on the week, as anode makers worked through stocks bought in January.",
    "Rare earth prices slipped, with praseodymium-neodymium oxide at 395,000 yuan per tonne, down 5,000 yuan, "
    "after the first batch of 2024 mining quotas was set at 135,000 tonnes, 12.5% more than a year earlier.",
    "Magnet makers in Ningbo and Baotou said orders from wind-turbine and electric-vehicle customers in Europe "
    "held up, though exports of NdFeB magnets to the United States fell for a second month.",
]
TABLE = (
    "<table><tr><th>Product</th><th>Feb exports (t)</th><th>YoY</th></tr>"
    "<tr><td>Ingot</td><td>38,000</td><td>12.5%</td></tr><tr><td>Alloy</td><td>11,300</td><td>0.7%</td></tr>"
    "<tr><td>Powder</td><td>8,400</td><td>7.6%</td></tr></table>"
)
NAV = "".join(f"<li><a href='/{w.lower()}'>{w}</a></li>" for w in ("Home", "Markets", "Prices", "Magnesium", "Contact"))


def html_page() -> bytes:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:3]) + TABLE + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[3:])
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Magnesium exports rise | Metals Desk</title>"
        "<meta property='article:published_time' content='2024-03-05T08:00:00+08:00'></head><body>"
        f"<header><nav><ul>{NAV}</ul></nav></header>"
        "<div class='cookie'>We use cookies to improve your experience. Accept all cookies.</div>"
        f"<article><h1>Magnesium exports rise</h1><p class='byline'>By the Metals Desk</p>{body}</article>"
        "<aside><h3>Most read</h3><ul><li>Graphite prices</li><li>Rare earth quotas</li></ul></aside>"
        "<footer>Copyright 2024 Metals Desk. All rights reserved. Privacy | Terms</footer></body></html>"
    ).encode()


def text_page() -> bytes:
    lines = ["镁锭出口周报", "发布时间：2024年03月05日", ""]
    lines += [p for paragraph in PARAGRAPHS for p in (paragraph, "")]
    lines += [
        "2月中国镁锭出口量为3.8万吨，同比增长12.5%，府谷地区镁锭价格为每吨16800元，硅铁价格为每吨6500元。",
        "",
        "辽宁大石桥电熔镁砂企业因环保检查停产，97%电熔镁砂价格上涨150元至每吨3100元。",
        "",
        "2024年第一批稀土开采总量控制指标为13.5万吨，同比增长12.5%，冶炼分离指标为12.7万吨。",
    ]
    return "\n".join(lines).encode("gb18030")


def raw(data: bytes, content_type: str, name: str) -> RawDocument:
    return RawDocument(
        name=name,
        source=f"bench/{name}",
        data=data,
        content_type=content_type,
        url=None,
        fetched_at=datetime.now(UTC),
        source_name="bench",
    )


def per_call_ms(action: Callable[[], object], rounds: int) -> float:
    action()  # warm caches and lazy imports
    start = time.perf_counter()
    for _ in range(rounds):
        action()
    return (time.perf_counter() - start) / rounds * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=300)
    rounds = parser.parse_args().rounds

    html = html_page()
    text = text_page()
    context = CleaningContext()
    sample = " ".join(PARAGRAPHS * 2)[:2048]
    index = DuplicateIndex()
    sha1_shingles = list(shingles(sample))

    def datasketch_default() -> None:
        minhash = MinHash(num_perm=128)
        minhash.update_batch(sha1_shingles)

    rows = [
        (
            f"clean_document, HTML page ({len(html) / 1024:.1f} KB)",
            per_call_ms(lambda: clean_document(raw(html, "html", "page"), context), rounds),
            "trafilatura.extract alone",
            per_call_ms(lambda: trafilatura.extract(html.decode(), include_tables=True, fast=True), rounds),
        ),
        (
            f"clean_document, GB18030 text ({len(text) / 1024:.1f} KB)",
            per_call_ms(lambda: clean_document(raw(text, "txt", "text"), context), rounds),
            "bytes.decode('gb18030') alone",
            per_call_ms(lambda: text.decode("gb18030"), rounds),
        ),
        (
            f"DuplicateIndex.signature ({len(sample.encode())} bytes)",
            per_call_ms(lambda: index.signature(sample), rounds),
            "datasketch MinHash, SHA-1 per shingle",
            per_call_ms(datasketch_default, rounds),
        ),
    ]
    width = max(len(row[0]) for row in rows)
    print(f"{'ours':<{width}}  ms/doc   {'baseline':<38}  ms/doc")
    for ours, ours_ms, baseline, baseline_ms in rows:
        print(f"{ours:<{width}}  {ours_ms:6.2f}   {baseline:<38}  {baseline_ms:6.2f}")
    doc = clean_document(raw(html, "html", "page"))
    print(f"\nHTML page: title={doc.title!r} published={doc.published} lang={doc.lang} steps={doc.cleaning_steps}")


if __name__ == "__main__":
    main()
