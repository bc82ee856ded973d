"""A report of any size for timing the rules: n indicators, their tables and a narrative.

The tables are a 专项's overall table holding half of the indicators and sub-direction
tables of 100 indicators each holding the rest, so a rule that grows faster than its
input shows it both inside one table and across many. Names are a place, a programme and
a measure ("株洲青年科技企业数量"), all different; now and then one is cut short beside
its full name with the same figures (NM01), or ends in a particle. The narrative has, for
about one indicator in three, a sentence stating its figure (sometimes a wrong one, a
target, a change over last year with its arithmetic), each sub-direction's funds, and
sentences that name nothing. Deterministic for a given n and seed.
"""

from __future__ import annotations

import random
from decimal import Decimal

from jixiao.audit import Checked
from jixiao.ingest.narrative import read_narrative
from jixiao.ingest.raw import Paragraph
from jixiao.model import Evaluation, Funds, Indicator, Report, SourceRef


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


PLACES = _words(
    "株洲 湘潭 岳阳 衡阳 常德 益阳 郴州 永州 怀化 娄底 邵阳 吉首 浏阳 醴陵 攸县 茶陵 炎陵 韶山"
    " 湘乡 汨罗 临湘 华容 平江 耒阳 常宁 祁东 衡东 衡山 南岳 桃源 宁乡 望城 湘阴 资兴 宜章 嘉禾"
    " 新化 涟源 冷江 石门"
)
PROGRAMMES = _words(
    "青年科技 科技创新 成果转化 产学研合作 科技金融 知识产权 高新技术 农业科技 社会发展 科技人才"
    " 科普宣传 国际合作 创新平台 孵化载体 技术市场 企业研发 基础研究 重点实验 工程技术 乡村振兴"
)
# (measure, unit of its figures, level 1, level 2)
MEASURES = (
    ("企业数量", "家", "产出指标", "数量指标"),
    ("项目数", "项", "产出指标", "数量指标"),
    ("专利授权数", "件", "产出指标", "数量指标"),
    ("培训人数", "人", "产出指标", "数量指标"),
    ("平台建设数", "个", "产出指标", "数量指标"),
    ("研发投入总额", "万元", "效益指标", "经济效益指标"),
    ("技术合同交易额", "万元", "效益指标", "经济效益指标"),
    ("补助资金", "万元", "产出指标", "成本指标"),
    ("验收合格率", "%", "产出指标", "质量指标"),
    ("服务对象满意度", "%", "满意度指标", "服务对象满意度指标"),
    ("按期完成率", "%", "产出指标", "时效指标"),
    ("带动就业人数", "名", "效益指标", "社会效益指标"),
    ("示范推广面积", "亩", "效益指标", "可持续影响指标"),
    ("宣传活动效果", "", "效益指标", "社会效益指标"),
)
PER_TABLE = 100
YEAR = 2024


def _names(count: int, rng: random.Random) -> list[tuple[str, str, str, str]]:
    """``count`` different (name, unit, level 1, level 2), in a shuffled but fixed order."""
    combos = [(p, q, m) for m in MEASURES for q in PROGRAMMES for p in PLACES]
    rng.shuffle(combos)
    if count > len(combos):
        raise ValueError(f"at most {len(combos)} indicators")
    return [(p + q + m[0], *m[1:]) for p, q, m in combos[:count]]


def _values(unit: str, rng: random.Random) -> tuple[str, str]:
    if unit == "%":
        target = rng.choice((90, 95, 100))
        return f"≥{target}%", f"{rng.choice((88, 92, 96, 98, 100))}%"
    if unit == "":
        return "效果明显", rng.choice(("效果明显", "基本完成"))
    target = rng.choice((5, 8, 10, 20, 50, 120, 300, 1000))
    actual = round(target * rng.choice((1, 1, 0.9, 1.1, 1.6)))
    if unit == "万元":
        return f"≤{target}万元", f"{actual}万元"
    return f"≥{target}{unit}", f"{actual}{unit}"


def _indicator(
    name: str, unit: str, level1: str, level2: str, rng: random.Random, line: int
) -> Indicator:
    target, actual = _values(unit, rng)
    weight = Decimal(rng.choice((2, 3, 5)))
    return Indicator(
        level1=level1,
        level2=level2,
        name=name,
        target=target,
        actual=actual,
        weight=weight,
        score=weight,
        source=SourceRef(file="big.txt", line=line),
    )


def _rows(count: int, rng: random.Random, first_line: int) -> list[Indicator]:
    """``count`` indicators; about one in 30 followed by its name cut short (same figures),
    one in 50 renamed to end in a particle."""
    out: list[Indicator] = []
    for name, unit, level1, level2 in _names(count, rng):
        if len(out) >= count:
            break
        line = first_line + len(out)
        if rng.random() < 0.02:
            name = name[:-2] + "的"
        item = _indicator(name, unit, level1, level2, rng, line)
        out.append(item)
        if rng.random() < 1 / 30 and len(out) < count and len(name) > 8:
            cut = name[: -rng.choice((1, 2))]
            out.append(
                Indicator(
                    **{
                        **_fields(item),
                        "name": cut,
                        "source": SourceRef(file="big.txt", line=line + 1),
                    }
                )
            )
    return out


def _fields(item: Indicator) -> dict[str, object]:
    return {k: getattr(item, k) for k in item.__dataclass_fields__}


def _funds(rng: random.Random, line: int) -> Funds:
    budget = Decimal(rng.randint(100, 50000)) / 10
    executed = (budget * Decimal(rng.choice(("1", "0.98", "0.9")))).quantize(Decimal("0.1"))
    rate = (executed / budget * 100).quantize(Decimal("0.01"))
    return Funds(
        initial_budget=budget,
        annual_budget=budget,
        executed=executed,
        weight=Decimal(10),
        rate=rate,
        score=Decimal(10),
        source=SourceRef(file="big.txt", line=line),
    )


def _sentences(indicator: Indicator, rng: random.Random) -> list[str]:
    """What a narrative may say of the indicator."""
    name, actual = indicator.name or "", indicator.actual or ""
    digits = "".join(ch for ch in actual if ch.isdigit() or ch == ".")
    unit = actual[len(digits) :]
    if not digits or unit not in ("家", "项", "件", "人", "个", "万元", "%", "名"):
        return [f"{name}方面工作稳步推进，{rng.choice(('成效明显', '基本完成'))}。"]
    said = Decimal(digits)
    roll = rng.random()
    if roll < 0.15:
        said += rng.choice((1, 3, 7))  # the text states another figure than the table
    if roll < 0.3 and unit == "万元":
        before = (said * Decimal("0.8")).quantize(Decimal("0.1"))
        change = said - before
        rate = (change / before * 100).quantize(Decimal("0.01")) + rng.choice((0, 0, 1))
        return [f"{name}{said}万元，比上年增加{change}万元，增长{rate}%。"]
    short = name[:-1] if name.endswith("数") else name
    link = rng.choice(("达到", "为", "共计", "实现"))
    if roll > 0.9:
        return [f"全年计划{short}{link}{said}{unit}，实际{link}{digits}{unit}。"]
    return [f"全年{short}{link}{said}{unit}，较好完成了年度目标。"]


def big_report(count: int, seed: int = 16) -> Report:
    """A report of ``count`` indicators: half in the overall table, the rest in
    sub-direction tables of 100, with a narrative to match."""
    rng = random.Random(seed)
    own = count - (count // 2 // PER_TABLE) * PER_TABLE if count > PER_TABLE else count
    rows = _rows(count, rng, 1000)
    children = []
    lines: list[str] = ["2024年度科技专项资金绩效自评报告", "一、项目基本情况"]
    lines.append("本专项全年预算资金按计划拨付，各支出方向按进度实施，共计开展检查12次。")
    for number, start in enumerate(range(own, count, PER_TABLE), 1):
        name = f"2024年度科技专项（{PLACES[number % len(PLACES)]}第{number}支出方向）"
        funds = _funds(rng, 100 + number)
        children.append(
            Evaluation(
                kind="project",
                name=name,
                year=YEAR,
                funds=funds,
                indicators=tuple(rows[start : start + PER_TABLE]),
                source=SourceRef(file="big.txt", table=number + 1),
            )
        )
        lines.append(
            f"{name[len('2024年度科技专项（') : -1]}全年预算{funds.annual_budget}万元，"
            f"实际支出{funds.executed}万元，预算执行率{funds.rate}%。"
        )
    lines.append("二、绩效目标完成情况")
    for number, indicator in enumerate(rows):
        if number % 3 == 0:
            lines.extend(_sentences(indicator, rng))
        if number % 20 == 0:
            lines.append(f"（{_chinese(number // 20 % 9 + 1)}）其他工作")
            lines.append("组织开展科技活动周宣传，服务企业和群众，营造了良好氛围。")
    lines.append("三、存在的问题及改进措施")
    lines.append("部分支出方向执行进度偏慢，下一步将加强调度，确保资金尽早发挥效益。")
    total_funds = _funds(rng, 10)
    main = Evaluation(
        kind="project",
        name="2024年度科技专项",
        year=YEAR,
        funds=total_funds,
        indicators=tuple(rows[:own]),
        children=tuple(children),
        source=SourceRef(file="big.txt", table=1),
    )
    paragraphs = [
        Paragraph(text, SourceRef(file="big.txt", line=n + 1)) for n, text in enumerate(lines)
    ]
    narrative = read_narrative(paragraphs)
    return Report(
        title=narrative.title,
        year=YEAR,
        sections=narrative.sections,
        evaluations=(main,),
        source=SourceRef(file="big.txt"),
    )


def _chinese(number: int) -> str:
    return "一二三四五六七八九"[number - 1]


def checked_tables(report: Report) -> list[Checked]:
    """The report's tables scored as ``jixiao check`` scores them."""
    from jixiao.service import Service
    from jixiao.service.audit import _tables

    return _tables(Service(), report.evaluations)
