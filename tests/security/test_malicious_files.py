"""Hostile files (issue 13): zip bombs as .docx and .xlsx, an external entity (XXE) in a
.docx and an .xlsx, "billion laughs" entities in both, a zip whose members point outside
it, the YAML alias bomb, JSON and YAML nested without end, and (with LibreOffice) a .doc
that is really a web page with links. Each is read in its own process under a 1 GiB
address-space limit and a time limit: it ends in a Chinese message naming the file or in a
clean reading, never in a crash, a MemoryError or a timeout, and an entity never brings in
another file's text. Uploaded in one batch with a valid report, each has its result line,
the valid report is stored and nothing of the hostile files is."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from jixiao import libreoffice
from jixiao.store import Role, Store, open_store
from tests import office_docs as od
from tests.security.big_tables import SAMPLE
from tests.security.conftest import upload
from tests.security.test_structured_input import _alias_bomb
from tests.web_client import PASSWORD, As

GIB = 1024**3
TIME_LIMIT = 60  # seconds, each file
VALID = SAMPLE / "reports" / "001_0939f1f6f00c3523.txt"
SECRET = "机密-不得外泄-7c1e"  # the text of the file the external entities point at
SHEET = "xl/worksheets/sheet1.xml"  # openpyxl writes strings inline, in the sheet
LAUGHS = 9  # levels of ten: 10⁹ "lol"s, 3 GB, from under a kilobyte

# Read in a child process: the file's result lines (a zip: one a member, as an upload
# unpacks it), everything read (to look for the secret), the peak RSS of the process and of
# its own children (LibreOffice).
_CHILD = """
import io, json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[3]), resource.RLIM_INFINITY))
from jixiao.service.reading import read_report
from jixiao.web._uploads import _zip_members
path, name = sys.argv[1], sys.argv[2]
with open(path, "rb") as source:
    content = source.read()
zipped = name.endswith(".zip")
items = list(_zip_members(name, io.BytesIO(content))) if zipped else [(name, content)]
lines = []
for label, got in items:
    if isinstance(got, str):
        lines.append({"file": label, "error": got, "evaluations": 0, "read": ""})
        continue
    read = read_report(got, label)
    lines.append({
        "file": label,
        "error": read.error_text() if read.errors else None,
        "evaluations": len(read.report.evaluations) if read.report else 0,
        "read": repr(read)[:1_000_000],
    })
mib = lambda who: resource.getrusage(who).ru_maxrss / 1024
print(json.dumps({"lines": lines, "peak_mib": mib(resource.RUSAGE_SELF),
                  "children_mib": mib(resource.RUSAGE_CHILDREN)}, ensure_ascii=False))
"""


# ---- the hostile files ----


def _rewrite(path: Path, member: str, change: Callable[[str], str]) -> Path:
    """``path`` (an Office zip) with one member's XML changed by ``change``."""
    with zipfile.ZipFile(path) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    parts[member] = change(parts[member].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _with_doctype(xml: str, root: str, entities: str, text_tag: str, reference: str) -> str:
    """``xml`` with a DOCTYPE declaring ``entities`` and ``reference`` at the start of its
    first text element."""
    declaration = re.match(r"<\?xml[^>]*\?>\s*", xml)
    head = declaration.group(0) if declaration else ""
    body = xml[len(head) :]
    body = re.sub(rf"(<{text_tag}(?: [^>]*)?>)", rf"\1{reference}", body, count=1)
    return f"{head}<!DOCTYPE {root} [{entities}]>{body}"


def _external(folder: Path) -> str:
    secret = folder / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    return f'<!ENTITY xxe SYSTEM "{secret.as_uri()}">'


def _laughs() -> str:
    entities = ['<!ENTITY lol0 "lol">']
    for n in range(1, LAUGHS + 1):
        entities.append(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">')
    return "".join(entities)


def _xxe_docx(folder: Path) -> tuple[str, bytes]:
    path = od.build_docx(folder / "外部实体.docx")
    entity = _external(folder)
    _rewrite(
        path,
        "word/document.xml",
        lambda xml: _with_doctype(xml, "w:document", entity, "w:t", "&xxe;"),
    )
    return path.name, path.read_bytes()


def _xxe_xlsx(folder: Path) -> tuple[str, bytes]:
    path = od.build_xlsx(folder / "外部实体.xlsx")
    entity = _external(folder)
    _rewrite(path, SHEET, lambda xml: _with_doctype(xml, "worksheet", entity, "t", "&xxe;"))
    return path.name, path.read_bytes()


def _laughs_docx(folder: Path) -> tuple[str, bytes]:
    path = od.build_docx(folder / "十亿笑声.docx")
    reference = f"&lol{LAUGHS};"
    _rewrite(
        path,
        "word/document.xml",
        lambda xml: _with_doctype(xml, "w:document", _laughs(), "w:t", reference),
    )
    return path.name, path.read_bytes()


def _laughs_xlsx(folder: Path) -> tuple[str, bytes]:
    path = od.build_xlsx(folder / "十亿笑声.xlsx")
    reference = f"&lol{LAUGHS};"
    _rewrite(path, SHEET, lambda xml: _with_doctype(xml, "worksheet", _laughs(), "t", reference))
    return path.name, path.read_bytes()


def _bomb(kind: str) -> Callable[[Path], tuple[str, bytes]]:
    def make(folder: Path) -> tuple[str, bytes]:
        path = od.zip_bomb(folder / f"压缩炸弹.{kind}", kind=kind)
        return path.name, path.read_bytes()

    return make


def _walking_zip(_folder: Path) -> tuple[str, bytes]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("../../出界.txt", VALID.read_bytes() + b"\n")
        archive.writestr("报告/../../../etc/出界.yaml", "a: 1\n")
        archive.writestr("/tmp/绝对路径.txt", VALID.read_bytes() + b"\n\n")
    return "越界路径.zip", buffer.getvalue()


def _alias_yaml(_folder: Path) -> tuple[str, bytes]:
    return "别名炸弹.yaml", _alias_bomb(9).encode()


def _deep_json(_folder: Path) -> tuple[str, bytes]:
    return "嵌套过深.json", b"[" * 100_000 + b"]" * 100_000


def _deep_yaml(_folder: Path) -> tuple[str, bytes]:
    return "嵌套过深.yaml", b"[" * 100_000 + b"]" * 100_000


def _html_doc(port: int) -> Callable[[Path], tuple[str, bytes]]:
    def make(_folder: Path) -> tuple[str, bytes]:
        page = (
            f'<html><head><link rel="stylesheet" href="http://127.0.0.1:{port}/a.css"></head>'
            f'<body><p>项目支出绩效自评表</p><img src="http://127.0.0.1:{port}/b.png">'
            f'<iframe src="http://127.0.0.1:{port}/c.html"></iframe></body></html>'
        )
        return "伪装的网页.doc", page.encode("utf-8")

    return make


@dataclass(frozen=True)
class Hostile:
    make: Callable[[Path], tuple[str, bytes]]
    refused: tuple[str, ...]  # what the message says (every line); () when it may read
    stored: bool = False  # read cleanly: a report whose entity was left out
    max_bytes: int = 2 * 1024 * 1024  # the hostile file itself is small


HOSTILE: dict[str, Hostile] = {
    "zip-bomb-docx": Hostile(_bomb("docx"), ("压缩炸弹",)),
    "zip-bomb-xlsx": Hostile(_bomb("xlsx"), ("压缩炸弹",)),
    "xxe-docx": Hostile(_xxe_docx, (), stored=True),
    "xxe-xlsx": Hostile(_xxe_xlsx, ()),
    "laughs-docx": Hostile(_laughs_docx, ()),
    "laughs-xlsx": Hostile(_laughs_xlsx, ()),
    "walking-zip": Hostile(_walking_zip, ("压缩包之外",)),
    "alias-yaml": Hostile(_alias_yaml, ("别名",)),
    "deep-json": Hostile(_deep_json, ("嵌套",)),
    "deep-yaml": Hostile(_deep_yaml, ("嵌套",)),
}
LIBREOFFICE = libreoffice.find_soffice() is not None


def _hostile(port: int) -> dict[str, Hostile]:
    if not LIBREOFFICE:
        return HOSTILE
    return {**HOSTILE, "html-doc": Hostile(_html_doc(port), ())}


def _read_apart(path: Path, name: str) -> tuple[dict[str, Any], float]:
    """What a child process limited to 1 GiB reads in ``path`` (called ``name``), and the
    time it took; a crash, a MemoryError or a timeout fails the test."""
    start = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path), name, str(GIB)],
            capture_output=True,
            text=True,
            timeout=TIME_LIMIT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name}: not read within {TIME_LIMIT} s")
    took = time.monotonic() - start
    assert done.returncode == 0, f"{name} crashed the reader:\n{done.stderr[-3000:]}"
    assert "MemoryError" not in done.stderr, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1]), took


@pytest.mark.parametrize("kind", [*HOSTILE, "html-doc"])
def test_each_hostile_file_is_refused_or_read_in_little_memory_and_time(
    kind: str, tmp_path: Path, listener: tuple[int, list[str]]
) -> None:
    port, heard = listener
    if kind not in _hostile(port):
        pytest.skip("LibreOffice is not installed")
    hostile = _hostile(port)[kind]
    name, content = hostile.make(tmp_path)
    assert len(content) < hostile.max_bytes
    path = tmp_path / "upload.bin"
    path.write_bytes(content)
    got, took = _read_apart(path, name)
    peak, office = got["peak_mib"], got["children_mib"]
    print(f"{kind}: {took:.1f} s, peak {peak:.0f} MiB, LibreOffice {office:.0f} MiB")
    assert peak < 1024 and office < 3 * 1024
    assert got["lines"], name
    for line in got["lines"]:
        assert line["file"].startswith(name)
        assert SECRET not in line["read"] and SECRET not in (line["error"] or "")
        assert "lol" * 1000 not in line["read"]
        if hostile.refused:
            assert line["error"], line
        if hostile.stored:
            assert line["error"] is None and line["evaluations"] == 1, line
        if line["error"]:
            message = line["error"]
            assert re.search(r"[\u4e00-\u9fff]", message), message
            assert "Traceback" not in message and "MemoryError" not in message
            # said in Chinese alone: no library's English sentence (file names aside)
            assert not re.search(r"[A-Za-z]{3,} [A-Za-z]{3,} [A-Za-z]{3,}", message), message
            assert all(word in message for word in hostile.refused), message
            # a zip member's line names it (越界路径.zip/../../出界.txt), a file's message too
            assert name in message or name.endswith(".zip"), message
    assert heard == []


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Store, As]]:
    with open_store(str(tmp_path / "u.db")) as store:
        store.add_user("admin", Role.ADMIN, PASSWORD)
        yield store, As(store, "admin")


def test_a_batch_of_hostile_files_stores_the_valid_report_and_nothing_of_them(
    server: tuple[Store, As], tmp_path: Path, listener: tuple[int, list[str]]
) -> None:
    store, admin = server
    port, heard = listener
    made = {}
    for kind, hostile in _hostile(port).items():
        (tmp_path / kind).mkdir()
        made[kind] = hostile.make(tmp_path / kind)
    files = [*made.values(), (VALID.name, VALID.read_bytes())]
    clean = [made[k] for k, h in _hostile(port).items() if h.stored] + [files[-1]]
    before = store.counts()
    results = upload(admin, files)
    after = store.counts()

    # every file has its line (a zip one a member), in the order sent
    sent = [name for name, _ in files]
    assert [r["file"] for r in results if ".zip/" not in r["file"]] == [
        n for n in sent if not n.endswith(".zip")
    ]
    for kind, (name, _) in made.items():
        lines = [r for r in results if r["file"] == name or r["file"].startswith(f"{name}/")]
        assert len(lines) == (3 if name.endswith(".zip") else 1), lines  # the zip: 3 members
        for line in lines:
            if _hostile(port)[kind].stored:
                assert line["status"] == "imported", line
                continue
            assert line["status"] == "failed", line
            assert re.search(r"[\u4e00-\u9fff]", line["message"]), line
            assert "Traceback" not in line["message"] and "MemoryError" not in line["message"]
    assert results[-1]["file"] == VALID.name and results[-1]["status"] == "imported"

    # stored: the valid report (and the clean reading of the .docx whose entity was left
    # out, without the secret), row for row as when they are uploaded alone
    with open_store(str(tmp_path / "alone.db")) as alone:
        alone.add_user("admin", Role.ADMIN, PASSWORD)
        browser = As(alone, "admin")
        reference = alone.counts()
        assert all(r["status"] == "imported" for r in upload(browser, clean))
        added_alone = {t: n - reference[t] for t, n in alone.counts().items()}
    added = {t: n - before[t] for t, n in after.items()}
    assert added == added_alone
    assert added["documents"] == len(clean)
    for line in results:
        for table in line.get("evaluations") or []:
            shown = admin.get(f"/api/evaluations/{table}")
            assert shown.status_code == 200 and SECRET not in shown.text
    assert heard == []
