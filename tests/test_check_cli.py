"""jixiao check and jixiao rules as users run them: shapes, exit codes, settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jixiao.cli.main import main
from tests.conftest import SAMPLES

REPORTS = SAMPLES / "reports"
SEED001 = str(REPORTS / "001_0939f1f6f00c3523.txt")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_shape_of_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", SEED001, "--select", "FD02", "--format", "json")
    (item,) = json.loads(out)
    assert code == 1 and item["source"] == SEED001 and item["errors"] == []
    (finding,) = item["findings"]
    assert finding["code"] == "FD02" and finding["severity"] == "error"
    assert finding["table"] == {"index": 1, "title": "株洲市芦淞区科技和工业信息化局"}
    assert (finding["expected"], finding["actual"], finding["field"]) == (9.99, 9, "funds.score")
    assert "9.99" in finding["message"] and finding["source"]["line"] == 210
    for key in ("indicator", "rule", "advice"):
        assert key in finding


def test_fail_on_and_exit_codes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    settings = tmp_path / "s.yaml"
    settings.write_text("rules:\n  FD02: {severity: info}\n", encoding="utf-8")
    args = ("check", SEED001, "--select", "FD02", "--config", str(settings))
    assert run(capsys, *args)[0] == 0  # an info finding does not fail at --fail-on error
    assert run(capsys, *args, "--fail-on", "info")[0] == 1
    assert run(capsys, "check", SEED001, "--select", "FD02", "--disable", "FD02")[0] == 0
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, _, err = run(capsys, "check", str(empty))
    assert code == 2 and "文件是空的" in err


def test_bad_settings_and_codes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    settings = tmp_path / "s.yaml"
    settings.write_text("rules:\n  FD02: {options: {tolerence: 1}}\n", encoding="utf-8")
    code, _, err = run(capsys, "check", SEED001, "--config", str(settings))
    assert code == 2 and "s.yaml:2: rules.FD02.options.tolerence" in err
    code, _, err = run(capsys, "check", SEED001, "--select", "QQ01")
    assert code == 2 and "QQ01" in err


def test_options_change_the_outcome(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    settings = tmp_path / "s.yaml"
    settings.write_text("rules:\n  FD02: {options: {tolerance: 1}}\n", encoding="utf-8")
    code, out, _ = run(
        capsys, "check", SEED001, "--select", "FD02", "--config", str(settings), "--format", "json"
    )
    assert code == 0 and json.loads(out)[0]["findings"] == []


def test_human_output_names_place_rule_and_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", SEED001, "--select", "FD02")
    assert code == 1
    assert "001_0939f1f6f00c3523.txt:表2:行3:第210行: FD02 [错误] 执行得分填写为 9" in out
    assert "共 1 个文件：错误 1 个" in out


def test_rules_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0 and "FD01" in out and "FD02" in out
    code, out, _ = run(capsys, "rules", "fd02")
    assert code == 0 and "Bad:" in out and "tolerance" in out
    assert run(capsys, "rules", "XX99")[0] == 2


def test_hand_written_evaluation_is_checked(capsys: pytest.CaptureFixture[str]) -> None:
    sample = str(SAMPLES / "lusong-2023-department.yaml")
    code, out, _ = run(capsys, "check", sample, "--select", "FD02", "--format", "json")
    (finding,) = json.loads(out)[0]["findings"]
    assert code == 1 and finding["source"]["file"] == sample and finding["source"]["line"]


def test_rule_docs_are_generated_from_the_catalogue() -> None:
    from jixiao.cli.rules import catalogue_markdown

    docs = Path(__file__).resolve().parents[1] / "docs" / "rules.md"
    assert docs.read_text(encoding="utf-8") == catalogue_markdown()
