"""Rendering time of one 20-indicator self-evaluation as the official forms.

Renders the same evaluation --repeat times to a file in a temporary folder and reports the
median and the fastest run in ms per evaluation: the Excel workbook (live formulas, cached
values written in), and, when ``jixiao.render.docx`` exists, the Word form with and
without its charts. Goal (task): xlsx + docx under 100 ms per evaluation.

    python bench/render.py [--indicators 20] [--repeat 50]
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

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


def timed(work: Callable[[], None], repeat: int) -> list[float]:
    work()  # warm: imports, font tables, caches
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        work()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--indicators", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    subject = report(args.indicators)
    service = Service()
    runs: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as folder:
        out = Path(folder)
        runs["xlsx"] = timed(
            lambda: render_xlsx(subject, out / "form.xlsx", scheme_for=service.scheme_for),
            args.repeat,
        )
        if importlib.util.find_spec("jixiao.render.docx") is not None:
            from jixiao.render.docx import render_docx

            scores = [service.score(e) for e in subject.evaluations]
            runs["docx"] = timed(
                lambda: render_docx(subject, out / "form.docx", scores=scores), args.repeat
            )
            runs["docx, no charts"] = timed(
                lambda: render_docx(subject, out / "plain.docx", scores=scores, charts=False),
                args.repeat,
            )
    print(f"one evaluation, {args.indicators} indicators, {args.repeat} runs each")
    print(f"{'format':<18}{'median ms':>12}{'fastest ms':>12}")
    for label, values in runs.items():
        print(f"{label:<18}{statistics.median(values):>12.1f}{min(values):>12.1f}")
    total = statistics.median(runs["xlsx"])
    if "docx" in runs:
        total += statistics.median(runs["docx"])
        print(
            f"goal: xlsx + docx < 100 ms -> {total:.1f} ms, {'met' if total < 100 else 'NOT met'}"
        )
    else:
        print(f"docx renderer not present; xlsx alone {total:.1f} ms")


if __name__ == "__main__":
    main()
