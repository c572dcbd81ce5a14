"""extract_facts on any text: it never raises, every quote is the span it claims, every id is known,
and a 10 MB single line finishes (no catastrophic backtracking)."""

from __future__ import annotations

import math
import re

import pycountry
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assay.extract.facts import extract_facts
from assay.model import Basis, Document, Fact, Period
from assay.vocab import commodities, metrics, places, units

# Pieces of the domain that steer random text into the extractor's rules rather than past them.
WORDS = [
    "China", "Chinese", "exports", "exported", "imports", "production", "output", "capacity", "price",
    "magnesium ingot", "magnesia", "graphite", "rare earths", "NdFeB magnets", "PrNd oxide", "Inner Mongolia",
    "to the Netherlands", "from Myanmar", "Japan", "global", "accounting for", "of the global total",
    "up", "down", "rose", "fell", "YoY", "MoM", "year-on-year", "compared to", "expected", "will", "target",
    "about", "over", "nearly", "in August", "Jan-Sep", "Q3", "H1", "last year", "by 2025", "2021-25",
    "mt", "tons", "tonnes", "kt", "Mt", "tpa", "tons/year", "per tonne", "a tonne", "million", "billion",
    "percent", "%", "percentage points", "pc", "$", "US$", "¥", "RMB", "Yuan", "USD/t", "CNY/kg",
    "中国", "出口", "进口", "产量", "产能", "价格", "镁锭", "镁砂", "石墨", "稀土", "氧化镨钕", "金属钕", "钕铁硼",
    "万吨", "吨", "万元/吨", "亿元", "元/公斤", "同比增长", "同比下降", "环比", "占全球产量的", "约", "超过", "近",
    "年", "月", "1-9月", "上半年", "二十万亿", "两", "三万四千", "百分之五", "１２３", "萬噸", "中國", "稀土永磁",
]  # fmt: skip
PUNCTUATION = list(" ,.;:!?()[]{}-–—/\\%+~<>'\"\n\n\t，。；：！？（）、《》“”·…　")


def numbers() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(-(10**12), 10**12).map(str),
        st.integers(0, 10**9).map(lambda n: f"{n:,}"),
        st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9).map(lambda x: f"{x:.3f}"),
        st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False).map(str),
        st.from_regex(r"\d{1,3}(,\d{3}){0,4}(\.\d{1,4})?(-\d{1,6})?", fullmatch=True),
    )


def pieces() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(WORDS),
        st.sampled_from(PUNCTUATION),
        numbers(),
        st.text(max_size=12),  # any Unicode, surrogates and controls excluded by hypothesis's default alphabet
    )


def texts() -> st.SearchStrategy[str]:
    return st.lists(pieces(), max_size=60).flatmap(
        lambda parts: st.sampled_from(["", " ", "\n"]).map(lambda glue: glue.join(parts))
    )


def published_dates() -> st.SearchStrategy[str | None]:
    return st.one_of(
        st.none(),
        st.dates().map(lambda d: d.isoformat()),
        st.dates().map(lambda d: d.isoformat()[:7]),
        st.integers(1, 9999).map(lambda y: f"{y:04d}"),
    )


def document(text: str, published: str | None = None, title: str | None = None) -> Document:
    return Document(
        name="fuzz-doc", source="fuzz-doc.txt", raw_sha256="0" * 64, clean_text=text, published=published, title=title
    )


GEO_FORM = re.compile(r"^(WORLD|EU|[A-Z]{2}|CN-[A-Z]{2}(:[^\s:][^:]*)?|company:[a-z0-9]+(-[a-z0-9]+)*)$")
COUNTRIES = {country.alpha_2 for country in pycountry.countries} | set(places())


def known_geo(code: str) -> bool:
    if not GEO_FORM.match(code):
        return False
    head = code.split(":", 1)[0]
    return head == "company" or head in COUNTRIES


def check_fact(fact: Fact, doc: Document) -> None:
    assert fact.doc == doc.name
    assert 0 <= fact.start <= fact.end <= len(doc.clean_text), (fact.start, fact.end)
    assert fact.quote == doc.clean_text[fact.start : fact.end]
    assert fact.quote.strip(), fact
    assert fact.commodity in commodities(), fact.commodity
    assert fact.metric in metrics(), fact.metric
    assert fact.unit in units(), fact.unit
    assert known_geo(fact.geo), fact.geo
    for other in (fact.partner, fact.share_of):
        assert other is None or known_geo(other), other
    assert math.isfinite(fact.value)
    assert fact.value_high is None or math.isfinite(fact.value_high)
    assert isinstance(fact.basis, Basis)
    if fact.period is not None:
        Period.parse(fact.period)  # a FactSpec period, or this raises


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts(), published=published_dates(), title=st.one_of(st.none(), texts()))
def test_any_text_gives_well_formed_facts(text: str, published: str | None, title: str | None) -> None:
    doc = document(text, published, title)
    for fact in extract_facts(doc):
        check_fact(fact, doc)


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=400))
def test_arbitrary_unicode_never_raises(text: str) -> None:
    doc = document(text)
    for fact in extract_facts(doc):
        check_fact(fact, doc)


@settings(max_examples=100, deadline=None)
@given(
    value=st.integers(1, 10**7),
    month=st.sampled_from(["January", "May", "September", "December"]),
    noise=st.text(alphabet=st.sampled_from(PUNCTUATION + list("abc 123")), max_size=40),
)
def test_a_plain_statement_survives_noise_around_it(value: int, month: str, noise: str) -> None:
    sentence = f"China exported {value:,} tonnes of magnesium ingot in {month} 2024."
    doc = document(f"{noise}\n\n{sentence}\n\n{noise}", "2025-01-15")
    facts = extract_facts(doc)
    for fact in facts:
        check_fact(fact, doc)
    assert any(f.metric == "exports" and f.value == value and f.unit == "t" for f in facts), facts


def test_a_ten_megabyte_single_line_finishes() -> None:
    # Realistic clauses and pathological runs (digit groups, separators, scale words) with no line
    # break and no full stop, so that no sentence splitting can cut the work short.
    unit = (
        "China exported 21,350 mt of magnesium ingot to the Netherlands, up 4.2% YoY, accounting for 38% of "
        "the total, "
        + "1,2,3,4,5,6,7,8,9,0," * 20
        + "1.1.1.1.1.1.1.1 " * 10
        + "中国出口镁锭1.85万吨同比增长6.2%占全球产量的八成，"
        + "万万万亿亿亿 "
        + "$$$¥¥¥%%% -- ~~ ,,,, "
    )
    text = unit * (10_000_000 // len(unit) + 1)
    doc = document(text, "2024-06-20")
    facts = extract_facts(doc)
    assert len(text) >= 10_000_000
    # the statement the line repeats is read (once: a number stated again is the same fact)
    assert any(f.metric == "exports" and f.value == 21350 and f.partner == "NL" for f in facts), facts[:5]
    for fact in facts[:1000]:
        check_fact(fact, doc)


def test_a_ten_megabyte_run_of_digits_finishes() -> None:
    doc = document("9" * 5_000_000 + "," + "1" * 5_000_000)
    for fact in extract_facts(doc):
        check_fact(fact, doc)
