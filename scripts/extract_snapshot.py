#!/usr/bin/env python3
"""Write every fact and event the extractor finds on every corpus as canonical JSONL, to diff two versions.

    python scripts/extract_snapshot.py OUT.jsonl [--path separate|combined] [CORPUS_DIR ...]

Default corpora: ../shared/corpus/{dev,seeds,unlabelled} and the bundled sample, each read twice:
through the real sources and clean stages, and as raw `.txt` files (so text that cleaning would have
tidied reaches the rules too). Every field of every Fact and Event is written, in document order, one
JSON object per line with sorted keys, so a change in plumbing that must not change output is checked
with `diff` or `cmp`:

    python scripts/extract_snapshot.py /tmp/before.jsonl      # on the old code
    python scripts/extract_snapshot.py /tmp/after.jsonl       # on the new code
    cmp /tmp/before.jsonl /tmp/after.jsonl

`--path separate` calls extract_facts(doc) and extract_events(doc); `--path combined` calls the shared
entry extract_all(doc) (the pipeline's path), when this version of the code has it.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path
from typing import Any

from assay.clean import CleaningContext, clean_document
from assay.model import Document, Event, Fact
from assay.sources import SourceError, SourceOptions, iter_sources

REPO = Path(__file__).resolve().parents[1]
SHARED_CORPUS = REPO / ".." / "shared" / "corpus"
DEFAULT_FOLDERS = [SHARED_CORPUS / "dev", SHARED_CORPUS / "seeds", SHARED_CORPUS / "unlabelled"]
SAMPLE = REPO / "src" / "assay" / "sample"

Extractor = Callable[[Document], tuple[list[Fact], list[Event]]]


def cleaned(folder: Path) -> Iterator[Document]:
    context = CleaningContext()
    for item in iter_sources([str(folder)], SourceOptions()):
        if isinstance(item, SourceError):
            print(f"skipped: {item}", file=sys.stderr)
            continue
        yield clean_document(item, context)


def raw(folder: Path) -> Iterator[Document]:
    """Each `.txt` file as it is, published on the date its index gives (if any)."""
    index: dict[str, dict[str, Any]] = {}
    index_path = folder / "index.jsonl"
    if index_path.exists():
        rows = [json.loads(line) for line in index_path.read_text(encoding="utf-8").splitlines() if line.strip()]
        index = {str(row.get("doc")): row for row in rows}
    for path in sorted(folder.rglob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        meta = index.get(path.stem, {})
        published = meta.get("published")
        yield Document(
            name=f"raw:{path.relative_to(folder)}",
            source=str(path.relative_to(folder)),
            raw_sha256="",
            clean_text=text,
            raw_text=text,
            title=meta.get("title") if isinstance(meta.get("title"), str) else None,
            published=published if isinstance(published, str) else None,
        )


def plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    return value


def record(kind: str, item: Fact | Event) -> str:
    fields = {f.name: plain(getattr(item, f.name)) for f in dataclasses.fields(item)}
    return json.dumps({"kind": kind, **fields}, ensure_ascii=False, sort_keys=True)


def extractor(path: str) -> Extractor:
    if path == "combined":
        from assay.extract.combined import extract_all  # type: ignore[import-not-found,unused-ignore]  # absent on older code

        def both(doc: Document) -> tuple[list[Fact], list[Event]]:
            found = extract_all(doc)
            return list(found.facts), list(found.events)

        return both
    from assay.extract.events import extract_events
    from assay.extract.facts import extract_facts

    return lambda doc: (list(extract_facts(doc)), list(extract_events(doc)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("folders", nargs="*", type=Path)
    ap.add_argument("--path", choices=["separate", "combined"], default="separate")
    args = ap.parse_args(argv)
    folders = args.folders or [*DEFAULT_FOLDERS, SAMPLE]
    extract = extractor(args.path)
    totals: dict[str, list[int]] = {}
    with args.out.open("w", encoding="utf-8") as out:
        for folder in folders:
            if not folder.is_dir():
                print(f"{folder}: absent, skipped", file=sys.stderr)
                continue
            for reading, docs in (("clean", cleaned(folder)), ("raw", raw(folder))):
                label = f"{folder.name}/{reading}"
                counts = totals.setdefault(label, [0, 0, 0])
                for doc in docs:
                    facts, events = extract(doc)
                    out.write(json.dumps({"kind": "doc", "corpus": label, "doc": doc.name}) + "\n")
                    out.writelines(record("fact", fact) + "\n" for fact in facts)
                    out.writelines(record("event", event) + "\n" for event in events)
                    counts[0] += 1
                    counts[1] += len(facts)
                    counts[2] += len(events)
    for label, (docs_n, facts_n, events_n) in totals.items():
        print(f"{label:24s} {docs_n:4d} documents {facts_n:6d} facts {events_n:5d} events")
    return 0


if __name__ == "__main__":
    sys.exit(main())
