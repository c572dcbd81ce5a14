"""The events package's word tables live in data files; check they agree with the rules and the spec."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from assay.extract.events import extract_events, lexicon
from assay.extract.events.lexicon import EVENT_TYPES, TRIGGERS
from assay.extract.events.words import cue, read_data
from assay.model import Document

PACKAGE = Path(lexicon.__file__).parent
EXAMPLES = Path(__file__).with_name("event_class_examples.toml")
SPEC = Path(__file__).resolve().parents[2] / ".." / "shared" / "spec" / "events.md"


def rule_source() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(PACKAGE.glob("*.py")))


def test_data_files_ship_with_the_package() -> None:
    names = {entry.name for entry in resources.files("assay.extract.events").joinpath("data").iterdir()}
    assert {"triggers.toml", "cues.toml", "actors.toml"} <= names


def test_every_trigger_type_is_an_eventspec_type() -> None:
    assert {trigger.type for trigger in TRIGGERS} <= set(EVENT_TYPES)
    assert {trigger.type for trigger in TRIGGERS} == set(EVENT_TYPES), "a type no wording can trigger"


def test_event_types_are_the_specs() -> None:
    if not SPEC.is_file():
        pytest.skip(f"../shared is absent (looked for {SPEC})")
    types_line = SPEC.read_text(encoding="utf-8").split("Types:", 1)[1].split("\n\n", 1)[0]
    assert set(re.findall(r"`(\w+)`", types_line)) == set(EVENT_TYPES)


def test_every_class_the_rules_name_is_in_the_data() -> None:
    classes = {trigger.wording_class for trigger in TRIGGERS}
    source = rule_source()
    # a class compared by the rules: `wording_class == "x"`, `wording_class != "x"`, `in (...)` tuples
    named = set(re.findall(r'wording_class\s*[!=]=\s*"(\w+)"', source))
    named |= set(re.findall(r"_CLASSES = \(([^)]*)\)", source)[0].replace('"', "").replace(" ", "").split(","))
    named.discard("")
    assert named, "the rules name no class: this test lost its anchor"
    assert named <= classes, f"classes the rules read but no trigger has: {named - classes}"


def test_every_class_in_the_data_is_used() -> None:
    """Each class of trigger wording has a sentence of ours (event_class_examples.toml) that the
    rules read as that class: a class no rule can produce is dead data."""
    examples = tomllib.loads(EXAMPLES.read_text(encoding="utf-8"))["example"]
    classes = {f"{trigger.type}.{trigger.wording_class}" for trigger in TRIGGERS}
    assert classes == set(examples), f"classes without an example: {classes - set(examples)}"
    unread = []
    for name, sentence in examples.items():
        doc = Document(name="t", source="t.txt", raw_sha256="0", clean_text=sentence, published="2025-06-20")
        if f"event.{name}" not in {event.rule for event in extract_events(doc)}:
            unread.append(name)
    assert not unread, f"classes the rules do not produce from their example: {unread}"
    rows = read_data("triggers.toml")["trigger"]
    assert len(rows) == len(TRIGGERS)
    assert {row["lang"] for row in rows} <= {"en", "en_cased", "zh"}


def test_every_cue_in_the_data_is_read_by_a_rule() -> None:
    source = rule_source()
    keys = read_data("cues.toml")["pattern"]
    # product words are read by commodity id: cue(f"cues.word.{commodity}") over a tuple of ids
    unread = [
        key
        for key in keys
        if f'cue("{key}")' not in source
        and not (key.startswith("cues.word.") and f'"{key.removeprefix("cues.word.")}"' in source)
    ]
    assert not unread, f"cues nobody reads: {unread}"
    for key in keys:
        assert cue(key).pattern
    read = set(re.findall(r'cue\("([\w.]+)"\)', source))
    assert read <= set(keys), f"cues read but missing from the data: {read - set(keys)}"


def test_element_groups_are_vocabulary_ids() -> None:
    from assay.vocab import commodities

    groups = read_data("cues.toml")["table"]["element_groups"]
    assert set(groups.values()) <= set(commodities())
    assert not set(groups) & set(commodities()), "an element with an id of its own needs no group"


def test_actor_tables_load() -> None:
    actors = read_data("actors.toml")
    assert {row["actor"] for row in actors["body"]} >= {"CN:MOFCOM", "CN:MIIT", "CN:GACC"}
    assert "CN" in {row["geo"] for row in actors["country"]}
    assert "company_slug" not in actors, "companies are the vocabulary's (vocab/data/companies.csv), one list"
