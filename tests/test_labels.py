"""Field paths reach people only as Chinese names (review opinions, the page's history)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jixiao.model.labels import field_label

RULE_CASES = Path(__file__).parent / "rules"
FIELDS = sorted(
    {
        m.strip("\"'")
        for case in RULE_CASES.glob("*.yaml")
        for m in re.findall(r"field: ([^,}\n]+)", case.read_text(encoding="utf-8"))
    }
)


@pytest.mark.parametrize("field", FIELDS)
def test_every_field_a_rule_names_reads_in_chinese(field: str) -> None:
    label = field_label(field)
    assert label and not re.search(r"[A-Za-z_]", label), (field, label)


def test_positions_and_written_labels() -> None:
    assert field_label("indicators[3].score") == "第4个指标：得分"
    assert field_label("level1_weights.产出指标") == "一级指标分值：产出指标"
    assert field_label("name,department") == "名称、主管部门"
    assert field_label("no_such_field") == ""
