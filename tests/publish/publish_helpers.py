"""A hand-built market the publishing tests share."""

from __future__ import annotations

from knowledge_base import KnowledgeBase, make_fact


def magnesium_market(kb: KnowledgeBase) -> dict[str, int]:
    """A small magnesium market with figures a test can check exactly; returns the document ids."""
    ids = {}
    ids["usgs"] = kb.doc(
        "usgs-note",
        make_fact(900_000, "China produced 900,000 tonnes in 2023", metric="production", period="2023"),
        make_fact(
            1_000_000, "World output was 1,000,000 tonnes in 2023", metric="production", geo="WORLD", period="2023"
        ),
        make_fact(60_000, "Kazakhstan made 60,000 tonnes", metric="production", geo="KZ", period="2023"),
        make_fact(40_000, "Israel made 40,000 tonnes", metric="production", geo="IL", period="2023"),
        published="2024-01-31",
        url="https://pubs.example.gov/mcs2024/magnesium.pdf",
    )
    ids["customs"] = kb.doc(
        "customs-2024",
        make_fact(20_000, "January exports were 20,000 t", period="2024-01"),
        make_fact(25_000, "February exports were 25,000 t", period="2024-02"),
        make_fact(30_000, "March exports were 30,000 t", period="2024-03"),
        make_fact(12_000, "12,000 t went to the Netherlands", period="2024-03", partner="NL"),
        make_fact(8_000, "8,000 t went to Turkey", period="2024-03", partner="TR"),
        published="2024-04-20",
        url="https://customs.example.com/2024-03",
    )
    ids["prices"] = kb.doc(
        "price-wire",
        make_fact(
            17_000,
            "Ingot traded at 17,000 yuan/t in January",
            metric="price",
            period="2024-01",
            unit="CNY/t",
            form="ingot",
        ),
        make_fact(
            18_000,
            "Ingot traded at 18,000 yuan/t in February",
            metric="price",
            period="2024-02",
            unit="CNY/t",
            form="ingot",
        ),
        make_fact(
            19_000,
            "Ingot traded at 19,000 yuan/t in March",
            metric="price",
            period="2024-03",
            unit="CNY/t",
            form="ingot",
        ),
        published="2024-04-01",
        url="https://prices.example.com/mg",
    )
    ids["blog"] = kb.doc(
        "blog-post",
        make_fact(40_000, "a blog says January exports were 40,000 t", period="2024-01"),
        published="2024-03-01",
        url="https://blog.example.com/mg",
    )
    return ids
