"""VL02 目标与完成值单位不一致.

检查：年度指标值写了单位或数量级，实际完成值却漏写（≥95% 对 99，57亿元 对 118.8，16
家 对 20），或者反过来；或者两者用了不同的单位（家 对 个，% 对 个百分点）。同一单位换了数量
级（5000万元 对 0.5亿元）、数量级后带不带“元”（260亿 对 308.6亿元），都不算问题。复合值逐项
比较。

原因：“118.8”对“57亿元”，既可能是 118.8亿元，也可能是 118.8万元；读者（以及评分）只能去猜，
而靠猜的单位最容易藏住虚报。

错误示例：完成技术合同交易额 57亿元 → 118.8；全市科技人员满意度 ≥95% → 99。

正确示例：技术合同交易额 260亿 → 308.6亿；奖励企业 10家 → 8家。

选项：`equivalent_units`：含义相同、可以混用的单位（默认 名/人、天/日、个百分点/百分点）。
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Option, Rule
from jixiao.values import Quantity, ValueKind, pair_parts, parse_value

EQUIVALENT = (("名", "人"), ("天", "日"), ("个百分点", "百分点"))


def _unit(q: Quantity) -> str:
    return f"{q.magnitude or ''}{q.unit or ''}"


def _problem(t: Quantity, a: Quantity, same: Sequence[Sequence[str]]) -> tuple[str, str] | None:
    """(field, what is wrong) for one target/actual pair, or None when the units agree."""
    t_unit, a_unit = _unit(t), _unit(a)
    if t_unit and not a_unit:
        return "actual", f"实际完成值“{a.number}”未写单位（年度指标值为“{t_unit}”）"
    if a_unit and not t_unit:
        return "target", f"年度指标值“{t.number}”未写单位（实际完成值为“{a_unit}”）"
    if t.unit is None or a.unit is None or t.unit == a.unit:
        return None
    if any(t.unit in group and a.unit in group for group in same):
        return None
    return "unit", f"年度指标值用“{t_unit}”，实际完成值用“{a_unit}”"


class VL02(Rule):
    code = "VL02"
    name = "values.unit-mismatch"
    title = "目标与完成值单位不一致"
    expected_label = "年度指标值的单位"
    severity = Severity.WARNING
    message = "“{name}”的年度指标值“{target}”与实际完成值“{actual_text}”单位不一致：{detail}"
    advice = "按年度指标值的单位填写“{name}”的实际完成值（数值连同单位，如“118.8亿元”“99%”）"
    options = (Option("equivalent_units", EQUIVALENT, "含义相同、可以混用的单位"),)

    def check(self, context: Context) -> Iterator[Finding]:
        assert context.checked is not None
        same = [tuple(group) for group in context.options["equivalent_units"]]
        for indicator in context.checked.evaluation.indicators:
            target, actual = parse_value(indicator.target), parse_value(indicator.actual)
            if target.kind is ValueKind.QUANTITY and actual.kind is ValueKind.QUANTITY:
                pairs = [(target.parts[0], actual.parts[0])]
            elif target.kind is ValueKind.COMPOUND and actual.kind is ValueKind.COMPOUND:
                paired = pair_parts(target.parts, actual.parts)
                if isinstance(paired, str):
                    continue
                pairs = paired
            else:
                continue
            problems = [(p, t, a) for t, a in pairs if (p := _problem(t, a, same)) is not None]
            if not problems:
                continue
            (field, _), t_q, a_q = problems[0]
            yield self.finding(
                context,
                indicator=indicator,
                field=field,
                expected=_unit(t_q) or None,
                actual=_unit(a_q) or None,
                target=indicator.target,
                actual_text=indicator.actual,
                detail="；".join(what for (_, what), _t, _a in problems),
            )
