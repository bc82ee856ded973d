"""Rendering time of one 20-indicator self-evaluation as the official forms.

Renders the same evaluation to a file in a temporary folder and reports, in ms per
evaluation: the first (cold) call of each renderer in this process (imports, the Word
template, matplotlib and its fonts), then the median and fastest of --repeat runs after
a warm-up: the Excel workbook (live formulas, cached values written in), the Word report
without charts, and the Word report with its charts (drawn anew on every run). Ratios: each
median against the goal, and the charts' share of the Word report. Goal (issue 5): xlsx +
docx (the forms, without charts) under 100 ms per evaluation.
Then pdf: --batch Word reports (charts included) converted by one LibreOffice process
(``convert_batch``), start-up included, against a batch of one: ms per document.

    python bench/render.py [--indicators 20] [--repeat 30] [--batch 20]
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from jixiao.model import FundsRow, Goals, Report
from jixiao.render.xlsx import render_xlsx
from jixiao.service import Service
from province import province

ORDER = ("产出指标", "效益指标", "满意度指标")


def report(indicators: int) -> Report:
    """A project table as units fill it: funds rows, goals, indicators grouped by 一级."""
    (evaluation,) = province(1, indicators)
    funds = evaluation.funds
    rows = (
        FundsRow(
            "年度资金总额", funds.annual_budget, funds.annual_budget, funds.executed, Decimal(10)
        ),
        FundsRow("其中：当年财政拨款", funds.annual_budget, funds.annual_budget, funds.executed),
        FundsRow("上年结转资金"),
    )
    items = sorted(evaluation.indicators, key=lambda i: ORDER.index(i.level1 or "产出指标"))
    evaluation = dataclasses.replace(
        evaluation,
        kind="project",
        title="2024年度项目支出绩效自评表",
        year=2024,
        department="某市科学技术局",
        implementer="某市科学技术局",
        funds=dataclasses.replace(funds, initial_budget=funds.annual_budget, rows=rows),
        goals=Goals("完成年度科技创新平台建设任务，" * 4, "全面完成年度目标，" * 5),
        indicators=tuple(items),
        level1_weights={
            "产出指标": Decimal(50),
            "效益指标": Decimal(30),
            "满意度指标": Decimal(10),
        },
    )
    return Report(evaluations=(evaluation,))


GOAL_MS = 100.0


def once(work: Callable[[], None]) -> float:
    t0 = time.perf_counter()
    work()
    return (time.perf_counter() - t0) * 1000


def timed(work: Callable[[], None], repeat: int) -> list[float]:
    work()  # warm: imports, font tables, caches
    return [once(work) for _ in range(repeat)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--indicators", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--batch", type=int, default=20, help="documents per pdf batch (0: skip)")
    args = parser.parse_args()
    subject = report(args.indicators)
    service = Service()
    scores = [service.score(e) for e in subject.evaluations]
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as folder:
        out = Path(folder)

        def xlsx() -> None:
            render_xlsx(subject, out / "form.xlsx", scheme_for=service.scheme_for)

        def docx(charts: bool) -> Callable[[], None]:
            def work() -> None:
                from jixiao.render.docx import render_docx

                render_docx(subject, out / "report.docx", scores=scores, charts=charts)

            return work

        works = {"xlsx": xlsx, "docx, no charts": docx(False), "docx, charts": docx(True)}
        cold = {label: once(work) for label, work in works.items()}
        runs = {label: timed(work, args.repeat) for label, work in works.items()}
        pdf = pdf_batches(subject, scores, out, args.batch) if args.batch else None
    median = {label: statistics.median(values) for label, values in runs.items()}
    print(f"one evaluation, {args.indicators} indicators, median of {args.repeat} runs each")
    print(f"{'':<18}{'cold ms':>10}{'median ms':>12}{'fastest ms':>12}{'/ goal':>9}")
    for label, values in runs.items():
        print(
            f"{label:<18}{cold[label]:>10.1f}{median[label]:>12.1f}{min(values):>12.1f}"
            f"{median[label] / GOAL_MS:>9.2f}"
        )
    forms = median["xlsx"] + median["docx, no charts"]
    charts = median["docx, charts"] - median["docx, no charts"]
    print(
        f"charts: {charts:.1f} ms, {median['docx, charts'] / median['docx, no charts']:.1f}x "
        "the report without them"
    )
    print(
        f"goal: xlsx + docx (no charts) < {GOAL_MS:.0f} ms -> {forms:.1f} ms "
        f"({forms / GOAL_MS:.2f} of it), {'met' if forms < GOAL_MS else 'NOT met'}; "
        f"with charts {median['xlsx'] + median['docx, charts']:.1f} ms"
    )
    if pdf is None:
        print("pdf: LibreOffice not found, skipped")
    elif pdf:
        one, many = pdf
        print(
            f"pdf through one LibreOffice run (start-up included): batch of 1 {one:.0f} ms; "
            f"batch of {args.batch} {many:.0f} ms per document ({one / many:.1f}x faster)"
        )


def pdf_batches(
    subject: Report, scores: list[Any], out: Path, size: int
) -> tuple[float, float] | None:
    """ms per document converting one Word report alone, and ``size`` of them at once."""
    from jixiao.render.docx import render_docx
    from jixiao.render.pdf import convert_batch, find_soffice

    if find_soffice() is None:
        return None
    words = []
    for number in range(size):
        path = out / f"report-{number}.docx"
        render_docx(subject, path, scores=scores, charts=True)
        words.append(path)
    alone = once(lambda: convert_batch(words[:1], out / "pdf-1"))
    together = once(lambda: convert_batch(words, out / "pdf-n")) / size
    return alone, together


if __name__ == "__main__":
    main()
