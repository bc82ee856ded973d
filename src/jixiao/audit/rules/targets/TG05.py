"""TG05 实际完成值与上年逐字相同.

检查：有上年同一项目（部门整体表为同一部门）的自评表时，本年与上年同名的指标中，实际完成值
与上年逐字相同（去掉空格、全半角差异后）的占一定比例（默认 80%）且至少有若干个（默认 3
个）。指标按名称对应，与 TG03 相同；两年都填了实际完成值的指标才计入。

原因：每年的完成情况不会恰好一字不差；成片相同，多半是照抄上年的表，没有按本年实际填写，自
评结果不可信。

错误示例：本年 5 个指标的实际完成值“1104家”“1261家”“308.6亿元”“100%”“按时完成”与上年完
全相同。

正确示例：只有“满意度 100%”“按时完成”两项与上年相同，其余各项按本年实际填写。

选项：`share`：逐字相同的指标占两年都有实际值的同名指标的比例达到多少即报告（默认 0.8）；
`min_count`：至少有多少个指标逐字相同（默认 3）。
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from decimal import Decimal

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Option, Rule
from jixiao.audit.rules.targets._previous import pairs, year_label
from jixiao.model import FieldPath, Indicator
from jixiao.values import normalise

SHOWN = 3  # indicators named in the message


def _text(indicator: Indicator) -> str:
    return normalise(indicator.actual or "")


class TG05(Rule):
    code = "TG05"
    name = "targets.actuals-repeat-last-year"
    title = "实际完成值与上年逐字相同"
    severity = Severity.WARNING
    message = (
        "本表与{last}同名的 {paired} 个指标中，{repeated} 个的实际完成值与{last}逐字相同"
        "（{examples}），可能照抄了上年的自评表"
    )
    advice = "按本年度实际完成情况逐项填写实际完成值，并备好佐证材料"
    options = (
        Option("share", Decimal("0.8"), "逐字相同的指标所占比例达到多少即报告"),
        Option("min_count", 3, "至少多少个指标逐字相同才报告"),
    )

    def check(self, context: Context) -> Iterator[Finding]:
        checked = context.checked
        assert checked is not None
        previous = checked.previous
        if previous is None:
            return
        filled = [(now, last) for now, last in pairs(checked) if _text(now) and _text(last)]
        same = [now for now, last in filled if _text(now) == _text(last)]
        share = Decimal(str(context.options["share"]))
        if len(same) < int(context.options["min_count"]) or len(same) < share * len(filled):
            return
        examples = "、".join(f"“{item.name}”{item.actual}" for item in same[:SHOWN])
        places = {id(item): i for i, item in enumerate(checked.evaluation.indicators)}
        found = self.finding(
            context,
            expected=Decimal(len(filled)),
            actual=Decimal(len(same)),
            paired=len(filled),
            repeated=len(same),
            examples=examples + ("等" if len(same) > SHOWN else ""),
            last=year_label(previous),
        )
        # each repeated actual is marked where it stands
        paths = tuple(FieldPath.of("indicators", places[id(item)], "actual") for item in same)
        yield dataclasses.replace(found, paths=paths)
