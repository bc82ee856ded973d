"""Field accuracy of reading: precision, recall and F1 per layout family and per format.

Three sets of documents, each against a gold written by hand (never by jixiao):
- the real corpus (``tests/corpus/real``): excerpts of self-evaluation tables published by
  units across China, as web pages give them;
- the five seed reports against the samples transcribed from them;
- office documents (docx, xlsx, html, pdf) built in each layout family from the samples
  (``tests/layout_docs.py``; pdf only when LibreOffice is installed), the pdf also printed
  without borders (pdf-borderless) and with horizontal rules only (pdf-rules);
- the seed tables themselves printed the same two ways (borderless PDFs).
A field is one value of the evaluation document (a header field, a funds figure, one cell of
an indicator row, the total, the grade); see ``tests/corpus/score.py`` for how they are
paired and counted.

    python bench/accuracy.py [--misses] [--no-office] [--no-scans] [--floors]

``--floors`` writes the figures just measured to tests/corpus/floors.yaml, the levels the
tests hold the reading to (not the goals: those are in the README); run it after a change
that reads better, and review the diff.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.corpus.score import (  # noqa: E402
    GoldDocument,
    Tally,
    by_group,
    measure,
    real_corpus,
    seed_corpus,
)

GOALS = {
    "real corpus": 0.97,
    "family": 0.95,
    "seeds": 1.0,
    "office": 0.98,
    "scan-300": 0.95,
    "photo-150": 0.90,
}


def table(title: str, tallies: dict[str, Tally], counts: dict[str, int]) -> None:
    print(f"\n| {title} | documents | fields (gold) | precision | recall | F1 |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name in sorted(tallies, key=lambda n: (n == "all", n)):
        t = tallies[name]
        print(
            f"| {name} | {counts[name]} | {t.tp + t.fn} | {t.precision:.3f} | "
            f"{t.recall:.3f} | {t.f1:.3f} |"
        )


def report(title: str, documents: list[GoldDocument], groups: str) -> dict[str, Tally]:
    def keys(d: GoldDocument) -> list[str]:
        return [*(d.family if groups == "family" else (d.fmt,)), "all"]

    tallies = by_group(documents, keys)
    counts: dict[str, int] = {}
    for d in documents:
        for k in keys(d):
            counts[k] = counts.get(k, 0) + 1
    table(title, tallies, counts)
    return tallies


def office_documents(folder: Path) -> tuple[list[GoldDocument], list[GoldDocument]]:
    """The layout families in every format, and the seed tables as borderless PDFs."""
    try:
        from tests import layout_docs
    except ImportError:
        return [], []
    families, seeds = (
        [GoldDocument(path, (name,), fmt, gold["evaluations"]) for path, name, fmt, gold in built]
        for built in (
            layout_docs.generated_corpus(folder),
            layout_docs.seed_corpus(folder / "seeds"),
        )
    )
    return families, seeds


SCANNED = {"pdf": "", "pdf-borderless": " borderless"}  # office PDFs scanned: row suffix


def scanned_documents(office: list[GoldDocument], folder: Path) -> list[GoldDocument]:
    """The office PDFs of the layout families, ruled and borderless, scanned in each
    variant (none without the ocr extra or pdftoppm)."""
    import importlib.util

    from tests import layout_docs, scan_docs

    if importlib.util.find_spec("rapidocr_onnxruntime") is None or not scan_docs.pdftoppm():
        return []
    return [
        GoldDocument(
            scan_docs.scanned_pdf(d.path, variant, folder / f"{d.path.stem}.{d.fmt}.{variant}.pdf"),
            d.family,
            variant + SCANNED[d.fmt],
            d.evaluations,
        )
        for d in office
        if d.fmt in SCANNED and set(d.family) <= set(layout_docs.FAMILIES)
        for variant in scan_docs.VARIANTS
    ]


def write_floors(real: list[GoldDocument]) -> None:
    import yaml

    families = by_group(real, lambda d: [*d.family, "all"])
    seeds = by_group(seed_corpus(), lambda d: [d.path.name[:3]])
    data = {
        "tables": sum(len(d.evaluations) for d in real),
        "provinces": len({d.province for d in real} - {None}),
        "families": {k: round(t.f1, 3) for k, t in sorted(families.items())},
        "seeds": {k: round(t.f1, 3) for k, t in sorted(seeds.items())},
    }
    head = "# Measured by bench/accuracy.py --floors: the tests hold the reading to these.\n"
    text = head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    (ROOT / "tests" / "corpus" / "floors.yaml").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--misses", action="store_true", help="list every field read wrong")
    parser.add_argument("--no-office", action="store_true", help="skip the office documents")
    parser.add_argument("--no-scans", action="store_true", help="skip the scanned documents")
    parser.add_argument("--floors", action="store_true", help="write tests/corpus/floors.yaml")
    args = parser.parse_args()
    real = real_corpus()
    if args.floors:
        write_floors(real)
    provinces = {d.province for d in real} - {None}  # (central forms name none)
    tables = sum(len(d.evaluations) for d in real)
    print(f"real corpus: {len(real)} excerpts, {tables} tables, {len(provinces)} provinces")
    report("real corpus, by family", real, "family")
    seeds = seed_corpus()
    report("seed reports", seeds, "format")
    office: list[GoldDocument] = []
    with tempfile.TemporaryDirectory(prefix="jixiao-accuracy-") as work:
        if not args.no_office:
            office, printed = office_documents(Path(work))
            if office:
                report("generated office documents, by family", office, "family")
                report("generated office documents, by format", office, "format")
            if printed:
                report("seed tables printed without borders, by format", printed, "format")
            office += printed
        scans = scanned_documents(office, Path(work)) if office and not args.no_scans else []
        if scans:
            report("scanned PDFs read by OCR, by resolution", scans, "format")
        if args.misses:
            for d in [*real, *seeds, *office, *scans]:
                t = measure(d)
                if t.misses:
                    print(f"\n{d.path.name} ({', '.join(d.family)}, {d.fmt}): F1 {t.f1:.3f}")
                    print("\n".join(f"  {m}" for m in t.misses))
    print(f"\ngoals: {GOALS}")


if __name__ == "__main__":
    main()
