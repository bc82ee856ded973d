"""DV03 大幅超额完成但未说明.

检查：实际完成值达到或超过“年度指标值 × 超额完成比例”（全国通用默认 150%；对“省级平台2个以
上，市级平台25个以上”这类复合值，取超出最多的一项），而“偏差原因分析及改进措施”为空。只检查
正向（越多越好）的数值；每张表的每个指标最多报告一次，已由 DV01 或 DV02 要求说明的不再报告。

原因：国家规定大幅超额完成与未完成目标同样要说明偏差原因；大幅超额通常说明目标设置偏低，审核
人员希望下一年度提高目标。

错误示例：省创新创业轨道交通赛参赛企业 目标 100家，实际 451家，偏差原因分析为空（样本报
告 000）。

正确示例：高新技术企业数 目标 1100家，实际 1104家（无需说明）；或者实际 451家，并写明“首届专
业赛征集项目超出预期，下年度目标据实提高至 300家”。

选项：`threshold`：实际 ÷ 目标达到此比例即须说明（默认为空，即取评分方案
的 `over_achievement`，全国通用方案为 1.5）；`blank_words`：视为未填写的偏差说明
（同 DV01）。
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Option, Rule, show
from jixiao.audit.rules.deviation._common import (
    BLANK_WORDS,
    deducted,
    missed,
    percent,
    unexplained,
)
from jixiao.scoring import IndicatorScore, Scheme
from jixiao.values import Direction, Quantity, ValueKind, align, direction_of, pair_parts
from jixiao.values import parse_value as parse

Excess = tuple[Decimal, Quantity, Quantity, bool]  # ratio, target part, actual part, compound


def excess(scored: IndicatorScore, scheme: Scheme) -> Excess | None:
    """The largest actual ÷ target over the value's 正向 parts, with the parts compared."""
    indicator = scored.indicator
    target, actual = parse(indicator.target), parse(indicator.actual)
    if target.kind is ValueKind.QUANTITY and actual.kind is ValueKind.QUANTITY:
        pairs = [(target.parts[0], actual.parts[0], scored.direction)]
        compound = False
    elif target.kind is ValueKind.COMPOUND and actual.kind is ValueKind.COMPOUND:
        paired = pair_parts(target.parts, actual.parts)
        if isinstance(paired, str):
            return None
        pairs, compound = [], True
        for t, a in paired:
            direction = direction_of(t.comparator)
            if direction is Direction.UNKNOWN:
                direction = scheme.direction_for(indicator.level2)
            pairs.append((t, a, direction))
    else:
        return None
    best: Excess | None = None
    for t, a, direction in pairs:
        aligned = align(t.top, a)
        if direction is not Direction.POSITIVE or isinstance(aligned, str) or aligned.target <= 0:
            continue
        ratio = aligned.actual / aligned.target
        if best is None or ratio > best[0]:
            best = (ratio, t, a, compound)
    return best


class DV03(Rule):
    code = "DV03"
    name = "deviation.over-achieved"
    title = "大幅超额完成但未说明"
    actual_label = "实际完成值"
    expected_label = "年度指标值"
    absence = True
    severity = Severity.WARNING
    message = (
        "“{name}”{part}实际完成 {actual_value}，为目标 {target_value} 的 {ratio}%"
        "（达到 {threshold}% 即须说明），但未填写偏差原因分析及改进措施"
    )
    advice = "说明大幅超额完成的原因；如年度指标值设置偏低，下年度应据实提高目标"
    options = (
        Option("threshold", None, "实际 ÷ 目标达到此比例即须说明（默认取评分方案的超额完成线）"),
        Option("blank_words", BLANK_WORDS, "视为未填写的偏差说明"),
    )

    def check(self, context: Context) -> Iterator[Finding]:
        assert context.checked is not None
        scheme = context.checked.scheme
        option = context.options["threshold"]
        threshold = scheme.over_achievement if option is None else Decimal(str(option))
        blank_words = context.options["blank_words"]
        for scored in context.checked.score.indicators:
            indicator = scored.indicator
            if deducted(scored) or missed(scored):
                continue  # DV01 / DV02 ask for the explanation
            if not unexplained(indicator.deviation, blank_words):
                continue
            found = excess(scored, scheme)
            if found is None or found[0] < threshold:
                continue
            ratio, target, actual, compound = found
            label = target.label or actual.label
            yield self.finding(
                context,
                indicator=indicator,
                field="deviation",
                expected=target.shown,
                actual=actual.shown,
                part=f"中{label}" if compound and label else "",
                actual_value=actual.shown,
                target_value=target.shown,
                ratio=percent(ratio),
                threshold=show(threshold * 100),
            )
