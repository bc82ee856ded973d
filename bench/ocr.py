"""Time and peak memory of reading a 10-page scanned report by OCR.

Five generated forms (``tests/layout_docs.py``, two pages each) are printed to PDF by
LibreOffice, scanned as ``tests/scan_docs.py`` does (300 dpi, turned 2°, speckled, a red
stamp) and bound into one 10-page image-only PDF; a fresh process then reads it with
``jixiao.ingest.parse_file`` and reports the wall time and its peak resident memory, as
many times as ``--runs`` says, with the medians and the machine's load (the machine may
be shared: the time depends on what else runs).

    python bench/ocr.py [--variant scan-300|photo-150] [--keep FOLDER] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FAMILIES = ("standard", "split", "no-level1", "yuan", "department")
GOALS = {"seconds": 60, "peak MiB": 1536}


def make_report(folder: Path, variant: str) -> Path:
    """The 10-page scanned report: every page of the five forms, scanned, in one PDF."""
    from tests import layout_docs, scan_docs

    spec = scan_docs.VARIANTS[variant]
    pages = []
    for path, _, _, _ in layout_docs.generated_corpus(folder, FAMILIES, ("pdf",)):
        for page in scan_docs.rasterise(path, spec.dpi):
            pages.append(scan_docs.scanned(page, spec, seed=len(pages)))
    return scan_docs.save_pdf(pages, folder / f"scanned-report-{variant}.pdf", spec.dpi)


def read(path: Path) -> None:
    """Read ``path`` and print pages, evaluations, seconds and peak memory (this process)."""
    from jixiao.ingest import parse_file

    load = os.getloadavg()[0]
    start = time.perf_counter()
    parsed = parse_file(path)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    found = len(parsed.report.evaluations) if parsed.report else 0
    print(f"| {path.name} | {found} | {seconds:.1f} | {peak:.0f} | {load:.1f} |", flush=True)
    for problem in parsed.errors:
        print(f"  error: {problem.message}")


def measured(report: Path) -> tuple[float, float]:
    """One fresh process reading ``report``: its seconds and peak MiB (its row printed)."""
    out = subprocess.run(
        [sys.executable, __file__, "--read", str(report)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    print(out, end="")
    cells = out.splitlines()[0].strip("|").split("|")
    return float(cells[2]), float(cells[3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--variant", default="scan-300", choices=("scan-300", "photo-150"))
    parser.add_argument("--keep", type=Path, help="build (or reuse) the report in FOLDER")
    parser.add_argument("--runs", type=int, default=1, help="read the report N times")
    parser.add_argument("--read", type=Path, help=argparse.SUPPRESS)  # the measured process
    args = parser.parse_args()
    if args.read:
        read(args.read)
        return
    with tempfile.TemporaryDirectory(prefix="jixiao-ocr-bench-") as work:
        folder = args.keep or Path(work)
        report = folder / f"scanned-report-{args.variant}.pdf"
        if not report.exists():
            report = make_report(folder, args.variant)
        print("| report (10 pages) | tables read | seconds | peak MiB | load at start |")
        print("| --- | --- | --- | --- | --- |")
        runs = [measured(report) for _ in range(args.runs)]
    seconds = statistics.median(r[0] for r in runs)
    peak = statistics.median(r[1] for r in runs)
    print(f"\nmedians of {len(runs)}: {seconds:.1f} s, {peak:.0f} MiB; goals: {GOALS}")


if __name__ == "__main__":
    main()
