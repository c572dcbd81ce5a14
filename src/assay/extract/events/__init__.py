"""Events: policy and market events (EventSpec) in a document, English and Chinese.

`extract_events(doc)` (extractor) cuts the text into statements (`statements`), finds trigger wordings of
each event type (`lexicon`, matched through one Aho-Corasick prefilter, `prefilter`), and fills the actor
(`actors`), date (`dates`), stance (`stance`) and scope (`cues`); `merge` joins the statements of one
document that report the same event.
"""

from assay.extract.events.extractor import EVENT_RULES_VERSION, extract_events

__all__ = ["EVENT_RULES_VERSION", "extract_events"]
