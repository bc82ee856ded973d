"""``jixiao`` starts with only what the command needs (issue 16.2): ``--version`` imports
nothing of the program, ``check`` nothing of the web app, the database, Word, Excel, PDF or
rich. Checked by the modules a new process holds after the command, not by timing
(bench/cli_start.py times it)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from jixiao import __version__
from jixiao.cli.app import COMMANDS, LazyGroup, cli

ONE_FILE = (
    Path(__file__).resolve().parents[1]
    / "src"
    / "jixiao"
    / "samples"
    / "reports"
    / "003_cb5d8704452e17fc.txt"
)
# The libraries the issue names (rich, the rule catalogue, renderers, openpyxl, docx, the
# pdf libraries, fastapi) and the others a command may leave out.
LIBRARIES = (
    "rich",
    "openpyxl",
    "docx",
    "xlrd",
    "pdfplumber",
    "pdfminer",
    "pypdfium2",
    "lxml",
    "matplotlib",
    "fastapi",
    "starlette",
    "uvicorn",
    "jinja2",
    "sqlalchemy",
    "alembic",
    "argon2",
)


def modules_after(*args: str) -> tuple[str, list[str]]:
    """What ``jixiao ARGS`` printed, and the modules its process then held."""
    code = (
        "import sys; from jixiao.cli.main import main; status = main(sys.argv[1:]); "
        "print('\\n--modules--'); print('\\n'.join(sorted(sys.modules))); sys.exit(status)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode in (0, 1), done.stderr
    output, _, modules = done.stdout.rpartition("\n--modules--\n")
    return output, modules.split()


def loaded(modules: list[str], *names: str) -> list[str]:
    return [m for m in modules if any(m == n or m.startswith(n + ".") for n in names)]


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_imports_nothing_of_the_program(flag: str) -> None:
    output, modules = modules_after(flag)
    assert output.strip() == f"jixiao {__version__}"
    heavy = loaded(modules, "click", "yaml", *LIBRARIES)
    ours = [
        m for m in modules if m.startswith("jixiao.") and m not in ("jixiao.cli", "jixiao.cli.main")
    ]
    assert heavy == [] and ours == []


def test_check_imports_only_reading_scoring_and_the_rules() -> None:
    output, modules = modules_after("check", str(ONE_FILE), "--format", "json")
    assert json.loads(output)[0]["source"] == str(ONE_FILE)
    assert "jixiao.audit.rules" in modules  # the catalogue, which check runs
    assert loaded(modules, *LIBRARIES) == []
    other_commands = [module for module, _ in COMMANDS.values() if module != "jixiao.cli.check"]
    assert loaded(modules, "jixiao.web", "jixiao.store", "jixiao.render", *other_commands) == []


def test_check_of_a_text_file_leaves_out_what_reading_text_does_not_need() -> None:
    """Said to a person (the review renderer loaded): no zip or logging module (office
    files only), no temporary files (writing only), no importlib resources (the bundled
    schemes and samples are found beside the modules), no fonts (Word only)."""
    output, modules = modules_after("check", str(ONE_FILE))
    assert ONE_FILE.name in output  # the findings, said of the file
    unneeded = ("zipfile", "logging", "tempfile", "shutil", "importlib.resources", "subprocess")
    assert loaded(modules, *unneeded, "jixiao.render.fonts") == []


def test_every_command_is_found_under_its_name() -> None:
    group = cli
    assert isinstance(group, LazyGroup)
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert isinstance(command, click.Command) and command.name == name
    assert group.get_command(context, "nosuch") is None
