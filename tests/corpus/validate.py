"""Check the shape of the corpus's gold files: ``python -m tests.corpus.validate [FILE...]``."""

from __future__ import annotations

import sys
from pathlib import Path

from jixiao.loading import Loaded, LoadError, decode, load_data
from jixiao.model import Evaluation

REAL = Path(__file__).resolve().parent / "real"
FAMILIES = {
    "cells", "tsv", "pipe", "flowed", "split", "no-level1", "process", "transfer", "yuan",
    "ocr", "cut", "department",
}  # fmt: skip
TOP_KEYS = {"province", "year", "families", "evaluations"}


def problems(gold: Path) -> list[str]:
    """What is wrong with one gold file (empty when it is well formed)."""
    out: list[str] = []
    excerpt = gold.with_name(gold.name.removesuffix(".gold.yaml") + ".txt")
    if not excerpt.exists():
        out.append(f"{gold.name}: no excerpt {excerpt.name}")
    elif not excerpt.read_text(encoding="utf-8").split("\n", 1)[0].startswith("http"):
        out.append(f"{excerpt.name}: first line is not the address")
    try:
        loaded = load_data(gold)
    except LoadError as error:
        return [*out, str(error)]
    data = loaded.data
    if not isinstance(data, dict) or set(data) != TOP_KEYS:
        return [*out, f"{gold.name}: top-level keys must be {sorted(TOP_KEYS)}"]
    unknown = set(data["families"] or []) - FAMILIES
    if unknown:
        out.append(f"{gold.name}: unknown families {sorted(unknown)}")
    for i, item in enumerate(data["evaluations"] or []):
        try:
            decode(Evaluation, Loaded(loaded.file, item, {}))
        except LoadError as error:
            out.append(f"{gold.name}: evaluations[{i}]: {error}")
    return out


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or sorted(REAL.glob("*.gold.yaml"))
    found = [p for f in files for p in problems(f)]
    print("\n".join(found) or f"{len(files)} gold files well formed")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
