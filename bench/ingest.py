"""Ingestion speed: documents per second per format, beside the bare library open time.

Builds a directory of mixed documents (the five seed reports as text; seed 004's project
table laid out as the official form in docx, xlsx and html, and converted to pdf by
LibreOffice when it is installed), then, on 2 worker processes, times for each format:
- ``jixiao``: ``parse_file`` (read + recognise), what ``jixiao parse`` does per file;
- ``library``: only opening the same files with the underlying library, the way our
  reader calls it (decode the text; python-docx ``Document``; openpyxl ``load_workbook``
  in read-only mode, every row streamed; lxml parse; pdfplumber open and extract each
  page's text).
Medians over --repeat runs; our overhead = jixiao / library − 1. Goals (README): txt, docx,
xlsx and html at least 50 documents per second; overhead under 50 %; pdf per page.

    python bench/ingest.py [--copies 60] [--repeat 3] [--workers 2]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import office_docs  # noqa: E402

from jixiao.ingest import parse_file  # noqa: E402


def open_only(path: Path) -> int:
    """Open with the library alone; returns pages (1 for non-PDF)."""
    suffix = path.suffix
    if suffix == ".txt":
        path.read_bytes().decode("utf-8-sig")
    elif suffix == ".docx":
        import docx

        docx.Document(str(path))
    elif suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, data_only=True, read_only=True)
        for sheet in book.worksheets:
            for _ in sheet.iter_rows():
                pass
        book.close()
    elif suffix == ".html":
        import lxml.html

        lxml.html.document_fromstring(path.read_bytes())
    elif suffix == ".pdf":
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
            return len(pdf.pages)
    return 1


def parse_only(path: Path) -> int:
    parsed = parse_file(path)
    assert not parsed.errors, (path, parsed.errors)
    return 1


def build(folder: Path, copies: int) -> dict[str, list[Path]]:
    sources: dict[str, Path] = {
        "docx": office_docs.build_docx(folder / "src.docx"),
        "xlsx": office_docs.build_xlsx(folder / "src.xlsx"),
        "html": office_docs.build_html(folder / "src.html"),
    }
    if office_docs.libreoffice():
        out = folder / "pdf"
        out.mkdir()
        sources["pdf"] = office_docs.convert(sources["docx"], "pdf", out)
    seeds = sorted((ROOT / "src" / "jixiao" / "samples" / "reports").glob("*.txt"))
    files: dict[str, list[Path]] = {"txt": []}
    for i in range(copies):
        seed = seeds[i % len(seeds)]
        target = folder / f"seed{i}.txt"
        shutil.copy(seed, target)
        files["txt"].append(target)
    for kind, source in sources.items():
        files[kind] = []
        for i in range(copies):
            target = folder / f"{kind}{i}.{kind}"
            shutil.copy(source, target)
            files[kind].append(target)
    return files


def warm_up() -> None:
    """Import every library in each worker before timing (start-up is not per document)."""
    import docx  # noqa: F401
    import lxml.html  # noqa: F401
    import openpyxl  # noqa: F401
    import pdfplumber  # noqa: F401

    import jixiao.ingest.readers.docx
    import jixiao.ingest.readers.html
    import jixiao.ingest.readers.pdf
    import jixiao.ingest.readers.xlsx  # noqa: F401


def timed(pool: ProcessPoolExecutor, work: object, paths: list[Path]) -> tuple[float, int]:
    started = time.perf_counter()
    units = sum(pool.map(work, paths, chunksize=2))  # type: ignore[arg-type]
    return time.perf_counter() - started, units


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    try:
        files = build(folder, args.copies)
        total = sum(len(v) for v in files.values())
        print(f"{total} documents, {args.workers} workers, medians of {args.repeat} runs")
        print(
            f"{'format':<7}{'jixiao docs/s':>14}{'library docs/s':>16}{'overhead':>10}"
            f"{'pages/s':>9}"
        )
        pool = ProcessPoolExecutor(args.workers, initializer=warm_up)
        list(pool.map(open_only, [paths[0] for paths in files.values()] * args.workers))
        for kind, paths in files.items():
            ours, lib, pages = [], [], 0
            for _ in range(args.repeat):
                ours.append(timed(pool, parse_only, paths)[0])
                seconds, pages = timed(pool, open_only, paths)
                lib.append(seconds)
            t_ours, t_lib = statistics.median(ours), statistics.median(lib)
            per_page = f"{pages / t_ours:>9.1f}" if kind == "pdf" else f"{'':>9}"
            print(
                f"{kind:<7}{len(paths) / t_ours:>14.1f}{len(paths) / t_lib:>16.1f}"
                f"{t_ours / t_lib - 1:>10.0%}{per_page}"
            )
        pool.shutdown()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
