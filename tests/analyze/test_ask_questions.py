"""`assay ask` on a question set of our own (ask_questions.toml): each question with the facts
its store holds and the answer it must give, or "unknown". A real SQLite store per question.

    python tests/analyze/test_ask_questions.py        prints the share answered right

The share is the figure to compare with the 46% the issue measured on analysts' questions.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from assay.analyze.ask import Answer, answer_question
from assay.model import Basis, Document, Fact
from assay.store.db import open_store
from assay.store.documents import save_document
from assay.store.facts import replace_facts

QUESTIONS = tomllib.loads((Path(__file__).with_name("ask_questions.toml")).read_text(encoding="utf-8"))["question"]


def fill(session: Session, facts: list[dict[str, Any]]) -> None:
    """One document per `doc` name, holding its facts."""
    by_doc: dict[str, list[Fact]] = {}
    for row in facts:
        fields = {"geo": "CN", "unit": "t", "basis": Basis.ACTUAL, **row}
        by_doc.setdefault(fields["doc"], []).append(Fact(**fields))
    for name, doc_facts in by_doc.items():
        digest = hashlib.sha256(name.encode()).hexdigest()
        text = " ".join(f.quote for f in doc_facts)
        document = Document(name=name, source=f"/questions/{name}.txt", raw_sha256=digest, clean_text=text)
        doc_id = save_document(session, document, digest)
        replace_facts(session, doc_id, doc_facts)
    session.commit()


def is_right(answer: Answer, expect: dict[str, Any] | str) -> bool:
    """The value, unit, period and range asked for, with a cited source; or unknown when expected."""
    if expect == "unknown":
        return answer.value is None and (answer.text.startswith("unknown") or answer.text.startswith("未知"))
    assert isinstance(expect, dict)
    if answer.value is None or not answer.sources:
        return False
    if abs(answer.value - expect["value"]) > 1e-6 * max(1.0, abs(expect["value"])) or answer.unit != expect["unit"]:
        return False
    if "period" in expect and answer.period != expect["period"]:
        return False
    return expect.get("value_high") == answer.value_high


def ask_in_fresh_store(
    question: dict[str, Any], folder: Path, answer: Callable[[Session, str], Answer] = answer_question
) -> Answer:
    store = open_store(f"sqlite:///{folder / 'ask.db'}")
    try:
        with store.session() as session:
            fill(session, question["facts"])
            return answer(session, question["text"])
    finally:
        store.close()


@pytest.mark.parametrize("question", QUESTIONS, ids=[q["text"][:48] for q in QUESTIONS])
def test_question_is_answered_right(question: dict[str, Any], tmp_path: Path) -> None:
    answer = ask_in_fresh_store(question, tmp_path)
    assert is_right(answer, question["expect"]), answer.text


def test_the_set_covers_each_class_in_three_scripts() -> None:
    assert len(QUESTIONS) >= 30
    texts = [q["text"] for q in QUESTIONS]
    assert any("國" in t or "幾" in t for t in texts), "Traditional Chinese"
    assert any("国" in t for t in texts), "Simplified Chinese"
    assert sum(q["expect"] == "unknown" for q in QUESTIONS) >= 8


def main() -> int:
    right = 0
    for question in QUESTIONS:
        with tempfile.TemporaryDirectory() as folder:
            answer = ask_in_fresh_store(question, Path(folder))
        ok = is_right(answer, question["expect"])
        right += ok
        print(("right " if ok else "WRONG ") + question["text"] + "  ->  " + answer.text[:110])
    print(f"answered right: {right}/{len(QUESTIONS)} = {right / len(QUESTIONS):.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
