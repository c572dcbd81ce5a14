"""Durations and moments as users write them: `7d`, `6h`, `30m`, `2w`, or a date like 2026-12-01."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$", re.IGNORECASE)
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration(text: str) -> timedelta:
    """`90s`, `30m`, `6h`, `7d`, `2w` → a positive timedelta (ValueError otherwise)."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"{text!r}: give a duration like 30m, 6h, 7d or 2w")
    seconds = float(match.group(1)) * _SECONDS[match.group(2).lower()]
    if seconds <= 0:
        raise ValueError(f"{text!r}: the duration must be positive")
    return timedelta(seconds=seconds)


def parse_since(text: str, now: datetime) -> datetime:
    """A duration back from `now` (`7d`), or a date or date-time (`2026-12-01`), as naive UTC."""
    try:
        return now - parse_duration(text)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r}: give a duration like 7d or a date like 2026-12-01") from None
    return moment.replace(tzinfo=None) if moment.tzinfo is None else moment.astimezone().replace(tzinfo=None)
