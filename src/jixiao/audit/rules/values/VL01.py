"""VL01 数量、成本、时效指标没有数值.

检查：数量指标、成本指标（经济成本指标）或时效指标下的指标，其年度指标值既没有数字也没有时
间，指标值解析规则只能把它读作定性表述（“控制在预算金额内”“按时完成”“若干家”）。

原因：这几类指标衡量的是多少、花多少钱和何时完成；没有数字，就无法按正向、反向、时效公式打
分，结果总是满分。成本指标写“控制在预算金额内”只是重复资金栏（执行率已在资金栏计分），说明不
了产出花了多少成本：应写明金额（总成本 ≤85万元，每家奖励10万元）。

错误示例：成本指标 成本金额“控制在预算金额内”；时效指标“及时完成”。

正确示例：成本指标“每家奖励10万元”；时效指标“2024.12.31前”“12个月”；数量指标“8家”。

选项：`categories`：须写数值或时间的二级指标（默认 数量指标、成本指标、经济成本指标、时效指
标；社会成本、生态环境成本指标往往本身就是定性的）；`accepted_words`：虽无数字但仍可核实、因
而接受的表述（期限如年内、年底、季度；100% 如全覆盖、全部）。
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
    actual_label = "年度指标值"
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
