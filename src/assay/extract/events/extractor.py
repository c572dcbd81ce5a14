"""Policy and market events (EventSpec) from a document's clean text, English and Chinese.

Per statement (a sentence, a bullet, a timeline item): find the strongest trigger
wording (`event_lexicon`), the commodities it touches (the gazetteer; else those of its
paragraph; else the document's own), its date (`event_dates`, read against the
publication date, a timeline column or a plan phase), the actor (`event_actors`) and
the stance. Statements that state the same event twice become one event.
"""

from __future__ import annotations

import bisect
import itertools
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import date
from functools import cache, cached_property
from operator import itemgetter

from assay.extract.events.actors import ActorMention, choose_actor, dominant_place, find_actors
from assay.extract.events.cues import (
    ADDITIONAL,
    CONTINUING,
    CURRENT,
    DIRECTIVE,
    ITEM_START,
    NAMED_POLICY,
    SAME_OCCASION,
    SCOPE,
    TAKES_EFFECT,
    UNDER_WAY,
    about_technology,
    document_commodities,
    event_mentions,
    paragraph_commodities,
)
from assay.extract.events.dates import (
    DATE_PATTERNS,
    DateMention,
    find_event_dates,
    month_start,
    parse_published,
)
from assay.extract.events.lexicon import (
    TRIGGERS,
    TYPE_PRIORITY,
    Trigger,
)
from assay.extract.events.merge import Candidate, drop_earlier_quotas, keep_commodities, merge
from assay.extract.events.prefilter import Gated, PatternScan
from assay.extract.events.stance import (
    ATTRIBUTED_VIEW,
    COMMENTARY,
    DATA_REPORT,
    HEDGE,
    LEGAL_POWER,
    NEGATION_EN,
    NEGATION_ZH,
    PROHIBITION,
    stance_for,
)
from assay.extract.events.statements import Statement, statements, strip_label
from assay.extract.events.words import cue, gated_cue
from assay.extract.text.analysed import AnalysedText
from assay.extract.text.gazetteer import COMMODITY, COMPANY, Mention, commodity_family, to_simplified
from assay.extract.text.openers import fast_start
from assay.model import Document, Event
from assay.vocab import commodities

log = logging.getLogger(__name__)

EVENT_RULES_VERSION = "4"
_CLAUSE_CUT = fast_start(re.compile(r"[,;:，；：](?!\d)\s*|\s+[-–—]\s+"))
_BASELINE_BEFORE = Gated(
    re.compile(
        r"(?i)(?:较|相比|同比|比)\s*$|(?:\b(?:up|down|rise|rose|increase\w*|decrease\w*|fell|fall\w*|jump\w*|drop\w*|grew|growth)|%|pc)[^;]{0,30}?"
        r"\bfrom\s+(?:[\w'’-]+\s+){0,4}$"
        r"|\b(?:than(?!\s+\w+ed\b)|compared (?:with|to)|versus|vs\.?)\s+(?:[\w'’-]+\s+){0,6}$"
    )
)
_PHASE = Gated(
    re.compile(
        r"(?i)(?P<label>within\s+\d+\s+years?|phase\s+(?:\d+|[ivx]+|one|two|three)|stage\s+\d+|第[一二三四五]阶段)"
        r"(?:\s*[(（]\s*(?P<y1>(?:19|20)\d\d)\s*[-–~至到]\s*(?P<y2>(?:19|20)\d\d)\s*年?[)）])?"
    )
)
_POLICY_TITLE = re.compile(
    r"(?i)[\"“《']?(?P<title>opinions? (?:on|of) [^\"”》\n]{10,120})|《(?P<zh>[^》]{4,60})》"
    r"|(?-i:(?P<act>(?:[A-Z][a-z]+\s+){1,5}(?:Act|Law)))\b"
)
_CHINA = fast_start(re.compile(r"\bchin(?:a|ese)\b|中国|我国", re.IGNORECASE))
_TRAILING = " \t\n.,;:，。；：、"
# clauses: after a semicolon, ", and", a comma between Chinese characters, and "and" before a second
# governing verb ("added holmium to the list and placed the technologies under licence")
_EVENT_CLAUSE_CUT = fast_start(
    re.compile(
        r"[;；]\s*|,\s+and\s+|,\s+while\s+|(?<=[\u4e00-\u9fff])[,，](?=[\u4e00-\u9fff\d])"
        r"|\s+and\s+(?=(?:added|placed|put|imposed|banned|lifted|removed|extended|expanded|suspended|restricted)\s)"
        r"|,?\s+and\s+(?=(?:leading|causing|triggering|forcing|prompting)\s)|,\s+(?=(?:leading|causing|triggering|forcing)\s)"
    )
)
_CAUSE = fast_start(
    re.compile(
        r",\s+as\s+|\b(?:because of|due to|amid|(?:spurred|driven|prompted|triggered|caused) by)\s+|,\s*(?:由于|受)"
        # "prices held firm in early 2019 as the government continues to restrict ...": an ongoing cause
        r"|\s+as\s+(?=[^,.;]{0,40}\b(?:continu\w*|still|keeps?)\b)",
        re.IGNORECASE,
    )
)
_CAUSE_CLAUSE = cue("extractor.CAUSE_CLAUSE")
_CONSEQUENCE = cue("extractor.CONSEQUENCE")
_REPORTED_PAST = cue("extractor.REPORTED_PAST")
_NOT_YET = cue("extractor.NOT_YET")
_NAMED_SOURCE = cue("extractor.NAMED_SOURCE")
_CONCESSIVE = cue("extractor.CONCESSIVE")
_SCANT = cue("extractor.SCANT")
_SOURCE_CREDIT = cue("extractor.SOURCE_CREDIT")
_FEARED_BEFORE = gated_cue("extractor.FEARED_BEFORE")
_FEARED_AFTER = cue("extractor.FEARED_AFTER")
_HELD_BACK = cue("extractor.HELD_BACK")
_FURTHER = cue("extractor.FURTHER")
_UNTIL_BEFORE = cue("extractor.UNTIL_BEFORE")
_MAGNESIA_FAMILIES = {commodity_family("magnesia"), commodity_family("magnesite")}
_CONTENTS_ENTRY = cue("extractor.CONTENTS_ENTRY")
_CONTENTS_MIN = 4  # entries that make a statement a table of contents
_SUPERLATIVE = re.compile(r"['’]s\s+(?:\w+est|most|biggest|top|leading|first)\b|(?:最大|最高|最多|第一|领先)")
_GRANTED = fast_start(re.compile(r"\b(?:approv\w*|grant\w*|issued|received)\b|批准|获批|颁发|获得", re.IGNORECASE))
_MARKET_NEWS_TYPES = ("supply_disruption", "environmental_enforcement")
_REPORTED_BEFORE = fast_start(
    re.compile(r"\b(?:said|says|showed|shows|reported|reports|told|according to \w+)\s+(?:on\s+)?$", re.IGNORECASE)
)
_LEAD_BLOCKS = 3  # title, dateline and lead paragraph: where a note names the regulation it is about
_QUOTE_REACH = 120  # characters between the trigger and the date or commodity a quote takes in
_NATIONAL_TYPES = ("export_control", "technology_restriction", "trade_measure")
_CUSTOMS_CLASSES = ("smuggling", "customs_scrutiny")
_REPORTED_AS_THEY_COME = ("licence_granted", "award")  # a deal's terms recur in later filings
_COMPANY_TYPES = ("consolidation", "capacity_plan", "supply_disruption")


def extract_events(doc: Document, analysed: AnalysedText | None = None) -> list[Event]:
    """The events the document states, one per real-world event; never raises. `analysed` is the
    clean text already read for the fact rules (`extract_all`), if it is."""
    try:
        return _extract(doc, analysed)
    except Exception:  # a rule bug must not stop an ingest; the document keeps its facts
        log.exception("event extraction failed for %s", doc.name)
        return []


def _extract(doc: Document, analysed: AnalysedText | None) -> list[Event]:
    text = doc.clean_text
    if not text.strip():
        return []
    if analysed is None or analysed.text != text:
        analysed = AnalysedText(text)
    published = parse_published(doc.published)
    context = _DocumentContext(text, doc.title, published)
    context.analysed = analysed
    found = statements(text)
    # each statement's Simplified text (same length, so spans still index the clean text) and
    # gazetteer mentions, read once for both passes (sliced from one pass over the whole text)
    simplified = [analysed.span_simplified(statement.start, statement.end) for statement in found]
    mentions = [
        event_mentions(body, analysed.span_mentions(statement.start, statement.end))
        for statement, body in zip(found, simplified, strict=True)
    ]
    context.paragraph_commodities = paragraph_commodities(found, mentions)
    candidates: list[Candidate] = []
    for statement, body, named in zip(found, simplified, mentions, strict=True):
        candidates += context.read(statement, doc.name, body, named)
    return [c.event for c in drop_earlier_quotas(merge(candidates))]


class _DocumentContext:
    """What a statement inherits from the document around it: commodities, dates, actor."""

    def __init__(self, text: str, title: str | None, published: date | None) -> None:
        self.published = published or _reference_date(text)
        self.page_dated = published is not None  # else the month of `published` is a guess
        self.text = text
        self.title = title
        self.analysed: AnalysedText | None = None  # the text's mentions, when the caller has read them
        self._news_date: tuple[str | None] | None = None  # read on first use: few documents need it
        self.phases: dict[str, str] = {}
        self.section_date: str | None = None
        self.block = -1
        self.block_date: str | None = None
        self.block_actor: tuple[str, int] | None = None
        self.block_commodities: tuple[str, ...] = ()
        self.block_event_date: str | None = None
        self.topic = ""
        self.last_event_date: str | None = None  # of the document's last dated event
        self.policy_date: str | None = None  # of the named regulation the document leads with
        self.block_is_item = False  # the paragraph is a numbered or bulleted item
        self.paragraph_commodities: dict[int, tuple[str, ...]] = {}
        self.last_candidate: Candidate | None = None
        self.dated_types: set[str] = set()  # types of the events dated so far
        self.lead_date: str | None = None  # of the first dated event of the lead: what the document reports
        self.stance_scope = (0, 0)  # the text a stance is read from: the clause, or the whole statement

    # the document's own commodities and actor: whole-text passes read on first use, as most
    # documents state no event that needs them
    @cached_property
    def default_commodities(self) -> tuple[str, ...]:
        return document_commodities(self.text, self.title, self.analysed)

    @cached_property
    def default_actor(self) -> str | None:
        mentions = self.analysed.mentions(self.text) if self.analysed is not None else None
        return dominant_place(self.text, mentions) or ("CN" if _CHINA.search(self.text) else None)

    def read(self, statement: Statement, doc_name: str, text: str, mentions: list[Mention]) -> list[Candidate]:
        """The candidates one statement states; `text` is its Simplified text, `mentions` its
        `event_mentions`."""
        if statement.block != self.block:
            self.block, self.block_date, self.block_actor, self.block_commodities = statement.block, None, None, ()
            self.block_event_date = None
            self.block_is_item = bool(ITEM_START.match(statement.text))
        scanned = list(STATEMENT_SCAN.finditer(text))
        first_trigger = bisect.bisect_left(scanned, len(DATE_PATTERNS), key=itemgetter(0))
        dates = find_event_dates(text, self.published, scanned[:first_trigger])
        commodities = _ordered_unique(m.value for m in mentions if m.kind == COMMODITY and m.value in _known())
        if not commodities:
            # "China Rare Earth Group was set up": the company's name says what it is about
            commodities = _ordered_unique(
                c for m in mentions if m.kind == COMPANY for c in _named_in(text[m.start : m.end])
            )
        if self._phase_line(text):
            return []
        if statement.heading:
            self._heading(text, dates)
            return []
        found = self._candidates(statement, text, dates, mentions, commodities, doc_name, scanned[first_trigger:])
        scoped = self.last_candidate
        if (
            found
            and scoped is not None
            and SCOPE.search(text)
            and all(c.event.type == scoped.event.type for c in found)
        ):
            # the scope of the measure just reported: its commodities join that event
            more = tuple(c for f in found for c in f.event.commodities)
            merged = keep_commodities(tuple(dict.fromkeys(scoped.event.commodities + more)))
            scoped.event = replace(scoped.event, commodities=merged)
            return []
        effective = [d.value for d in dates if d.kind != "relative"]
        if found:
            self.last_candidate = found[-1]
        elif (
            self.last_candidate is not None
            and self.last_candidate.block == statement.block
            and effective
            and TAKES_EFFECT.search(text)
        ):
            # "The announcement takes effect on 1 December": the date the measure just stated starts
            self.last_candidate.alt_dates.append(effective[0])
        if dates and dates[0].start <= 30 and dates[0].kind != "relative":
            self.block_date = dates[0].value
        dated = [c.event.date for c in found if c.event.date]
        named = [c.event.date for c in found if c.event.date and (c.anchor or NAMED_POLICY.search(text))]
        if dated and self.lead_date is None and statement.block <= _LEAD_BLOCKS:
            self.lead_date = dated[0]
        if named and self.policy_date is None and statement.block <= _LEAD_BLOCKS:
            self.policy_date = named[0]  # the document leads with the regulation it is about
        if dated:
            self.block_event_date = dated[-1]
            self.last_event_date = dated[-1]
            self.dated_types.update(c.event.type for c in found if c.event.date)
        if commodities:
            self.block_commodities = commodities
        return found

    def _heading(self, text: str, dates: list[DateMention]) -> None:
        """A heading names the topic of what follows, and a plan's years when it gives them."""
        self.topic = text
        wordy = len(re.findall(r"[A-Za-z]{2,}|[\u4e00-\u9fff]{2,}", text)) >= 2
        # a bare year line is a timeline's column label, not the date of what follows
        usable = [d for d in dates if d.kind in ("span", "target") or (d.kind == "year" and wordy)]
        if usable:
            value = usable[0].value
            span_end = self.section_date.split("/")[-1] if self.section_date else None
            if not (usable[0].kind == "target" and span_end == value):
                self.section_date = value
        elif wordy:
            self.section_date = None

    def _phase_line(self, text: str) -> bool:
        """Lines that name a plan's phase ("Within 2 years (2021-2022)") set the date of what follows."""
        found = list(_PHASE.finditer(text))
        if not found:
            return False
        m = found[-1]
        label = re.sub(r"\s+", " ", m["label"].lower())
        if m["y1"]:
            self.phases[label] = f"{m['y1']}/{m['y2']}"
        if label in self.phases:
            self.section_date = self.phases[label]
            return True
        return False

    def _candidates(
        self,
        statement: Statement,
        text: str,
        dates: list[DateMention],
        mentions: list[Mention],
        commodities: tuple[str, ...],
        doc_name: str,
        scanned: list[tuple[int, Iterator[re.Match[str]]]],
    ) -> list[Candidate]:
        """One event per statement, or one per clause when its clauses state events of different types.
        `scanned` holds the trigger patterns' part of the statement's `STATEMENT_SCAN`."""
        found = [f for f in _triggers(text, scanned) if not _not_stated(text, f)]
        # a question, a data report or a table of contents states no event: read only where a trigger
        # is (most statements have none; the triggers' reading has no effect to undo)
        if not found or text.rstrip().endswith(("?", "？")) or DATA_REPORT.search(text) or _contents(text):
            return []
        actors = find_actors(text, mentions)  # with the companies the gazetteer found
        # "the world's largest base", "全球最大": a superlative, not the world acting
        actors = [a for a in actors if not (a.actor == "WORLD" and _SUPERLATIVE.match(text, a.end))]
        named = [a for a in actors if a.rank <= 3]
        clauses = _event_clauses(text)
        chosen: list[tuple[Trigger, int, int]] = []
        causes = [c for c in clauses if _CAUSE_CLAUSE.search(text[c[0] : c[1]])]
        if causes and any(not any(c[0] <= f[1] < c[1] for c in causes) for f in found):
            # "为因应美国高额关税, 中国将...列入出口管制清单": the tariff is the cause, the listing the event
            clauses = [c for c in clauses if c not in causes]
        for low, high in clauses:
            part = text[low:high]
            if HEDGE.search(LEGAL_POWER.sub(" ", part)) and not PROHIBITION.search(part):
                continue  # "could", "may", "可能": this clause does not state that anything happened
            if COMMENTARY.search(part) or ATTRIBUTED_VIEW.search(text[:high]):
                continue
            inside = [f for f in found if low <= f[1] < high and (f[0].weight >= 2 or named)]
            if inside:
                best = self._typed(max(inside, key=_trigger_rank), text[:high], low)
                # several companies' plans in one sentence ("A aims to make 10,000 t/yr, while B will
                # begin 2,000 t/yr") are several events; other types are one event per sentence
                if best[0].wording_class == "company_capacity" or all(best[0].type != c[0].type for c in chosen):
                    chosen.append(best)
        if len(chosen) > 1:
            # "规划提出, ...", "the policy says ...": a generic policy word beside a measure only attributes it
            chosen = [c for c in chosen if c[0].wording_class != "policy"] or chosen
        out: list[Candidate] = []
        for trigger, t_start, t_end in chosen:
            clause = next(c for c in clauses if c[0] <= t_start < c[1])
            self.stance_scope = clause if len(chosen) > 1 else (0, len(text))
            candidate = self._candidate(
                statement, text, clause, (trigger, t_start, t_end), dates, mentions, commodities, actors, doc_name
            )
            if candidate is not None:
                out.append(candidate)
        return out

    def _typed(self, found: tuple[Trigger, int, int], text: str, low: int) -> tuple[Trigger, int, int]:
        """The type a trigger stands for in its clause (`text` ends with it, `low` starts it): a bare
        quota under an export heading is an export quota; licences for technologies restrict know-how."""
        trigger, t_start, t_end = found
        if trigger.wording_class == "quota" and re.search(r"(?i)export|出口", text + " " + self.topic):
            trigger = Trigger("export_control", "export_quota", trigger.weight, trigger.pattern)
        if trigger.type == "export_control" and about_technology(text, max(low, t_start - 120), t_start, t_end):
            trigger = Trigger("technology_restriction", "technology_export", trigger.weight, trigger.pattern)
        return trigger, t_start, t_end

    def _candidate(
        self,
        statement: Statement,
        text: str,
        clause: tuple[int, int],
        found: tuple[Trigger, int, int],
        dates: list[DateMention],
        mentions: list[Mention],
        commodities: tuple[str, ...],
        actors: list[ActorMention],
        doc_name: str,
    ) -> Candidate | None:
        trigger, t_start, t_end = found
        in_clause = _ordered_unique(
            m.value
            for m in mentions
            if m.kind == COMMODITY and clause[0] <= m.start < clause[1] and m.value in _known()
        )
        if not (in_clause or commodities) and any(m.kind == COMMODITY for m in mentions):
            return None  # it names only minerals outside the vocabulary (gallium, antimony): not ours
        event_commodities = in_clause or commodities or self.block_commodities
        if not event_commodities:
            # a foreign government's measure that names no commodity is not about this document's,
            # unless it is a named law whose paragraph goes on to say what it covers
            # (the actors of the trigger's own clause: "introduced in response to U.S. tariffs, ... leading
            # automakers to pause production" is no US measure)
            # ("mines in Liaoning": a Chinese province named as the place is no foreign government)
            own = [a for a in actors if clause[0] <= a.start < clause[1]]
            foreign = choose_actor(own) not in (None, "CN", "WORLD") and not str(choose_actor(own)).startswith("CN")
            if foreign and min((a.rank for a in own), default=9) >= 6:
                covered = self.paragraph_commodities.get(statement.block, ())
                if not (covered and NAMED_POLICY.search(text)):
                    return None
                event_commodities = covered
            event_commodities = event_commodities or self.default_commodities
        if not event_commodities:
            return None
        if trigger.wording_class == "company_capacity":
            dates = [d for d in dates if clause[0] <= d.start < clause[1]]  # each company's plan has its own date
        date_mention = _nearest_date(dates, t_start, t_end, text, clause)
        cause = max((m.end() for m in _CAUSE.finditer(text, 0, t_start)), default=-1)
        if date_mention is not None and date_mention.end <= cause:
            # "exports slumped in May, as a licensing regime held up shipments": May dates the data
            date_mention = None
        # "尽管中国对稀土实施出口管制", "despite export controls": a measure named as background is dated
        # only by what its own concessive clause says
        concession = max((m.end() for m in _CONCESSIVE.finditer(text, clause[0], t_start)), default=-1)
        if concession >= 0 and date_mention is not None and date_mention.start < concession:
            date_mention = None
        # "have trimmed production further", "再次减产": a new cut beside the one just told, not its consequence
        further = bool(_FURTHER.search(text, max(clause[0], t_start - 15), min(clause[1], t_end + 15)))
        if concession >= 0 and date_mention is None:
            event_date: str | None = None
        elif statement.timeline_year:
            event_date = statement.timeline_year
        elif date_mention is not None:
            event_date = date_mention.value
        elif trigger.type == "supply_disruption" and further:
            event_date = None  # a new step: dated by what the page reports, below, not by the step before
        elif trigger.type == "supply_disruption" and self.block_event_date:
            event_date = self.block_event_date  # a consequence dates from its cause, stated just before
        elif CONTINUING.search(text[max(clause[0], t_start - 30) : t_start]):
            event_date = None
        elif SAME_OCCASION.search(text[:t_start]) and self.last_event_date:
            event_date = self.last_event_date
        else:
            event_date = self.block_date or self.section_date
        if event_date is None and trigger.type == "supply_disruption" and UNDER_WAY.search(text) and self.published:
            event_date = self.published.strftime("%Y-%m")
        page_dated = False  # the date is the page's, not one the text gives
        if event_date is None and self.published and not statement.heading:
            window = text[max(clause[0], concession, t_start - 100) : min(clause[1], t_end + 100)]
            if CURRENT.search(window) or trigger.wording_class in _REPORTED_AS_THEY_COME:
                # reported as recent ("in recent weeks", "近日"), or licences and awards
                # granted, which the news reports as they come: the page's own date
                event_date = self._page_date()
                page_dated = True
        market_news = trigger.type in _MARKET_NEWS_TYPES or trigger.wording_class == "trade_deal"
        # an undated restatement of a market event the document has already dated joins it (merge), rather
        # than taking the page's date: "Prices were supported by mining restrictions" after the lead said so
        restated = not self.page_dated and trigger.type in self.dated_types
        if event_date is None and concession < 0 and self.published and market_news and not restated:
            window = text[: clause[1]]  # "exports have dropped, triggering shortfalls": the tense is the sentence's
            if _REPORTED_PAST.search(window) and not _NOT_YET.search(window):
                event_date = self.news_date
                page_dated = event_date is not None
        if event_date is None and concession < 0 and self.block_is_item and self.policy_date:
            event_date = self.policy_date  # a provision listed under a named regulation takes its date
        if event_date is None and concession < 0 and DIRECTIVE.search(text[:t_start]) and self.lead_date:
            event_date = self.lead_date  # "local governments are told to ...": an instruction of the measure reported
        # the actor of the trigger's own clause ("为因应美国关税, 中国将...": China acts, not the US)
        own_actors = [a for a in actors if clause[0] <= a.start < clause[1]]
        if trigger.wording_class == "company_capacity":
            own_actors = [a for a in own_actors if a.rank == 5] or own_actors  # the company plans
        actor, rank = self._actor(own_actors or actors, trigger.type, trigger.wording_class)
        scope_text = text[self.stance_scope[0] : self.stance_scope[1]]
        stance = stance_for(trigger.type, trigger.wording_class, scope_text)
        q_start, q_end = _quote_span(statement, t_start, t_end, mentions, date_mention)
        # a commodity the quote names is one the event touches ("... and thulium"), whatever the clause said
        quoted = tuple(
            m.value for m in mentions if m.kind == COMMODITY and q_start <= m.start < q_end and m.value in _known()
        )
        event_commodities = tuple(dict.fromkeys((*event_commodities, *quoted)))
        event_commodities = _products_of_the_document(event_commodities, lambda: self.default_commodities)
        event = Event(
            doc=doc_name,
            type=trigger.type,
            actor=actor,
            date=event_date,
            commodities=keep_commodities(event_commodities),
            stance=stance,
            quote=statement.text[q_start:q_end],
            start=statement.start + q_start,
            end=statement.start + q_end,
            rule=f"event.{trigger.type}.{trigger.wording_class}",
            rule_version=EVENT_RULES_VERSION,
        )
        additional = further or bool(
            ADDITIONAL.search(text[clause[0] : t_start]) or ADDITIONAL.search(text[:t_start][:40])
        )
        effective = [
            d.value
            for d in dates
            if d.value != event_date and TAKES_EFFECT.search(text[max(0, d.start - 30) : d.start + 1])
        ]
        return Candidate(
            event,
            trigger.wording_class,
            _anchor(text),
            rank,
            quotes=[event.quote],
            additional=additional,
            block=statement.block,
            alt_dates=effective,
            page_dated=page_dated,
        )

    @property
    def news_date(self) -> str | None:
        """The latest time the text itself names, not after the page and not its dateline: what
        a market report is about (its month when that is the page's month, else its year)."""
        if self._news_date is None:
            published = self.published
            skip = published.isoformat() if published and self.page_dated else None
            latest = _reference_date(self.text, published, skip=skip) if published else None
            if latest is None or published is None:
                value = None
            elif self.page_dated and (latest.year, latest.month) == (published.year, published.month):
                value = latest.strftime("%Y-%m")
            else:
                value = str(latest.year)
            self._news_date = (value,)
        return self._news_date[0]

    def _page_date(self) -> str | None:
        """The page's month, or only its year when the publication date was read off the text."""
        if self.published is None:
            return None
        return self.published.strftime("%Y-%m") if self.page_dated else str(self.published.year)

    def _actor(self, actors: list[ActorMention], event_type: str, wording_class: str) -> tuple[str, int]:
        if event_type in _NATIONAL_TYPES:
            # only states set export controls and tariffs: a province or a firm named beside one is not the actor
            actors = [a for a in actors if a.rank in (1, 6, 7)]
        elif event_type not in _COMPANY_TYPES:
            actors = [a for a in actors if a.rank != 5] or actors
        chosen = choose_actor([a for a in actors if a.actor != "WORLD"]) or choose_actor(actors)
        rank = min((a.rank for a in actors if a.actor == chosen), default=9)
        if chosen is None and self.block_actor is not None and event_type not in _NATIONAL_TYPES:
            chosen, rank = self.block_actor
        if chosen is None:
            chosen = "CN" if event_type in _NATIONAL_TYPES else (self.default_actor or "WORLD")
        if chosen in ("CN", "WORLD", "CN:MOFCOM") and wording_class in _CUSTOMS_CLASSES and rank > 1:
            chosen = "CN:GACC"  # smuggling and inspections at the border are enforced by customs
        elif chosen in ("CN", "WORLD") and event_type in ("export_control", "technology_restriction") and rank > 1:
            chosen = "CN:MOFCOM"  # China's export controls are MOFCOM's; these documents are about China's minerals
        if rank <= 5:
            self.block_actor = (chosen, rank)
        return chosen, rank


# a statement's dates and triggers, read in one scan: the date patterns first, then the triggers'
STATEMENT_SCAN = PatternScan([*DATE_PATTERNS, *(trigger.pattern for trigger in TRIGGERS)])


def _triggers(text: str, scanned: Iterable[tuple[int, Iterator[re.Match[str]]]]) -> list[tuple[Trigger, int, int]]:
    """The trigger wordings in `text`, from its `STATEMENT_SCAN` (only the patterns that may match,
    tried where they may)."""
    found: list[tuple[Trigger, int, int]] = []
    for index, matches in scanned:
        trigger = TRIGGERS[index - len(DATE_PATTERNS)]
        for m in matches:
            before = text[max(0, m.start() - 40) : m.start()]
            if NEGATION_EN.search(before) or NEGATION_ZH.search(before):
                continue
            if trigger.wording_class == "platform" and _NAMED_SOURCE.search(_name_before(text, m.end())):
                continue
            if trigger.wording_class in ("licence_granted", "export_licence") and _scant_grant(
                text, m.start(), m.end()
            ):
                continue  # "only 25% of applications approved", "just 5 of 180 licences": the control biting
            found.append((trigger, m.start(), m.end()))
    return found


def _contents(text: str) -> bool:
    """A table of contents run into one statement: its headings name topics, not events."""
    return len(_CONTENTS_ENTRY.findall(text)) >= _CONTENTS_MIN


def _not_stated(text: str, found: tuple[Trigger, int, int]) -> bool:
    """A trigger that names no event: a platform credited as the source of figures ("来源：...交易中心",
    "据...交易中心统计"), an event feared or in prospect ("fears of shortages", "有望"), or an expansion
    held back ("成本制约产能扩张")."""
    trigger, start, end = found
    before = text[max(0, start - 40) : start]
    if trigger.wording_class == "platform" and _SOURCE_CREDIT.search(before):
        return True
    if trigger.type == "capacity_plan" and _HELD_BACK.search(text[max(0, start - 40) : end]):
        return True  # "成本制约产能扩张": expansion held back
    return bool(_FEARED_BEFORE.search(text[max(0, start - 80) : start]) or _FEARED_AFTER.match(text, end))


def _scant_grant(text: str, start: int, end: int) -> bool:
    """Licences granted told as scant ("only 25% of applications approved", "仅少数获批")."""
    window = text[max(0, start - 60) : end + 30]
    return bool(_SCANT.search(text[max(0, start - 60) : end]) and _GRANTED.search(window))


def _name_before(text: str, end: int) -> str:
    """The run of capitalised words that ends at `end` ("Northeast Asia Magnesia Material Trading Center")."""
    m = re.search(r"(?:[A-Z][\w-]*\s+){0,8}[A-Z][\w-]*$", text[max(0, end - 120) : end])
    return m.group() if m else ""


def _nearest_date(
    dates: list[DateMention], t_start: int, t_end: int, text: str, clause: tuple[int, int]
) -> DateMention | None:
    """The date of the trigger's own clause if it has one, else the nearest; stated dates before
    relative ones; baselines ("up 12% from 2023") and report dates ("data showed on Friday") left out."""
    # "..., 导致4月和5月出口量下降", "leading to a slump in May": the consequence's dates are its own
    # "..., following a fatal explosion in August": the cause's date is not the measure's either
    consequence = min((m.start() for m in _CONSEQUENCE.finditer(text, t_end)), default=len(text))
    usable = [
        d
        for d in dates
        if d.start < consequence
        and not _BASELINE_BEFORE.search(text[max(0, d.start - 80) : d.start])
        and not _REPORTED_BEFORE.search(text[max(0, d.start - 30) : d.start])
    ]
    # "stationed inspectors in early December, where they will remain through Jan. 4": the end of a
    # period dates the event only when nothing else does
    started = [d for d in usable if not _UNTIL_BEFORE.search(text[max(0, d.start - 12) : d.start])]
    usable = started or usable
    if not usable:
        return None

    cuts = [m.start() for m in _CLAUSE_CUT.finditer(text)]
    near_low = max((c for c in cuts if c < t_start), default=0)
    near_high = min((c for c in cuts if c >= t_end), default=len(text))

    def rank(d: DateMention) -> tuple[bool, int, int, int]:
        outside = 0 if clause[0] <= d.start < clause[1] else 1
        # the date between the commas around the trigger wins: "..., after licences took effect on 1 December 2023"
        beside = 0 if near_low <= d.start < near_high else 1
        return (d.kind == "relative", outside, beside, max(t_start - d.end, d.start - t_end, 0))

    return min(usable, key=rank)


def _event_clauses(text: str) -> list[tuple[int, int]]:
    """Spans of the clauses that may each state an event: cut at semicolons, at ", and", and at
    commas between Chinese characters."""
    cuts = [m.end() for m in _EVENT_CLAUSE_CUT.finditer(text)]
    bounds = [0, *cuts, len(text)]
    return [(a, b) for a, b in itertools.pairwise(bounds) if b > a]


def _quote_span(
    statement: Statement, t_start: int, t_end: int, mentions: list[Mention], date_mention: DateMention | None
) -> tuple[int, int]:
    """The shortest run of whole clauses that holds the trigger, a commodity and the date."""
    text = statement.text
    points = [(t_start, t_end)]
    commodity_spans = [(m.start, m.end) for m in mentions if m.kind == COMMODITY]
    if commodity_spans:
        points.append(min(commodity_spans, key=lambda s: abs(s[0] - t_start)))
    if date_mention is not None:
        points.append((date_mention.start, date_mention.end))
    # a dateline or a commodity far from the trigger would drag the whole sentence into the quote
    points = [p for p in points if max(t_start - p[1], p[0] - t_end, 0) <= _QUOTE_REACH]
    low, high = min(p[0] for p in points), max(p[1] for p in points)
    cuts = [m for m in _CLAUSE_CUT.finditer(text)]
    start = max((m.end() for m in cuts if m.end() <= low), default=0)
    end = min((m.start() for m in cuts if m.start() >= high), default=len(text))
    start = max(start, strip_label(text) if start == 0 else start)
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    while start < end and text[start] in _TRAILING:
        start += 1
    if end <= start:
        return 0, len(text)
    return start, end


def _anchor(text: str) -> str | None:
    """A named policy document: two statements naming it report one event."""
    m = _POLICY_TITLE.search(text)
    if not m:
        return None
    title = (m["title"] or m["zh"] or m["act"] or "").lower()
    words = [re.sub(r"(?:ies)$", "y", w) for w in re.findall(r"\w+", title)]
    words = [w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words]
    return " ".join(w for w in words if w not in {"the", "of", "on", "a", "and"})


def _reference_date(text: str, until: date | None = None, skip: str | None = None) -> date | None:
    """For a document without a publication date: the latest month or year it names as past
    (with one, `until`: the latest it names up to then; `skip`: the page's own dateline)."""
    latest: date | None = None
    for mention in find_event_dates(text, until):
        if mention.kind not in ("day", "month", "year", "span") or mention.value == skip:
            continue
        # a span ("January to October 2021") reaches its last month; a plan's years are no report date
        last = mention.value.split("/")[-1]
        if mention.kind == "span" and len(last) == 4:
            continue
        start = month_start(last)
        if start is not None and until is not None and start > until:
            continue
        if start is not None and (latest is None or start > latest):
            latest = start
    if latest is None:
        return None
    return date(latest.year, 12, 28) if latest.month == 1 and latest.day == 1 else latest


def _products_of_the_document(found: tuple[str, ...], document: Callable[[], tuple[str, ...]]) -> tuple[str, ...]:
    """镁制品 ("magnesium products") in a document about magnesia or magnesite (Liaoning's refractories)
    are magnesia products: the aggregate product word takes the document's family (`document()`,
    read only here: a whole-text pass)."""
    if "magnesium_products" not in found or not set(found) <= {"magnesium", "magnesium_products"}:
        return found
    default = document()
    if default and {commodity_family(c) for c in default} <= _MAGNESIA_FAMILIES:
        return default
    return found


@cache
def _known() -> frozenset[str]:
    return frozenset(commodities())


def _named_in(name: str) -> list[str]:
    """Commodities whose wording a company's name contains, longest wording first."""
    folded = to_simplified(name).lower()
    hits = [
        (len(wording), commodity.id)
        for commodity in commodities().values()
        for wording in commodity.wordings
        if len(wording) >= 2 and "(" not in wording and wording.lower() in folded
    ]
    return [cid for _, cid in sorted(hits, reverse=True)[:1]]


def _trigger_rank(found: tuple[Trigger, int, int]) -> tuple[int, int, int]:
    trigger, start, _ = found
    return (trigger.weight, -TYPE_PRIORITY[trigger.type], -start)


def _ordered_unique(values: Iterable[object]) -> tuple[str, ...]:
    seen: list[str] = []
    for value in values:
        if isinstance(value, str) and value not in seen:
            seen.append(value)
    return tuple(seen)
