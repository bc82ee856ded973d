"""The bundled sample evaluations scored end to end; expected numbers worked out by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.service import Service
from tests.conftest import SAMPLES

D = Decimal


@pytest.fixture(scope="module")
def service() -> Service:
    return Service()


def by_name(result: object, name: str) -> object:
    return next(i for i in result.indicators if i.indicator.name == name)  # type: ignore[attr-defined]


def test_yueyang_department(service: Service) -> None:
    result = service.score_file(SAMPLES / "yueyang-2024-department.yaml")[0].score
    # 执行率 1725.06 / 1863.29 = 92.581 % → 92.58; score 92.58 % × 10 = 9.258 → 9.26.
    assert (result.funds.rate, result.funds.score) == (D("92.58"), D("9.26"))
    # 2.19 % of a 2.35 % target, weight 10: 2.19 / 2.35 × 10 = 9.319 → 9.32 (reported 5).
    rd = by_name(result, "全社会研发占GDP比重投入")
    assert rd.score == D("9.32") and rd.indicator.score == D(5)  # type: ignore[attr-defined]
    # Satisfaction "≥95%" vs "99": read as 99 %, full marks, with a note on the unit.
    sat = by_name(result, "全市科技人员满意度")
    assert sat.score == D("10.00") and "未写单位" in (sat.note or "")  # type: ignore[attr-defined]
    # Compound 省级2↑/市级25↑ vs 省级15/市级40: both met.
    assert by_name(result, "组建科技创新平台，新增创新平台").score == D("10.00")  # type: ignore[attr-defined]
    # Total: 9.26 + 40 (产出) + 9.32 + 30 (other 效益) + 10 (满意度) = 98.58, grade 优.
    assert result.total == D("98.58") and result.grade == "优"
    assert result.evaluation.total.score == D("94.26")


def test_lusong_department_local_scheme(service: Service) -> None:
    scored = service.score_file(SAMPLES / "lusong-2023-department.yaml")[0]
    assert scored.scheme.name == "zhuzhou-lusong"
    assert [s.weight for s in scored.scheme.level1] == [D(40), D(20), D(10), D(20)]
    result = scored.score
    # 1451.29 / 1452.61 = 99.909 % → 99.91; 9.99 of 10 (the table says 9).
    assert (result.funds.rate, result.funds.score) == (D("99.91"), D("9.99"))
    assert by_name(result, "规模工业总产值同比增长").score == D("3.75")  # 6 / 8 × 5
    cost = by_name(result, "基本支出")  # bare numbers under 成本: direction not guessed
    assert not cost.determined  # type: ignore[attr-defined]
    # 9.99 + 40 + 5 + 3.75 + 5 + 5 (已完成, reported 5 kept in 4–5) + 10 + 18 (reported) = 96.74
    assert result.total == D("96.74")


def test_zhuzhou_fund_with_sub_directions(service: Service) -> None:
    result = service.score_file(SAMPLES / "zhuzhou-2022-keji-zhuanxiang.yaml")[0].score
    assert len(result.children) == 6
    assert sum((c.evaluation.funds.annual_budget for c in result.children), D(0)) == D("4465.5")
    # Overall: 4465.5 of 4465.5 executed → 100 %, 10 points (blank in the table).
    assert (result.funds.rate, result.funds.score) == (D("100.00"), D("10.00"))
    # 全社会研发投入强度 3.04 % of 3.20 %: 3.04 / 3.20 × 5 = 4.75 (reported 3).
    assert by_name(result, "全社会研发投入强度").score == D("4.75")  # type: ignore[attr-defined]
    # 10 + 48 − 3 + 4.75 (+ 成本 5 undetermined, counted as reported) + 30 + 10 = 99.75
    assert result.total == D("99.75")
    assert [c.total for c in result.children] == [
        D(100),
        D("99.75"),
        D(100),
        D(100),
        D(100),
        D(100),
    ]


def test_tech_center_project(service: Service) -> None:
    result = service.score_file(SAMPLES / "zhuzhou-2020-tech-center.yaml")[0].score
    # 8 of 10 enterprises: 8 / 10 × 10 = 8 (reported 8); 80 of 80 executed → 10.
    assert by_name(result, "奖励企业").score == D("8.00")  # type: ignore[attr-defined]
    assert result.funds.score == D("10.00")
    assert result.total == D("97.00") and result.grade == "优"


def test_every_sample_scores(service: Service) -> None:
    for path in sorted(SAMPLES.glob("*.yaml")):
        (scored,) = service.score_file(path)
        for part in scored.score.walk():
            assert part.indicators, path
            for item in part.indicators:
                assert item.explanation
