"""extract stage: numbers, periods, facts and events read from a document's clean text.

`EXTRACTOR_VERSION` is stored with every document; bump it on any rule change so that
`assay ingest` re-extracts documents read by an older version.
"""

EXTRACTOR_VERSION = "facts-0.8.0"
