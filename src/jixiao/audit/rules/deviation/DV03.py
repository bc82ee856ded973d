"""DV03 大幅超额完成但未说明.

What: an actual at or above the target × the over-achievement threshold (national
default 150 %; for a compound value such as "省级平台2个以上，市级平台25个以上", the part
exceeded most) with an empty 偏差原因分析及改进措施. Only 正向 (more is better) values;
one finding per indicator per table, and none where DV01 or DV02 already asks for the
explanation.

Why: the national rule treats a target exceeded by far like a target missed: the
deviation must be explained, and it usually means the target was set too low
(目标设置偏低), which the reviewer wants raised next year.

Bad: 省创新创业轨道交通赛参赛企业 目标 100家，实际 451家，偏差原因分析 empty (seed 000).

Good: 高新技术企业数 目标 1100家，实际 1104家 (no explanation needed); or 451家 with
"首届专业赛征集项目超出预期，下年度目标据实提高至 300家".

Options: ``threshold`` — the ratio actual ÷ target from which an explanation is required
(default None: the scheme's ``over_achievement``, 1.5 in national-2020); ``blank_words``
— deviation texts that count as empty (as in DV01).
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
        aligned = align(t, a)
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
    severity = Severity.WARNING
    message = (
        "“{name}”{part}实际 {actual_value} 为目标 {target_value} 的 {ratio}%"
        "（超额完成线 {threshold}%），但未填写偏差原因分析及改进措施"
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
