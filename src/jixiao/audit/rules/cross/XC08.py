"""XC08 基础数据表年度与自评表不一致.

检查：基础数据表标题写明的年度（“2022年度部门整体支出绩效评价基础数据表”中的 2022），
与同一报告中各绩效自评表标题写明的年度都不相同。标题没有写年度的表不比较；报告中没有
写明年度的自评表时不检查（报告正文标题的年份可能是撰写年份，不作依据）。

原因：基础数据表反映的是被评价年度的人员和经费情况；年度不一致，多半是沿用了上一年的
表格没有更新，表中的人数、三公经费、项目支出也就不是本年度的数字。

错误示例：报告附“2023年度单位整体支出绩效自评表”，所附基础数据表标题却是“2022年度
单位整体支出绩效评价基础数据表”。

正确示例：“2023年度单位整体支出绩效自评表”与“2023年度单位整体支出绩效评价基础数据表”。

选项：无。
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Rule
from jixiao.audit.rules.cross._basic import title_year
from jixiao.model import Evaluation


class XC08(Rule):
    code = "XC08"
    name = "cross.basic-data-year"
    title = "基础数据表年度与自评表不一致"
    actual_label = "基础数据表年度"
    expected_label = "自评表年度"
    severity = Severity.WARNING
    scope = "report"
    message = "基础数据表标题为“{form}”（{actual} 年），而本报告的绩效自评表为 {expected} 年度"
    advice = "核对基础数据表是否为被评价年度的数据，更正标题年度或换用本年度的基础数据表"

    def check(self, context: Context) -> Iterator[Finding]:
        if context.report is None:
            return
        years = sorted({y for e in _all(context.report.evaluations) if (y := title_year(e.title))})
        if not years:
            return
        for data in context.report.basic_data:
            # Only a title that names the form: a stray caption is no evidence of a year.
            year = title_year(data.title) if "基础数据" in (data.title or "") else None
            if year is None or year in years:
                continue
            yield self.finding(
                context,
                field="basic_data.year",
                expected="、".join(str(y) for y in years),
                actual=str(year),
                form=data.title,
                source=data.source,
            )


def _all(evaluations: tuple[Evaluation, ...]) -> Iterator[Evaluation]:
    for evaluation in evaluations:
        yield evaluation
        yield from _all(evaluation.children)
