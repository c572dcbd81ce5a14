"""Fixtures for analysis tests: a store with documents and facts built by hand (tests/knowledge_base.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from assay.model import Fact
from assay.store.db import Store
from knowledge_base import KnowledgeBase, make_fact


@pytest.fixture
def kb(store: Store) -> Iterator[KnowledgeBase]:
    with store.session() as session:
        yield KnowledgeBase(store, session)


@pytest.fixture
def fact() -> Callable[..., Fact]:
    return make_fact


@pytest.fixture
def kb_any(any_store: Store) -> Iterator[KnowledgeBase]:
    """The same, once on SQLite and once on PostgreSQL."""
    with any_store.session() as session:
        yield KnowledgeBase(any_store, session)
