"""extract stage: numbers, periods, facts and events read from a document's clean text.

`EXTRACTOR_VERSION` is stored with every document; bump `FACT_RULES_VERSION` on any fact rule change
(the events engineer bumps `EVENT_RULES_VERSION` in events.py) so that `assay ingest` re-extracts
documents read by an older version of either.
"""

# events imports only extract submodules (never this package's names), so importing it here makes no cycle
from assay.extract.events import EVENT_RULES_VERSION

FACT_RULES_VERSION = "facts-0.11.0"
EXTRACTOR_VERSION = f"{FACT_RULES_VERSION}+events-{EVENT_RULES_VERSION}"
