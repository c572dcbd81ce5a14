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

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._values: dict[Hashable, tuple[float, tuple[int, ...], Any]] = {}
        self._lock = threading.Lock()

    def get(self, session: Session, key: Hashable, compute: Callable[[], T]) -> T:
        fingerprint = store_fingerprint(session)
        now = time.monotonic()
        with self._lock:
            held = self._values.get(key)
        if held is not None and held[1] == fingerprint and now - held[0] < self.seconds:
            value: T = held[2]
            return value
        value = compute()
        with self._lock:
            self._values[key] = (now, fingerprint, value)
        return value
