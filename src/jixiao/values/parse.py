"""The value parser: what a 年度指标值 or 实际完成值 says (comparator, number, unit, …).

``parse_value`` never raises: text it cannot decide comes back as ``UNREADABLE`` or
``QUALITATIVE`` with the reason in plain Chinese. Results are cached, since the same
strings ("95%", "12月", "已完成") recur in every report.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

from jixiao.values.numerals import DIGITS, chinese_to_decimal
from jixiao.values.types import (
    Comparator,
    Direction,
    Quantity,
    TimeValue,
    Value,
    ValueKind,
)

# Units, longest first so that 人年 wins over 人 and 个百分点 over 个.
UNITS = (
    "个百分点",
    "百分点",
    "百分比",
    "平方米",
    "平方公里",
    "千瓦时",
    "人年",
    "人次",
    "户次",
    "小时",
    "分钟",
    "公里",
    "千米",
    "千克",
    "千瓦",
    "公顷",
    "元/人",
    "万元",
    "m2",
    "%",
    "‰",
    "元",
    "家",
    "个",
    "项",
    "件",
    "名",
    "人",
    "次",
    "场",
    "所",
    "台",
    "套",
    "篇",
    "部",
    "户",
    "亩",
    "吨",
    "米",
    "天",
    "日",
    "周",
    "批",
    "期",
    "支",
    "条",
    "辆",
    "座",
    "倍",
    "笔",
    "册",
    "本",
    "份",
    "张",
    "处",
    "床",
    "头",
    "只",
    "株",
    "棵",
    "kw",
    "km",
    "GB",
    "分",
    "年",
)
# Measure words after which a Chinese numeral is read as a number (两个, 十家).
CLASSIFIERS = frozenset("个家项件名人次场所台套篇部户亩吨天周期支条辆座倍笔册本份张处床")
MAGNITUDES = {
    "万亿": Decimal(10) ** 12,
    "千万": Decimal(10) ** 7,
    "百万": Decimal(10) ** 6,
    "亿": Decimal(10) ** 8,
    "万": Decimal(10) ** 4,
    "千": Decimal(10) ** 3,
}
UNIT_ALIASES = {"百分比": "%", "m2": "平方米", "万元": "元"}

_PREFIX_COMPARATORS = (
    ("大于等于", Comparator.GE),
    ("不低于", Comparator.GE),
    ("不少于", Comparator.GE),
    ("不小于", Comparator.GE),
    ("至少", Comparator.GE),
    ("达到", Comparator.GE),
    ("超过", Comparator.GT),
    ("高于", Comparator.GT),
    ("大于", Comparator.GT),
    ("多于", Comparator.GT),
    ("小于等于", Comparator.LE),
    ("不超过", Comparator.LE),
    ("不高于", Comparator.LE),
    ("不大于", Comparator.LE),
    ("控制在", Comparator.LE),
    ("低于", Comparator.LT),
    ("小于", Comparator.LT),
    ("少于", Comparator.LT),
    (">=", Comparator.GE),
    ("≥", Comparator.GE),
    ("≧", Comparator.GE),
    ("<=", Comparator.LE),
    ("≤", Comparator.LE),
    ("≦", Comparator.LE),
    (">", Comparator.GT),
    ("<", Comparator.LT),
    ("=", Comparator.EQ),
    ("约", Comparator.EQ),
    ("达", Comparator.GE),
)
_PREFIX_BY_LENGTH = sorted(_PREFIX_COMPARATORS, key=lambda item: -len(item[0]))
_SUFFIX_COMPARATORS = (
    ("及以上", Comparator.GE),
    ("以上", Comparator.GE),
    ("之上", Comparator.GE),
    ("及以下", Comparator.LE),
    ("以下", Comparator.LE),
    ("以内", Comparator.LE),
    ("之内", Comparator.LE),
    ("内", Comparator.LE),
    ("左右", Comparator.EQ),
)

_PREFIX_WORDS = dict(_PREFIX_COMPARATORS)
_SUFFIX_WORDS = dict(_SUFFIX_COMPARATORS)
# Looked up by the last (first) n characters, longest first: no two prefix words of one
# length end a text alike, and no suffix word begins another, so a dict lookup per length
# finds the word a scan of the lists in order would.
_PREFIX_LENGTHS = sorted({len(word) for word in _PREFIX_WORDS}, reverse=True)
_SUFFIX_LENGTHS = sorted({len(word) for word in _SUFFIX_WORDS}, reverse=True)
ONE = Decimal(1)
# The scale of a 万元 amount for each magnitude written before it (亿万元 is 10¹²).
_WAN_SCALES = {
    mag: (MAGNITUDES[mag] if mag else ONE) * MAGNITUDES["万"] for mag in (None, *MAGNITUDES)
}
_new = tuple.__new__  # named tuples made without their Python-level __new__
QUANTITY, UNKNOWN = ValueKind.QUANTITY, Direction.UNKNOWN
_NO_COMPARATOR = "未写比较符（≥、以上、不超过等），方向须由指标类别判断"
_UNIT_RE = "|".join(re.escape(u) for u in UNITS)
_MAG_RE = "|".join(MAGNITUDES)
_TOKEN = re.compile(
    rf"(?P<num>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)"
    rf"(?P<mag>{_MAG_RE})?(?P<unit>{_UNIT_RE})?"
)
# Verbs of aspiration in front of the measured thing: 争取实现技术合同成交额 → 技术合同成交额.
_LEAD_VERB_WORDS = ("争取", "力争", "确保", "实现")
_LEAD_VERBS = re.compile("^(?:" + "|".join(_LEAD_VERB_WORDS) + ")+")
_SIMPLE = re.compile(
    "^(?P<pre>" + "|".join(re.escape(w) for w, _ in _PREFIX_BY_LENGTH) + r")?"
    rf"(?P<num>\d+(?:\.\d+)?)(?P<mag>{_MAG_RE})?(?P<unit>{_UNIT_RE})?"
    "(?P<suf>" + "|".join(w for w, _ in _SUFFIX_COMPARATORS) + ")?$"
)
# A range "3-5家", "3～5个", "90%-95%", "控制在3至5万元": both ends, the unit on either or
# both (NFKC has already made ～ and － into ~ and -).
_RANGE_MARKS = frozenset("-~至到—–")
_RANGE = re.compile(
    r"^(?P<head>\D*?)"
    rf"(?P<low>\d+(?:\.\d+)?)(?P<low_mag>{_MAG_RE})?(?P<low_unit>{_UNIT_RE})?"
    r"(?:-|~|至|到|—|–)"
    rf"(?P<high>\d+(?:\.\d+)?)(?P<mag>{_MAG_RE})?(?P<unit>{_UNIT_RE})?"
    "(?P<suf>" + "|".join(w for w, _ in _SUFFIX_COMPARATORS) + ")?$"
)
_SEPARATORS = re.compile(r"[,;、，；。]")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?:\D|$))")

_DATE = re.compile(
    r"^(?:(?P<y>\d{4})[.\-/年])?(?P<m>\d{1,2})(?:[.\-/月](?P<d>\d{1,2})日?|月(?:底|末|份)?)?"
    r"(?P<before>前|以前|之前|底前)?(?:完成|完工|办结)?$"
)
_MONTH_ONLY = re.compile(r"^(?P<m>\d{1,2})月(?:底|末|份)?(?P<before>前|以前|之前)?(?:完成)?$")
_DURATION = re.compile(r"^(?P<n>\d+(?:\.\d+)?|[一二两三四五六七八九十]+)个月(?P<within>内|以内)?$")
_YEAR_END = re.compile(r"^(?:(?P<y>\d{4})年)?年?(?:底|末)(?:前|之前)?(?:完成)?$")


def normalise(text: str) -> str:
    """Full-width to half-width, whitespace and thousands separators removed."""
    out = unicodedata.normalize("NFKC", text)
    # str.split() and the regex \s both split on exactly the characters str.isspace() names
    out = "".join(out.split())
    return _THOUSANDS.sub("", out) if "," in out else out


@lru_cache(maxsize=1 << 17)
def parse_value(text: str | None) -> Value:
    """Read a target or actual value as a person would."""
    if text is None or not text.strip():
        return Value(text or "", ValueKind.EMPTY, Direction.UNKNOWN, reason="未填写")
    norm = normalise(text)
    simple = _SIMPLE.match(norm)
    if simple is not None and simple["unit"] != "年":
        return _simple_value(text, simple)
    time = _parse_time(norm)
    if time is not None:
        return Value(text, ValueKind.TIME, Direction.TIME, time=time, comparator=time.comparator)
    if not _RANGE_MARKS.isdisjoint(norm):
        found = _RANGE.match(norm)
        if found is not None:
            ranged = _range_value(text, found)
            if ranged is not None:
                return ranged
    return _parse_quantities(text, norm)


def _range_value(text: str, match: re.Match[str]) -> Value | None:
    """A range read as the end that decides attainment: the lower end ("3-5家" is reached
    at 3家, whether 正向 is written or left to the category), the upper end after a 反向
    word ("控制在3-5万元", "3-5万元以内"). ``None`` when it is no range: years, a unit on
    neither end (12-31 may be a date), two different units, ends in the wrong order."""
    unit, mag = match["unit"], match["mag"]
    low_unit, low_mag = match["low_unit"], match["low_mag"]
    if "年" in (unit, low_unit) or not (unit or mag or low_unit or low_mag):
        return None
    if (low_unit and unit and low_unit != unit) or (low_mag and mag and low_mag != mag):
        return None
    unit, mag = unit or low_unit, mag or low_mag
    low, high = Decimal(match["low"]), Decimal(match["high"])
    if low >= high:
        return None
    prefix, label = _prefix_comparator(match["head"])
    if label[:2] in _LEAD_VERB_WORDS:
        label = _LEAD_VERBS.sub("", label)
    if prefix is None and label.endswith("控制在"):
        prefix, label = Comparator.LE, label[:-3]
    comparator = prefix or (_SUFFIX_WORDS[match["suf"]] if match["suf"] else None)
    upper = comparator in (Comparator.LE, Comparator.LT)
    scale = MAGNITUDES[mag] if mag else ONE
    if unit == "万元":
        scale, mag, unit = scale * MAGNITUDES["万"], (mag or "") + "万", "元"
    quantity = Quantity(
        high if upper else low,
        scale,
        UNIT_ALIASES.get(unit, unit) if unit else None,
        mag,
        comparator,
        label or None,
        None if upper else high,
    )
    direction = direction_of(comparator)
    end = "上限" if upper else "下限"
    reason = f"区间值，按{end} {quantity.shown} 判断是否达成"
    if direction is Direction.UNKNOWN:
        reason += "；" + _NO_COMPARATOR
    return Value(text, ValueKind.QUANTITY, direction, (quantity,), None, comparator, reason)


def _simple_value(text: str, match: re.Match[str]) -> Value:
    """The common short forms (8家, ≥95%, 260亿, 100万元以内) without the general machinery."""
    pre, num, mag, unit, suf = match.groups()
    comparator = _PREFIX_WORDS[pre] if pre else (_SUFFIX_WORDS[suf] if suf else None)
    if unit == "万元":
        scale, mag, unit = _WAN_SCALES[mag], (mag or "") + "万", "元"
    else:
        scale = MAGNITUDES[mag] if mag else ONE
        if unit is not None:
            unit = UNIT_ALIASES.get(unit, unit)
    quantity = _new(Quantity, (Decimal(num), scale, unit, mag, comparator, None, None))
    direction = _DIRECTIONS.get(comparator, UNKNOWN)
    reason = _NO_COMPARATOR if direction is UNKNOWN else None
    fields = (text, QUANTITY, direction, (quantity,), None, comparator, reason)
    return _new(Value, fields)


def _parse_time(norm: str) -> TimeValue | None:
    match = _DURATION.match(norm)
    if match:
        n = match["n"]
        months = Decimal(n) if n[0].isdigit() else chinese_to_decimal(n)
        if months is not None:
            return TimeValue(months=months, comparator=Comparator.LE)
    match = _MONTH_ONLY.match(norm) or _DATE.match(norm)
    if match and ("月" in norm or match.groupdict().get("y")):
        month = int(match["m"])
        day = match.groupdict().get("d")
        year = match.groupdict().get("y")
        if 1 <= month <= 12 and (day is None or 1 <= int(day) <= 31):
            return TimeValue(
                year=int(year) if year else None,
                month=month,
                day=int(day) if day else None,
                comparator=Comparator.LE if match["before"] else None,
            )
    match = _YEAR_END.match(norm)
    if match and norm:
        year = match["y"]
        return TimeValue(
            year=int(year) if year else None, month=12, day=31, comparator=Comparator.LE
        )
    return None


def _prefix_comparator(before: str) -> tuple[Comparator | None, str]:
    """The comparator word that ends ``before``, and the text left in front of it."""
    for n in _PREFIX_LENGTHS:
        word = before[-n:]  # the whole of a shorter text: a word then if anything is
        comparator = _PREFIX_WORDS.get(word)
        if comparator is not None:
            return comparator, before[: -len(word)]
    return None, before


def _suffix_comparator(after: str) -> tuple[Comparator | None, str]:
    for n in _SUFFIX_LENGTHS:
        word = after[:n]
        comparator = _SUFFIX_WORDS.get(word)
        if comparator is not None:
            return comparator, after[len(word) :]
    return None, after


def _is_number_token(segment: str, match: re.Match[str]) -> bool:
    """Tell a real number from digits that are part of words, years, months or ordinals."""
    num, unit = match["num"], match["unit"]
    start, end = match.span()
    following = segment[end : end + 1]
    if num[0] in DIGITS or num[0] in "十百千万":
        # A Chinese numeral counts only before a measure word and not as an ordinal.
        if not unit or unit[0] not in CLASSIFIERS:
            return False
        if start > 0 and segment[start - 1] in "第初":
            return False
        return chinese_to_decimal(num) is not None
    if unit == "年" or (following == "年" and not unit):
        return False  # 2020年: a year, not a quantity
    if unit is None and following in ("月", "日", "-", "~", "至", "/"):
        return False  # 1-11月, 12月31日: dates
    return not (start > 0 and segment[start - 1] in "第-~/")


def _read_segment(segment: str) -> list[Quantity] | str:
    """The quantities in one comma-free piece of text, or a reason it has too many."""
    found: list[Quantity] = []
    tail_start = 0
    matches = [m for m in _TOKEN.finditer(segment) if _is_number_token(segment, m)]
    if len(matches) > 1:
        return (
            "同一段文字中有多个数字（"
            + "、".join(m.group() for m in matches)
            + "），无法判断哪个是指标值"
        )
    for match in matches:
        num, mag, unit = match["num"], match["mag"], match["unit"]
        number = Decimal(num) if num[0].isdigit() else chinese_to_decimal(num)
        assert number is not None
        before = segment[tail_start : match.start()]
        prefix, label = _prefix_comparator(before)
        if prefix is None and label.endswith("控制在"):
            prefix, label = Comparator.LE, label[:-3]
        if label[:2] in _LEAD_VERB_WORDS:
            label = _LEAD_VERBS.sub("", label)
        suffix, _rest = _suffix_comparator(segment[match.end() :])
        comparator = prefix or suffix
        if unit == "万元":
            scale, mag, unit = _WAN_SCALES[mag], (mag or "") + "万", "元"
        else:
            scale = MAGNITUDES[mag] if mag else ONE
            if unit is not None:
                unit = UNIT_ALIASES.get(unit, unit)
        fields = (number, scale, unit, mag, comparator, label or None, None)
        found.append(_new(Quantity, fields))
    return found


def _parse_quantities(text: str, norm: str) -> Value:
    parts: list[Quantity] = []
    for segment in _SEPARATORS.split(norm):
        read = _read_segment(segment)
        if isinstance(read, str):
            return Value(text, ValueKind.UNREADABLE, Direction.UNKNOWN, reason=read)
        parts.extend(read)
    if not parts:
        comparator, _ = _prefix_comparator(norm.rstrip("内以之"))
        if "控制在" in norm and norm.endswith("内"):
            comparator = Comparator.LE
        return Value(
            text,
            ValueKind.QUALITATIVE,
            Direction.QUALITATIVE,
            comparator=comparator if comparator is Comparator.LE else None,
        )
    directions = {_DIRECTIONS.get(part.comparator, UNKNOWN) for part in parts}
    direction = directions.pop() if len(directions) == 1 else Direction.UNKNOWN
    reason = None
    if direction is Direction.UNKNOWN:
        reason = _NO_COMPARATOR
    if len(parts) == 1:
        return _new(
            Value, (text, QUANTITY, direction, tuple(parts), None, parts[0].comparator, reason)
        )
    return _new(Value, (text, ValueKind.COMPOUND, direction, tuple(parts), None, None, reason))


def direction_of(comparator: Comparator | None) -> Direction:
    """正向 for ≥ >, 反向 for ≤ <, 等值 for =, unknown without a comparator."""
    return _DIRECTIONS.get(comparator, UNKNOWN)


_DIRECTIONS: dict[Comparator | None, Direction] = {
    Comparator.GE: Direction.POSITIVE,
    Comparator.GT: Direction.POSITIVE,
    Comparator.LE: Direction.NEGATIVE,
    Comparator.LT: Direction.NEGATIVE,
    Comparator.EQ: Direction.EQUAL,
}
