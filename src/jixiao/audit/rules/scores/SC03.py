"""SC03 等级与总分不符.

检查：表中填写的等级，与按评分方案的等级划分、由同一张表的总分得出的等级不符（全国通用：
90 分（含）以上为优，80–90 分为良，60–80 分为中，60 分以下为差）。只在填写了等级时检查；“优
秀”“良好”“中等”“较差”分别视为优、良、中、差。

原因：等级要公开，并用于下一年度的预算安排；在本表总分的基础上把等级抬高一档，是最省事的“美
化”办法。

错误示例：总分 88，等级填“优”（88 分为良）。

正确示例：总分 97，等级“优”（样本报告 003）。

选项：`synonyms`：等级的其他写法及其对应的等级（默认 优秀→优、良好→良、中等→中、较差→差）。
等级划分本身取自评分方案。
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
            source=evaluation.total.source,
            expected=expected,
            actual=evaluation.grade,
            total=evaluation.total.score,
            scheme=f"“{scheme.title}”",
            bands=bands,
        )
