"""SC02 总分与各项得分之和不符.

What: the 总分 row's score differs from the execution score plus the sum of the indicator
scores, compared at the precision the total was written with. The execution score is the
one written in the funds block, or the recomputed one when it is blank (a blank execution
score is reported by the funds rules); an indicator with a blank score counts 0.

Why: the total decides the grade and is what the finance bureau ranks units by; a total
that is not the sum of its parts was typed, not added up.

Bad: 执行得分 9.26，指标得分合计 85，总分 96 (should be 94.26).

Good: 执行得分 9.26，指标得分合计 85，总分 94.26 (or 94.3, or 94, at the written precision);
seed 000: no execution score written (recomputed 10), indicators 88, 总分 98.

Options: ``tolerance`` — a difference up to this many points is accepted (default 0).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.precision import agrees
from jixiao.audit.rule import Context, Option, Rule
from jixiao.audit.rules.scores._common import blank_note, table_sum


class SC02(Rule):
    code = "SC02"
    name = "scores.total-sum"
    title = "总分与各项得分之和不符"
    severity = Severity.ERROR
    message = (
        "总分填写为 {actual}，但{funds_label} {funds} 加各指标得分合计 {indicators}"
        " 应为 {expected}{blanks}"
    )
    advice = "总分 = 执行得分 + 各三级指标得分之和：重新相加后填写总分"
    options = (Option("tolerance", Decimal(0), "允许的误差（分）"),)

    def check(self, context: Context) -> Iterator[Finding]:
        assert context.checked is not None
        total = context.checked.evaluation.total
        if total.score is None:
            return
        summed = table_sum(context.checked)
        if summed is None:
            return
        tolerance = Decimal(str(context.options["tolerance"]))
        if agrees(total.score, summed.total, tolerance):
            return
        yield self.finding(
            context,
            field="total.score",
            expected=summed.total,
            actual=total.score,
            funds_label="执行得分" if summed.funds_written else "复算的执行得分",
            funds=summed.funds,
            indicators=summed.indicators,
            blanks=blank_note(summed.blanks),
        )
