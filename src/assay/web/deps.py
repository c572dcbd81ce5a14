"""What route handlers depend on: the store's session, the reader's language, the current user, and
the views computed from the store that are kept while it does not change.

Accounts (issue 11) replace `current_user` alone; every route already depends on it. The dashboard
and commodity overviews run several analyses, and fifty readers a second need not repeat them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from assay.store.browse import store_fingerprint
from assay.store.db import Store
from assay.web.i18n import Locale, pick_language

LANGUAGE_COOKIE = "assay_lang"


@dataclass(frozen=True)
class User:
    """Who is asking. Without accounts everyone is the anonymous reader."""

    name: str | None = None

    @property
    def anonymous(self) -> bool:
        return self.name is None


ANONYMOUS = User()


def current_user(request: Request) -> User:
    return ANONYMOUS


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def db_session(store: Store = Depends(get_store)) -> Iterator[Session]:  # noqa: B008  FastAPI's dependency style
    with store.session() as session:
        yield session


SessionDep = Annotated[Session, Depends(db_session)]


def get_locale(request: Request) -> Locale:
    """`?hl=zh` wins, then the language cookie the switch sets, then the browser's Accept-Language."""
    lang = pick_language(
        request.query_params.get("hl"), request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language")
    )
    return Locale(lang)


T = TypeVar("T")


class ViewCache:
    """Values keyed by name, recomputed when the store's fingerprint changes or after `seconds`."""

    def __init__(self, seconds: float, max_entries: int = 1024) -> None:
        self.seconds = seconds
        self.max_entries = max_entries
        self._values: dict[Hashable, tuple[float, tuple[int, int, int], Any]] = {}
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}

    def get(self, session: Session, key: Hashable, compute: Callable[[], T]) -> T:
        fingerprint = store_fingerprint(session)
        held = self._fresh(key, fingerprint)
        if held is not None:
            return held[0]  # type: ignore[no-any-return]
        # one computation per key at a time: fifty readers arriving together wait for the first
        with self._lock:
            key_lock = self._computing.setdefault(key, threading.Lock())
        with key_lock:
            held = self._fresh(key, fingerprint)
            if held is not None:
                return held[0]  # type: ignore[no-any-return]
            value = compute()
            with self._lock:
                self._values.pop(key, None)
                self._values[key] = (time.monotonic(), fingerprint, value)
                while len(self._values) > self.max_entries:  # the oldest first: dicts keep insertion order
                    oldest = next(iter(self._values))
                    del self._values[oldest]
                    self._computing.pop(oldest, None)
            return value

    def _fresh(self, key: Hashable, fingerprint: tuple[int, int, int]) -> tuple[Any] | None:
        with self._lock:
            held = self._values.get(key)
        if held is not None and held[1] == fingerprint and time.monotonic() - held[0] < self.seconds:
            return (held[2],)
        return None
