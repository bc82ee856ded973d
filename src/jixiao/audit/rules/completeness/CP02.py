"""CP02 表头栏目未填.

检查：表头栏目空白：项目支出名称（部门整体支出表为预算部门名称），以及项目支出表的主管部门和
实施单位。每张表报告一次，列出全部空白栏目。部门整体支出表没有主管部门、实施单位栏。

原因：表头说明这是谁的钱、用于哪个项目；没有表头的表无法归档，无法与预算项目对应，也无法跨年
度比较。

错误示例：2020年度项目支出绩效自评表的部门名称和项目支出名称空白（样本报告 003）。

正确示例：项目支出名称 市级专项资金，主管部门 岳阳市科学技术局，实施单位 岳阳市科学技术局。

选项：`project_fields`、`department_fields`：项目支出表、部门整体支出表各自必填的表头栏目
（name 名称、department 主管部门、implementer 实施单位；默认项目支出表三项必填，部门整体支出
表只要求名称）；`no_implementer_labels`：表头中含这些栏目的表式没有实施单位栏，不要求填写
（专项、支出方向表；默认 专项名称、支出方向名称）。
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
    absence = True
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
