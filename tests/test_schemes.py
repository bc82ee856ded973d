"""Scheme files: the bundled ones, ``extends``, and validation with located messages."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.config import bundled_schemes, load_scheme
from jixiao.loading import LoadError
from jixiao.values import Direction, Tier


def test_bundled_schemes_total_100() -> None:
    assert bundled_schemes() == ["national-2020", "national-cost", "zhuzhou-lusong"]
    for name in bundled_schemes():
        assert load_scheme(name).total_weight == 100, name


def test_national_defaults() -> None:
    scheme = load_scheme("national-2020")
    assert [(s.name, s.weight) for s in scheme.level1] == [
        ("产出指标", 50),
        ("效益指标", 30),
        ("满意度指标", 10),
    ]
    assert scheme.funds_weight == 10
    assert scheme.qualitative[Tier.PARTIAL] == (Decimal("0.6"), Decimal("0.8"))
    assert scheme.grade_for(Decimal("89.99")) == "良" and scheme.grade_for(Decimal(90)) == "优"
    assert scheme.direction_for("成本指标") is Direction.UNKNOWN
    assert scheme.direction_for("数量指标") is Direction.POSITIVE
    assert scheme.level1_spec("产出指标 (50分)") is scheme.level1[0]
    assert scheme.level1_spec("满意度\n指标") is scheme.level1[2]


def test_extends_overrides_only_what_it_names(tmp_path: Path) -> None:
    path = tmp_path / "city.yaml"
    path.write_text(
        "name: city\nextends: national-2020\ntitle: 某市\nreverse_formula: linear\n"
        "execution:\n  formula: steps\n  steps:\n    - {min_rate: 90, fraction: 0.8}\n"
        "    - {min_rate: 100, fraction: 1}\n",
        encoding="utf-8",
    )
    scheme = load_scheme(str(path))
    assert scheme.reverse_formula == "linear" and scheme.funds_weight == 10
    assert scheme.execution.steps[0] == (Decimal(100), Decimal(1))  # sorted high to low
    assert scheme.execution.rate_decimals == 2  # inherited


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "extends: national-2020\nname: x\ntitle: x\nreverse_formula: half\n",
            "x.yaml:4: reverse_formula：应为 ratio / linear 之一",
        ),
        (
            "extends: national-2020\nname: x\ntitle: x\nfunds_wieght: 10\n",
            "x.yaml:4: funds_wieght：未知的键",
        ),
        (
            "extends: national-2020\nname: x\ntitle: x\nqualitative:\n  achieved: [0.9, 0.8]\n",
            "qualitative.achieved：应为 [下限, 上限]",
        ),
        (
            "extends: national-2020\nname: x\ntitle: x\nover_achievement: 0.5\n",
            "x.yaml:4: over_achievement：超额完成阈值应大于 1",
        ),
        (
            "extends: national-2020\nname: x\ntitle: x\nexecution: {formula: steps}\n",
            "formula 为 steps 时须列出分档",
        ),
        ("extends: nowhere\nname: x\ntitle: x\n", "未知的评分方案“nowhere”"),
        ("name: x\ntitle: x\n", "缺少必填的键“funds_weight”"),
    ],
)
def test_invalid_scheme_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_scheme(str(path))
    assert any(message in str(p) for p in info.value.problems), info.value.problems


def test_unknown_scheme_name() -> None:
    with pytest.raises(LoadError, match="national-2020"):
        load_scheme("nope")
