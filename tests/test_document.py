"""Evaluation files: the contract's shape loaded, validated with located messages, written back."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from jixiao.document import (
    dump_json,
    dump_yaml,
    evaluation_schema,
    evaluation_to_data,
    load_evaluation,
)
from jixiao.loading import LoadError
from tests.conftest import SAMPLES

CONTRACT_KEYS = [
    "kind",
    "title",
    "name",
    "department",
    "implementer",
    "year",
    "scheme",
    "funds",
    "goals",
    "level1_weights",
    "indicators",
    "total",
    "grade",
    "children",
]


def write(tmp_path: Path, text: str, name: str = "e.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(LoadError) as info:
        load_evaluation(path)
    return [str(p) for p in info.value.problems]


def test_sample_keeps_written_precision_and_sources() -> None:
    ev = load_evaluation(SAMPLES / "yueyang-2024-department.yaml")
    assert ev.funds.rate == Decimal("92.58") and str(ev.funds.rate) == "92.58"
    assert ev.level1_weights == {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
    first = ev.indicators[0]
    assert first.source is not None and first.source.line is not None
    lines = (SAMPLES / "yueyang-2024-department.yaml").read_text(encoding="utf-8").splitlines()
    assert "level1: 产出指标" in lines[first.source.line - 1]


def test_contract_keys_in_order() -> None:
    data = evaluation_to_data(load_evaluation(SAMPLES / "zhuzhou-2022-keji-zhuanxiang.yaml"))
    keys = [k for k in data if k in CONTRACT_KEYS]
    assert keys == CONTRACT_KEYS
    assert data["indicators"][0]["target"] == "8家"
    assert data["funds"]["annual_budget"] == Decimal("4465.5")
    assert len(data["children"]) == 6


def test_json_numbers_are_plain() -> None:
    data = evaluation_to_data(load_evaluation(SAMPLES / "yueyang-2024-department.yaml"))
    text = dump_json(data)
    assert '"rate": 92.58' in text and '"weight": 10' in text
    assert json.loads(text)["funds"]["executed"] == 1725.06


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_round_trip_yaml_and_json(tmp_path: Path, sample: Path) -> None:
    original = load_evaluation(sample)
    data = evaluation_to_data(original, sources=False)
    again_yaml = load_evaluation(write(tmp_path, dump_yaml(data)))
    again_json = load_evaluation(write(tmp_path, dump_json(data), "e.json"))

    def strip(ev: object) -> object:
        return evaluation_to_data(ev, sources=False)  # type: ignore[arg-type]

    assert strip(again_yaml) == strip(original)
    assert strip(again_json) == strip(original)


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_schema_accepts_samples(sample: Path) -> None:
    schema = evaluation_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    data = json.loads(dump_json(evaluation_to_data(load_evaluation(sample))))
    jsonschema.validate(data, schema)


def test_schema_rejects_unknown_key() -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"kind": "project", "wieght": 1}, evaluation_schema())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kind: project\nfunds:\n  executed: 5,500\n", "e.yaml:3: funds.executed：应为数字"),
        (
            "kind: project\nindicators:\n  - name: a\n    wieght: 5\n",
            "e.yaml:4: indicators[0].wieght：未知的键“wieght”",
        ),
        ("kind: projct\n", "e.yaml:1: kind：应为 project / department 之一"),
        ("name: x\n", "缺少必填的键“kind”"),
        ("kind: project\nyear: 二〇二二\n", "e.yaml:2: year：应为整数"),
        ("kind: project\nindicators: {a: 1}\n", "e.yaml:2: indicators：应为列表"),
        ("kind: [\n", "YAML 格式错误"),
        ("", "文件是空的"),
        ("kind: project\nkind: department\n", "e.yaml:2: 键“kind”重复出现"),
        ("kind: project\nfunds: {weight: .nan}\n", "不是有限的数字"),
    ],
)
def test_bad_files_name_file_line_and_key(tmp_path: Path, text: str, expected: str) -> None:
    found = problems(write(tmp_path, text))
    assert any(expected in p for p in found), found


def test_every_problem_is_reported(tmp_path: Path) -> None:
    text = "kind: project\nyear: x\nfunds: {weight: y}\nindicators:\n  - {weight: z}\n"
    found = problems(write(tmp_path, text))
    assert len(found) == 3


def test_bad_json_and_missing_file(tmp_path: Path) -> None:
    assert "JSON 格式错误" in problems(write(tmp_path, '{"kind": ', "e.json"))[0]
    assert "文件不存在" in problems(tmp_path / "none.yaml")[0]


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes("kind: 项目".encode("gbk"))
    assert "UTF-8" in problems(path)[0]


def test_sources_given_in_file_are_kept(tmp_path: Path) -> None:
    text = "kind: project\nindicators:\n  - name: a\n    source: {file: r.docx, table: 2, row: 5}\n"
    ev = load_evaluation(write(tmp_path, text))
    assert dataclasses.asdict(ev.indicators[0].source)["row"] == 5  # type: ignore[arg-type]
