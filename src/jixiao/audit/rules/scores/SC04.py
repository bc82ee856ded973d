"""SC04 得分与评分方法不符.

检查：三级指标填写的得分，与按评分方案的评分方法、由其年度指标值和实际完成值算出的得分不符，
按得分填写的精度比较。比较的对象是一个确定的分数（正向、反向、复合指标：分值 × 实际 ÷ 目
标……），或者对逾期完成的时效指标，是“未达成”档的分数范围。只在评分方法能够判定时检查。以下情
形交由其他规则：得分高于分值（SC01）、未完成目标却得满分（SC05）、定性指标的档次（SC06）。

原因：全国通用的评分方法（财预〔2020〕10号）对未完成的目标按完成比例计分；表中多扣或少扣了
分，又不说明依据，就是没有按评分方法打分，总分和等级也随之失真。

错误示例：全社会研发投入强度 目标 3.20%，实际 3.04%，分值 5，得分 3（按评分方法为 5 × 3.04 ÷
3.20 = 4.75），且未说明为何扣 2 分。

正确示例：奖励企业 目标 10家，实际 8家，分值 10，得分 8（样本报告 003）；或者得分 3，并在偏
差原因分析中写明“按每低 0.1 个百分点扣 1 分”（写明了本地的扣分依据）。

选项：`tolerance`：允许的误差（分），默认 0；`stated_basis`：偏差说明中出现这些表述（正则表
达式）时，视为单位写明了自己的扣分规则，可以比评分方法扣得多（默认“每……扣……”“按……办法/标准/
细则/规定……扣”；只写“扣2分”不算写明了规则），这样的较低得分不报告。得分高于评分方法的结果时
一律报告。
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
