"""CP02 表头栏目未填.

What: a header field of the table is blank: the 项目支出名称 (预算部门名称 in department
tables) and, in project tables, the 主管部门 and the 实施单位. One finding per table,
listing every blank field. Department tables have no 主管部门 / 实施单位 fields.

Why: the header says whose money and which project the table is about; a table without
it cannot be filed, matched with its budget line or compared across years.

Bad: 2020年度项目支出绩效自评表 with 部门名称 and 项目支出名称 left blank (seed 003).

Good: 项目支出名称 市级专项资金，主管部门 岳阳市科学技术局，实施单位 岳阳市科学技术局.

Options: ``project_fields`` / ``department_fields`` — the header fields required in each
kind of table (name, department, implementer); ``no_implementer_labels`` — header labels
(in ``extra``) of form variants that have no 实施单位 field (the 专项 / 支出方向 form).
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Option, Rule

LABELS = {
    "project": {"name": "项目支出名称", "department": "主管部门", "implementer": "实施单位"},
    "department": {"name": "预算部门名称", "department": "主管部门", "implementer": "实施单位"},
}


class CP02(Rule):
    code = "CP02"
    name = "completeness.header"
    title = "表头栏目未填"
    severity = Severity.WARNING
    message = "表头的{blank}未填"
    advice = "补填表头的{blank}"
    options = (
        Option("project_fields", ("name", "department", "implementer"), "项目支出表必填的表头栏目"),
        Option("department_fields", ("name",), "部门整体支出表必填的表头栏目"),
        Option(
            "no_implementer_labels",
            ("专项名称", "支出方向名称"),
            "表头含这些栏目的表式没有“实施单位”栏，不要求填写",
        ),
    )

    def check(self, context: Context) -> Iterator[Finding]:
        assert context.checked is not None
        evaluation = context.checked.evaluation
        kind = evaluation.kind
        required = list(context.options[f"{kind}_fields"])
        labels = context.options["no_implementer_labels"]
        if any(key.startswith(tuple(labels)) for key in evaluation.extra):
            required = [f for f in required if f != "implementer"]
        missing = [f for f in required if not "".join((getattr(evaluation, f, None) or "").split())]
        if not missing:
            return
        names = LABELS[kind]
        yield self.finding(
            context,
            field=",".join(missing),
            blank="、".join(names.get(f, f) for f in missing),
        )
