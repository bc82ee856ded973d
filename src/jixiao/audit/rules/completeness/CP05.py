"""CP05 自评表未能读出.

检查：文件的文字里有绩效自评表（表题、“年度资金总额”“三级指标”等表格用语都在），却没能把它
读成一张表：行列顺序错乱、文字挤在一起、识别错字太多，或只有表格的一部分。

原因：这不是单位漏附了表，而是读取没有成功；审核结果里不能把它当作单位的错误，也不能当作
“没有问题”。以提示报出，提醒审核人员对照原件查看这张表，必要时请单位提供 Word、Excel 或可
复制文字的 PDF。

错误示例：文档分享网站转出的文字，整张表挤成一行、数字连在一起（“年度资金总额194.9194.9100%”），
其中的指标行无法可靠地分开。

正确示例：同一张表以 Word 或 Excel 提交，或从网页复制时保留了单元格之间的分隔。

选项：无。
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Context, Rule


class CP05(Rule):
    code = "CP05"
    name = "completeness.table-unread"
    title = "自评表未能读出"
    severity = Severity.INFO
    scope = "report"
    message = "文件中有绩效自评表的文字，但未能读出表格的行列，此表的数字没有复核"
    advice = "对照原件查看这张表；需要复核时，请单位提供 Word、Excel 或可复制文字的 PDF"

    def check(self, context: Context) -> Iterator[Finding]:
        report = context.report
        if report is None or context.tables:
            return
        for source in report.unread[:1]:
            yield self.finding(context, field="evaluations", source=source)
