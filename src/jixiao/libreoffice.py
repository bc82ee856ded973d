"""Headless LibreOffice, one runner for reading and for rendering: finding ``soffice``, and
running one ``--convert-to`` over some files.

Each run gets a private, throw-away user profile (``-env:UserInstallation``), so runs may go
side by side and never touch the user's own settings; a run that takes too long is killed
with its whole process group (soffice forks soffice.bin). Reading (.doc, .wps, .et, .rtf in
``ingest.readers.office``) and PDF output (``render.pdf``) turn the outcome into their own
errors.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

_CANDIDATES = (
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice*/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    "C:/Program Files/LibreOffice/program/soffice.exe",
)


def find_soffice() -> str | None:
    """The LibreOffice executable: $JIXIAO_SOFFICE (when set, it alone), the PATH, then the
    usual places."""
    configured = os.environ.get("JIXIAO_SOFFICE")
    if configured:
        return configured if Path(configured).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for pattern in _CANDIDATES:
        for match in sorted(glob.glob(pattern)):
            if Path(match).is_file():
                return match
    return None


def convert(
    soffice: str, paths: Sequence[Path], to: str, outdir: Path, timeout: float
) -> tuple[int, str]:
    """Convert ``paths`` to ``to`` (``docx``, ``pdf:writer_pdf_Export``…) into ``outdir`` in
    one run: its exit code and what it said. ``subprocess.TimeoutExpired`` past ``timeout``
    seconds, ``OSError`` when it cannot start."""
    profile = Path(tempfile.mkdtemp(prefix="jixiao-lo-profile-"))
    command = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--nolockcheck",
        "--convert-to",
        to,
        "--outdir",
        str(outdir.resolve()),
        *(str(p.resolve()) for p in paths),
    ]
    try:
        return _run(command, timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def _run(command: list[str], timeout: float) -> tuple[int, str]:
    """Run soffice in its own process group, killed whole on timeout."""
    with subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    ) as process:
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            if hasattr(os, "killpg"):
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
            process.communicate()
            raise
    return process.returncode, (err or out).decode("utf-8", errors="replace").strip()
