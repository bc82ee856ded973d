"""Every target and actual value in the seed reports and domain.md §4, read by hand."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

import pytest
import yaml

from jixiao.values import (
    Aligned,
    Comparator,
    Direction,
    Quantity,
    Tier,
    TimeValue,
    Value,
    ValueKind,
    align,
    assess,
    pair_parts,
    parse_value,
)
from tests.conftest import SAMPLES

QTY = ValueKind.QUANTITY
COMPOUND = ValueKind.COMPOUND
TIME = ValueKind.TIME
QUAL = ValueKind.QUALITATIVE
EMPTY = ValueKind.EMPTY

POS = Direction.POSITIVE
NEG = Direction.NEGATIVE
UNKNOWN = Direction.UNKNOWN
ON_TIME = Direction.TIME
QUALITATIVE = Direction.QUALITATIVE

GE = Comparator.GE
LE = Comparator.LE

SCALES: dict[str | None, Decimal] = {
    None: Decimal(1),
    "千": Decimal(10) ** 3,
    "万": Decimal(10) ** 4,
    "亿": Decimal(10) ** 8,
}


class Part(NamedTuple):
    """One number as a reviewer reads it; ``magnitude`` fixes the expected scale."""

    number: str
    unit: str | None = None
    magnitude: str | None = None
    label: str | None = None
    comparator: Comparator | None = None


class Reading(NamedTuple):
    text: str
    kind: ValueKind
    direction: Direction
    parts: tuple[Part, ...] = ()
    time: TimeValue | None = None
    comparator: Comparator | None = None  # value-level, for qualitative and empty values


READINGS: list[Reading] = [
    # ---- seed 000: 株洲市科技发展专项, overall table and six sub-directions ----
    # Bare numbers: no comparator is written, so the text alone does not say which way is better.
    Reading("8家", QTY, UNKNOWN, (Part("8", "家"),)),
    Reading("20家", QTY, UNKNOWN, (Part("20", "家"),)),
    Reading("1100家", QTY, UNKNOWN, (Part("1100", "家"),)),
    Reading("1104家", QTY, UNKNOWN, (Part("1104", "家"),)),
    Reading("1261家", QTY, UNKNOWN, (Part("1261", "家"),)),
    Reading("50家", QTY, UNKNOWN, (Part("50", "家"),)),
    Reading("260亿", QTY, UNKNOWN, (Part("260", None, "亿"),)),
    Reading("308.6亿", QTY, UNKNOWN, (Part("308.6", None, "亿"),)),
    Reading("30名", QTY, UNKNOWN, (Part("30", "名"),)),
    Reading("3.20%", QTY, UNKNOWN, (Part("3.20", "%"),)),
    Reading("3.04%", QTY, UNKNOWN, (Part("3.04", "%"),)),
    Reading("22.5件", QTY, UNKNOWN, (Part("22.5", "件"),)),
    Reading("27.01件", QTY, UNKNOWN, (Part("27.01", "件"),)),
    Reading("101亿", QTY, UNKNOWN, (Part("101", None, "亿"),)),
    Reading("103.14亿", QTY, UNKNOWN, (Part("103.14", None, "亿"),)),
    Reading("25%", QTY, UNKNOWN, (Part("25", "%"),)),
    Reading("28.8%", QTY, UNKNOWN, (Part("28.8", "%"),)),
    Reading("120项", QTY, UNKNOWN, (Part("120", "项"),)),
    Reading("188项", QTY, UNKNOWN, (Part("188", "项"),)),
    Reading("25项", QTY, UNKNOWN, (Part("25", "项"),)),
    Reading("29项", QTY, UNKNOWN, (Part("29", "项"),)),
    Reading("1家", QTY, UNKNOWN, (Part("1", "家"),)),
    Reading("2家", QTY, UNKNOWN, (Part("2", "家"),)),
    Reading("400家", QTY, UNKNOWN, (Part("400", "家"),)),
    Reading("412家", QTY, UNKNOWN, (Part("412", "家"),)),
    Reading("2亿", QTY, UNKNOWN, (Part("2", None, "亿"),)),
    Reading("3.17亿", QTY, UNKNOWN, (Part("3.17", None, "亿"),)),
    Reading("95%", QTY, UNKNOWN, (Part("95", "%"),)),
    Reading("100%", QTY, UNKNOWN, (Part("100", "%"),)),
    Reading("1000亿", QTY, UNKNOWN, (Part("1000", None, "亿"),)),
    Reading("1043.3亿", QTY, UNKNOWN, (Part("1043.3", None, "亿"),)),
    Reading("50人", QTY, UNKNOWN, (Part("50", "人"),)),
    Reading("67人", QTY, UNKNOWN, (Part("67", "人"),)),
    Reading("6%", QTY, UNKNOWN, (Part("6", "%"),)),
    Reading("8.53%", QTY, UNKNOWN, (Part("8.53", "%"),)),
    Reading("100名", QTY, UNKNOWN, (Part("100", "名"),)),
    Reading("109名", QTY, UNKNOWN, (Part("109", "名"),)),
    Reading("6.65%", QTY, UNKNOWN, (Part("6.65", "%"),)),
    Reading("2%", QTY, UNKNOWN, (Part("2", "%"),)),
    Reading("2.5%", QTY, UNKNOWN, (Part("2.5", "%"),)),
    Reading("100家", QTY, UNKNOWN, (Part("100", "家"),)),
    Reading("451家", QTY, UNKNOWN, (Part("451", "家"),)),
    Reading("19000人年", QTY, UNKNOWN, (Part("19000", "人年"),)),
    Reading("19146人年", QTY, UNKNOWN, (Part("19146", "人年"),)),
    Reading("500家", QTY, UNKNOWN, (Part("500", "家"),)),
    Reading("664家", QTY, UNKNOWN, (Part("664", "家"),)),
    Reading("30项", QTY, UNKNOWN, (Part("30", "项"),)),
    Reading("50项", QTY, UNKNOWN, (Part("50", "项"),)),
    Reading("10名", QTY, UNKNOWN, (Part("10", "名"),)),
    Reading("20名", QTY, UNKNOWN, (Part("20", "名"),)),
    Reading("50万", QTY, UNKNOWN, (Part("50", None, "万"),)),
    Reading("60万", QTY, UNKNOWN, (Part("60", None, "万"),)),
    Reading("15项", QTY, UNKNOWN, (Part("15", "项"),)),
    Reading("20项", QTY, UNKNOWN, (Part("20", "项"),)),
    Reading("5家", QTY, UNKNOWN, (Part("5", "家"),)),
    Reading("200项", QTY, UNKNOWN, (Part("200", "项"),)),
    Reading("220项", QTY, UNKNOWN, (Part("220", "项"),)),
    Reading("10项", QTY, UNKNOWN, (Part("10", "项"),)),
    Reading("3000件", QTY, UNKNOWN, (Part("3000", "件"),)),
    Reading("3366件", QTY, UNKNOWN, (Part("3366", "件"),)),
    Reading("200名", QTY, UNKNOWN, (Part("200", "名"),)),
    Reading("379名", QTY, UNKNOWN, (Part("379", "名"),)),
    Reading("10个", QTY, UNKNOWN, (Part("10", "个"),)),
    Reading("1000人", QTY, UNKNOWN, (Part("1000", "人"),)),
    Reading("1330人", QTY, UNKNOWN, (Part("1330", "人"),)),
    Reading("500人", QTY, UNKNOWN, (Part("500", "人"),)),
    Reading("700人", QTY, UNKNOWN, (Part("700", "人"),)),
    Reading("4家", QTY, UNKNOWN, (Part("4", "家"),)),
    # 完成时间: a month named, nothing said about "before".
    Reading("12月", TIME, ON_TIME, time=TimeValue(month=12)),
    Reading("10月", TIME, ON_TIME, time=TimeValue(month=10)),
    # ---- seed 001: 芦淞区科工信局, department table ----
    Reading("16家", QTY, UNKNOWN, (Part("16", "家"),)),
    Reading("20", QTY, UNKNOWN, (Part("20"),)),  # unit dropped (target 16家)
    Reading("97家", QTY, UNKNOWN, (Part("97", "家"),)),
    Reading("98", QTY, UNKNOWN, (Part("98"),)),  # unit dropped (target 97家)
    Reading("15%", QTY, UNKNOWN, (Part("15", "%"),)),
    # 完成时限 of twelve months: a duration, and a time limit means "within".
    Reading("12个月", TIME, ON_TIME, time=TimeValue(months=Decimal(12), comparator=LE)),
    Reading("8.5%", QTY, UNKNOWN, (Part("8.5", "%"),)),
    Reading("12.3%", QTY, UNKNOWN, (Part("12.3", "%"),)),
    Reading("8%", QTY, UNKNOWN, (Part("8", "%"),)),
    Reading("57亿元", QTY, UNKNOWN, (Part("57", "元", "亿"),)),
    Reading("118.8", QTY, UNKNOWN, (Part("118.8"),)),  # unit dropped (target 57亿元)
    Reading("促进全区科技创新水平和工业经济高质量发展", QUAL, QUALITATIVE),
    Reading("已完成", QUAL, QUALITATIVE),
    Reading("90%", QTY, UNKNOWN, (Part("90", "%"),)),
    Reading("183.31", QTY, UNKNOWN, (Part("183.31"),)),  # 基本支出, no unit on either side
    Reading("257.08", QTY, UNKNOWN, (Part("257.08"),)),
    # ---- seed 003: 企业技术创新中心奖励, scrambled PDF ----
    Reading("10家", QTY, UNKNOWN, (Part("10", "家"),)),
    # 2020年 is a year inside a description of the award's scope, not a quantity.
    Reading("2020年新认定的株洲市企业技术创新中心", QUAL, QUALITATIVE),
    Reading("及时拨付至企业达90%", QTY, POS, (Part("90", "%", None, "及时拨付至企业", GE),)),
    Reading("及时拨付至企业达100%", QTY, POS, (Part("100", "%", None, "及时拨付至企业", GE),)),
    # A standard amount per enterprise: no comparator written, so no direction from the text.
    Reading("每家奖励10万元", QTY, UNKNOWN, (Part("10", "元", "万", "每家奖励"),)),
    Reading("提升企业创新能力，增强企业核心", QUAL, QUALITATIVE),  # cut off in the source
    Reading("推动工业经济高质量发展", QUAL, QUALITATIVE),
    Reading("为推动制造强市建设提供坚实的技术支撑", QUAL, QUALITATIVE),
    Reading("满意度达90%", QTY, POS, (Part("90", "%", None, "满意度", GE),)),
    # ---- seed 004: 岳阳市科技局, department table and 市级专项资金 project table ----
    Reading(
        "省级平台2个以上，市级平台25个以上",
        COMPOUND,
        POS,
        (Part("2", "个", None, "省级平台", GE), Part("25", "个", None, "市级平台", GE)),
    ),
    Reading(
        "省级15个；市级40个",
        COMPOUND,
        UNKNOWN,
        (Part("15", "个", None, "省级"), Part("40", "个", None, "市级")),
    ),
    Reading(
        "组织各县市区开展全社会研发投入培训，提升全市科技创新能力，推动科技进步。",
        QUAL,
        QUALITATIVE,
    ),
    Reading(
        "开展全市科技大会，组织各县市区开展全社会研发投入培训，提升了全市科技创新能力",
        QUAL,
        QUALITATIVE,
    ),
    Reading("2024.12.31前", TIME, ON_TIME, time=TimeValue(2024, 12, 31, comparator=LE)),
    # Keep spending within the budget: a ceiling, but with no number to compare.
    Reading("控制在预算金额内", QUAL, QUALITATIVE, comparator=LE),
    # The label names the measured quantity; 争取 / 实现 ("strive to" / "achieve") are verbs.
    Reading(
        "争取实现全社会研发投入占GDP比重达2.35%",
        QTY,
        POS,
        (Part("2.35", "%", None, "全社会研发投入占GDP比重", GE),),
    ),
    Reading(
        "实现全社会研发投入占GDP比重达2.19%",
        QTY,
        POS,
        (Part("2.19", "%", None, "全社会研发投入占GDP比重", GE),),
    ),
    Reading(
        "实现技术合同成交额达200亿元",
        QTY,
        POS,
        (Part("200", "元", "亿", "技术合同成交额", GE),),
    ),
    Reading(
        "　实现技术合同成交额达200亿元",  # as extracted, with a leading full-width space
        QTY,
        POS,
        (Part("200", "元", "亿", "技术合同成交额", GE),),
    ),
    Reading(
        "实现技术合同成交额502.28亿元",
        QTY,
        UNKNOWN,
        (Part("502.28", "元", "亿", "技术合同成交额"),),
    ),
    Reading("科技活动不破坏生态环境", QUAL, QUALITATIVE),
    Reading("营造良好科技创新氛围", QUAL, QUALITATIVE),
    Reading("开展全市科技大会、科技活动周系列活动，营造良好科技氛围", QUAL, QUALITATIVE),
    Reading("≥95%", QTY, POS, (Part("95", "%", None, None, GE),)),
    Reading("　≥95%", QTY, POS, (Part("95", "%", None, None, GE),)),  # as extracted
    Reading("99", QTY, UNKNOWN, (Part("99"),)),  # unit dropped (target ≥95%)
    Reading("　99", QTY, UNKNOWN, (Part("99"),)),  # as extracted
    Reading("保障科技局机关运转", QUAL, QUALITATIVE),
    Reading("带动全市科技学习", QUAL, QUALITATIVE),
    Reading("开展全社会研发投入培训、科技成果路演活动", QUAL, QUALITATIVE),
    Reading("开展科技交流与合作活动", QUAL, QUALITATIVE),
    Reading("举办全市科技大会、科技活动周系列活动", QUAL, QUALITATIVE),
    # Blank cells (empty 二级 rows in seeds 000 and 001; full-width padding in seed 004).
    Reading("", EMPTY, UNKNOWN),
    Reading("　", EMPTY, UNKNOWN),
    # ---- domain.md §4 examples not in the seeds ----
    Reading("≥50个", QTY, POS, (Part("50", "个", None, None, GE),)),
    Reading("≤90万元", QTY, NEG, (Part("90", "元", "万", None, LE),)),
    Reading("≥100百分比", QTY, POS, (Part("100", "%", None, None, GE),)),  # 百分比 is %
    Reading("效果明显", QUAL, QUALITATIVE),
    Reading("达成预期指标", QUAL, QUALITATIVE),
    # ---- domain.md §3 wording ----
    Reading("营造良好氛围", QUAL, QUALITATIVE),
    Reading("不低于95%", QTY, POS, (Part("95", "%", None, None, GE),)),
    Reading("10家以上", QTY, POS, (Part("10", "家", None, None, GE),)),
    Reading("不超过90万元", QTY, NEG, (Part("90", "元", "万", None, LE),)),
    Reading("100万元以内", QTY, NEG, (Part("100", "元", "万", None, LE),)),
    # ---- Chinese numerals before a measure word ----
    Reading("两个", QTY, UNKNOWN, (Part("2", "个"),)),
    Reading("十家", QTY, UNKNOWN, (Part("10", "家"),)),
    Reading("三千人", QTY, UNKNOWN, (Part("3000", "人"),)),
    # ---- ranges: read at the end that decides attainment (the lower one, the upper one
    # after a 反向 word); the unit may be written on the upper end only ----
    Reading("3-5家", QTY, UNKNOWN, (Part("3", "家"),)),
    Reading("3～5个", QTY, UNKNOWN, (Part("3", "个"),)),
    Reading("3至5家", QTY, UNKNOWN, (Part("3", "家"),)),
    Reading("90%-95%", QTY, UNKNOWN, (Part("90", "%"),)),
    Reading("90%～95%", QTY, UNKNOWN, (Part("90", "%"),)),
    Reading("2-3万元", QTY, UNKNOWN, (Part("2", "元", "万"),)),
    Reading("满意度达90%-95%", QTY, POS, (Part("90", "%", None, "满意度", GE),)),
    Reading("3-5家以上", QTY, POS, (Part("3", "家", None, None, GE),)),
    Reading("控制在3-5万元", QTY, NEG, (Part("5", "元", "万", None, LE),)),
    Reading("3～5万元以内", QTY, NEG, (Part("5", "元", "万", None, LE),)),
    # not ranges: months, years, a bare pair that may be a date
    Reading("1-11月", QUAL, QUALITATIVE),
    Reading("2020-2021年", QUAL, QUALITATIVE),
    Reading("12-31", QUAL, QUALITATIVE),
]


def _expected_parts(reading: Reading) -> list[tuple[object, ...]]:
    return [
        (Decimal(p.number), SCALES[p.magnitude], p.unit, p.magnitude, p.label, p.comparator)
        for p in reading.parts
    ]


def _observed_parts(value: Value) -> list[tuple[object, ...]]:
    return [(q.number, q.scale, q.unit, q.magnitude, q.label, q.comparator) for q in value.parts]


def test_table_has_no_duplicates() -> None:
    texts = [r.text for r in READINGS]
    assert len(texts) == len(set(texts))


@pytest.mark.parametrize("reading", READINGS, ids=[r.text or "<empty>" for r in READINGS])
def test_reading(reading: Reading) -> None:
    value = parse_value(reading.text)
    assert (value.kind, value.direction) == (reading.kind, reading.direction), value.reason
    # number, scale, unit, magnitude, label, comparator of each part
    assert _observed_parts(value) == _expected_parts(reading)
    if reading.kind is QTY:
        assert value.comparator == reading.parts[0].comparator
    elif reading.kind is TIME:
        assert value.time == reading.time
        assert reading.time is not None and value.comparator == reading.time.comparator
    elif reading.kind is not COMPOUND:
        assert value.comparator == reading.comparator
    if reading.direction is UNKNOWN:
        assert value.reason, "an undecided reading must say why"


def test_table_covers_every_sample_value() -> None:
    """Each target and actual in the seed transcriptions has a hand reading above."""
    covered = {r.text for r in READINGS}
    missing: set[str] = set()

    def walk(evaluation: dict[str, Any]) -> None:
        for indicator in evaluation.get("indicators") or []:
            for field in ("target", "actual"):
                text = indicator.get(field)
                if text is not None and str(text) not in covered:
                    missing.add(str(text))
        for child in evaluation.get("children") or []:
            walk(child)

    for path in sorted(SAMPLES.glob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert not missing


# ---- target / actual pairs: both numbers in one base ----


class Pair(NamedTuple):
    target: str
    actual: str
    target_base: str
    actual_base: str
    assumed: bool = False  # a dropped unit had to be taken from the other side


PAIRS: list[Pair] = [
    # seed 000
    Pair("8家", "20家", "8", "20"),
    Pair("1100家", "1104家", "1100", "1104"),
    Pair("1100家", "1261家", "1100", "1261"),
    Pair("50家", "50家", "50", "50"),
    Pair("260亿", "308.6亿", "26000000000", "30860000000"),
    Pair("30名", "30名", "30", "30"),
    Pair("3.20%", "3.04%", "3.20", "3.04"),
    Pair("22.5件", "27.01件", "22.5", "27.01"),
    Pair("101亿", "103.14亿", "10100000000", "10314000000"),
    Pair("25%", "28.8%", "25", "28.8"),
    Pair("120项", "188项", "120", "188"),
    Pair("25项", "29项", "25", "29"),
    Pair("1家", "2家", "1", "2"),
    Pair("400家", "412家", "400", "412"),
    Pair("2亿", "3.17亿", "200000000", "317000000"),
    Pair("95%", "100%", "95", "100"),
    Pair("1000亿", "1043.3亿", "100000000000", "104330000000"),
    Pair("50人", "67人", "50", "67"),
    Pair("6%", "8.53%", "6", "8.53"),
    Pair("100名", "109名", "100", "109"),
    Pair("6%", "6.65%", "6", "6.65"),
    Pair("2%", "2.5%", "2", "2.5"),
    Pair("100家", "451家", "100", "451"),
    Pair("19000人年", "19146人年", "19000", "19146"),
    Pair("500家", "664家", "500", "664"),
    Pair("30项", "50项", "30", "50"),
    Pair("10名", "20名", "10", "20"),
    Pair("50万", "60万", "500000", "600000"),
    Pair("15项", "20项", "15", "20"),
    Pair("2家", "5家", "2", "5"),
    Pair("200项", "220项", "200", "220"),
    Pair("10项", "10项", "10", "10"),
    Pair("3000件", "3366件", "3000", "3366"),
    Pair("200名", "379名", "200", "379"),
    Pair("10个", "10个", "10", "10"),
    Pair("1000人", "1330人", "1000", "1330"),
    Pair("500人", "700人", "500", "700"),
    Pair("400家", "500家", "400", "500"),
    Pair("1家", "4家", "1", "4"),
    # seed 001
    Pair("16家", "20", "16", "20", assumed=True),
    Pair("97家", "98", "97", "98", assumed=True),
    Pair("15%", "15%", "15", "15"),
    Pair("8.5%", "12.3%", "8.5", "12.3"),
    Pair("8%", "6%", "8", "6"),
    Pair("57亿元", "118.8", "5700000000", "11880000000", assumed=True),
    Pair("90%", "90%", "90", "90"),
    Pair("183.31", "257.08", "183.31", "257.08"),  # both bare: nothing to assume
    # seed 003
    Pair("10家", "8家", "10", "8"),
    Pair("及时拨付至企业达90%", "及时拨付至企业达100%", "90", "100"),
    Pair("每家奖励10万元", "每家奖励10万元", "100000", "100000"),
    Pair("满意度达90%", "满意度达90%", "90", "90"),
    # seed 004
    Pair(
        "争取实现全社会研发投入占GDP比重达2.35%",
        "实现全社会研发投入占GDP比重达2.19%",
        "2.35",
        "2.19",
    ),
    Pair(
        "实现技术合同成交额达200亿元",
        "实现技术合同成交额502.28亿元",
        "20000000000",
        "50228000000",
    ),
    Pair("≥95%", "99", "95", "99", assumed=True),
]


@pytest.mark.parametrize("pair", PAIRS, ids=[f"{p.target}→{p.actual}" for p in PAIRS])
def test_seed_pair_aligns(pair: Pair) -> None:
    target, actual = parse_value(pair.target), parse_value(pair.actual)
    assert (target.kind, actual.kind) == (QTY, QTY)
    assert target.quantity is not None and actual.quantity is not None
    aligned = align(target.quantity, actual.quantity)
    assert isinstance(aligned, Aligned), aligned
    expected = (Decimal(pair.target_base), Decimal(pair.actual_base))
    assert (aligned.target, aligned.actual) == expected
    assert (aligned.note is not None) == pair.assumed, aligned.note


def _aligned_pairs(target_text: str, actual_text: str) -> list[tuple[Decimal, Decimal]]:
    pairs = pair_parts(parse_value(target_text).parts, parse_value(actual_text).parts)
    assert not isinstance(pairs, str), pairs
    out: list[tuple[Decimal, Decimal]] = []
    for target, actual in pairs:
        aligned = align(target, actual)
        assert isinstance(aligned, Aligned), aligned
        out.append((aligned.target, aligned.actual))
    return out


def test_compound_parts_pair_by_label() -> None:
    target = parse_value("省级平台2个以上，市级平台25个以上")
    actual = parse_value("省级15个；市级40个")
    pairs = pair_parts(target.parts, actual.parts)
    assert not isinstance(pairs, str), pairs
    assert [(t.label, a.label) for t, a in pairs] == [("省级平台", "省级"), ("市级平台", "市级")]
    assert _aligned_pairs(target.text, actual.text) == [
        (Decimal(2), Decimal(15)),
        (Decimal(25), Decimal(40)),
    ]


def test_compound_parts_pair_by_label_not_position() -> None:
    # The same actual written the other way round still pairs 省级 with 省级.
    assert _aligned_pairs("省级平台2个以上，市级平台25个以上", "市级40个；省级15个") == [
        (Decimal(2), Decimal(15)),
        (Decimal(25), Decimal(40)),
    ]


# ---- time values ----


@pytest.mark.parametrize("text", ["12月", "10月", "12个月", "2024.12.31前"])
def test_seed_time_pairs_are_on_time(text: str) -> None:
    # Every 时效 row in the seeds repeats its target as the actual: met on time.
    target, actual = parse_value(text), parse_value(text)
    assert target.kind is TIME and target.time == actual.time


def test_deadline_and_duration() -> None:
    deadline = parse_value("2024.12.31前").time
    assert deadline is not None
    assert (deadline.year, deadline.month, deadline.day) == (2024, 12, 31)
    assert deadline.comparator is LE and not deadline.is_duration
    assert deadline.key() == (2024, 12, 31)
    month = parse_value("12月").time
    assert month is not None and month.month == 12 and not month.is_duration
    duration = parse_value("12个月").time
    assert duration is not None and duration.is_duration
    assert duration.months == 12 and duration.month is None


# ---- qualitative tiers ----


class Claim(NamedTuple):
    actual: str
    target: str | None
    tier: Tier | None


CLAIMS: list[Claim] = [
    # seed 001
    Claim("已完成", "促进全区科技创新水平和工业经济高质量发展", Tier.ACHIEVED),
    # seed 003: the actual repeats the target word for word
    Claim(
        "2020年新认定的株洲市企业技术创新中心",
        "2020年新认定的株洲市企业技术创新中心",
        Tier.ACHIEVED,
    ),
    Claim("提升企业创新能力，增强企业核心", "提升企业创新能力，增强企业核心", Tier.ACHIEVED),
    Claim("推动工业经济高质量发展", "推动工业经济高质量发展", Tier.ACHIEVED),
    Claim(
        "为推动制造强市建设提供坚实的技术支撑",
        "为推动制造强市建设提供坚实的技术支撑",
        Tier.ACHIEVED,
    ),
    # seed 004
    Claim(
        "开展全市科技大会，组织各县市区开展全社会研发投入培训，提升了全市科技创新能力",
        "组织各县市区开展全社会研发投入培训，提升全市科技创新能力，推动科技进步。",
        Tier.ACHIEVED,
    ),
    Claim("控制在预算金额内", "控制在预算金额内", Tier.ACHIEVED),
    Claim("科技活动不破坏生态环境", "科技活动不破坏生态环境", Tier.ACHIEVED),
    Claim(
        "开展全市科技大会、科技活动周系列活动，营造良好科技氛围",
        "营造良好科技创新氛围",
        Tier.ACHIEVED,
    ),
    Claim("保障科技局机关运转", "保障科技局机关运转", Tier.ACHIEVED),
    Claim("开展全社会研发投入培训、科技成果路演活动", "带动全市科技学习", Tier.ACHIEVED),
    Claim("举办全市科技大会、科技活动周系列活动", "开展科技交流与合作活动", Tier.ACHIEVED),
    # domain.md §3 and §4
    Claim("效果明显", None, Tier.ACHIEVED),
    Claim("达成预期指标", None, Tier.ACHIEVED),
    Claim("营造良好氛围", "营造良好氛围", Tier.ACHIEVED),
    # negations and partial claims
    Claim("未完成", "完成年度任务", Tier.NOT_ACHIEVED),
    Claim("没有完成", "完成年度任务", Tier.NOT_ACHIEVED),
    Claim("尚未启动", "年内启动建设", Tier.NOT_ACHIEVED),
    Claim("未达到预期目标", "达到预期目标", Tier.NOT_ACHIEVED),
    Claim("未按时完成", "按时完成", Tier.NOT_ACHIEVED),
    Claim("服务对象不满意", "服务对象满意", Tier.NOT_ACHIEVED),
    Claim("基本完成", "完成年度任务", Tier.PARTIAL),
    Claim("部分完成", "完成年度任务", Tier.PARTIAL),
    Claim("基本达到预期", "达到预期目标", Tier.PARTIAL),
    Claim("基本满意", "服务对象满意", Tier.PARTIAL),
    # good news worded as a negation
    Claim("未发生安全事故", "不发生安全事故", Tier.ACHIEVED),
    Claim("按期完成", "按时完成", Tier.ACHIEVED),
    # says nothing about the outcome
    Claim("详见报告", "营造良好科技创新氛围", None),
]


@pytest.mark.parametrize("claim", CLAIMS, ids=[c.actual for c in CLAIMS])
def test_qualitative_tier(claim: Claim) -> None:
    tier, reason = assess(claim.actual, claim.target)
    assert tier == claim.tier, reason
    assert reason


def test_quantity_value_is_number_times_scale() -> None:
    quantity = parse_value("308.6亿").quantity
    assert isinstance(quantity, Quantity)
    assert quantity.value == Decimal("30860000000")


@pytest.mark.parametrize(
    ("target", "actual", "level2", "expected"),
    [
        ("3-5家", "4家", "数量指标", "10.00"),  # inside the range: reached
        ("3-5家", "3家", "数量指标", "10.00"),  # the lower end reaches it
        ("3～5个", "2个", "数量指标", "6.67"),  # short of the lower end: 2 / 3 × 10
        ("90%-95%", "85%", "质量指标", "9.44"),  # 85 / 90 × 10
        ("控制在3-5万元", "4.5万元", "成本指标", "10.00"),  # 反向: within the upper end
        ("控制在3-5万元", "6万元", "成本指标", "8.33"),  # 5 / 6 × 10
    ],
)
def test_range_target_scores(target: str, actual: str, level2: str, expected: str) -> None:
    """A 正向 range is reached at its lower end (domain.md §4 says nothing otherwise)."""
    from jixiao.config import load_scheme
    from jixiao.model import Indicator
    from jixiao.scoring import score_indicator

    indicator = Indicator(
        level1="产出指标", level2=level2, name="测试", target=target, actual=actual, weight=D10
    )
    scored = score_indicator(indicator, load_scheme("national-2020"))
    assert scored.score == Decimal(expected)


D10 = Decimal(10)
