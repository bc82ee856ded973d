"""What the scoring engine returns: recomputed figures, the rule applied, and why."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from jixiao.model import Evaluation, Indicator
from jixiao.values import Direction, Tier

ZERO = Decimal(0)


class Rule(StrEnum):
    """The scoring rule applied to an indicator (its code appears in JSON output)."""

    POSITIVE = "positive"
    NEGATIVE_RATIO = "negative-ratio"
    NEGATIVE_LINEAR = "negative-linear"
    EQUAL = "equal"
    TIME = "time"
    QUALITATIVE = "qualitative"
    COMPOUND = "compound"
    UNDETERMINED = "undetermined"

    @property
    def label(self) -> str:
        return _RULE_LABELS[self]


_RULE_LABELS = {
    Rule.POSITIVE: "正向比例",
    Rule.NEGATIVE_RATIO: "反向比例",
    Rule.NEGATIVE_LINEAR: "反向线性",
    Rule.EQUAL: "等值",
    Rule.TIME: "时效",
    Rule.QUALITATIVE: "定性分档",
    Rule.COMPOUND: "复合逐项",
    Rule.UNDETERMINED: "无法判定",
}


# One sentence per outcome; the arguments are filled in only when the sentence is read.
TEMPLATES = {
    "undetermined": "无法判定：{0}",
    "qualitative": "定性指标：{0}，按“{1.label}”档计 {2}–{3} 分",
    "time-met": "时效指标：实际 {0} 不晚于目标 {1}，得满分 {2}",
    "time-late": "时效指标：实际 {0} 晚于目标 {1}，按“未达成”档计 {2}–{3} 分",
    "met": "{0.label}指标：实际 {1.shown} 达到目标 {2.shown}，得满分 {3}",
    "positive-short": "正向指标：实际 {1.shown} 未达目标 {2.shown}，得分 = {4} × 实际 ÷ 目标 = {3}",
    "negative-over": "反向指标：实际 {1.shown} 超过目标 {2.shown}，按反向公式得 {3}",
    "equal-off": "等值指标：实际 {1.shown} 偏离目标 {2.shown}，按偏离比例得 {3}",
    "compound": "复合指标：逐项完成 {0}，{1}，得 {2} 分",
}


class IndicatorScore(NamedTuple):
    """The method's score for one indicator: a point, or a range for qualitative tiers.

    ``low``/``high`` are ``None`` when the engine could not decide; ``explanation`` then
    says why. ``ratio`` is actual ÷ target for numeric indicators (÷ its upper end for a
    range). (A named tuple: one is made per indicator of a whole province, and it is far
    cheaper than a frozen dataclass.)
    """

    indicator: Indicator
    rule: Rule
    template: str
    args: tuple[Any, ...]
    low: Decimal | None = None
    high: Decimal | None = None
    direction: Direction = Direction.UNKNOWN
    ratio: Decimal | None = None
    tier: Tier | None = None
    over_achieved: bool = False
    note: str | None = None

    @property
    def explanation(self) -> str:
        """One line in Chinese: the rule applied and how the number came out."""
        return TEMPLATES[self.template].format(*self.args)

    @property
    def determined(self) -> bool:
        return self.low is not None

    @property
    def score(self) -> Decimal | None:
        """The single score the method gives, ``None`` for a range or when undetermined."""
        return self.low if self.low is not None and self.low == self.high else None

    def expected(self) -> Decimal | None:
        """The score to count: the point score, or the reported one held inside the range."""
        if self.low is None or self.high is None:
            return None
        reported = self.indicator.score
        if reported is None:
            return self.high
        return min(max(reported, self.low), self.high)

    def counted(self) -> Decimal:
        """What this indicator adds to the recomputed total (reported when undetermined)."""
        low, high, reported = self.low, self.high, self.indicator.score
        if low is None or high is None:
            return reported or ZERO
        if low == high or reported is None:
            return high
        return min(max(reported, low), high)


FUNDS_TEMPLATES = {
    "linear": "执行率 = {0} ÷ {1} = {2}%；得分 = {3}% × {4} = {5}",
    "steps": "执行率 = {0} ÷ {1} = {2}%；按分档计分，得 {5} 分",
    "undetermined": "{0}",
}


class FundsScore(NamedTuple):
    """The recomputed execution rate (percent) and execution score."""

    weight: Decimal | None
    rate: Decimal | None
    score: Decimal | None
    template: str
    args: tuple[Any, ...]

    @property
    def explanation(self) -> str:
        return FUNDS_TEMPLATES[self.template].format(*self.args)


class EvaluationScore(NamedTuple):
    """A whole table rescored by a scheme, side by side with what was written."""

    evaluation: Evaluation
    scheme_name: str  # the scheme's id (national-2020), for programs
    scheme_title: str  # its name people read: 全国通用（财预〔2020〕10号）
    funds: FundsScore
    indicators: tuple[IndicatorScore, ...]
    total: Decimal
    grade: str | None
    children: tuple[EvaluationScore, ...] = ()

    @property
    def undetermined(self) -> tuple[IndicatorScore, ...]:
        return tuple(item for item in self.indicators if not item.determined)

    def walk(self) -> tuple[EvaluationScore, ...]:
        out: list[EvaluationScore] = [self]
        for child in self.children:
            out.extend(child.walk())
        return tuple(out)
