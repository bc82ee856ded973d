"""XC07 增减变动表述计算错误.

检查：正文中“B，比上年增加（减少）Y，增长（下降）Z%”和“由 A 增加（减少）到 B（，增加 Y，增长 Z%）”
这类增减变动句的算术：B − A 应等于 Y，Y ÷ A（或 (B − A) ÷ A）应等于 Z%。上年数 A 未写出时按
B ∓ Y 推算。B 取紧挨在“比上年”之前的数字，A、B、Y 须为同一单位（金额可在元、万元、亿元间换算）；
句中给出的数字不够推算时不检查（如“比上年减少19.19%”只有一个百分比）。每个数字按其写出的精度
理解：6.44 万元可以是 6.435 到 6.445 万元之间的任何数，只要在这些范围内算得出文中的数字，
就不提示（正确的报告不会因四舍五入被误报）；家、人、项等整数计数视为精确数。

原因：增减额和增幅是读者判断变化大小的依据；算错的百分比或差额会夸大或掩盖变化，也说明数字
未经复核。

错误示例：“公务接待费2.24万元，比上年度增加0.21万元，增加12.5%”（上年为 2.03 万元，增幅应为
10.34%）；“由120万元增加到150万元，增加20万元”（应为 30 万元）。

正确示例：“年末实有人数14人，比上年增加4人，增加40%”；“一般公共预算经费拨款支出“三公”经费
6.44万元，比上年度减少1.97万元，减少23.42%”（1.97 ÷ 8.41 = 23.42%）。

选项：`base_words` 表示比较基期的字样（上年、去年、上年度、上年同期…）；`increase_words`、
`decrease_words` 表示增加、减少的字样；`exact_units` 视为精确整数的计量单位；`tolerance`
差额允许的误差（与数字同单位，默认 0）；`percent_tolerance` 增幅允许的误差（百分点，默认 0）。
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from itertools import product
from typing import Any

from jixiao.audit.finding import Finding, Severity
from jixiao.audit.precision import at_precision_of
from jixiao.audit.rule import Context, Option, Rule, show
from jixiao.audit.rules.cross import _narrative as nar

BASES = ("上年度", "上一年度", "上一年", "上年同期", "去年同期", "上年", "去年", "前一年")
UP = ("增加", "增长", "上升", "提高", "增多")
DOWN = ("减少", "下降", "降低", "下滑", "减")
EXACT = ("人", "名", "家", "个", "项", "件")
HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class Amount:
    """A stated figure on a common scale (万元 for money), with its rounding half-unit."""

    value: Decimal
    half: Decimal
    kind: str  # 元 for money, % for a rate, else the unit
    text: str
    end: int


@dataclass(frozen=True, slots=True)
class Change:
    """One change as a sentence states it: from `before` to `after` by `change` / `rate`."""

    before: Amount | None
    after: Amount | None
    change: Amount | None
    rate: Amount | None
    rising: bool


class XC07(Rule):
    code = "XC07"
    name = "cross.change-arithmetic"
    title = "增减变动表述计算错误"
    in_text = True
    actual_label = "报告文字"
    severity = Severity.WARNING
    scope = "report"
    message = (
        "增减变动计算有误：“{quote}”中{what}按文中数字应为 {right}（{how}），文中写作 {written}"
    )
    advice = "按文中的本年数和上年数重新计算{what}，或核对所用的数字"
    options = (
        Option("base_words", BASES, "表示比较基期的字样（“比上年”“较去年”中的上年、去年）"),
        Option("increase_words", UP, "表示增加的字样"),
        Option("decrease_words", DOWN, "表示减少的字样"),
        Option("exact_units", EXACT, "视为精确整数、不按四舍五入理解的计量单位"),
        Option("tolerance", Decimal(0), "差额允许的误差（与数字同单位）"),
        Option("percent_tolerance", Decimal(0), "增幅允许的误差（百分点）"),
    )

    def check(self, context: Context) -> Iterator[Finding]:
        o = context.options
        grammar = _Grammar(o)
        for sentence in nar.report_sentences(context):
            for change in grammar.read(sentence):
                parts = (change.after, change.change, change.rate)
                last = max((x.end for x in parts if x), default=None)
                for what, right, written, how in _problems(change, o):
                    unit = {"%": "%", "元": "万元"}.get(written.kind, written.kind)
                    yield self.finding(
                        context,
                        field="rate" if written.kind == "%" else "change",
                        expected=right,
                        actual=written.value,
                        source=sentence.source,
                        quote=nar.quote(sentence.text, 60, end=last),
                        what=what,
                        right=f"{show(right)}{unit}",
                        how=how,
                        written=nar.compact(written.text),
                    )


class _Grammar:
    """The phrases of a change sentence, built from the configured words."""

    def __init__(self, o: Any) -> None:
        self.up = tuple(o["increase_words"])
        self.exact = tuple(o["exact_units"])
        words = _alternatives((*self.up, *o["decrease_words"]))
        bases = _alternatives(o["base_words"])
        self.versus = re.compile(rf"(?:[比较与]\s*(?:{bases}|\d{{4}}\s*年度?)\s*(?:相比)?|同比)")
        self.span = re.compile(r"[由从]\s*(?=\d)")
        self.moved = re.compile(rf"\s*(?P<dir>{words})\s*(?:到|至|为)\s*")
        self.item = re.compile(
            rf"\s*[，,（(]?\s*(?:(?P<up>增幅|涨幅)|(?P<down>降幅|减幅)|(?P<dir>{words})(?:幅度|率|幅)?)"
            r"\s*(?:了|为|达到|达|到|至)?\s*"
        )

    def read(self, sentence: nar.Sentence) -> Iterator[Change]:
        text = sentence.text
        for m in self.versus.finditer(text):
            after = self._before(sentence, m.start())
            items = self._items(sentence, m.end())
            if items is not None:
                rising, change, rate = items
                yield Change(None, after, change, rate, rising)
        for m in self.span.finditer(text):
            first = self._at(sentence, m.end())
            moved = self.moved.match(text, first.end) if first else None
            second = self._at(sentence, moved.end()) if moved else None
            if first is None or moved is None or second is None:
                continue
            rising = moved["dir"] in self.up
            items = self._items(sentence, second.end)
            change, rate = (items[1], items[2]) if items and items[0] == rising else (None, None)
            yield Change(first, second, change, rate, rising)

    def _items(
        self, sentence: nar.Sentence, position: int
    ) -> tuple[bool, Amount | None, Amount | None] | None:
        """增加Y万元，增长Z%: the change and the rate after a comparison, in either order."""
        rising: bool | None = None
        change = rate = None
        for _ in range(2):
            m = self.item.match(sentence.text, position)
            figure = self._at(sentence, m.end()) if m else None
            if m is None or figure is None:
                break
            up = bool(m["up"]) or (m["dir"] is not None and m["dir"] in self.up)
            if rising is not None and up != rising:
                return None  # 增加…下降…: not one change
            rising, position = up, figure.end
            if figure.kind == "%" and rate is None:
                rate = figure
            elif figure.kind != "%" and change is None:
                change = figure
            else:
                break
        return None if rising is None else (rising, change, rate)

    def _at(self, sentence: nar.Sentence, position: int) -> Amount | None:
        while position < len(sentence.text) and sentence.text[position].isspace():
            position += 1
        placed = next((p for p in sentence.figures if p.start == position), None)
        return self._amount(placed) if placed else None

    def _before(self, sentence: nar.Sentence, position: int) -> Amount | None:
        """The figure the comparison is about: right before it, nothing but a comma between."""
        for placed in reversed(sentence.figures):
            if placed.end <= position:
                if re.fullmatch(r"[\s，,]*", sentence.text[placed.end : position]):
                    amount = self._amount(placed)
                    return amount if amount and amount.kind != "%" else None
                return None
        return None

    def _amount(self, placed: nar.Placed) -> Amount | None:
        figure = placed.figure
        money = nar.in_wan(figure)
        if money is not None:
            return Amount(money[0], money[1], "元", figure.text, placed.end)
        if figure.unit is None or figure.unit == "个百分点":
            return None
        exact = figure.unit in self.exact
        half = nar.half_unit(figure.value, exact=exact)
        return Amount(figure.value, half, figure.unit, figure.text, placed.end)


def _alternatives(words: Sequence[str]) -> str:
    return "|".join(map(re.escape, sorted((w for w in words if w), key=len, reverse=True)))


def _problems(change: Change, o: Any) -> Iterator[tuple[str, Decimal, Amount, str]]:
    """(what, the right figure, the written one, how it is computed) for each wrong figure."""
    a, b, y, z = change.before, change.after, change.change, change.rate
    if b is None or len({x.kind for x in (a, b, y) if x is not None}) != 1:
        return
    sign = 1 if change.rising else -1
    if a is not None and y is not None:
        moved = (b.value - a.value) * sign
        if not nar.overlap(moved, a.half + b.half, y.value, y.half, Decimal(str(o["tolerance"]))):
            yield "变动额", moved, y, f"{show(b.value)} − {show(a.value)}"
            return
    if z is None:
        return
    found = _rate(a, b, y, sign)
    if found is None:
        return
    low, high, point, how = found
    tolerance = Decimal(str(o["percent_tolerance"]))
    right = at_precision_of(z.value, point)
    if abs(right - z.value) <= tolerance:
        return
    if low - tolerance <= z.value + z.half and z.value - z.half <= high + tolerance:
        return  # the rounded figures allow it: the unrounded ones may well give it
    yield "变动幅度", right, z, how


def _rate(
    a: Amount | None, b: Amount, y: Amount | None, sign: int
) -> tuple[Decimal, Decimal, Decimal, str] | None:
    """The rate in percent the other figures give: lowest, highest (rounding) and as written."""
    inputs: tuple[Amount, ...]
    base: Callable[..., Decimal]
    moved: Callable[..., Decimal]
    if a is not None and y is not None:
        inputs, how = (a, y), f"{show(y.value)} ÷ {show(a.value)}"
        base, moved = (lambda av, yv: av), (lambda av, yv: yv)
    elif y is not None:
        shown = f"{show(b.value)} {'−' if sign > 0 else '+'} {show(y.value)}"
        inputs, how = (b, y), f"{show(y.value)} ÷ ({shown})"
        base, moved = (lambda bv, yv: bv - sign * yv), (lambda bv, yv: yv)
    elif a is not None:
        inputs, how = (a, b), f"({show(b.value)} − {show(a.value)}) ÷ {show(a.value)}"
        base, moved = (lambda av, bv: av), (lambda av, bv: (bv - av) * sign)
    else:
        return None
    corners = list(product(*((x.value - x.half, x.value + x.half) for x in inputs)))
    points = [tuple(x.value for x in inputs), *corners]
    try:
        if any(base(*p) <= 0 for p in points):
            return None
        rates = [moved(*p) / base(*p) * HUNDRED for p in points]
    except (ArithmeticError, InvalidOperation):
        return None
    return min(rates), max(rates), rates[0], how
