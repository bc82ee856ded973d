"""jixiao check and jixiao rules as users run them: shapes, exit codes, settings."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

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
    # a clean file beside one that cannot be read: the run does not pass
    code, _, err = run(
        capsys, "check", SEED001, str(empty), "--select", "FD02", "--disable", "FD02"
    )
    assert code == 1 and "文件是空的" in err


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
    assert "001_0939f1f6f00c3523.txt:210: 第2个表格 第3行第2列 FD02 [错误] 执行得分填写为 9" in out
    assert "共 1 个文件：错误 1 个" in out


def test_human_output_puts_report_level_findings_before_the_tables(
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed004 = str(next(REPORTS.glob("004_*.txt")))
    _, out, _ = run(capsys, "check", seed004, "--select", "XC05,WT02")
    lines = out.splitlines()
    report = lines.index("  报告整体（基础数据表、正文及跨表核对）")
    first_table = next(i for i, line in enumerate(lines) if line.startswith("  自评表1："))
    assert report < first_table
    assert all("XC05" in line for line in lines[report + 1 : first_table] if ":" in line)
    assert "WT02" in "\n".join(lines[first_table:]) and "表2:" not in out


def test_review_opinion_is_written_beside_the_findings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from docx import Document
    from openpyxl import load_workbook

    docx_path, xlsx_path = tmp_path / "意见.docx", tmp_path / "意见.xlsx"
    code, _, err = run(
        capsys, "check", SEED001, "--select", "FD02", "--report", "docx", "-o", str(docx_path)
    )
    assert code == 1 and str(docx_path) in err
    text = "\n".join(p.text for p in Document(str(docx_path)).paragraphs)
    cells = "\n".join(
        c.text for t in Document(str(docx_path)).tables for r in t.rows for c in r.cells
    )
    assert "FD02" in text + cells and "9.99" in text + cells
    run(capsys, "check", SEED001, "--select", "FD02", "--report", "xlsx", "-o", str(xlsx_path))
    rows = [[c for c in r if c is not None] for r in load_workbook(xlsx_path).worksheets[0].values]
    assert any("FD02" in map(str, row) for row in rows)
    code, _, err = run(
        capsys, "check", SEED001, "--report", "xlsx", "-o", str(tmp_path / "no" / "x.xlsx")
    )
    assert code == 2 and "无法写入" in err and "Traceback" not in err


def test_rules_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0 and "FD01" in out and "FD02" in out
    code, out, _ = run(capsys, "rules", "fd02")
    assert code == 0 and "错误示例：" in out and "tolerance" in out
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


# --- many files: --jobs, input order, crashes, progress -----------------------------------

SEEDS = sorted(REPORTS.glob("*.txt"))


def _reports(folder: Path, names: list[str]) -> list[str]:
    """Copies of the seed reports under ``names`` (seed i for the i-th name, cycling)."""
    paths = []
    for i, name in enumerate(names):
        target = folder / name
        target.write_bytes(SEEDS[i % len(SEEDS)].read_bytes())
        paths.append(str(target))
    return paths


def test_jobs_keep_order_and_output(capsys: pytest.CaptureFixture[str]) -> None:
    # Given out of sorted order, with the longest report (004) first: a pool handing back
    # results as they finish, or the CLI sorting them, would show here.
    given = [str(p) for p in reversed(SEEDS)] + [str(SAMPLES / "lusong-2023-department.yaml")]
    runs = {}
    for jobs in ("1", "2"):
        for fmt in ("json", "human"):
            runs[jobs, fmt] = run(capsys, "check", *given, "--jobs", jobs, "--format", fmt)
    assert runs["1", "json"] == runs["2", "json"] and runs["1", "human"] == runs["2", "human"]
    code, out, err = runs["2", "json"]
    assert code == 1 and err == ""
    data = json.loads(out)
    assert [item["source"] for item in data] == given
    (seed001,) = [item for item in data if item["source"] == SEED001]
    fd02 = [f for f in seed001["findings"] if f["code"] == "FD02"]
    assert [(f["expected"], f["actual"]) for f in fd02] == [(9.99, 9)]
    human = runs["2", "human"][1]
    headers = [line[3:] for line in human.splitlines() if line.startswith("== ")]
    assert headers == given and f"共 {len(given)} 个文件" in human


def test_jobs_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", SEED001, "--jobs", "0")
    assert code == 2 and "--jobs" in err


def _crashing_parse(real: Any) -> Any:
    def parse(path: str | Path) -> Any:
        if "crash" in Path(path).name:
            os._exit(7)  # the worker dies at once, as on a segfault in a C reader
        if "raise" in Path(path).name:
            raise RuntimeError("读取库内部故障")
        return real(path)

    return parse


def test_crashing_file_becomes_error_and_run_goes_on(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jixiao.service.audit

    # The workers are forked from this process: they inherit the patched reader.
    monkeypatch.setattr(
        jixiao.service.audit, "read_report", _crashing_parse(jixiao.service.audit.read_report)
    )
    names = ["a.txt", "b-crash.txt", "c.txt", "d.txt", "e-crash.txt", "f.txt", "g.txt"]
    paths = _reports(tmp_path, names)
    code, out, err = run(
        capsys, "check", *paths, "--jobs", "2", "--format", "json", "--select", "FD02"
    )
    data = json.loads(out)
    assert [item["source"] for item in data] == paths and code == 1
    for item, name in zip(data, names, strict=True):
        if "crash" in name:
            assert item["findings"] == []
            (error,) = item["errors"]
            assert item["source"] in error["message"] and "工作进程意外退出" in error["message"]
            assert error["source"]["file"] == item["source"]
        else:
            assert item["errors"] == []
    # Seed 001 (FD02 at 210, see above) was copied to b (crashed) and g (i=6): g has it.
    assert [(f["code"], f["source"]["line"]) for f in data[6]["findings"]] == [("FD02", 210)]
    code, _, err = run(capsys, "check", *paths, "--jobs", "2", "--select", "FD02")
    assert code == 1 and f"错误：检查 {paths[1]} 时工作进程意外退出" in err
    # Nothing readable at all: exit 2 as for any unreadable input (contract §5).
    code, out, _ = run(capsys, "check", paths[1], paths[4], "--jobs", "2", "--format", "json")
    assert code == 2 and all(item["errors"] for item in json.loads(out))


def test_exception_in_a_file_is_the_same_error_in_both_modes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jixiao.service.audit

    monkeypatch.setattr(
        jixiao.service.audit, "read_report", _crashing_parse(jixiao.service.audit.read_report)
    )
    monkeypatch.delenv("JIXIAO_DEBUG", raising=False)
    paths = _reports(tmp_path, ["a.txt", "b-raise.txt", "c.txt"])
    outputs = []
    for jobs in ("1", "2"):
        _, out, _ = run(capsys, "check", *paths, "--jobs", jobs, "--format", "json")
        outputs.append(out)
        (error,) = json.loads(out)[1]["errors"]
        assert paths[1] in error["message"] and "RuntimeError: 读取库内部故障" in error["message"]
    assert outputs[0] == outputs[1]


def test_json_stdout_stays_clean_with_progress(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    paths = _reports(tmp_path, [f"r{i}.txt" for i in range(7)])
    args = ("--format", "json", "--progress", "--jobs", "2")
    code, out, err = run(capsys, "check", *paths, *args)
    assert code == 1
    assert [item["source"] for item in json.loads(out)] == paths  # stdout is only the JSON
    assert "检查" in err and "7/7" in err and "个/秒" in err
    assert "7/7" not in out and "\x1b" not in out
    # Not a terminal (as here) and not forced: no bar; --no-progress: none either.
    for extra in ((), ("--no-progress",)):
        _, out2, err = run(capsys, "check", *paths, "--format", "json", *extra)
        assert err == "" and out2 == out


def test_parse_many_files_with_jobs(capsys: pytest.CaptureFixture[str]) -> None:
    given = [str(p) for p in reversed(SEEDS)]
    one = run(capsys, "parse", *given, "--format", "json", "--jobs", "1")
    two = run(capsys, "parse", *given, "--format", "json", "--jobs", "2")
    assert one == two and [item["source"] for item in json.loads(two[1])] == given
    _, out, err = run(capsys, "parse", *given, "--progress")
    assert "读取" in err and "5/5" in err and "5/5" not in out


def test_output_does_not_depend_on_the_hash_seed() -> None:
    """Two runs, two string-hash seeds, one output: nothing may follow set or dict order of
    strings (a message that named whichever peer a set gave first once broke this)."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "jixiao.cli.main", "check", str(REPORTS), "--format", "json"]
    outputs = set()
    for seed in ("1", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        assert done.returncode == 1, done.stderr[-2000:]
        outputs.add(done.stdout)
    assert len(outputs) == 1
