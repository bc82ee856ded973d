"""SC03 等级与总分不符.

What: the 等级 written in the table is not the grade the scoring scheme's bands give for
the total written in the same table (national bands: 90 分（含）以上优, 80–90 良, 60–80 中,
60 以下差). Only checked when a grade is written; "优秀", "良好", "中等", "较差" are read as
优, 良, 中, 差.

Why: the grade is what gets published and used in next year's budget; a grade one band
above the table's own total is the cheapest way to look better.

Bad: 总分 88，等级 优 (88 is 良).

Good: 总分 97，等级 优 (seed 003).

Options: ``synonyms`` — written grade words and the band grade each stands for (default
优秀 → 优, 良好 → 良, 中等 → 中, 较差 → 差). The bands themselves come from the scheme.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Option, Rule, show
from jixiao.scoring.scheme import GradeBand

SYNONYMS: Mapping[str, str] = {"优秀": "优", "良好": "良", "中等": "中", "较差": "差"}
_LABEL = re.compile(r"^(绩效)?(评价)?等级[:：]?|\s+")


def _band(grades: Sequence[GradeBand], i: int) -> str:
    """ "90 分及以上优", and for a last band starting at 0 "60 分以下差"."""
    band = grades[i]
    if band.minimum == 0 and i > 0:
        return f"{show(grades[i - 1].minimum)} 分以下{band.grade}"
    return f"{show(band.minimum)} 分及以上{band.grade}"


class SC03(Rule):
    code = "SC03"
    name = "scores.grade"
    title = "等级与总分不符"
    severity = Severity.ERROR
    message = "等级填写为“{actual}”，但总分 {total} 按{scheme}的等级划分应为“{expected}”"
    advice = "按评分方案的等级划分（{bands}）重新确定等级"
    options = (Option("synonyms", SYNONYMS, "等级的其他写法及其对应的等级"),)

    def check(self, context: Context) -> Iterator[Finding]:
        assert context.checked is not None
        evaluation, scheme = context.checked.evaluation, context.checked.scheme
        if not evaluation.grade or evaluation.total.score is None:
            return
        expected = scheme.grade_for(evaluation.total.score)
        if expected is None:
            return
        written = _LABEL.sub("", evaluation.grade)
        written = dict(context.options["synonyms"]).get(written, written)
        if written == expected:
            return
        bands = "、".join(_band(scheme.grades, i) for i in range(len(scheme.grades)))
        yield self.finding(
            context,
            field="grade",
            expected=expected,
            actual=evaluation.grade,
            total=evaluation.total.score,
            scheme=f"“{scheme.title}”",
            bands=bands,
        )
