"""NM01 指标名称被截断.

检查：因栏宽太窄而被截断的指标名称。依据三类证据，每类都从严判断：（1）同一报告中另有指标的
名称是这个名称再加 1–4 个汉字，且年度指标值或实际完成值相同（“全社会研发投入总”与“全社会研发
投入总量”，都是 101亿）；（2）正文中每次出现这个名称，后面总是跟着相同的 1–4 个字和右引号
（“株洲市青年科技之星”）；（3）名称以不能作词语结尾的字结尾（之、的、和、与、及、占……）。少
于 6 个字的名称不检查。每个被截断的名称在一份报告中只报告一次，并列出所在的表。

原因：被截断的名称（“株洲市青年科技之”）说不清衡量的是什么；公开的表显得粗糙，该指标也无法与
其他年度、其他单位对照。

错误示例：一张支出方向表写“基础研究占全社会研发投入”，另一张写“基础研究占全社会研发投入比重”
（同为 6% → 6.65%）。

正确示例：“技术合同交易额”（260亿）与“技术合同交易额占GDP比重”（6%）：是两个不同的指标；正文
中“企业满意度”后接“达95%”；“培训技术经纪人数”与“培训技术经纪人数量”（同为 100名）：“人数”
本身是完整的词，两者是同一名称的两种写法。

选项：`min_length`：名称至少多少字才检查（默认 6）；`max_continuation`：被截去的部分最多多少
字（默认 4）；`dangling_endings`：完整的指标名称不会用作结尾的字（默认 之的和与及或并占
对）；`same_endings`：同一名称的两种完整写法（默认 数/数量：“培训技术经纪人数”与“培训技术
经纪人数量”都是完整的名称，不算截断）。
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.rule import Checked, Context, Option, Rule
from jixiao.model import Indicator, Section

_CJK = "[\u4e00-\u9fff]"
_CLOSING = "”’」』》〉）)】\"'"
_PUNCTUATION = _CLOSING + "，,。；;：:、！!？?（(“‘「《"
DANGLING = "之的和与及或并占对"


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _texts(sections: Iterable[Section]) -> Iterator[str]:
    for section in sections:
        yield section.heading
        yield section.text
        yield from _texts(section.children)


def _narrative_term(name: str, text: str, longest: int, enders: str) -> str | None:
    """The longer term the narrative always writes in place of ``name``, or None.

    Every occurrence of ``name`` must go on with the same 1–``longest`` Chinese characters
    and then one of ``enders``; a name also used on its own or in varied phrases is whole.
    """
    pattern = re.compile(f"({_CJK}{{1,{longest}}})([{re.escape(enders)}])?")
    endings: set[str] = set()
    start = text.find(name)
    while start >= 0:
        match = pattern.match(text, start + len(name))
        if match is None or match.group(2) is None:
            return None
        endings.add(match.group(1))
        start = text.find(name, start + 1)
    return name + endings.pop() if len(endings) == 1 else None


def _same_name(short: str, full: str, same_endings: Iterable[str]) -> bool:
    """Whether ``full`` is ``short`` written another complete way (…数 / …数量), not cut off."""
    for pair in same_endings:
        ending, _, other_ending = pair.partition("/")
        if ending and short.endswith(ending) and full == short[: -len(ending)] + other_ending:
            return True
    return False


def _values(where: list[tuple[Checked, Indicator]]) -> set[str]:
    return {v for _, i in where for v in (_norm(i.target), _norm(i.actual)) if v}


Places = dict[str, list[tuple[Checked, Indicator]]]


def _longer_name(
    name: str, places: Places, longest: int, same_endings: tuple[str, ...]
) -> tuple[str, str] | None:
    """Another indicator named ``name`` + 1–``longest`` characters with a value in common."""
    mine = _values(places[name])
    best: tuple[str, str] | None = None
    for other, where in places.items():
        extra = other[len(name) :]
        if not other.startswith(name) or not re.fullmatch(f"{_CJK}{{1,{longest}}}", extra):
            continue
        if _same_name(name, other, same_endings):
            continue
        shared = sorted(mine & _values(where))
        if shared and (best is None or len(other) < len(best[0])):
            best = (other, shared[0])
    return best


class NM01(Rule):
    code = "NM01"
    name = "naming.truncated"
    title = "指标名称被截断"
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
    )

    def check(self, context: Context) -> Iterator[Finding]:
        min_length = int(context.options["min_length"])
        longest = int(context.options["max_continuation"])
        dangling = str("".join(context.options["dangling_endings"]))
        same_endings = tuple(str(pair) for pair in context.options["same_endings"])
        places: Places = {}
        for checked in context.tables:
            for indicator in checked.evaluation.indicators:
                if name := _norm(indicator.name):
                    places.setdefault(name, []).append((checked, indicator))
        report = context.report
        text = _norm("\n".join(_texts(report.sections))) if report is not None else ""
        for name, where in places.items():
            if len(name) < min_length:
                continue
            full: str | None = None
            longer = _longer_name(name, places, longest, same_endings)
            if longer is not None:
                full = longer[0]
                evidence = f"同一报告中另有指标“{full}”，指标值同为“{longer[1]}”"
            elif (full := _narrative_term(name, text, longest, _CLOSING)) and not _same_name(
                name, full, same_endings
            ):
                evidence = f"正文中写作“{full}”"
            elif name[-1] in dangling:
                full = _narrative_term(name, text, longest, _PUNCTUATION)
                evidence = f"名称以“{name[-1]}”结尾，语句不完整" + (
                    f"，正文中写作“{full}”" if full else ""
                )
            else:
                continue
            checked, indicator = where[0]
            tables = sorted({c.table.index for c, _ in where})
            yield self.finding(
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
