"""Field-level accuracy of what the parser read against a hand-written gold.

Both sides are evaluation documents in the contract's shape (plain data). Each is flattened
into fields (header, funds figures, every funds row's figures, goals, declared weights, every
indicator's cells, total, grade); tables, funds rows and indicators are first paired up in
order by their names (a parser that finds one row too many or too few loses only that row,
not every row after it). Then, per field:

- gold has a value and the parser read the same → a true positive;
- gold has a value the parser missed or read differently → a false negative (and, when the
  parser put another value there, also a false positive);
- gold is blank and the parser read something → a false positive.

Text is compared without blanks (a reader may join a cell's lines differently); numbers as
``Decimal`` (``25.30`` equals ``25.3``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from jixiao.ingest.forms.spelling import PINYIN
from jixiao.loading import load_data

REAL = Path(__file__).resolve().parent / "real"
HEADER = ("kind", "title", "name", "department", "implementer", "year")
FUNDS = ("initial_budget", "annual_budget", "executed", "weight", "rate", "score")
ROW = ("label", *FUNDS, "group", "amount")
INDICATOR = ("level1", "level2", "name", "target", "actual", "weight", "score", "deviation")


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.misses.extend(other.misses)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _norm(value: Any) -> Any:
    if value is None or value == "" or value == {}:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value)).normalize()
    if isinstance(value, str):  # pinyin glosses ("區(qū)") are extraction noise
        return PINYIN.sub("", "".join(value.split()))
    return value


def _compare(tally: Tally, where: str, got: Any, want: Any) -> None:
    got, want = _norm(got), _norm(want)
    if want is not None and got == want:
        tally.tp += 1
        return
    if want is not None:
        tally.fn += 1
    if got is not None:
        tally.fp += 1
    if got != want:
        tally.misses.append(f"{where}: read {got!r}, gold {want!r}")


def _pair(
    got: Sequence[dict[str, Any]], want: Sequence[dict[str, Any]], name: Callable[[Any], str]
) -> list[tuple[dict[str, Any] | None, dict[str, Any] | None]]:
    """Items of both lists paired in order by their names; unmatched ones paired with None."""
    matcher = SequenceMatcher(None, [name(x) for x in got], [name(x) for x in want], False)
    out: list[tuple[dict[str, Any] | None, dict[str, Any] | None]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            out.extend(zip(got[i1:i2], want[j1:j2], strict=True))
        else:
            out.extend((g, None) for g in got[i1:i2])
            out.extend((None, w) for w in want[j1:j2])
    return out


def _fields(
    tally: Tally, where: str, got: dict[str, Any] | None, want: dict[str, Any] | None,
    keys: Iterable[str],
) -> None:  # fmt: skip
    for k in keys:
        _compare(tally, f"{where}.{k}", (got or {}).get(k), (want or {}).get(k))


def _is_breakdown(row: dict[str, Any]) -> bool:
    """A breakdown row: a group or an amount, a column heading, or a "label:" cell."""
    label = _norm(row.get("label")) or ""
    return (
        row.get("group") is not None
        or row.get("amount") is not None
        or bool(_HEADING.fullmatch(label))
        or label.endswith((":", "："))
    )


_HEADING = re.compile(r"按\S{2,6}分[:：]?")  # "按收入性质分": the heading of a breakdown column
_OF_WHICH = re.compile(r"^其中[:：]?|[:：]$")


def _columns(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in rows if not _is_breakdown(r)]


def _breakdown(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """A department table's 按收入性质分 / 按支出性质分 rows, compared by group and label: the
    two columns come out of the text interleaved or one after the other, a first label with
    its "其中:" or without, a column's heading as a row or not (unless it carries the column's
    total; it is then its own group) — all the same reading."""
    kept = []
    for row in rows:
        label = _OF_WHICH.sub("", _norm(row.get("label")) or "")
        heading = bool(_HEADING.fullmatch(label))
        if not _is_breakdown(row) or (heading and row.get("amount") is None):
            continue
        kept.append(
            {**row, "label": label, "group": row.get("group") or (label if heading else None)}
        )
    return sorted(kept, key=lambda r: r.get("group") or "")


def _breakdown_key(row: dict[str, Any]) -> str:
    return f"{row.get('group') or ''}/{row['label']}"


def compare_evaluation(
    got: dict[str, Any] | None, want: dict[str, Any] | None, where: str
) -> Tally:
    tally = Tally()
    got, want = got or {}, want or {}
    _fields(tally, where, got, want, HEADER)
    _fields(tally, f"{where}.funds", got.get("funds"), want.get("funds"), FUNDS)
    got_rows = (got.get("funds") or {}).get("rows") or []
    want_rows = (want.get("funds") or {}).get("rows") or []
    rows = _pair(_columns(got_rows), _columns(want_rows), lambda r: _norm(r.get("label")) or "")
    rows += _pair(_breakdown(got_rows), _breakdown(want_rows), _breakdown_key)
    for i, (g, w) in enumerate(rows):
        _fields(tally, f"{where}.funds.rows[{i}]", g, w, ROW)
    _fields(tally, f"{where}.goals", got.get("goals"), want.get("goals"), ("expected", "actual"))
    declared = set(got.get("level1_weights") or {}) | set(want.get("level1_weights") or {})
    _fields(
        tally, f"{where}.level1_weights", got.get("level1_weights"),
        want.get("level1_weights"), sorted(declared),
    )  # fmt: skip
    indicators = _pair(
        got.get("indicators") or [],
        want.get("indicators") or [],
        lambda ind: _norm(ind.get("name")) or _norm(ind.get("target")) or "",
    )
    for i, (g, w) in enumerate(indicators):
        _fields(tally, f"{where}.indicators[{i}]", g, w, INDICATOR)
    _fields(tally, f"{where}.total", got.get("total"), want.get("total"), ("weight", "score"))
    _compare(tally, f"{where}.grade", got.get("grade"), want.get("grade"))
    return tally


def compare_document(got: Sequence[dict[str, Any]], want: Sequence[dict[str, Any]]) -> Tally:
    """All the evaluations of one document (flat, in order) against its gold."""
    tally = Tally()
    pairs = _pair(got, want, lambda e: _norm(e.get("name")) or _norm(e.get("title")) or "")
    for i, (g, w) in enumerate(pairs):
        tally.add(compare_evaluation(g, w, f"表{i + 1}"))
    return tally


@dataclass(frozen=True)
class GoldDocument:
    path: Path  # the document to read
    family: tuple[str, ...]
    fmt: str
    evaluations: list[dict[str, Any]]
    province: str | None = None


def real_corpus(folder: Path = REAL) -> list[GoldDocument]:
    """The excerpts of ``tests/corpus/real`` with their gold."""
    out: list[GoldDocument] = []
    for gold in sorted(folder.glob("*.gold.yaml")):
        data = load_data(gold).data  # numbers as Decimal, as the model holds them
        excerpt = gold.with_name(gold.name.removesuffix(".gold.yaml") + ".txt")
        out.append(
            GoldDocument(
                excerpt,
                tuple(data["families"] or ()),
                "txt",
                data["evaluations"] or [],
                data.get("province"),
            )
        )
    return out


def read_evaluations(path: Path) -> list[dict[str, Any]]:
    """What jixiao reads from a document: its evaluations, flat, as plain data."""
    from jixiao.document import evaluation_to_data
    from jixiao.ingest import parse_file

    parsed = parse_file(path)
    if parsed.report is None:
        return []
    return [
        evaluation_to_data(e, sources=False)
        for top in parsed.report.evaluations
        for e in top.walk()
    ]


def measure(document: GoldDocument) -> Tally:
    return compare_document(read_evaluations(document.path), document.evaluations)


# The seed reports and their hand transcriptions (the bundled samples): (report, samples).
SEED_GOLD = (
    ("000", ("zhuzhou-2022-keji-zhuanxiang",)),
    ("001", ("lusong-2023-department",)),
    ("003", ("zhuzhou-2020-tech-center",)),
    ("004", ("yueyang-2024-department", "yueyang-2024-project")),
)


def seed_corpus() -> list[GoldDocument]:
    """The five seeds' self-evaluation tables against the samples transcribed from them."""
    from jixiao.document import evaluation_to_data, load_evaluation

    samples = Path(__file__).resolve().parents[2] / "src" / "jixiao" / "samples"
    out: list[GoldDocument] = []
    for number, names in SEED_GOLD:
        report = next((samples / "reports").glob(f"{number}_*.txt"))
        evaluations = [
            evaluation_to_data(e, sources=False)
            for name in names
            for e in load_evaluation(samples / f"{name}.yaml").walk()
        ]
        for evaluation in evaluations:
            pushed_back(evaluation)
        out.append(GoldDocument(report, ("seeds",), "txt", evaluations))
    return out


def pushed_back(evaluation: dict[str, Any]) -> None:
    """The one repair the parser makes and says so: a score written in the explanation
    column (a seed's row) read as the score."""
    for indicator in evaluation["indicators"]:
        pushed = indicator["deviation"]
        if indicator["score"] is None and pushed and str(pushed).isdigit():
            indicator["score"], indicator["deviation"] = Decimal(pushed), None


def by_group(
    documents: Iterable[GoldDocument], groups: Callable[[GoldDocument], Iterable[str]]
) -> dict[str, Tally]:
    """Tallies summed per group (a document may be in several: its families)."""
    out: dict[str, Tally] = {}
    for document in documents:
        tally = measure(document)
        for group in groups(document):
            out.setdefault(group, Tally()).add(tally)
    return out
