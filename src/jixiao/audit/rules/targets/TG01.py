"""TG01 目标设置偏低.

检查：正向（越高越好）数值指标的实际完成值达到年度指标值的一定比例（默认 150%），如新增省级
以上科技创新平台 目标 8家，实际 20家（250%）。复合目标（“省级平台2个以上，市级平台25个以
上”）逐项检查。

原因：目标远低于单位实际能完成的水平，不费力就能拿满分；财政部门会要求下一年度提高目标（并可
能扣分）。这类偏差缺少说明的由 DV03 报告；本规则针对的是目标本身。

错误示例：年度指标值“实现技术合同成交额达200亿元”，实际完成值“实现技术合同成交额502.28亿元”
（251%）。

正确示例：高新技术企业数 1100家 → 1104家（100.4%）；满意度 ≥95% → 99%。

选项：`threshold`：实际 ÷ 目标达到此比例即提示目标偏低（默认为空，即取评分方案
的 `over_achievement`，全国通用方案为 1.5）。
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Option, Rule, show
from jixiao.scoring import Scheme
from jixiao.scoring.results import IndicatorScore
from jixiao.values import Direction, ValueKind, align, direction_of, pair_parts, parse_value

HUNDRED = Decimal(100)
TENTH = Decimal("0.1")


def _percent(ratio: Decimal) -> Decimal:
    return (ratio * HUNDRED).quantize(TENTH)


def _compound_ratios(item: IndicatorScore, scheme: Scheme) -> list[tuple[str, Decimal]]:
    """(part label, actual ÷ target) for each 正向 part of a compound value."""
    indicator = item.indicator
    target, actual = parse_value(indicator.target), parse_value(indicator.actual)
    if target.kind is not ValueKind.COMPOUND or actual.kind is not ValueKind.COMPOUND:
        return []
    pairs = pair_parts(target.parts, actual.parts)
    if isinstance(pairs, str):
        return []
    out: list[tuple[str, Decimal]] = []
    for t_q, a_q in pairs:
        direction = direction_of(t_q.comparator)
        if direction is Direction.UNKNOWN:
            direction = scheme.direction_for(indicator.level2)
        aligned = align(t_q.top, a_q)
        if direction is not Direction.POSITIVE or isinstance(aligned, str):
            continue
        if aligned.target > 0:
            out.append((t_q.label or a_q.label or "", aligned.actual / aligned.target))
    return out


class TG01(Rule):
    code = "TG01"
    name = "targets.too-low"
    title = "目标设置偏低"
    actual_label = "完成比例（%）"
    severity = Severity.INFO
    message = (
        "“{name}”的实际完成值“{actual_text}”与年度指标值“{target_text}”之比为 {percent}"
        "（达到 {threshold}% 即视为远超目标），目标可能设置偏低"
    )
    advice = "说明超额完成的原因；下一年度参照本年实际完成情况（{percent}）提高“{name}”的目标值"
    options = (
        Option(
            "threshold", None, "实际 ÷ 目标达到该倍数即提示目标偏低；为空时取评分方案的超额完成倍数"
        ),
    )

    def check(self, context: Context) -> Iterator[Finding]:
        checked = context.checked
        assert checked is not None
        chosen = context.options.get("threshold")
        threshold = Decimal(str(chosen)) if chosen is not None else checked.scheme.over_achievement
        for item in checked.score.indicators:
            indicator = item.indicator
            if item.ratio is not None and item.direction is Direction.POSITIVE:
                if item.ratio < threshold:
                    continue
                ratio: Decimal | None = _percent(item.ratio)
                percent = f"{show(ratio)}%"
            else:
                parts = [
                    (label, r)
                    for label, r in _compound_ratios(item, checked.scheme)
                    if r >= threshold
                ]
                if not parts:
                    continue
                ratio = None
                percent = "、".join(f"{label}{show(_percent(r))}%" for label, r in parts)
            yield self.finding(
                context,
                indicator=indicator,
                field="target",
                actual=ratio,
                actual_text=indicator.actual,
                target_text=indicator.target,
                percent=percent,
                threshold=show(_percent(threshold)),
            )
