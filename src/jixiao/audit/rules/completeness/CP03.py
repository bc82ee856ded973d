"""CP03 缺少必需的一级指标.

What: a 一级指标 the scoring scheme marks as required (national scheme: 产出指标,
效益指标, 满意度指标) has no 三级指标 in the table. An indicator counts for a category by
its 一级 name (or the scheme's aliases), or by its 二级 name when the 一级 cell is blank.

Why: the national rule asks every table to measure outputs, effects and the satisfaction
of those served; a table without 满意度指标 leaves out the users' voice, and the weight
meant for it ends up elsewhere.

Bad: a table with 产出指标 and 效益指标 rows only (no 服务对象满意度指标).

Good: 产出指标、效益指标 and 满意度指标 each with at least one 三级指标.

Options: none (which categories are required is set in the scheme: ``required``).
A table with no indicator at all is not reported here, one category at a time.
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Rule
from jixiao.scoring.scheme import clean_category


class CP03(Rule):
    code = "CP03"
    name = "completeness.level1"
    title = "缺少必需的一级指标"
    severity = Severity.WARNING
    message = "评分方案（{scheme}）要求设置{level1}（{weight}分），但表中没有该类指标"
    advice = "补设{level1}及其三级指标（如{level2}），并相应调整其他指标的分值"

    def check(self, context: Context) -> Iterator[Finding]:
        assert context.checked is not None
        scheme = context.checked.scheme
        indicators = context.checked.evaluation.indicators
        if not indicators:
            return
        present: set[str] = set()
        for indicator in indicators:
            spec = scheme.level1_spec(indicator.level1)
            if spec is None and not indicator.level1:
                level2 = clean_category(indicator.level2 or "")
                spec = next((s for s in scheme.level1 if level2 and level2 in s.level2), None)
            if spec is not None:
                present.add(spec.name)
        for spec in scheme.level1:
            if not spec.required or spec.name in present:
                continue
            yield self.finding(
                context,
                field="indicators.level1",
                expected=spec.name,
                level1=spec.name,
                weight=spec.weight,
                level2="、".join(spec.level2) or spec.name,
                scheme=scheme.title,
            )
