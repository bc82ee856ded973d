"""The terminal table of ``jixiao score`` (rich): what was written beside what the method gives."""

from __future__ import annotations

import shutil
from decimal import Decimal

from rich.console import Console
from rich.table import Table
from rich.text import Text

from jixiao.scoring import EvaluationScore, IndicatorScore
from jixiao.service import ScoredFile

DASH = "—"


def _num(value: Decimal | None) -> str:
    if value is None:
        return DASH
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _console() -> Console:
    width = max(shutil.get_terminal_size((150, 40)).columns, 120)
    return Console(width=width, highlight=False, soft_wrap=False)


def _score_cell(item: IndicatorScore) -> Text:
    if not item.determined:
        return Text("?", style="yellow")
    shown = _num(item.low) if item.score is not None else f"{_num(item.low)}–{_num(item.high)}"
    expected = item.expected()
    style = "" if expected == item.indicator.score else "bold red"
    return Text(shown, style=style)


def _compare(reported: Decimal | None, recomputed: Decimal | None) -> Text:
    text = f"{_num(reported)} / {_num(recomputed)}"
    differs = reported is not None and recomputed is not None and reported != recomputed
    return Text(text, style="bold red" if differs else "")


def print_scored(scored: ScoredFile, label: str) -> None:
    console = _console()
    for result in scored.score.walk():
        _print_one(console, result, label, scored.scheme.title)


def _print_one(console: Console, result: EvaluationScore, label: str, scheme: str) -> None:
    ev = result.evaluation
    kind = "项目支出" if ev.kind == "project" else "部门整体支出"
    console.print()
    console.rule(Text(f"{ev.name or '（未填名称）'} · {kind} · {ev.year or ''}", style="bold"))
    console.print(f"文件 {label}    评分方案 {scheme}")
    f, rf = ev.funds, result.funds
    amounts = f"全年预算 {_num(f.annual_budget)} 万元，全年执行 {_num(f.executed)} 万元"
    console.print(f"资金：{amounts}，分值 {_num(rf.weight)}")
    console.print(
        Text("执行率 填报/复算 ")
        .append(_compare(f.rate, rf.rate))
        .append("    执行得分 填报/复算 ")
        .append(_compare(f.score, rf.score))
    )
    console.print(Text(rf.explanation, style="dim"))
    table = Table(show_lines=False, header_style="bold", expand=False)
    for name, kwargs in (
        ("一级", {"max_width": 8}),
        ("二级", {"max_width": 10}),
        ("三级指标", {"max_width": 22}),
        ("年度指标值", {"max_width": 22}),
        ("实际完成值", {"max_width": 22}),
        ("分值", {"justify": "right"}),
        ("填报得分", {"justify": "right"}),
        ("复算得分", {"justify": "right"}),
        ("复算说明", {"ratio": 2}),
    ):
        table.add_column(name, overflow="fold", **kwargs)
    previous: tuple[str, str] = ("", "")
    for item in result.indicators:
        ind = item.indicator
        level1, level2 = ind.level1 or "", ind.level2 or ""
        shown1 = "" if level1 == previous[0] else level1  # like the merged cells of the form
        shown2 = "" if (level1, level2) == previous else level2
        previous = (level1, level2)
        table.add_row(
            shown1,
            shown2,
            ind.name or "",
            ind.target or "",
            ind.actual or "",
            _num(ind.weight),
            _num(ind.score),
            _score_cell(item),
            Text(item.explanation, style="dim"),
        )
    console.print(table)
    summary = Text("总分 填报/复算 ").append(_compare(ev.total.score, result.total))
    summary.append(f"    等级 填报/复算 {ev.grade or DASH} / {result.grade or DASH}")
    if result.undetermined:
        summary.append(
            f"    {len(result.undetermined)} 个指标无法判定（计入填报得分）", style="yellow"
        )
    console.print(summary)
