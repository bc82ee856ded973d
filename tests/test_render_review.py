"""The review opinion (审核意见): every finding appears, grouped by file and by table.

The findings are what ``jixiao check`` gives for two seed reports; a third file could not
be read and a fourth is clean (given as a plain (name, findings) pair). The counts the
documents state are checked against counts made here from the findings themselves.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.audit import Finding, Severity
from jixiao.model import SourceRef
from jixiao.render.review import place, review_docx, review_xlsx, rule_title
from jixiao.service import Service
from jixiao.service.audit import CheckedFile
from tests.conftest import SAMPLES

SEEDS = sorted((SAMPLES / "reports").glob("*.txt"))


@pytest.fixture(scope="module")
def results() -> list[CheckedFile | tuple[str, list[Finding]]]:
    service = Service()
    checked: list[CheckedFile | tuple[str, list[Finding]]] = [
        service.check(SEEDS[1]),
        service.check(SEEDS[0]),
    ]
    broken = CheckedFile(
        "坏文件.docx", [], [("无法读取 Word 文件（文件已损坏）", SourceRef("坏文件.docx"))]
    )
    checked += [broken, ("干净.yaml", [])]
    return checked


def _findings(item: CheckedFile | tuple[str, list[Finding]]) -> list[Finding]:
    return item.findings if isinstance(item, CheckedFile) else item[1]


def _name(item: CheckedFile | tuple[str, list[Finding]]) -> str:
    return Path(item.path if isinstance(item, CheckedFile) else item[0]).name


def test_results_are_not_trivial(results: list[CheckedFile | tuple[str, list[Finding]]]) -> None:
    findings = [f for item in results for f in _findings(item)]
    assert len(findings) > 20
    assert {f.severity for f in findings} >= {Severity.ERROR, Severity.WARNING}
    assert len({f.table.index for f in _findings(results[1]) if f.table}) > 1


def test_review_docx(
    results: list[CheckedFile | tuple[str, list[Finding]]], tmp_path: Path
) -> None:
    import docx

    path = tmp_path / "审核意见.docx"
    review_docx(results, path)
    document = docx.Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "预算绩效自评审核意见"
    assert any(p.startswith("审核单位：") for p in paragraphs)
    assert any(p.startswith("审核人（签字）") for p in paragraphs)
    findings = [f for item in results for f in _findings(item)]
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = sum(f.severity is Severity.WARNING for f in findings)
    summary = next(p for p in paragraphs if p.startswith("本次共审核文件"))
    assert f"发现问题 {len(findings)} 条" in summary and f"错误 {errors} 条" in summary
    assert f"警告 {warnings} 条" in summary and "1 个文件未能完整读取" in summary
    # Body order: file headings, table headings under them, finding rows under those.
    body = document.element.body
    texts: list[str] = []
    for block in body.iterchildren():
        if block.tag.endswith("}p"):
            texts.append("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
        elif block.tag.endswith("}tbl"):
            for row in block.iter():
                if row.tag.endswith("}tr"):
                    cells = [c for c in row if c.tag.endswith("}tc")]
                    texts.append(
                        "|".join(
                            "".join(t.text or "" for t in c.iter() if t.tag.endswith("}t"))
                            for c in cells
                        )
                    )
    for item in results:
        start = next(i for i, t in enumerate(texts) if t.endswith(f"、{_name(item)}"))
        following = [
            i for i, t in enumerate(texts) if i > start and t[:2] in ("二、", "三、", "四、")
        ]
        end = min([*following, len(texts)])
        section = texts[start:end]
        for finding in _findings(item):
            where = f"|{place(finding)}|"
            row = next((t for t in section if finding.message in t and where in t), None)
            assert row is not None, (item, finding.message)
            assert finding.code in row and rule_title(finding.code) in row
            assert finding.severity.label in row
            if finding.table is not None:
                at = section.index(row)
                above = max(i for i, t in enumerate(section[:at]) if t.startswith("（"))
                assert f"自评表{finding.table.index}：" in section[above]  # under its own table
    assert any("无法读取 Word 文件" in t for t in texts)
    assert any(t == "经审核，未发现问题。" for t in texts)


def test_review_xlsx(
    results: list[CheckedFile | tuple[str, list[Finding]]], tmp_path: Path
) -> None:
    import openpyxl

    path = tmp_path / "审核意见.xlsx"
    review_xlsx(results, path)
    book = openpyxl.load_workbook(path)
    sheet = book["审核意见"]
    header = [c.value for c in sheet[6]]
    assert header[:6] == ["文件", "表", "序号", "规则编号", "规则名称", "严重程度"]
    rows = [r for r in sheet.iter_rows(min_row=7, values_only=True) if r[0]]
    got = [(r[0], r[3], r[9]) for r in rows if r[3]]
    want = [(_name(item), f.code, f.message) for item in results for f in _findings(item)]
    assert sorted(got) == sorted(want)
    # Grouped: one file's rows together, its tables in order, numbered 1, 2, 3…
    files = [r[0] for r in rows]
    assert [f for i, f in enumerate(files) if i == 0 or files[i - 1] != f] == [
        _name(item) for item in results
    ]
    for item in results[:2]:
        mine = [r for r in rows if r[0] == _name(item) and r[3]]
        assert [r[2] for r in mine] == list(range(1, len(mine) + 1))
        tables = [
            int(r[1][3 : r[1].index("：")]) if r[1].startswith("自评表") else 10**6 for r in mine
        ]
        assert tables == sorted(tables)
    assert any(r[4] == "无法读取" and r[0] == "坏文件.docx" for r in rows)
    summary = book["汇总"]
    counts = {r[0]: r[1:5] for r in summary.iter_rows(min_row=2, values_only=True) if r[0]}
    first = _findings(results[0])
    assert counts[_name(results[0])][3] == len(first)
    assert counts[_name(results[0])][0] == sum(f.severity is Severity.ERROR for f in first)
