"""docs/deploy.md as an operator follows it: scripts/try-deployment runs its commands (the
database and its role, the first administrator, the systemd units checked and their
ExecStart lines run — two web instances, two workers —, nginx in front, a login and a
batch import through nginx, a backup restored into a new database)."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import NO_POSTGRES, POSTGRES_BINARIES, ROOT

SCRIPT = ROOT / "scripts" / "try-deployment"
GUIDE = ROOT / "docs" / "deploy.md"


def test_the_deployment_guide_runs_as_written() -> None:
    if not glob.glob(POSTGRES_BINARIES):
        pytest.skip(NO_POSTGRES)
    missing = [tool for tool in ("nginx", "systemd-analyze", "curl") if not shutil.which(tool)]
    if missing:
        pytest.skip(f"缺少 {'、'.join(missing)}：运行 scripts/install-system-packages 安装")
    jixiao = Path(sys.executable).parent / "jixiao"
    done = subprocess.run(
        [str(SCRIPT)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "JIXIAO_BIN": str(jixiao)},
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "部署演练通过" in done.stdout


def test_the_guide_names_the_files_and_commands_the_script_uses() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    script = SCRIPT.read_text(encoding="utf-8")
    for name in ("jixiao-web@.service", "jixiao-worker@.service", "nginx-jixiao.conf"):
        assert f"deploy/{name}" in guide and (ROOT / "deploy" / name).is_file()
    for command in ("createdb", "pg_dump", "pg_restore", "jixiao user add", "systemd-analyze"):
        assert command in guide, command
        assert command.split()[-1] in script, command
