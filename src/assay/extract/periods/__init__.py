"""Periods: the times a text names, as FactSpec period strings, absolute or relative to the page's date.

`find_periods(text, published)` (finder) is the entry point; `patterns` holds its one regex and word tables.
"""

from assay.extract.periods.finder import PeriodMention, find_periods, period_near

__all__ = ["PeriodMention", "find_periods", "period_near"]
