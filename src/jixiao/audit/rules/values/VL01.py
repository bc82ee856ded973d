"""VL01 数量、成本、时效指标没有数值.

What: an indicator under 数量指标, 成本指标 (经济成本指标) or 时效指标 whose 年度指标值 has
no number and no time: the value parser reads it as qualitative ("控制在预算金额内",
"按时完成", "若干家").

Why: these categories measure how many, how much and by when; without a figure the
indicator cannot be scored by the 正向 / 反向 / 时效 formulas and always gets full marks.
A 成本指标 "控制在预算金额内" only restates the funds block (the 执行率 is scored there)
and says nothing about what the output cost: write the amount (总成本 ≤85万元, 每家奖励
10万元).

Bad: 成本指标 成本金额 "控制在预算金额内"; 时效指标 "及时完成".

Good: 成本指标 "每家奖励10万元"; 时效指标 "2024.12.31前", "12个月"; 数量指标 "8家".

Options: ``categories`` — the 二级指标 checked (default 数量指标, 成本指标, 经济成本指标,
时效指标; 社会成本 and 生态环境成本 are often qualitative by nature); ``accepted_words`` —
wording accepted without a figure because it is still checkable (年内, 年底, 季度 for a
deadline; 全覆盖, 全部 for 100 %).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Option, Rule
from jixiao.scoring.scheme import clean_category
from jixiao.values import ValueKind, parse_value

_DIGITS = re.compile(r"[0-9０-９]")
CATEGORIES = ("数量指标", "成本指标", "经济成本指标", "时效指标")
ACCEPTED = (
    "年内",
    "年底",
    "年末",
    "当年",
    "本年",
    "年度内",
    "季度",
    "上半年",
    "下半年",
    "月底",
    "月末",
    "全覆盖",
    "全部",
    "全额",
    "应保尽保",
)


class VL01(Rule):
    code = "VL01"
    name = "values.no-number"
    title = "数量、成本、时效指标没有数值"
    severity = Severity.WARNING
    message = "{level2}“{name}”的年度指标值“{target}”没有数值或时间，无法按{how}衡量完成程度"
    advice = "为“{name}”写明{what}"
    options = (
        Option("categories", CATEGORIES, "须写数值或时间的二级指标"),
        Option("accepted_words", ACCEPTED, "虽无数字但可核实的表述（年内、全覆盖等）"),
    )

    def check(self, context: Context) -> Iterator[Finding]:
        assert context.checked is not None
        categories = {clean_category(c) for c in context.options["categories"]}
        accepted = tuple(context.options["accepted_words"])
        for indicator in context.checked.evaluation.indicators:
            level2 = clean_category(indicator.level2 or "")
            if level2 not in categories:
                continue
            if parse_value(indicator.target).kind is not ValueKind.QUALITATIVE:
                continue
            target = indicator.target or ""
            if _DIGITS.search(target) or any(word in target for word in accepted):
                continue  # digits the parser could not place (3-5家) are not "no number"
            if "时效" in level2:
                how, what = "完成时间", "完成时限，如“2024年12月31日前”“12个月”"
            elif "成本" in level2:
                how, what = "成本金额", "成本金额或单位成本，如“≤85万元”“每家奖励10万元”"
            else:
                how, what = "数量", "数量和单位，如“8家”“≥100人次”"
            yield self.finding(
                context,
                indicator=indicator,
                field="target",
                actual=target,
                level2=level2,
                target=target,
                how=how,
                what=what,
            )
