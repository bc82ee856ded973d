"""FieldPath: one value for a place in the data, read from and written as its canonical
text (``indicators[5].score``), and said in the form's words (第6个指标的“得分”). Field
paths reach people only through those words (review opinions, the page's history, errors)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.model import FieldPath, FieldPathError
from jixiao.model.field_path import FIELD_LABELS, format_many, labels

RULE_CASES = Path(__file__).parent / "rules"
FIELDS = sorted(
    {
        m.strip("\"'")
        for case in RULE_CASES.glob("*.yaml")
        for m in re.findall(r"field: ([^,}\n]+)", case.read_text(encoding="utf-8"))
    }
)
parts = st.one_of(st.integers(min_value=0, max_value=10_000), st.text(min_size=1, max_size=12))
paths = st.builds(
    FieldPath,
    st.tuples(st.text(min_size=1, max_size=12)).flatmap(
        lambda first: st.lists(parts, max_size=5).map(lambda rest: (*first, *rest))
    ),
)


@given(paths)
def test_the_text_of_any_path_reads_back_as_the_same_path(path: FieldPath) -> None:
    text = str(path)
    assert FieldPath.parse(text) == path
    assert str(FieldPath.parse(text)) == text


@given(st.lists(paths, min_size=1, max_size=4))
def test_several_paths_read_back_in_order(several: list[FieldPath]) -> None:
    text = format_many(several)
    assert text is not None
    assert FieldPath.parse_many(text) == tuple(several)


@given(st.text(max_size=30))
def test_any_text_is_a_path_or_a_chinese_error(text: str) -> None:
    try:
        path = FieldPath.parse(text)
    except FieldPathError as error:
        assert str(error).startswith("字段路径")
    else:
        assert FieldPath.parse(str(path)) == path


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("indicators[5].score", ("indicators", 5, "score")),
        ("funds.rows[0].executed", ("funds", "rows", 0, "executed")),
        ("level1_weights.产出指标", ("level1_weights", "产出指标")),
        ('level1_weights["产出 指标.1"]', ("level1_weights", "产出 指标.1")),
        ("grade", ("grade",)),
    ],
)
def test_canonical_texts(text: str, parts: tuple[str | int, ...]) -> None:
    assert FieldPath.parse(text).parts == parts
    assert str(FieldPath(parts)) == text


@pytest.mark.parametrize("text", ["", " ", ".score", "funds..rate", "a[x]", "a[-1]", "a b", "a."])
def test_texts_that_are_no_path(text: str) -> None:
    with pytest.raises(FieldPathError, match="字段路径"):
        FieldPath.parse(text)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("indicators[5].score", "第6个指标的“得分”"),
        ("indicators[5].deviation", "第6个指标的“偏差原因分析及改进措施”"),
        ("indicators[0]", "第1个指标"),
        ("funds.executed", "资金：全年执行数"),
        ("funds.rows[2].annual_budget", "资金：第3行的“全年预算数”"),
        ("total.weight", "总分行的“分值”"),
        ("total", "总分"),
        ("level1_weights.产出指标", "一级指标“产出指标”的分值"),
        ("goals.expected", "年度总体目标：预期目标"),
        ("basic_data.year", "基础数据表：年度"),
        ("state", "状态"),
        ("no_such_field", ""),
    ],
)
def test_labels_in_the_forms_words(text: str, label: str) -> None:
    assert FieldPath.parse(text).label() == label


def test_several_labels_and_the_parts_of_a_path() -> None:
    assert labels(FieldPath.parse_many("name, department")) == "名称、主管部门"
    path = FieldPath.of("indicators", 5).child("score")
    assert (path.leaf, path.indicator) == ("score", 5)
    assert path.within(FieldPath.of("indicators", 5)) and not path.within(FieldPath.of("funds"))
    assert FieldPath.of("indicators", 5).leaf is None


@pytest.mark.parametrize("field", FIELDS)
def test_every_field_a_rule_names_reads_in_chinese(field: str) -> None:
    label = labels(FieldPath.parse_many(field))
    assert label and not re.search(r"[A-Za-z_]", label), (field, label)


def test_every_name_has_chinese_words() -> None:
    assert all(not re.search(r"[A-Za-z_]", words) for words in FIELD_LABELS.values())
