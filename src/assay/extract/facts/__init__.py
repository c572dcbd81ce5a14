"""Facts: every number of a document that measures a metric of a commodity becomes a FactSpec `Fact`.

`extract_facts(doc)` (extractor) walks the document's layout; for each number it fills the slots (`slots`:
metric, commodity, place, partner, whole), reads the cues around it (`cues`: change, share, basis,
approximation) and its timing (`timing`: period and baseline); `tables` reads rows and columns; `readings`
holds small readings the rules share.
"""

from assay.extract.facts.extractor import extract_facts

__all__ = ["extract_facts"]
