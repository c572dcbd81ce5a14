"""Computed views kept while the store does not change: the dashboard and commodity overviews
run several analyses, and fifty readers a second need not repeat them."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from assay.store.browse import store_fingerprint

T = TypeVar("T")


class ViewCache:
    """Values keyed by name, recomputed when the store's fingerprint changes or after `seconds`."""

    def __init__(self, seconds: float, max_entries: int = 1024) -> None:
        self.seconds = seconds
        self.max_entries = max_entries
        self._values: dict[Hashable, tuple[float, tuple[int, ...], Any]] = {}
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

    def _fresh(self, key: Hashable, fingerprint: tuple[int, ...]) -> tuple[Any] | None:
        with self._lock:
            held = self._values.get(key)
        if held is not None and held[1] == fingerprint and time.monotonic() - held[0] < self.seconds:
            return (held[2],)
        return None
