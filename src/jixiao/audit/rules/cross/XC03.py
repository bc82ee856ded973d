"""XC03 自评报告文字与自评表数据不一致.

检查：报告正文所述某项成果的数字与自评表中同一指标的实际完成值不一致。只在把握充分时比较：
同一句中出现该指标的名称（或去掉“数”“数量”等泛称后的名称，至少 4 个字），数字紧跟在名称之后
（中间只有“达到”“为”“实现”等连接词），单位相同（万元、亿元与表中“亿”“万元”可换算），且该数字
是本年度的实际完成数：句中不提其他年份、季度或月份区间，子句中没有“目标”“计划”“预计”
（目标值）、“上年”“同比”（上年数）、“新增”“增长”“占……比重”（增量、比率）、“约”“累计”“其中”
（约数、累计数、部分数）等字样（指标名称本身的字不算）。数字按各自写出的精度比较，
文字把表中数值截去尾数（表 308.6亿，文 308亿元）默认不算矛盾。同一指标出现在多张表中时，
与其中任何一张相符即不提示。

正文常只写指标名称的后半段（表中“社会公众及服务对象满意度”，正文“服务对象满意度”）：名称末尾
至少 4 个字的一段，只要报告中只有这一个指标的名称以它结尾，且名称中没有上述目标、上年、增量或
比率、约数、期间字样（“新增高新技术企业”不能简称“高新技术企业”，“技术合同交易额占GDP比重”
不能简称“占GDP比重”），也算写出了该指标的名称。
正文写的是界限时（“在95%以上”“不低于95%”“超过95%”为下限，“95%以下”“以内”“不超过95%”
为上限，名称与界限之间还可有“在”字），按界限比较：只有表中实际完成值按写出的精度落在界限之外
才提示（文“95%以上”、表 90% 提示；表 96% 不提示）。界限字样不在选项所列时，该数字不比较
（不会当作确数）。

原因：报告正文和自评表是同一份材料，审核人员和公众会对照阅读；两处说法不同，至少有一处是错的，
绩效结果的可信度随之下降。

错误示例：正文“深入推进科技型企业知识价值信用贷款工作，贷款额度达到 3.06 亿元”，自评表
“知识价值信用贷款”实际完成值 3.17亿；正文“新增高新技术企业120家”，表中“新增高新技术企业”104家；
正文“服务对象满意度在95%以上”，表中“社会公众及服务对象满意度”实际完成值 90%。

正确示例：正文“全年入库科技型中小企业1261家”，表中“科技型中小企业数”1261家；正文“净增高新技术
企业195家，达到1104家”不与表中“高新技术企业数”1104家比较 195（净增数不是实际完成值）；
正文“满意度达95%以上”，表中 98%。

选项：`link_words` 指标名称与数字之间允许出现的连接词；`name_suffixes` 指标名称末尾可省去的
泛称；`min_name_length` 省去泛称后、或取名称后半段时至少几个字才用于匹配（默认 4）；
`match_name_tails` 是否认可只写名称后半段（默认是）；`lower_bound_words`、
`upper_bound_words` 紧挨数字前后、表示下限或上限的字词；`bound_link_words` 名称与界限之间
另可出现的连接词（默认“在”）；`target_words`、`prior_words`、`change_words`、
`doubt_words` 标明目标值、上年数、增量或比率、约数或部分数的字词；`period_words` 标明
非全年数据的字词；`same_units` 视为同一单位的计量单位（默认“人”与“名”）；
`allow_truncation` 文字截去尾数是否视为一致（默认是）；`tolerance` 允许的相对误差（%，默认 0）。
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
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
LOWER = ("以上", "不低于", "超过")
UPPER = ("以下", "以内", "不超过")
# Words naming what kind of figure an indicator is: a name cut to its tail must not lose them.
QUALIFIERS = ("target_words", "prior_words", "change_words", "doubt_words", "period_words")

Candidate = tuple[Checked, Indicator, Quantity, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Stated:
    """A narrative figure with the bound words around it ("在95%以上": start/end take in
    "95%以上"); ``bound`` is "lower", "upper" or None for an exact figure."""

    start: int
    end: int
    bound: str | None
    text: str


class XC03(Rule):
    code = "XC03"
    name = "cross.narrative-indicator"
    title = "自评报告文字与自评表数据不一致"
    in_text = True
    actual_label = "报告文字"
    expected_label = "自评表"
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
        Option("min_name_length", 4, "省去泛称后的名称、或名称的后半段至少几个字才用于匹配"),
        Option("match_name_tails", True, "正文只写名称后半段（报告中只有一个指标以它结尾）也算"),
        Option("lower_bound_words", LOWER, "紧挨数字前后、表示下限的字词（95%以上、不低于95%）"),
        Option("upper_bound_words", UPPER, "紧挨数字前后、表示上限的字词（95%以下、不超过95%）"),
        Option("bound_link_words", ("在",), "名称与界限之间另可出现的连接词（满意度在95%以上）"),
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
        with_figures = nar.report_sentences(context)  # each states a figure
        if not with_figures:  # no figure in the text (an evaluation file, a bare table)
            return
        names = _Names(list(self._candidates(context)))
        bounds = _bound_words(
            tuple(options["lower_bound_words"]), tuple(options["upper_bound_words"])
        )
        for sentence in with_figures:
            named = names.in_sentence(sentence.text)
            for placed in sentence.figures:
                said = _stated(sentence.text, placed, bounds)
                if said is None:
                    continue  # bound words pointing both ways
                span, matched = self._matches(sentence, said, named, options)
                if not matched or self._doubtful(sentence, said, span, matched[0], context):
                    continue
                usable = [(c, v) for c in matched if (v := _comparable(placed.figure, c, options))]
                if not usable or any(_agree(v, options, said.bound) for _c, v in usable):
                    continue
                checked, indicator = usable[0][0][0], usable[0][0][1]
                stated = said.text
                yield self.finding(
                    context,
                    table=checked,
                    indicator=indicator,
                    field="actual",
                    expected=indicator.actual,
                    actual=stated,
                    source=placed.figure.source,
                    quote=nar.quote(sentence.text, end=said.end),
                    stated=stated,
                    index=checked.table.index,
                    table_name=checked.evaluation.name or checked.table.title or "自评表",
                    actual_text=indicator.actual,
                )

    def _candidates(self, context: Context) -> Iterator[Candidate]:
        options = context.options
        suffixes = tuple(options["name_suffixes"])
        shortest = int(options["min_name_length"])
        every = {nar.compact(i.name or "") for c in context.tables for i in c.evaluation.indicators}
        own = {name: _keys(name, suffixes, shortest) for name in every if len(name) >= shortest}
        qualifiers = tuple(w for k in QUALIFIERS for w in options[k])
        tailed = own if options["match_name_tails"] else {}
        enders = _enders(own, shortest) if tailed else {}
        tails = {n: _tails(n, own, enders, shortest, qualifiers) for n in tailed}
        for checked in context.tables:
            for indicator in checked.evaluation.indicators:
                value = parse_value(indicator.actual)
                name = nar.compact(indicator.name or "")
                if value.kind is not ValueKind.QUANTITY or name not in own:
                    continue
                quantity = value.parts[0]
                if quantity.comparator is not None:
                    continue
                keys = (*own[name], *tails.get(name, ()))
                yield checked, indicator, quantity, tuple(dict.fromkeys(keys))

    def _matches(
        self,
        sentence: nar.Sentence,
        said: Stated,
        named: _Named,
        options: Any,
    ) -> tuple[tuple[int, int], list[Candidate]]:
        """The indicators named right before the figure: the nearest, longest naming wins."""
        links = tuple(options["link_words"])
        if said.bound:
            links += tuple(options["bound_link_words"])
        found: list[tuple[int, int, str]] = []
        before = sentence.text[: said.start]
        for key, spans in named.spans.items():
            taken = 0  # each key's namings one after another, none inside another
            for start, end in spans:
                if end > said.start:
                    break
                if start >= taken:
                    taken = end
                    if _linked(before[end:], key, links):
                        found.append((start, end, key))
        if not found:
            return (0, 0), []
        end = max(e for _s, e, _k in found)
        start = min(s for s, e, _k in found if e == end)
        key = next(k for s, e, k in found if (s, e) == (start, end))
        return (start, end), named.owners[key]

    def _doubtful(
        self,
        sentence: nar.Sentence,
        said: Stated,
        span: tuple[int, int],
        candidate: Candidate,
        context: Context,
    ) -> bool:
        """Target, prior-year, increment, approximate or partial-period figures are left alone
        (words inside the indicator's own name, and the bound words of a bound, do not count)."""
        o, text = context.options, sentence.text
        start, end = span
        if start > 0 and text[start - 1] == "的":
            return True  # 获得奖补的高新技术企业…: a subset named by a relative clause
        around = text[nar.clause_start(text, start) : start] + text[end : said.start]
        words = ("target_words", "prior_words", "change_words", "doubt_words")
        if any(nar.any_word(around, o[k]) for k in words):
            return True
        if text[said.end :].lstrip().startswith(_AFTER):
            return True
        head = text[: said.start]
        if nar.any_word(head, o["period_words"]) or _MONTHS.search(head):
            return True
        year = (context.report.year if context.report else None) or candidate[0].evaluation.year
        return bool(nar.years(head) - ({year} if year else set()))


def _agree(
    values: tuple[Decimal, Decimal, Decimal, Decimal], options: Any, bound: str | None
) -> bool:
    """The table's actual can be what the text says, each at the precision written: within a
    bound (90 is not "95以上", 94.6 may be), or the same number (or the text cuts it short)."""
    stated, half_s, table, half_t = values
    tolerance = abs(table) * Decimal(str(options["tolerance"])) / 100
    if bound == "lower":
        return table + half_t + tolerance >= stated - half_s
    if bound == "upper":
        return table - half_t - tolerance <= stated + half_s
    if nar.overlap(stated, half_s, table, half_t, tolerance):
        return True
    return bool(options["allow_truncation"]) and stated <= table < stated + 2 * half_s


Bounds = tuple[tuple[re.Pattern[str], re.Pattern[str], str], ...]


@functools.lru_cache(maxsize=32)  # the options' words: compiled once, not at every figure
def _bound_words(lower: tuple[str, ...], upper: tuple[str, ...]) -> Bounds:
    """For each bound word, longest first (不超过 before 超过): the pattern of the word
    right before a figure, the pattern of it right after, and the kind of bound."""
    kinds = {w: "lower" for w in lower if w}
    kinds.update({w: "upper" for w in upper if w})
    words = sorted(kinds, key=len, reverse=True)
    return tuple(
        (
            re.compile(nar.spaced(w).pattern + r"(?=\s*$)"),
            re.compile(r"\s*" + nar.spaced(w).pattern),
            kinds[w],
        )
        for w in words
    )


def _stated(text: str, placed: nar.Placed, bounds: Bounds) -> Stated | None:
    """The figure with a bound word right before ("不低于95%") or after it ("95%以上");
    None when the words point both ways ("超过95%以下")."""
    start, end, kinds = placed.start, placed.end, set()
    for before, _after, kind in bounds:
        if m := before.search(text, 0, start):
            start = m.start()
            kinds.add(kind)
            break
    for _before, after, kind in bounds:
        if m := after.match(text, end):
            end = m.end()
            kinds.add(kind)
            break
    if len(kinds) > 1:
        return None
    return Stated(start, end, next(iter(kinds), None), nar.compact(text[start:end]))


def _keys(name: str, suffixes: Sequence[str], shortest: int) -> list[str]:
    """The name, and the name without a generic ending ("科技型中小企业数" → "科技型中小企业")."""
    keys = [name]
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= shortest:
            keys.append(name[: -len(suffix)])
    return keys


def _enders(own: Mapping[str, list[str]], shortest: int) -> dict[str, str | None]:
    """Every ending of at least ``shortest`` characters of every name's keys, with the one
    name it ends (None when it ends several): one look-up per ending, not one pass over all
    the names."""
    enders: dict[str, str | None] = {}
    for name, keys in own.items():
        for key in keys:
            for cut in range(len(key) - shortest + 1):
                tail = key[cut:]
                enders[tail] = name if enders.get(tail, name) == name else None
    return enders


def _tails(
    name: str,
    own: Mapping[str, list[str]],
    enders: Mapping[str, str | None],
    shortest: int,
    qualifiers: Sequence[str],
) -> list[str]:
    """Endings of the name the text may use alone ("服务对象满意度" for "社会公众及服务对象
    满意度"): no other indicator of the report ends so, and the name has no word on what kind
    of figure it is ("新增高新技术企业" is not "高新技术企业", "占GDP比重" is nobody's share)."""
    tails = []
    for key in own[name]:
        if nar.any_word(key, qualifiers):
            continue  # 技术合同交易额占GDP比重: alone, 占GDP比重 loses whose share it is
        for cut in range(1, len(key) - shortest + 1):
            tail = key[cut:]
            if enders[tail] == name:
                tails.append(tail)
    return tails


@dataclass(frozen=True, slots=True)
class _Named:
    """Where a sentence names indicators: each key's (start, end) in the sentence, in
    order, and the indicators each key names."""

    spans: dict[str, list[tuple[int, int]]]
    owners: Mapping[str, list[Candidate]]


class _Names:
    """The report's indicators by the keys that name them, found in a sentence in one pass
    (spaces between the characters allowed, as text exports space out words)."""

    def __init__(self, candidates: list[Candidate]) -> None:
        self.owners: dict[str, list[Candidate]] = {}
        for candidate in candidates:
            for key in candidate[3]:
                self.owners.setdefault(key, []).append(candidate)
        self.finder = nar.Finder(self.owners)

    def in_sentence(self, text: str) -> _Named:
        kept = [i for i, ch in enumerate(text) if not ch.isspace()]
        found = self.finder.places("".join(text[i] for i in kept))
        spans = {
            key: [(kept[s], kept[s + len(key) - 1] + 1) for s in starts]
            for key, starts in found.items()
        }
        return _Named(spans, self.owners)


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
