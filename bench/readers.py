"""Reading at the floor: jixiao's readers beside the libraries they stand on, on real reports.

The documents are the sample reports as jixiao renders them (the whole self-evaluation
report in Word, every table in Excel, and the Word report converted to PDF by LibreOffice
when it is installed): what units send in. For each file, in one interleaved run (each
round times every reader on every file in turn, so that the load of a shared machine falls
on all of them alike), the time of
- ``jixiao``: the reader alone (``read_docx`` / ``read_xlsx`` / ``read_pdf``: the file to
  its paragraphs and tables with their sources, before recognition);
- the alternatives: python-docx ``Document()`` (opening only); openpyxl ``load_workbook``
  in read-only mode with every row streamed; python-calamine (``pip install
  python-calamine``; every sheet to Python values; skipped when missing); pdfplumber (each
  page's text) and pypdfium2 (each page's text).
Reported: the median CPU time (of this process: other processes on the shared machine do
not count in it) per file and reader, and the median of the per-round ratios jixiao ÷
alternative. Goals (issue 16): docx within 1.5× python-docx's open, xlsx within 1.3×
openpyxl read-only.

    python bench/readers.py [--rounds 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jixiao import libreoffice  # noqa: E402
from jixiao.ingest.readers.docx import read_docx  # noqa: E402
from jixiao.ingest.readers.pdf import read_pdf  # noqa: E402
from jixiao.ingest.readers.xlsx import read_xlsx  # noqa: E402
from jixiao.service import Service  # noqa: E402
from jixiao.service.render import render_file  # noqa: E402

SAMPLES = ROOT / "src" / "jixiao" / "samples" / "reports"
Reader = Callable[[Path], object]


def python_docx(path: Path) -> None:
    import docx

    docx.Document(str(path))


def openpyxl_read_only(path: Path) -> None:
    import openpyxl

    book = openpyxl.load_workbook(path, data_only=True, read_only=True)
    for sheet in book.worksheets:
        for _ in sheet.iter_rows():
            pass
    book.close()


def calamine(path: Path) -> None:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()


def pdfplumber_text(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()


def pypdfium2_text(path: Path) -> None:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    for index in range(len(document)):
        page = document[index]
        textpage = page.get_textpage()
        textpage.get_text_range()
        textpage.close()
        page.close()
    document.close()


def _has(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


READERS: dict[str, dict[str, Reader]] = {
    "docx": {"jixiao": read_docx, "python-docx Document()": python_docx},
    "xlsx": {
        "jixiao": read_xlsx,
        "openpyxl read-only": openpyxl_read_only,
        **({"python-calamine": calamine} if _has("python_calamine") else {}),
    },
    "pdf": {
        "jixiao": read_pdf,
        "pdfplumber text": pdfplumber_text,
        "pypdfium2 text": pypdfium2_text,
    },
}


def build(folder: Path) -> dict[str, list[Path]]:
    """The sample reports rendered as units send them: docx, xlsx and (LibreOffice) pdf."""
    service = Service()
    formats = ("docx", "xlsx", "pdf") if libreoffice.find_soffice() else ("docx", "xlsx")
    files: dict[str, list[Path]] = {fmt: [] for fmt in formats}
    for sample in sorted(SAMPLES.glob("*.txt")):
        stem = sample.stem.split("_")[0]
        if stem == "002":
            continue  # a report with no self-evaluation table: nothing to render
        for fmt in formats:
            target, _ = render_file(service, sample, fmt, str(folder / f"{stem}.{fmt}"))
            files[fmt].append(Path(target))
    return files


def _time(reader: Reader, path: Path) -> float:
    """CPU time of this process: other processes on a shared machine do not count in it
    (they still cost caches; hence the interleaving and the medians)."""
    started = time.process_time()
    reader(path)
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jixiao-readers-") as tmp:
        files = build(Path(tmp))
        load = os.getloadavg()[0]
        print(f"{os.cpu_count()} cores, load {load:.1f}; medians of {args.rounds} rounds")
        print("| file | pages | reader | ms | jixiao ÷ reader |")
        print("| --- | --- | --- | --- | --- |")
        for kind, paths in files.items():
            readers = READERS[kind]
            for path in paths:
                for reader in readers.values():
                    reader(path)  # warm: imports, caches
                times: dict[str, list[float]] = {name: [] for name in readers}
                for _ in range(args.rounds):
                    for name, reader in readers.items():
                        times[name].append(_time(reader, path))
                ours = times["jixiao"]
                pages = getattr(read_pdf(path), "pages", None) if kind == "pdf" else None
                for name, spent in times.items():
                    ratio = statistics.median(o / t for o, t in zip(ours, spent, strict=True))
                    shown = "" if name == "jixiao" else f"{ratio:.2f}×"
                    print(
                        f"| {path.name} | {pages or ''} | {name} | "
                        f"{statistics.median(spent) * 1000:.1f} | {shown} |"
                    )
        print(f"load after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
