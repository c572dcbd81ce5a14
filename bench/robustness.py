"""Time and peak memory against input size, per format: is cleaning (and extraction) linear?

    python bench/robustness.py [--sizes 1,2,4,8,16,32,64] [--formats txt,repeat,md,html,docx,pptx] [--stage clean]

For each format and size (MB of input) a child process reads the file and cleans it
(`--stage extract`: and times the extraction of facts and events alone; `--stage both`: cleaning
and extraction together); another child only reads the bytes and decodes them: the baseline, the
least any reader can do. Printed per row: seconds and peak memory above what the process held once
its modules were loaded (MB: ru_maxrss minus the resident size before reading), the baseline's,
and the growth factor against the row of half the size: linear growth doubles (about 2.0x);
quadratic growth quadruples. The documents are generated here (news-like prose,
every paragraph different) in each format; nothing is read from ../shared.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

MIB = 1024 * 1024
SAMPLE_REPORTS = Path(__file__).resolve().parents[1] / "src" / "assay" / "sample" / "reports"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MONTHS = ("January", "March", "June", "October", "December")
PLACES = ("Japan", "Korea", "Germany", "the Netherlands", "Turkey")


def paragraphs(megabytes: float) -> list[str]:
    """News-like paragraphs, each one different, about `megabytes` MB in all."""
    found: list[str] = []
    size = 0
    n = 0
    while size < megabytes * MIB:
        text = (
            f"Desk note {n}: China's magnesium ingot output reached {20_000 + n % 9_000:,} t in "
            f"{MONTHS[n % 5]} {2012 + n % 13}, up {n % 40}.{n % 10}% on the year, while graphite exports to "
            f"{PLACES[n % 5]} fell {n % 17}% and prices in Fugu held at {16_000 + n % 3_000:,} yuan per tonne."
        )
        found.append(text)
        size += len(text) + 2
        n += 1
    return found


def write_input(kind: str, megabytes: float, folder: Path) -> Path:
    body = paragraphs(megabytes)
    path = folder / f"bench-{megabytes:g}mb.{'txt' if kind == 'repeat' else kind}"
    if kind == "repeat":  # blocks of lines printed three times over: what made the repeated-line filter quadratic
        lines = [line for start in range(0, len(body), 500) for line in body[start : start + 500] * 3]
        path.write_text("\n".join(lines), encoding="utf-8")
    elif kind == "txt":
        path.write_text("Magnesium desk notes\n\n" + "\n\n".join(body), encoding="utf-8")
    elif kind == "md":
        path.write_text("# Magnesium desk notes\n\n" + "\n\n".join(f"**Note.** {p}" for p in body), encoding="utf-8")
    elif kind == "html":
        page = "".join(f"<p>{p}</p>" for p in body)
        html = f"<html><head><title>Magnesium desk notes</title></head><body><article>{page}</article></body></html>"
        path.write_text(html, encoding="utf-8")
    elif kind == "docx":
        xml = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in body)
        document = f"<?xml version='1.0' encoding='UTF-8'?><w:document {W}><w:body>{xml}</w:body></w:document>"
        path.write_bytes(
            _replace_part(SAMPLE_REPORTS / "rpt-2022-graphite-briefing.docx", "word/document.xml", document)
        )
    elif kind == "pptx":
        runs = "".join(f"<a:p><a:r><a:t>{p}</a:t></a:r></a:p>" for p in body)
        slide = (
            "<?xml version='1.0' encoding='UTF-8'?>"
            '<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
            'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:cSld><p:spTree>'
            '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>'
            '<p:sp><p:nvSpPr><p:cNvPr id="2" name="Notes"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr/>'
            f"<p:txBody><a:bodyPr/>{runs}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>"
        )
        path.write_bytes(
            _replace_part(SAMPLE_REPORTS / "deck-2025-magnesia-magnesium.pptx", "ppt/slides/slide1.xml", slide)
        )
    else:
        raise SystemExit(f"unknown format {kind}")
    return path


def _replace_part(base: Path, part: str, text: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, text.encode() if info.filename == part else source.read(info.filename))
    return out.getvalue()


def make_in_child(kind: str, megabytes: float, folder: Path) -> Path:
    """Write the input in a child process: a child inherits its parent's peak memory on Linux, so
    the parent that spawns the measurements must never itself hold a large document."""
    done = subprocess.run(
        [sys.executable, __file__, "--make", kind, str(megabytes), str(folder)],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(done.stdout.strip())


def measure_in_child(mode: str, path: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        return {"seconds": float("nan"), "peak_mb": float("nan"), "error": done.stderr.strip().splitlines()[-1:]}  # type: ignore[dict-item]
    result: dict[str, float] = json.loads(done.stdout)
    return result


def child(mode: str, path: Path) -> None:
    """Runs in the child: one measurement, printed as JSON."""
    from datetime import UTC, datetime

    from assay.clean import CleaningContext, clean_document
    from assay.pipeline import extract
    from assay.sources import InputBudget, RawDocument

    # generous budget: the bench measures cost, it must not be stopped by the defaults
    budget = InputBudget(max_inflated_bytes=4096 * MIB, max_elements=10**9, max_paragraphs=10**9, max_seconds=10**6)
    context = CleaningContext(budget=budget)
    start_peak = _resident_kib()  # after the imports: the interpreter's own memory is not the document's
    started = time.perf_counter()
    data = path.read_bytes()
    if mode == "read":
        data.decode("utf-8", errors="replace")
    else:
        raw = RawDocument(path.stem, str(path), data, path.suffix[1:], None, datetime.now(UTC), "bench")
        document = clean_document(raw, context)
        if mode in ("extract", "both"):
            extracting = time.perf_counter()
            extract(document)
            if mode == "extract":
                started = extracting  # the extraction alone
    seconds = time.perf_counter() - started
    peak = (_peak_kib() - start_peak) / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak}))


def _peak_kib() -> int:
    """This program's peak resident memory in KiB: VmHWM (ru_maxrss also carries the parent's peak)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, IndexError, ValueError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _resident_kib() -> int:
    """This process's resident memory now, in KiB (the peak so far where /proc is absent)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return pages * resource.getpagesize() // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,2,4,8,16,32,64", help="input sizes in MB, doubling")
    parser.add_argument("--formats", default="txt,repeat,md,html,docx,pptx", help="repeat: text of repeated blocks")
    parser.add_argument("--stage", choices=("clean", "extract", "both"), default="clean")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--make", nargs=3, metavar=("FORMAT", "MB", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    if args.make:
        print(write_input(args.make[0], float(args.make[1]), Path(args.make[2])))
        return
    sizes = [float(s) for s in args.sizes.split(",")]
    print(f"stage: {args.stage}; baseline: read the bytes and decode them as UTF-8")
    print(f"{'format':6} {'MB':>5} {'seconds':>9} {'x':>6} {'peak MB':>8} {'x':>6} {'base s':>8} {'base MB':>8}")
    with tempfile.TemporaryDirectory(prefix="assay-bench-") as tmp:
        for kind in args.formats.split(","):
            previous: dict[str, float] | None = None
            for size in sizes:
                path = make_in_child(kind, size, Path(tmp))
                measured = measure_in_child(args.stage, path)
                baseline = measure_in_child("read", path)
                time_growth = _growth(measured, previous, "seconds")
                memory_growth = _growth(measured, previous, "peak_mb")
                print(
                    f"{kind:6} {size:5g} {measured['seconds']:9.2f} {time_growth:>6} {measured['peak_mb']:8.0f}"
                    f" {memory_growth:>6} {baseline['seconds']:8.3f} {baseline['peak_mb']:8.0f}",
                    flush=True,
                )
                if "error" in measured:
                    print(f"       error: {measured['error']}")
                previous = measured
                path.unlink()


def _growth(now: dict[str, float], before: dict[str, float] | None, key: str) -> str:
    if before is None or not before[key] or before[key] != before[key]:
        return ""
    return f"{now[key] / before[key]:.1f}x"


if __name__ == "__main__":
    main()
