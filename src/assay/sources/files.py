"""Files and folders: documents of the supported types, with metadata from a folder's index.jsonl."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from assay.sources.base import SUFFIX_TYPES, RawDocument, SourceError, SourceOptions

INDEX_NAME = "index.jsonl"


@dataclass(frozen=True)
class IndexEntry:
    """One line of a corpus folder's index.jsonl."""

    url: str | None = None
    title: str | None = None
    published: str | None = None
    lang: str | None = None


class FolderIndexes:
    """Reads each folder's index.jsonl once; reports a malformed one as a SourceError, once."""

    def __init__(self) -> None:
        self._by_folder: dict[Path, dict[str, IndexEntry]] = {}
        self.errors: list[SourceError] = []

    def entry(self, path: Path, root: Path | None = None) -> IndexEntry | None:
        """The file's line in its folder's index, else in an index of a folder above it, up to `root`."""
        folder = path.parent
        while True:
            if folder not in self._by_folder:
                self._by_folder[folder] = self._load(folder / INDEX_NAME)
            found = self._by_folder[folder].get(path.stem)
            if found is not None or root is None or folder == root or folder.parent == folder:
                return found
            folder = folder.parent

    def _load(self, index_path: Path) -> dict[str, IndexEntry]:
        entries: dict[str, IndexEntry] = {}
        try:
            lines = index_path.read_text(encoding="utf-8-sig").splitlines()
        except FileNotFoundError:
            return entries
        except (OSError, UnicodeDecodeError) as exc:
            self.errors.append(SourceError(str(index_path), f"cannot read index: {_reason(exc)}"))
            return entries
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                self.errors.append(SourceError(f"{index_path}:{number}", f"not JSON ({exc.msg})"))
                continue
            if not isinstance(record, dict) or not isinstance(record.get("doc"), str):
                self.errors.append(SourceError(f"{index_path}:{number}", 'expected an object with a "doc" name'))
                continue
            entries[record["doc"]] = IndexEntry(
                url=_text_or_none(record.get("url")),
                title=_text_or_none(record.get("title")),
                published=_text_or_none(record.get("published")),
                lang=_text_or_none(record.get("lang")),
            )
        return entries


def iter_path(
    given: str, options: SourceOptions, indexes: FolderIndexes | None = None
) -> Iterator[RawDocument | SourceError]:
    """Documents under a file or folder path (folders recursively, in name order)."""
    indexes = indexes or FolderIndexes()
    path = Path(given).expanduser()
    if path.is_dir():
        found = False
        for file_path in _walk(path):
            found = True
            yield from _read_indexed(file_path, options, indexes, root=path)
            yield from _drain(indexes)
        if not found:
            known = " ".join(sorted(set(SUFFIX_TYPES)))
            yield SourceError(given, f"no documents in this folder (looked for {known})")
        return
    if not path.exists():
        yield SourceError(given, "no such file or directory")
        return
    if not path.is_file():
        yield SourceError(given, "not a regular file")
        return
    if path.suffix.lower() not in SUFFIX_TYPES:
        known = " ".join(sorted(set(SUFFIX_TYPES)))
        yield SourceError(given, f"unsupported file type {path.suffix or '(no extension)'!r}; expected one of {known}")
        return
    yield from _read_indexed(path, options, indexes)
    yield from _drain(indexes)


# A corpus folder often carries its own README or licence; those describe the corpus and are
# not documents of it. Named on the command line they are still read.
FOLDER_FURNITURE = frozenset({"readme", "license", "licence", "changelog", "contributing", "provenance"})


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            file_path = Path(root) / name
            if name.startswith(".") or file_path.stem.lower() in FOLDER_FURNITURE:
                continue
            if file_path.suffix.lower() in SUFFIX_TYPES:
                yield file_path


def _read_indexed(
    path: Path, options: SourceOptions, indexes: FolderIndexes, root: Path | None = None
) -> Iterator[RawDocument | SourceError]:
    entry = indexes.entry(path, root)
    try:
        yield read_file(path, options, entry)
    except SourceError as exc:
        yield exc


def _drain(indexes: FolderIndexes) -> Iterator[SourceError]:
    while indexes.errors:
        yield indexes.errors.pop(0)


def read_file(path: Path, options: SourceOptions, entry: IndexEntry | None = None) -> RawDocument:
    """One file as a RawDocument; size is checked with stat before any byte is read."""
    source = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceError(source, _reason(exc)) from None
    if size == 0:
        raise SourceError(source, "empty file")
    if size > options.max_bytes:
        raise SourceError(source, f"file is {_megabytes(size)}, over the size cap of {_megabytes(options.max_bytes)}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(source, _reason(exc)) from None
    entry = entry or IndexEntry()
    return RawDocument(
        name=path.stem,
        source=source,
        data=data,
        content_type=SUFFIX_TYPES[path.suffix.lower()],
        url=entry.url,
        fetched_at=datetime.now(UTC),
        source_name=path.absolute().parent.name or None,
        title=entry.title,
        published=entry.published,
        lang=entry.lang,
    )


def _text_or_none(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _megabytes(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size} bytes"
    return f"{size / (1024 * 1024):.1f} MB"


def _reason(exc: OSError | UnicodeDecodeError) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc)
