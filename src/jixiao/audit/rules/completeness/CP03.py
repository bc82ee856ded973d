"""CP03 缺少必需的一级指标.

检查：评分方案规定必须设置的一级指标（全国通用方案：产出指标、效益指标、满意度指标）在表中没
有任何三级指标。指标按其一级指标名称（或评分方案中的别名）归类，一级指标栏空白时按二级指标名
称归类。

原因：国家规定每张表都要衡量产出、效益和服务对象的满意度；缺少满意度指标，就听不到服务对象的
声音，本应给它的分值也落到了别处。

错误示例：表中只有产出指标和效益指标，没有服务对象满意度指标。

正确示例：产出指标、效益指标、满意度指标下各至少有一个三级指标。

选项：无（哪些一级指标必需，由评分方案的 `required` 设定）。表中一个指标也没有时，不在此逐类
报告。
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Rule
from jixiao.scoring.scheme import clean_category


class CP03(Rule):
    code = "CP03"
    name = "completeness.level1"
    title = "缺少必需的一级指标"
    expected_label = "评分方案要求"
    absence = True
    severity = Severity.WARNING
    message = "评分方案（{scheme}）要求设置{level1}（{weight}分），但表中没有该类指标"
    advice = "补设{level1}及其三级指标（如{level2}），并相应调整其他指标的分值"

    def check(self, context: Context) -> Iterator[Finding]:
        assert context.checked is not None
        scheme = context.checked.scheme
        indicators = context.checked.evaluation.indicators
        if not indicators:
            return
        present: set[str] = set()
        for indicator in indicators:
            spec = scheme.level1_spec(indicator.level1)
            if spec is None and not indicator.level1:
                level2 = clean_category(indicator.level2 or "")
                spec = next((s for s in scheme.level1 if level2 and level2 in s.level2), None)
            if spec is not None:
                present.add(spec.name)
        for spec in scheme.level1:
            if not spec.required or spec.name in present:
                continue
            yield self.finding(
                context,
                field="indicators.level1",
                expected=spec.name,
                level1=spec.name,
                weight=spec.weight,
                level2="、".join(spec.level2) or spec.name,
                scheme=scheme.title,
            )
