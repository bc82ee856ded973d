"""One way in: ``read_report`` gives the same report from a path as from the file's bytes,
in every format; bad bytes give one Chinese error naming the file; nothing is written to
disk for bytes; the readable types are the reader registry's."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jixiao.ingest.readers import CONVERTED, READERS
from jixiao.service import READABLE, ReadReport, read_report
from jixiao.service.store import _parsed_parts, edit_evaluation
from tests import office_docs
from tests.conftest import SAMPLES

REPORTS = SAMPLES / "reports"
SEED_001 = REPORTS / "001_0939f1f6f00c3523.txt"

BUILDERS: dict[str, Callable[[Path], Path]] = {
    "docx": lambda folder: office_docs.build_docx(folder / "表.docx"),
    "xlsx": lambda folder: office_docs.build_xlsx(folder / "表.xlsx"),
    "html": lambda folder: office_docs.build_html(folder / "表.html", "gb18030", "gb2312"),
    "pdf": lambda folder: office_docs.minimal_pdf(folder / "表.pdf", text="Hello"),
}


def both(path: Path) -> tuple[ReadReport, ReadReport]:
    """The file read from its path, and from its bytes under the same name."""
    return read_report(path), read_report(path.read_bytes(), str(path))


def assert_same(path: Path) -> ReadReport:
    from_path, from_bytes = both(path)
    assert from_path == from_bytes
    assert from_path.name == str(path)
    return from_path


@pytest.mark.parametrize("seed", sorted(p.name for p in REPORTS.glob("*.txt")))
def test_seed_reports_from_path_and_bytes(seed: str) -> None:
    read = assert_same(REPORTS / seed)
    assert read.report is not None and read.report.source is not None
    assert read.report.source.file == str(REPORTS / seed)


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.yaml")))
def test_evaluation_files_from_path_and_bytes(sample: str) -> None:
    read = assert_same(SAMPLES / sample)
    assert read.errors == () and read.report is not None
    (evaluation,) = read.report.evaluations
    assert evaluation.source is not None and evaluation.source.file == str(SAMPLES / sample)


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_office_formats_from_path_and_bytes(kind: str, tmp_path: Path) -> None:
    read = assert_same(BUILDERS[kind](tmp_path))
    assert read.report is not None
    if kind != "pdf":  # a line of text: read, but no 绩效 material
        assert read.errors == () and len(read.report.evaluations) == 1


@pytest.mark.parametrize("kind", ["doc", "xls", "pdf"])
def test_converted_and_old_formats_from_path_and_bytes(kind: str, tmp_path: Path) -> None:
    if not office_docs.libreoffice():
        pytest.skip("LibreOffice is not installed")
    (tmp_path / "out").mkdir()
    source = BUILDERS["xlsx" if kind == "xls" else "docx"](tmp_path)
    read = assert_same(office_docs.convert(source, kind, tmp_path / "out"))
    assert read.errors == () and read.report is not None and len(read.report.evaluations) == 1


def test_evaluation_yaml_from_bytes_only() -> None:
    content = (SAMPLES / "yueyang-2024-department.yaml").read_bytes()
    read = read_report(content, "上传/自评表.yaml")
    assert read.errors == () and read.report is not None
    (evaluation,) = read.report.evaluations
    assert evaluation.name == "岳阳市科学技术局"
    assert evaluation.source is not None and evaluation.source.file == "上传/自评表.yaml"
    assert evaluation.indicators[0].source is not None
    assert evaluation.indicators[0].source.line is not None


def test_a_bad_evaluation_file_names_file_line_and_key() -> None:
    read = read_report(b"kind: project\nfunds:\n  weight: \xe5\x8d\x81\n", "坏.yaml")
    assert read.report is None
    (message,) = read.messages()
    assert message.startswith("坏.yaml:3: funds.weight：应为数字")
    (problem,) = read.load_error().problems
    assert str(problem) == message and problem.line == 3


@pytest.mark.parametrize(
    ("content", "name", "said"),
    [
        (b"", "空文件.txt", "文件是空的"),
        (b"", "空文件.docx", "文件是空的"),
        (b"", "空文件.yaml", "文件是空的"),
        (bytes(range(256)) * 64, "乱码.docx", "无法识别的二进制文件"),
        (b"PK\x03\x04" + bytes(200), "坏压缩.xlsx", "已损坏"),
        (b"%PDF-1.4\n" + bytes(range(256)), "坏.pdf", "PDF"),
        (bytes(range(256)) * 8, "乱码.xls", "二进制"),
        (b"<html><body>\x00\x01</body>", "乱码.html", "二进制"),
        (b"hello", "报告.xyz", "不支持的文件类型“.xyz”"),
        (b"hello", "没有扩展名", "不支持的文件类型“（无扩展名）”"),
    ],
)
def test_bad_bytes_are_one_clear_error_naming_the_file(
    content: bytes, name: str, said: str
) -> None:
    read = read_report(content, name)
    assert read.report is None
    (message,) = read.messages()
    assert message.startswith(f"{name}: ") and said in message
    assert read.error_text() == message
    assert [str(p) for p in read.load_error().problems] == [message]


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert read_report(tmp_path / "无.txt").messages() == [f"{tmp_path / '无.txt'}: 文件不存在"]
    assert read_report(tmp_path / "无.yaml").messages() == [f"{tmp_path / '无.yaml'}: 文件不存在"]
    assert "目录" in read_report(tmp_path).error_text()


def test_bytes_need_a_name() -> None:
    with pytest.raises(TypeError):
        read_report(b"text")


def test_a_path_read_under_another_name(tmp_path: Path) -> None:
    read = read_report(SEED_001, "上传的报告.txt")
    assert read == read_report(SEED_001.read_bytes(), "上传的报告.txt")


def test_readable_types_are_the_registry() -> None:
    from jixiao.web._uploads import READABLE as UPLOADABLE
    from jixiao.web.pages import UPLOAD_TYPES

    assert set(READABLE) == {".yaml", ".yml", ".json", *READERS, *CONVERTED}
    assert UPLOADABLE == READABLE
    assert UPLOAD_TYPES.split(",") == [*READABLE, ".zip"]
    for suffix in (".doc", ".wps", ".et", ".rtf", ".xlsm", ".text"):
        assert suffix in UPLOAD_TYPES.split(",")


@pytest.fixture
def no_temporary_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to make a temporary file or directory fails the test."""

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("a temporary file was made")

    for name in (
        "mkdtemp",
        "mkstemp",
        "NamedTemporaryFile",
        "TemporaryFile",
        "SpooledTemporaryFile",
        "TemporaryDirectory",
    ):
        monkeypatch.setattr(tempfile, name, refuse)


@pytest.mark.usefixtures("no_temporary_files")
def test_no_temporary_file_for_bytes(tmp_path: Path) -> None:
    docx = office_docs.build_docx(tmp_path / "表.docx").read_bytes()
    xlsx = office_docs.build_xlsx(tmp_path / "表.xlsx").read_bytes()
    for content, name in ((docx, "表.docx"), (xlsx, "表.xlsx"), (SEED_001.read_bytes(), "a.txt")):
        read = read_report(content, name)
        assert read.errors == () and read.report is not None


@pytest.mark.usefixtures("no_temporary_files")
def test_a_stored_upload_is_read_again_without_a_temporary_file(tmp_path: Path) -> None:
    content = office_docs.build_docx(tmp_path / "表.docx").read_bytes()
    _parsed_parts.cache_clear()
    report = _parsed_parts("表.docx", content)
    assert report is not None and len(report.evaluations) == 1
    assert _parsed_parts("坏.docx", b"not a word file") is None
    _parsed_parts.cache_clear()


def _upload_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.usefixtures("no_temporary_files")
def test_uploads_are_read_in_memory(tmp_path: Path) -> None:
    from jixiao.service import Service
    from jixiao.store import Role, open_store
    from jixiao.web._uploads import import_uploads

    with open_store(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        user = store.add_user("unit", Role.ADMIN, "pass-word-long")
        archive = _upload_zip(
            {"报告/001.txt": SEED_001.read_bytes(), "报告/坏.docx": b"not a word file"}
        )
        files = [
            ("批量.zip", io.BytesIO(archive)),
            ("自评表.yaml", io.BytesIO((SAMPLES / "yueyang-2024-project.yaml").read_bytes())),
            ("说明.exe", io.BytesIO(b"MZ")),
        ]
        service = Service()
        results = {r.file: r for r in import_uploads(store, service, files, user, "某单位")}
        # an edit rechecks the whole document: the stored upload is read again, in memory
        _parsed_parts.cache_clear()
        (table,) = results["批量.zip/报告/001.txt"].evaluations
        edited = edit_evaluation(store, service, table, "funds.executed", Decimal(1200), "unit")
        assert edited.funds.executed == Decimal(1200)
        assert _parsed_parts.cache_info().misses == 1
        assert _parsed_parts("001.txt", SEED_001.read_bytes()) is not None  # read, not given up
        found = store.find_document(SEED_001.read_bytes())
        assert found is not None and found.file_name == "001.txt"  # the member's own name
    assert results["批量.zip/报告/001.txt"].status == "imported"
    assert results["自评表.yaml"].status == "imported"
    bad = results["批量.zip/报告/坏.docx"]
    assert bad.status == "failed" and bad.message.startswith("批量.zip/报告/坏.docx: ")
    assert "不支持的文件类型“.exe”" in results["说明.exe"].message


@pytest.mark.parametrize(
    "command",
    [["parse"], ["check"], ["score"], ["render", "--to", "md", "-o", "-"], ["import", "--db"]],
)
def test_every_command_says_the_same_error(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from jixiao.cli.main import main

    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"this is not a word file")
    if command[-1] == "--db":
        command = [*command, f"sqlite:///{tmp_path / 'db.sqlite'}"]
    code = main([*command, str(bad)])
    out, err = capsys.readouterr()
    assert code == 2 and "Traceback" not in out + err
    assert f"{bad}: 文件扩展名是 .docx（Word 文档），但内容其实是纯文本文件" in out + err
