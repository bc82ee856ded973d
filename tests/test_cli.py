"""The jixiao command as a user runs it: output, exit codes, Chinese and English help."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from jixiao import __version__
from jixiao.cli.main import main
from tests.conftest import SAMPLES

YUEYANG = str(SAMPLES / "yueyang-2024-department.yaml")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_score_human_shows_reported_and_recomputed(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", YUEYANG)
    assert code == 0
    assert "岳阳市科学技术局" in out
    assert "94.26 / 98.58" in out  # total: reported / recomputed
    assert "9.32" in out and "92.58 / 92.58" in out


def test_score_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", YUEYANG, "--format", "json")
    assert code == 0
    data = json.loads(out)
    score = data[0]["scores"][0]
    assert data[0]["source"] == YUEYANG and data[0]["errors"] == []
    assert score["funds"]["rate"] == 92.58 and score["funds"]["score"] == 9.26
    assert score["total"] == {"weight": 100, "reported": 94.26, "score": 98.58}
    rd = next(i for i in score["indicators"] if i["name"] == "全社会研发占GDP比重投入")
    assert (rd["reported_score"], rd["score"], rd["rule"]) == (5, 9.32, "positive")


def test_score_samples(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", "--samples", "--format", "json")
    assert code == 0
    assert len(json.loads(out)) == len(list(SAMPLES.glob("*.yaml")))


def test_scheme_override(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", YUEYANG, "--scheme", "national-cost", "--format", "json")
    assert code == 0 and json.loads(out)[0]["scores"][0]["scheme"] == "national-cost"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", "missing.yaml"], "missing.yaml: 文件不存在"),
        (["score", YUEYANG, "--scheme", "nope"], "未知的评分方案“nope”"),
        (["score"], "--samples"),
        (["--bogus"], "没有这个选项：--bogus"),
        (["score", "--format", "xml", YUEYANG], "--format"),
        (["nosuch"], "没有这个命令"),
    ],
)
def test_bad_input_is_one_clear_message(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = run(capsys, *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_bad_yaml_names_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: project\nfunds:\n  weight: 十\n", encoding="utf-8")
    code, _, err = run(capsys, "score", str(bad))
    assert code == 2 and f"{bad}:3: funds.weight：应为数字" in err


def test_batch_goes_on_after_a_bad_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", "missing.yaml", YUEYANG, "--format", "json")
    data = json.loads(out)
    assert code == 2 and data[0]["errors"] and data[1]["scores"]


def test_schema_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0 and schema["$ref"] == "#/$defs/Evaluation"
    assert "indicators" in schema["$defs"]["Evaluation"]["properties"]


def test_schemes_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schemes")
    assert code == 0 and "national-2020" in out and "zhuzhou-lusong" in out


@pytest.mark.parametrize(
    ("lang", "expected"), [("zh_CN.UTF-8", "用法："), ("en_US.UTF-8", "Usage:")]
)
def test_help_in_chinese_and_english(lang: str, expected: str) -> None:
    env = {"JIXIAO_LANG": lang, "PATH": ""}
    out = subprocess.run(
        [sys.executable, "-m", "jixiao.cli.main", "score", "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    assert expected in out
    assert ("显示本帮助并退出" in out) == (lang.startswith("zh"))


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0 and __version__ in out


REPORTS = SAMPLES / "reports"


def test_parse_directory_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "parse", str(REPORTS), "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert [Path(d["source"]).name[:3] for d in data] == ["000", "001", "002", "003", "004"]
    for item in data:
        assert set(item) >= {"source", "evaluations", "tables", "narrative", "errors"}
    seed000 = data[0]
    names = [e["name"] for e in seed000["evaluations"]]
    assert len(names) == 7 and names[1] == "株洲市2022年度科技发展专项（科技创新后补助支持）"
    assert len(seed000["evaluations"][0]["children"]) == 6  # the fund also carries its children
    first = seed000["evaluations"][0]["indicators"][0]
    assert first["source"]["line"] == 106 and first["target"] == "8家"  # checked by eye
    assert data[2]["tables"][0]["kind"] == "allocation"
    assert data[4]["narrative"]["unit"] == "岳阳市科学技术局"


def test_parse_batch_goes_on_and_exit_code_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    code, out, _ = run(
        capsys, "parse", str(empty), str(REPORTS / "004_17561392e51863dc.txt"), "--format", "json"
    )
    data = json.loads(out)
    assert code == 1
    assert data[0]["errors"] and data[0]["evaluations"] == []
    assert data[1]["errors"] == [] and len(data[1]["evaluations"]) == 2
    code, _, err = run(capsys, "parse", str(empty))
    assert code == 2 and "empty.docx" in err


def test_parse_human_and_yaml(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "parse", str(REPORTS / "000_512cd80c5bd5ad28.txt"))
    assert code == 0 and "自评表（项目支出）：株洲市2022年度科技发展专项" in out
    assert "按得分读取" in out
    code, out, _ = run(
        capsys, "parse", str(REPORTS / "001_0939f1f6f00c3523.txt"), "--format", "yaml"
    )
    assert code == 0 and "kind: department" in out


def test_score_reads_a_report(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "score", str(REPORTS / "001_0939f1f6f00c3523.txt"), "--format", "json"
    )
    score = json.loads(out)[0]["scores"][0]
    assert code == 0 and score["scheme"] == "zhuzhou-lusong"
    assert score["funds"]["score"] == 9.99 and score["funds"]["reported_score"] == 9


def test_render_writes_charts_as_png(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    seed000 = str(next(REPORTS.glob("000_*.txt")))
    code = main(
        [
            "render",
            seed000,
            "--to",
            "md",
            "-o",
            str(tmp_path / "r.md"),
            "--charts",
            str(tmp_path / "c"),
        ]
    )
    err = capsys.readouterr().err
    pictures = sorted(p.name for p in (tmp_path / "c").iterdir())
    # the table and its six sub-directions each get a completion chart; the table alone
    # gets the execution chart (its bars already show every sub-direction)
    assert code == 0 and "图表 8 张" in err
    assert pictures[:2] == ["01-completion.png", "01-execution.png"] and len(pictures) == 8
    assert all((tmp_path / "c" / p).read_bytes()[:4] == b"\x89PNG" for p in pictures)
