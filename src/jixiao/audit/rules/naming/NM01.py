"""NM01 指标名称被截断.

检查：因栏宽太窄而被截断的指标名称。依据以下证据，每类都从严判断：（1）同一报告中另有指标的
名称是这个名称再加 1–4 个汉字，且年度指标值或实际完成值相同（“全社会研发投入总”与“全社会研发
投入总量”，都是 101亿）；（2）正文中每次出现这个名称，后面总是跟着相同的 1–4 个字和右引号
（“株洲市青年科技之星”）；（3）名称以不能作词语结尾的字结尾（之、的、和、与、及、占……）。
此外（4）栏宽：同一张表中已按上述证据判定截断的名称有几个字（栏宽），与它字数相同的其他名
称，若末尾另有不成词的迹象也报告：末两字在报告的正文和其他指标名称中从未出现（“全国重点实验
室重”的“室重”、“省市联合基金争取省财政配”的“政配”），或正文在名称的末四字后再接 1–6 个字，
紧接着写出本指标的数值（“每万人口有效发明”，正文“有效发明专利拥有量达到27.01件”）。表中
没有已判定截断的名称时，这一条不起作用。少于 6 个字的名称不检查。每个被截断的名称在一份报告
中只报告一次，并列出所在的表。

原因：被截断的名称（“株洲市青年科技之”）说不清衡量的是什么；公开的表显得粗糙，该指标也无法与
其他年度、其他单位对照。

错误示例：一张支出方向表写“基础研究占全社会研发投入”，另一张写“基础研究占全社会研发投入比重”
（同为 6% → 6.65%）。

正确示例：“技术合同交易额”（260亿）与“技术合同交易额占GDP比重”（6%）：是两个不同的指标；正文
中“企业满意度”后接“达95%”；“培训技术经纪人数”与“培训技术经纪人数量”（同为 100名）：“人数”
本身是完整的词，两者是同一名称的两种写法；与“株洲市青年科技之”同为 8 字的“知识价值信用贷
款”（“贷款”正文常用）、“获得研发奖补企业”（正文“奖补企业数及金额”后面不是本指标的 412家）。

选项：`min_length`：名称至少多少字才检查（默认 6）；`max_continuation`：被截去的部分最多多少
字（默认 4）；`dangling_endings`：完整的指标名称不会用作结尾的字（默认 之的和与及或并占
对）；`same_endings`：同一名称的两种完整写法（默认 数/数量：“培训技术经纪人数”与“培训技术
经纪人数量”都是完整的名称，不算截断）；`same_width`：是否按栏宽（第 4 类证据）检查（默认
是；设为否时只按前三类证据判断）。
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Checked, Context, Option, Rule
from jixiao.audit.rules.cross._narrative import Finder, plain, texts
from jixiao.model import Indicator

_CJK = "[\u4e00-\u9fff]"
_CLOSING = "”’」』》〉）)】\"'"
_PUNCTUATION = _CLOSING + "，,。；;：:、！!？?（(“‘「《"
DANGLING = "之的和与及或并占对"
_TWO_CJK = re.compile(f"{_CJK}{{2}}")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@functools.lru_cache(maxsize=64)  # per option value, not per name
def _chinese(longest: int) -> re.Pattern[str]:
    return re.compile(f"{_CJK}{{1,{longest}}}")


@functools.lru_cache(maxsize=64)
def _going_on(longest: int, enders: str) -> re.Pattern[str]:
    return re.compile(f"({_CJK}{{1,{longest}}})([{re.escape(enders)}])?")


def _narrative_term(
    name: str, text: str, starts: Sequence[int], longest: int, enders: str
) -> str | None:
    """The longer term the narrative always writes in place of ``name``, or None.

    Every occurrence of ``name`` (``starts``: where it occurs in ``text``, all of them)
    must go on with the same 1–``longest`` Chinese characters and then one of ``enders``;
    a name also used on its own or in varied phrases is whole.
    """
    pattern = _going_on(longest, enders)
    endings: set[str] = set()
    for start in starts:
        match = pattern.match(text, start + len(name))
        if match is None or match.group(2) is None:
            return None
        endings.add(match.group(1))
    return name + endings.pop() if len(endings) == 1 else None


def _same_name(short: str, full: str, same_endings: Iterable[str]) -> bool:
    """Whether ``full`` is ``short`` written another complete way (…数 / …数量), not cut off."""
    for pair in same_endings:
        ending, _, other_ending = pair.partition("/")
        if ending and short.endswith(ending) and full == short[: -len(ending)] + other_ending:
            return True
    return False


def _values(where: list[tuple[Checked, Indicator]]) -> set[str]:
    return {v for _, i in where for v in (plain(i.target), plain(i.actual)) if v}


Places = dict[str, list[tuple[Checked, Indicator]]]


def _starting_with(name: str, ordered: list[str]) -> Iterator[str]:
    """The names in ``ordered`` (sorted) that start with ``name``, ``name`` included: one
    run from where ``name`` sorts, so a report of 10,000 indicators is not 10,000²
    comparisons."""
    for k in range(bisect.bisect_left(ordered, name), len(ordered)):
        if not ordered[k].startswith(name):
            return
        yield ordered[k]


def _longer_name(
    name: str,
    places: Places,
    ordered: list[str],
    rank: Mapping[str, int],
    longest: int,
    same_endings: tuple[str, ...],
) -> tuple[str, str] | None:
    """Another indicator named ``name`` + 1–``longest`` characters with a value in common
    (the shortest; of those, the first in the report). ``ordered``: the names, sorted;
    ``rank``: each name's place in the report."""
    mine = _values(places[name])
    found: dict[str, str] = {}
    extension = _chinese(longest)
    for other in _starting_with(name, ordered):
        extra = other[len(name) :]
        if not extension.fullmatch(extra):
            continue
        if _same_name(name, other, same_endings):
            continue
        shared = sorted(mine & _values(places[other]))
        if shared:
            found[other] = shared[0]
    if len(found) < 2:
        return next(iter(found.items()), None)
    shortest = min(len(other) for other in found)  # of those, the report's first
    first = min((other for other in found if len(other) == shortest), key=rank.__getitem__)
    return first, found[first]


class NM01(Rule):
    code = "NM01"
    name = "naming.truncated"
    title = "指标名称被截断"
    expected_label = "完整名称（参考）"
    severity = Severity.WARNING
    scope = "report"
    message = "指标名称“{name}”疑似被截断：{evidence}（见{tables}）"
    advice = "补全“{name}”的指标名称{hint}，同一指标在各表中的名称保持一致"
    options = (
        Option("min_length", 6, "名称至少多少字才检查"),
        Option("max_continuation", 4, "被截去的部分最多多少字"),
        Option("dangling_endings", DANGLING, "完整的指标名称不会以这些字结尾"),
        Option(
            "same_endings",
            ("数/数量",),
            "同一名称的两种完整写法（前者结尾的名称加字成为后者结尾时，不算截断）",
        ),
        Option("same_width", True, "同表中与已判定截断的名称字数相同、末两字不成词的名称也报告"),
    )

    def check(self, context: Context) -> Iterator[Finding]:
        min_length = int(context.options["min_length"])
        longest = int(context.options["max_continuation"])
        dangling = str("".join(context.options["dangling_endings"]))
        same_endings = tuple(str(pair) for pair in context.options["same_endings"])
        places: Places = {}
        for checked in context.tables:
            for indicator in checked.evaluation.indicators:
                if name := plain(indicator.name):
                    places.setdefault(name, []).append((checked, indicator))
        report = context.report
        text = plain("\n".join(texts(report.sections))) if report is not None else ""
        cut: dict[str, None] = {}  # names judged cut off above, in report order
        ordered = sorted(places)
        rank = {name: i for i, name in enumerate(places)}
        long_enough = [name for name in places if len(name) >= min_length]
        said = Finder(long_enough).places(text)  # where the narrative writes each name
        for name in long_enough:
            where = places[name]
            full: str | None = None
            longer = _longer_name(name, places, ordered, rank, longest, same_endings)
            starts = said.get(name, ())
            if longer is not None:
                full = longer[0]
                evidence = f"同一报告中另有指标“{full}”，指标值同为“{longer[1]}”"
            elif (
                full := _narrative_term(name, text, starts, longest, _CLOSING)
            ) and not _same_name(name, full, same_endings):
                evidence = f"正文中写作“{full}”"
            elif name[-1] in dangling:
                full = _narrative_term(name, text, starts, longest, _PUNCTUATION)
                evidence = f"名称以“{name[-1]}”结尾，语句不完整" + (
                    f"，正文中写作“{full}”" if full else ""
                )
            else:
                continue
            cut[name] = None
            yield self._report(context, name, where, full, evidence)
        if context.options["same_width"]:
            yield from self._same_width(context, places, cut, text, min_length)

    def _same_width(
        self, context: Context, places: Places, cut: dict[str, None], text: str, min_length: int
    ) -> Iterator[Finding]:
        """Names as long as a cut-off name of the same table, with a broken last word (the
        first such cut-off name in report order named as the model: the same words every run)."""
        widths: dict[int, dict[int, str]] = {}  # table → length → a cut-off name that long
        for name in cut:
            for checked, _ in places[name]:
                widths.setdefault(checked.table.index, {}).setdefault(len(name), name)
        if not widths:
            return
        models: dict[str, str] = {}
        for name, where in places.items():
            if name in cut or len(name) < min_length:
                continue
            beside = [widths.get(c.table.index, {}).get(len(name)) for c, _ in where]
            model = next((other for other in beside if other), None)
            if model is not None:
                models[name] = model
        elsewhere = _Elsewhere(text, places)
        writings = _Writings(text, (name[-4:] for name in models))
        for name, model in models.items():
            where = places[name]
            sign, full = _broken_ending(name, elsewhere, writings, _numbers(where))
            if not sign:
                continue
            evidence = f"与同表被截断的“{model}”同为 {len(name)} 字（栏宽所限），且{sign}"
            yield self._report(context, name, where, full, evidence)

    def _report(
        self,
        context: Context,
        name: str,
        where: list[tuple[Checked, Indicator]],
        full: str | None,
        evidence: str,
    ) -> Finding:
        checked, indicator = where[0]
        tables = sorted({c.table.index for c, _ in where})
        return self.finding(
            context,
            table=checked,
            indicator=indicator,
            field="name",
            expected=full,
            actual=indicator.name,
            evidence=evidence,
            tables="、".join(f"表{i}" for i in tables),
            hint=f"（如“{full}”）" if full else "",
        )


# Verbs that join a name to its figure in the narrative (“交易额实现308亿元”): never part
# of the longer name the narrative writes.
_VERBS = "达到|达|为|实现|完成|共计|共|累计|超过|提升到|提升|增长|增加|新增|获得"


# What follows a name's last four characters when the narrative writes the name longer and
# then the indicator's figure: 1–6 more characters, perhaps a verb, the number.
_LONGER_THEN_FIGURE = re.compile(f"((?:(?!{_VERBS}){_CJK}){{1,6}})(?:{_VERBS})?(\\d+(?:\\.\\d+)?)")


class _Elsewhere:
    """Whether two characters occur in the narrative or in another indicator's name: the
    text's pairs of characters in a set, and how many names hold each pair."""

    def __init__(self, text: str, names: Iterable[str]) -> None:
        self.text = {text[i : i + 2] for i in range(len(text) - 1)}
        self.names = Counter(pair for name in names for pair in _pairs(name))

    def __call__(self, pair: str, name: str) -> bool:
        return pair in self.text or self.names[pair] > (1 if pair in _pairs(name) else 0)


def _pairs(name: str) -> set[str]:
    return {name[i : i + 2] for i in range(len(name) - 1)}


class _Writings:
    """Where the narrative goes on from four characters to a longer name and a figure, for
    each four characters asked for: the text searched once for all of them, and for each
    number written, its first such place (many names end alike: 服务对象满意度)."""

    def __init__(self, text: str, tails: Iterable[str]) -> None:
        self.text = text
        self.ends = Finder(tails).places(text)
        self._known: dict[str, dict[str, tuple[int, str, str]]] = {}

    def first(self, tail: str, values: Iterable[str]) -> tuple[str, str] | None:
        """(what the text writes, the characters it adds) at the first place where a longer
        name after ``tail`` is followed by one of ``values``, or None."""
        by_number = self._known.get(tail)
        if by_number is None:
            by_number = self._known[tail] = self._numbers(tail)
        found = [by_number[v] for v in values if v in by_number]
        if not found:
            return None
        _order, said, more = min(found)
        return said, more

    def _numbers(self, tail: str) -> dict[str, tuple[int, str, str]]:
        out: dict[str, tuple[int, str, str]] = {}
        reached = 0  # one writing after another, as a search through the text finds them
        for start in self.ends.get(tail, ()):
            if start < reached:
                continue
            match = _LONGER_THEN_FIGURE.match(self.text, start + len(tail))
            if match is None:
                continue
            reached = match.end()
            number = match.group(2)
            if number not in out:
                out[number] = (start, self.text[start:reached], match.group(1))
        return out


def _broken_ending(
    name: str, elsewhere: _Elsewhere, writings: _Writings, values: set[str]
) -> tuple[str, str | None]:
    """Why the end of ``name`` looks like half a word (and the longer name), or ("", None).

    Either its last two characters occur nowhere else in the report (neither the
    narrative nor any other indicator name uses them: “室重”, “政配”), or the narrative
    states one of the indicator's own figures right after its last four characters and
    1–6 more (“有效发明专利拥有量达到27.01件” for “每万人口有效发明”, 27.01件).
    """
    ending = name[-2:]
    if not _TWO_CJK.fullmatch(ending):
        return "", None
    if not elsewhere(ending, name):
        return f"末两字“{ending}”在报告其他地方从未出现，不成词", None
    written = writings.first(name[-4:], values)
    if written is None:
        return "", None
    said, more = written
    return f"正文写作“{said}”，与本指标的数值相同", name + more


def _numbers(where: list[tuple[Checked, Indicator]]) -> set[str]:
    """The figures written in the indicator's 年度指标值 and 实际完成值 cells."""
    cells = (plain(v) for _, i in where for v in (i.target, i.actual))
    return {n for cell in cells for n in _NUMBER.findall(cell)}
