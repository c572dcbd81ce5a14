"""Files and folders: supported types, index.jsonl metadata, size cap, empty and unsupported files."""

from __future__ import annotations

import json
from pathlib import Path

from assay.sources import RawDocument, SourceError, SourceOptions, iter_sources


def _corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "metalnews"
    (folder / "2024").mkdir(parents=True)
    (folder / "mg-prices.txt").write_text("Magnesium ingot prices in Fugu held at 16,800 yuan per tonne.\n")
    (folder / "graphite.md").write_text("# Graphite\n\nFlake graphite exports rose 39% in February.\n")
    (folder / "2024" / "quota.html").write_text("<html><body><p>Rare earth mining quota: 135,000 t.</p></body></html>")
    (folder / "notes.csv").write_text("a,b\n1,2\n")
    (folder / "build.py").write_text("print('not a document')\n")
    (folder / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "README.md").write_text("# About this corpus\n\nHow the files were collected.\n")
    index = [
        {
            "doc": "mg-prices",
            "url": "https://example.com/mg",
            "title": "Fugu magnesium",
            "published": "2024-03-05",
            "lang": "en",
        },
        {"doc": "graphite", "url": None, "title": None, "published": None, "lang": None},
    ]
    (folder / "index.jsonl").write_text("\n".join(json.dumps(entry) for entry in index) + "\n")
    return folder


def test_folder_is_read_recursively_with_index_metadata(tmp_path: Path) -> None:
    folder = _corpus(tmp_path)
    items = list(iter_sources([str(folder)], SourceOptions()))
    assert all(isinstance(item, RawDocument) for item in items), items
    docs = {item.name: item for item in items if isinstance(item, RawDocument)}
    assert set(docs) == {"mg-prices", "graphite", "quota"}
    prices = docs["mg-prices"]
    assert (prices.url, prices.title, prices.published, prices.lang) == (
        "https://example.com/mg",
        "Fugu magnesium",
        "2024-03-05",
        "en",
    )
    assert prices.content_type == "txt"
    assert prices.source_name == "metalnews"
    assert docs["graphite"].content_type == "md" and docs["graphite"].title is None
    assert docs["quota"].content_type == "html" and docs["quota"].source_name == "2024"
    assert prices.data.startswith(b"Magnesium ingot")


def test_named_file_of_unsupported_type_is_an_error(tmp_path: Path) -> None:
    folder = _corpus(tmp_path)
    [error] = list(iter_sources([str(folder / "notes.csv")], SourceOptions()))
    assert isinstance(error, SourceError)
    assert error.source == str(folder / "notes.csv")
    assert "unsupported file type '.csv'" in error.reason


def test_empty_file_missing_path_and_size_cap(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    large = tmp_path / "large.txt"
    large.write_bytes(b"magnesia " * 200)
    small = tmp_path / "small.txt"
    small.write_bytes(b"magnesia")
    items = list(
        iter_sources([str(empty), str(tmp_path / "absent.txt"), str(large), str(small)], SourceOptions(max_bytes=1000))
    )
    assert [type(item).__name__ for item in items] == ["SourceError", "SourceError", "SourceError", "RawDocument"]
    assert isinstance(items[0], SourceError) and items[0].reason == "empty file"
    assert isinstance(items[1], SourceError) and items[1].reason == "no such file or directory"
    assert isinstance(items[2], SourceError) and "over the size cap of 1000 bytes" in items[2].reason
    assert str(items[2]).startswith(f"{large}: ")


def test_malformed_index_line_is_reported_and_the_rest_read(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("Magnesite output in Liaoning fell 5% in 2023.")
    (folder / "index.jsonl").write_text('{"doc": "a", "title": "Liaoning magnesite"}\n{not json\n')
    items = list(iter_sources([str(folder)], SourceOptions()))
    docs = [item for item in items if isinstance(item, RawDocument)]
    errors = [item for item in items if isinstance(item, SourceError)]
    assert [doc.title for doc in docs] == ["Liaoning magnesite"]
    assert len(errors) == 1 and errors[0].source.endswith("index.jsonl:2") and "not JSON" in errors[0].reason


def test_feed_flag_needs_a_url(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("text")
    [error] = list(iter_sources([str(path)], SourceOptions(feed=True)))
    assert isinstance(error, SourceError) and "--feed" in error.reason


def test_folder_without_documents_is_reported(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("a,b\n")
    [error] = list(iter_sources([str(tmp_path)], SourceOptions()))
    assert isinstance(error, SourceError) and "no documents in this folder" in error.reason


def test_index_of_a_parent_folder_covers_documents_in_subfolders(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "zh-news").mkdir(parents=True)
    (root / "zh-news" / "mg-2021.txt").write_text("榆林限产推高镁价，镁锭价格突破每吨六万元。", encoding="utf-8")
    (root / "index.jsonl").write_text('{"doc": "mg-2021", "published": "2021-09-28", "lang": "zh"}\n')
    [doc] = list(iter_sources([str(root)], SourceOptions()))
    assert isinstance(doc, RawDocument)
    assert (doc.published, doc.lang, doc.source_name) == ("2021-09-28", "zh", "zh-news")


def test_corpus_readme_is_read_only_when_named(tmp_path: Path) -> None:
    folder = _corpus(tmp_path)
    [readme] = list(iter_sources([str(folder / "README.md")], SourceOptions()))
    assert isinstance(readme, RawDocument) and readme.name == "README"
