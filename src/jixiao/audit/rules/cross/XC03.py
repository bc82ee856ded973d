"""XC03 自评报告文字与自评表数据不一致.

检查：报告正文所述某项成果的数字与自评表中同一指标的实际完成值不一致。只在把握充分时比较：
同一句中出现该指标的名称（或去掉“数”“数量”等泛称后的名称，至少 4 个字），数字紧跟在名称之后
（中间只有“达到”“为”“实现”等连接词），单位相同（万元、亿元与表中“亿”“万元”可换算），且该数字
是本年度的实际完成数：句中不提其他年份、季度或月份区间，子句中没有“目标”“计划”“预计”
（目标值）、“上年”“同比”（上年数）、“新增”“增长”“占……比重”（增量、比率）、“约”“超过”“累计”“其中”
（约数、累计数、部分数）等字样（指标名称本身的字不算）。数字按各自写出的精度比较，
文字把表中数值截去尾数（表 308.6亿，文 308亿元）默认不算矛盾。同一指标出现在多张表中时，
与其中任何一张相符即不提示。

原因：报告正文和自评表是同一份材料，审核人员和公众会对照阅读；两处说法不同，至少有一处是错的，
绩效结果的可信度随之下降。

错误示例：正文“深入推进科技型企业知识价值信用贷款工作，贷款额度达到 3.06 亿元”，自评表
“知识价值信用贷款”实际完成值 3.17亿；正文“新增高新技术企业120家”，表中“新增高新技术企业”104家。

正确示例：正文“全年入库科技型中小企业1261家”，表中“科技型中小企业数”1261家；正文“净增高新技术
企业195家，达到1104家”不与表中“高新技术企业数”1104家比较 195（净增数不是实际完成值）。

选项：`link_words` 指标名称与数字之间允许出现的连接词；`name_suffixes` 指标名称末尾可省去的
泛称；`min_name_length` 省去泛称后至少几个字才用于匹配（默认 4）；`target_words`、
`prior_words`、`change_words`、`doubt_words` 标明目标值、上年数、增量或比率、约数或部分数的
字词；`period_words` 标明非全年数据的字词；`same_units` 视为同一单位的计量单位（默认“人”
与“名”）；`allow_truncation` 文字截去尾数是否视为一致（默认是）；`tolerance` 允许的相对误差
（%，默认 0）。
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Checked, Context, Option, Rule
from jixiao.audit.rules.cross import _narrative as nar
from jixiao.model import Indicator, StatedFigure
from jixiao.values import Quantity, ValueKind, parse_value

LINKS: tuple[str, ...] = ("达到", "达", "为", "是", "共", "共计", "合计", "总计", "实现", "完成")
LINKS += ("已", "了", "有", "额度", "金额", "总额", "数量", "总量", "总数", "数", "量", "规模")
LINKS += ("工作", "全年")
SUFFIXES = ("数量", "总量", "总数", "个数", "数")
TARGET = ("目标", "计划", "预计", "预期", "任务", "力争", "争取", "有望", "拟", "指标值")
PRIOR = ("上年", "去年", "上一年", "同期", "同比", "前年", "以前年度")
CHANGE: tuple[str, ...] = ("新增", "净增", "增加", "增长", "增速", "增幅", "减少", "下降", "降低")
CHANGE += ("提高", "提升", "比重", "占比", "比例", "%", "倍")
DOUBT: tuple[str, ...] = ("约", "余", "多", "近", "超过", "以上", "左右", "逾", "突破", "不少于")
DOUBT += ("不低于", "累计", "历年", "其中", "包括", "平均", "人均", "每")
PERIOD = ("季度", "上半年", "下半年", "月份", "月底", "月末", "截至", "截止")
_MONTHS = re.compile(r"\d{1,2}\s*[-—–~～至到]\s*\d{1,2}\s*月")
_AFTER = ("以上", "左右", "余", "多", "次", "年", "天", "日", "月", "时", "份", "/", "每")

Candidate = tuple[Checked, Indicator, Quantity, tuple[str, ...]]


class XC03(Rule):
    code = "XC03"
    name = "cross.narrative-indicator"
    title = "自评报告文字与自评表数据不一致"
    severity = Severity.WARNING
    scope = "report"
    message = (
        "报告文字“{quote}”与自评表不一致：“{name}”文中为 {stated}，"
        "表{index}（{table_name}）实际完成值为“{actual_text}”"
    )
    advice = "核实“{name}”的实际完成值，使报告文字与自评表一致"
    options = (
        Option("link_words", LINKS, "指标名称与数字之间允许出现的连接词"),
        Option("name_suffixes", SUFFIXES, "指标名称末尾可省去的泛称"),
        Option("min_name_length", 4, "省去泛称后的名称至少几个字才用于匹配"),
        Option("target_words", TARGET, "子句含这些词即视为目标值，不比较"),
        Option("prior_words", PRIOR, "子句含这些词即视为上年数，不比较"),
        Option("change_words", CHANGE, "子句含这些词（指标名称不含）即视为增量或比率，不比较"),
        Option("doubt_words", DOUBT, "子句含这些词即视为约数、累计数或部分数，不比较"),
        Option("period_words", PERIOD, "句中含这些词（或“1-11月”）即视为非全年数据，不比较"),
        Option("same_units", (("人", "名"),), "视为同一单位的计量单位"),
        Option("allow_truncation", True, "文字截去表中数值的尾数（308.6亿写作308亿元）不视为矛盾"),
        Option("tolerance", Decimal(0), "允许的相对误差（%）"),
    )

    def check(self, context: Context) -> Iterator[Finding]:
        options = context.options
        candidates = list(self._candidates(context))
        for sentence in nar.sentences(context.report):
            for placed in sentence.figures:
                span, matched = self._matches(sentence, placed, candidates, options)
                if not matched or self._doubtful(sentence, placed, span, matched[0], context):
                    continue
                usable = [(c, v) for c in matched if (v := _comparable(placed.figure, c, options))]
                if not usable or any(self._agree(v, options) for _c, v in usable):
                    continue
                checked, indicator = usable[0][0][0], usable[0][0][1]
                stated = nar.compact(placed.figure.text)
                yield self.finding(
                    context,
                    table=checked,
                    indicator=indicator,
                    field="actual",
                    expected=indicator.actual,
                    actual=stated,
                    source=placed.figure.source,
                    quote=nar.quote(sentence.text, end=placed.end),
                    stated=stated,
                    index=checked.table.index,
                    table_name=checked.evaluation.name or checked.table.title or "自评表",
                    actual_text=indicator.actual,
                )

    def _candidates(self, context: Context) -> Iterator[Candidate]:
        suffixes = tuple(context.options["name_suffixes"])
        shortest = int(context.options["min_name_length"])
        for checked in context.tables:
            for indicator in checked.evaluation.indicators:
                value = parse_value(indicator.actual)
                name = nar.compact(indicator.name or "")
                if value.kind is not ValueKind.QUANTITY or len(name) < shortest:
                    continue
                quantity = value.parts[0]
                if quantity.comparator is not None:
                    continue
                keys = [name]
                for suffix in suffixes:
                    if name.endswith(suffix) and len(name) - len(suffix) >= shortest:
                        keys.append(name[: -len(suffix)])
                yield checked, indicator, quantity, tuple(dict.fromkeys(keys))

    def _matches(
        self,
        sentence: nar.Sentence,
        placed: nar.Placed,
        candidates: list[Candidate],
        options: Any,
    ) -> tuple[tuple[int, int], list[Candidate]]:
        """The indicators named right before the figure: the nearest, longest naming wins."""
        links = tuple(options["link_words"])
        found: list[tuple[int, int, Candidate]] = []
        before = sentence.text[: placed.start]
        for candidate in candidates:
            for key in candidate[3]:
                for m in nar.spaced(key).finditer(before):
                    if _linked(before[m.end() :], key, links):
                        found.append((m.start(), m.end(), candidate))
        if not found:
            return (0, 0), []
        end = max(e for _s, e, _c in found)
        start = min(s for s, e, _c in found if e == end)
        return (start, end), [c for s, e, c in found if (s, e) == (start, end)]

    def _doubtful(
        self,
        sentence: nar.Sentence,
        placed: nar.Placed,
        span: tuple[int, int],
        candidate: Candidate,
        context: Context,
    ) -> bool:
        """Target, prior-year, increment, approximate or partial-period figures are left alone
        (words inside the indicator's own name do not count)."""
        o, text = context.options, sentence.text
        start, end = span
        if start > 0 and text[start - 1] == "的":
            return True  # 获得奖补的高新技术企业…: a subset named by a relative clause
        around = text[nar.clause_start(text, start) : start] + text[end : placed.start]
        words = ("target_words", "prior_words", "change_words", "doubt_words")
        if any(nar.any_word(around, o[k]) for k in words):
            return True
        if text[placed.end :].lstrip().startswith(_AFTER):
            return True
        head = text[: placed.start]
        if nar.any_word(head, o["period_words"]) or _MONTHS.search(head):
            return True
        year = (context.report.year if context.report else None) or candidate[0].evaluation.year
        return bool(nar.years(head) - ({year} if year else set()))

    @staticmethod
    def _agree(values: tuple[Decimal, Decimal, Decimal, Decimal], options: Any) -> bool:
        stated, half_s, table, half_t = values
        tolerance = abs(table) * Decimal(str(options["tolerance"])) / 100
        if nar.overlap(stated, half_s, table, half_t, tolerance):
            return True
        return bool(options["allow_truncation"]) and stated <= table < stated + 2 * half_s


def _linked(gap: str, key: str, links: Sequence[str]) -> bool:
    """The words between name and figure only link them ("达到", "为"); one comma may intervene
    when the next clause takes up the name again ("…信用贷款工作，贷款额度达到 3.06 亿元")."""
    gap = nar.compact(gap)
    if any(ch.isdigit() for ch in gap):
        return False
    parts = re.split(r"[，,]", gap)
    if len(parts) == 1:
        return nar.only_words(gap, links)
    if len(parts) != 2 or not nar.only_words(parts[0], links):
        return False
    heads = [key[i:] for i in range(len(key) - 1)]
    head = next((h for h in heads if parts[1].startswith(h)), None)
    return head is not None and nar.only_words(parts[1][len(head) :], links)


def _comparable(
    figure: StatedFigure, candidate: Candidate, options: Any
) -> tuple[Decimal, Decimal, Decimal, Decimal] | None:
    """(stated, its half-unit, table value, its half-unit) on one scale, or None if the
    units differ."""
    q = candidate[2]
    table_half = nar.half_unit(q.number, exact=figure.unit not in ("%", *nar.MONEY)) * q.scale
    money = nar.in_wan(figure)
    if money is not None:
        if q.unit not in ("元", None) or (q.unit is None and q.magnitude not in ("万", "亿")):
            return None
        wan = Decimal(10000)
        return money[0], money[1], q.value / wan, table_half / wan
    same = any(
        {figure.unit, q.unit} <= set(group) for group in options["same_units"] if figure.unit
    )
    if q.scale != 1 or not (q.unit == figure.unit or same):
        return None
    if figure.unit != "%":  # whole counts (家, 项, 名) are exact, not rounded
        return figure.value, nar.half_unit(figure.value, exact=True), q.value, table_half
    return figure.value, nar.half_unit(figure.value), q.value, table_half
