"""CP04 报告未附绩效自评表.

检查：一份绩效自评报告（标题或正文讲的是绩效自评、绩效评价）中没有任何一张项目支出或部门整体
支出绩效自评表。只看报告本身：YAML / JSON 自评表文档本身就是一张表，不在此列；与绩效无关的
文件（标题和正文都不提“绩效”）不报告。

原因：自评表是自评报告的必备附件，评分、执行率和各项指标都在表中；只有文字没有表，审核人员无
从复核得分，也无法与其他单位比较。表格若确已附上而没有被识别（如扫描件、图片、嵌入的对象），
同样需要单位以可读取的格式重新提交。

错误示例：《2021年度市科技局绩效评价报告》只有正文和一张专项资金分配表，没有部门整体支出
绩效自评表，也没有专项资金的项目支出绩效自评表（样本报告 002）。

正确示例：报告正文之后附“2023年度单位整体支出绩效自评表”（样本报告 001）。

文字里看得出有自评表、只是读不出来的，不报本条，而报 CP05（提示）。

选项：`topic_words`：标题或正文含有即视为绩效自评报告的字词（默认“绩效”）。
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Option, Rule
from jixiao.audit.rules.cross._narrative import texts


class CP04(Rule):
    code = "CP04"
    name = "completeness.no-table"
    title = "报告未附绩效自评表"
    in_text = True
    severity = Severity.WARNING
    scope = "report"
    message = "报告中没有找到项目支出或部门整体支出绩效自评表，无法复核执行率、指标和得分"
    advice = (
        "补附绩效自评表（项目支出绩效自评表或部门整体支出绩效自评表）；"
        "如已附表而未被读出（扫描件、图片），请改交 Word、Excel 或可复制文字的 PDF"
    )
    options = (Option("topic_words", ("绩效",), "标题或正文含有即视为绩效自评报告的字词"),)

    def check(self, context: Context) -> Iterator[Finding]:
        report = context.report
        if report is None or report.evaluations or context.tables or report.unread:
            return  # a table seen but not read is CP05's, not the unit's omission
        text = "\n".join([report.title or "", *texts(report.sections)])
        if not any(word in text for word in context.options["topic_words"]):
            return
        # the first section's heading: a line to go to, where the report's own has none
        first = report.sections[0].source if report.sections else None
        source = first if first is not None and first.line is not None else report.source
        yield self.finding(context, field="evaluations", source=source or first)
