"""SC04 得分与评分方法不符.

What: an indicator's written score differs from the score the scheme's method gives for
its target and actual, compared at the precision it was written with: a point score
(正向 / 反向 / 复合: 分值 × 实际 ÷ 目标 …) or, for a late 时效 indicator, the range of the
"未达成" tier. Only where the method can decide. Left to other rules: a score above the
weight (SC01), a missed target scored in full (SC05), qualitative tiers (SC06).

Why: the national method (财预〔2020〕10号) scores a missed target in proportion to what
was achieved; a table that deducts more, or less, without saying on what basis is not
using the method, and the total and grade move with it.

Bad: 全社会研发投入强度 目标 3.20%，实际 3.04%，分值 5，得分 3 (the method gives
5 × 3.04 ÷ 3.20 = 4.75), with no word on why 2 points were deducted.

Good: 奖励企业 目标 10家，实际 8家，分值 10，得分 8 (seed 003); or 得分 3 with
"按每低 0.1 个百分点扣 1 分" in 偏差原因分析 (a stated local basis).

Options: ``tolerance`` — a difference up to this many points is accepted (default 0);
``stated_basis`` — patterns (regular expressions) that, found in the deviation text, mean
the unit states its own rule for deducting more than the method (default: "每…扣…",
"按…办法/标准/细则/规定…扣"; a bare "扣2分" states no rule); such a lower score is not
reported. A score above the method's is always reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Option, Rule, show
from jixiao.audit.rules.scores._common import within
from jixiao.scoring import Rule as Method

# A stated rule of deduction, not just "扣2分": "每低0.1个百分点扣1分", "按考核办法扣…".
STATED_BASIS = (r"每[^，。；]{0,12}扣", r"按[^，。；]{0,20}(办法|标准|细则|规定)[^，。；]{0,10}扣")


class SC04(Rule):
    code = "SC04"
    name = "scores.method"
    title = "得分与评分方法不符"
    severity = Severity.ERROR
    message = "“{name}”得分填写为 {actual}，按评分方法{should}（{explanation}）"
    advice = "按评分方法重新打分；如采用本地的扣分办法，请在偏差原因分析中写明扣分依据"
    options = (
        Option("tolerance", Decimal(0), "允许的误差（分）"),
        Option("stated_basis", STATED_BASIS, "偏差说明中表示已写明扣分依据的表述（正则表达式）"),
    )

    def check(self, context: Context) -> Iterator[Finding]:
        assert context.checked is not None
        tolerance = Decimal(str(context.options["tolerance"]))
        basis = [re.compile(pattern) for pattern in context.options["stated_basis"]]
        for scored in context.checked.score.indicators:
            indicator = scored.indicator
            written, weight = indicator.score, indicator.weight
            low, high = scored.low, scored.high
            if written is None or weight is None or low is None or high is None:
                continue
            if written > weight or scored.rule is Method.QUALITATIVE:
                continue  # SC01, SC06
            if written == weight and high < weight:
                continue  # SC05
            if within(written, low, high, tolerance):
                continue
            deviation = indicator.deviation or ""
            if written < low and any(p.search(deviation) for p in basis):
                continue
            point = low == high
            yield self.finding(
                context,
                indicator=indicator,
                field="score",
                expected=low if point else f"{show(low)}–{show(high)}",
                actual=written,
                should=f"应为 {show(low)}" if point else f"应在 {show(low)}–{show(high)} 分之间",
                explanation=scored.explanation,
            )
