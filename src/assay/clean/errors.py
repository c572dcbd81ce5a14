"""The error cleaning raises: one line naming the input and the reason."""

from __future__ import annotations


class CleanError(Exception):
    """A document whose bytes cannot be turned into text (broken PDF, binary junk, ...)."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self) -> tuple[type[CleanError], tuple[str, str]]:
        return (CleanError, (self.source, self.reason))
