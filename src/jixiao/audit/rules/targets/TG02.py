"""TG02 目标表述模糊、无法衡量.

检查：年度指标值只是一句没有数字的笼统表述——进一步提高、明显改善、有效促进、逐步提升、不断完
善、稳步推进、有所提高……，单独使用或只带一个简短的对象（“进一步提高服务水平”“群众满意度明显
提升”）。目标的每个分句都是这类表述时才报告；写明了可核实事实的定性目标不在此列。

原因：“进一步提高”没有要达到的水平：无论结果如何都算“达成”，指标无法打分，也说明不了资金用得
怎样。

错误示例：年度指标值“进一步提高服务水平”“企业创新能力有效提升”。

正确示例：“科技活动不破坏生态环境”“2020年新认定的株洲市企业技术创新中心”“保障科技局机关运
转”“服务企业水平提升15%”。

选项：`phrases`：笼统的表述（默认为“进一步”“明显”“显著”“有效”“逐步”“不断”“稳步”“有所”“持续”
加提高、提升、改善等词，以及效果明显、成效明显、成效显著）；`max_object`：一个分句中表述之外
最多允许的字数（默认 12）；`skip_level2`：交由 VL01 检查的二级指标（默认 数量指标、成本指
标、经济成本指标、时效指标：这几类指标没有数字的在 VL01 报告，不重复报告）。
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Option, Rule
from jixiao.scoring.scheme import clean_category
from jixiao.values import ValueKind, parse_value

PHRASES = (
    *(
        f"进一步{v}"
        for v in ("提高", "提升", "完善", "加强", "增强", "改善", "优化", "促进", "推动")
    ),
    *(f"明显{v}" for v in ("改善", "提升", "提高", "增强")),
    *(f"显著{v}" for v in ("改善", "提升", "提高", "增强")),
    *(f"有效{v}" for v in ("促进", "提升", "提高", "改善", "推动", "增强")),
    *(f"逐步{v}" for v in ("提升", "提高", "完善", "改善")),
    *(f"不断{v}" for v in ("完善", "提高", "提升", "加强", "增强")),
    *(f"稳步{v}" for v in ("推进", "提升", "提高")),
    *(f"有所{v}" for v in ("提高", "提升", "改善", "增加", "增强")),
    *(f"持续{v}" for v in ("提升", "改善", "推进")),
    "效果明显",
    "成效明显",
    "成效显著",
)
_CLAUSES = re.compile(r"[，,；;。、！!]+")
_DIGITS = re.compile(r"[0-9０-９]")
_LEAD = re.compile(r"^(?:争取|力争|确保|努力|使|推动|促进)+")


def _vague_clause(clause: str, phrases: Sequence[str], max_object: int) -> str | None:
    """The phrase a clause is made of, when what is left beside it is a short object."""
    body = _LEAD.sub("", clause)
    for phrase in sorted(phrases, key=len, reverse=True):
        fits = len(body) - len(phrase) <= max_object
        if fits and (body.startswith(phrase) or body.endswith(phrase)):
            return phrase
    return None


class TG02(Rule):
    code = "TG02"
    name = "targets.vague"
    title = "目标表述模糊、无法衡量"
    actual_label = "年度指标值"
    severity = Severity.WARNING
    message = "年度指标值“{target}”只有“{phrase}”这类笼统表述，没有可衡量的数值或标准"
    advice = "将“{name}”的目标改写为可衡量的数值或可核实的标准，如“服务企业覆盖率≥90%”"
    options = (
        Option("phrases", PHRASES, "笼统的目标表述（无数值时视为无法衡量）"),
        Option("max_object", 12, "短语之外最多允许的字数（如“服务水平”）"),
        Option(
            "skip_level2",
            ("数量指标", "成本指标", "经济成本指标", "时效指标"),
            "由 VL01 检查的二级指标",
        ),
    )

    def check(self, context: Context) -> Iterator[Finding]:
        assert context.checked is not None
        phrases = tuple(context.options["phrases"])
        max_object = int(context.options["max_object"])
        skipped = {clean_category(c) for c in context.options["skip_level2"]}
        for indicator in context.checked.evaluation.indicators:
            text = unicodedata.normalize("NFKC", indicator.target or "")
            text = re.sub(r"\s+", "", text)
            if not text or _DIGITS.search(text):
                continue
            if indicator.level2 and clean_category(indicator.level2) in skipped:
                continue
            if parse_value(indicator.target).kind is not ValueKind.QUALITATIVE:
                continue
            clauses = [c for c in _CLAUSES.split(text) if c]
            found = [_vague_clause(c, phrases, max_object) for c in clauses]
            if not found or any(p is None for p in found):
                continue
            yield self.finding(
                context,
                indicator=indicator,
                field="target",
                actual=indicator.target,
                target=indicator.target,
                phrase=found[0],
            )
