"""Headless LibreOffice, one runner for reading and for rendering: finding ``soffice``, and
running one ``--convert-to`` over some files.

Each run gets a private, throw-away user profile (``-env:UserInstallation``), so runs may go
side by side and never touch the user's own settings; a run that takes too long is killed
with its whole process group (soffice forks soffice.bin). Reading (.doc, .wps, .et, .rtf in
``ingest.readers.office``) and PDF output (``render.pdf``) turn the outcome into their own
errors.

Files come from anyone who can upload, and LibreOffice fetches what a document links to (an
``<img src=http://…>`` in a .doc that is really HTML, a flat ODT's ``xlink:href``): that would
let a unit make the server call addresses on the bureau's network. So a run has no network:
where the system allows, it goes into a network namespace of its own (``unshare -n``, or
``unshare -rn`` for a user without privileges), and in any case its profile blocks linked
content and sends any web request to a proxy that is not there (127.0.0.1, port 9). Its
address space is capped (``prlimit``) so a hostile file cannot take the machine's memory.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from jixiao import scratch

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


MEMORY = 3 << 30  # bytes of address space a conversion may take
# The profile's settings: linked content blocked, web requests sent to a proxy that is not
# there (the discard port on the loopback), no exception for any host.
_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
{items}
</oor:items>
"""
_NO_NETWORK = (
    ("Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
    ("Inet/Settings", "ooInetProxyType", "2"),
    ("Inet/Settings", "ooInetHTTPProxyName", "127.0.0.1"),
    ("Inet/Settings", "ooInetHTTPProxyPort", "9"),
    ("Inet/Settings", "ooInetHTTPSProxyName", "127.0.0.1"),
    ("Inet/Settings", "ooInetHTTPSProxyPort", "9"),
    ("Inet/Settings", "ooInetFTPProxyName", "127.0.0.1"),
    ("Inet/Settings", "ooInetFTPProxyPort", "9"),
    ("Inet/Settings", "ooInetNoProxy", ""),
)


def _profile() -> Path:
    """A new user profile whose settings keep LibreOffice off the network."""
    profile = scratch.folder("lo-profile")
    items = "\n".join(
        f'<item oor:path="/org.openoffice.{path}"><prop oor:name="{name}" oor:op="fuse">'
        f"<value>{value}</value></prop></item>"
        for path, name, value in _NO_NETWORK
    )
    (profile / "user").mkdir()
    (profile / "user" / "registrymodifications.xcu").write_text(
        _SETTINGS.format(items=items), encoding="utf-8"
    )
    return profile


@cache
def confinement() -> tuple[str, ...]:
    """What to run soffice under: a network namespace of its own where the system allows
    one, and an address-space cap (``prlimit``); empty where neither tool works."""
    prefix: list[str] = []
    unshare = shutil.which("unshare")
    for flags in ("-n", "-rn"):  # root, else a user namespace
        if unshare and _works([unshare, flags, "true"]):
            prefix += [unshare, flags]
            break
    prlimit = shutil.which("prlimit")
    if prlimit and _works([prlimit, f"--as={MEMORY}", "true"]):
        prefix += [prlimit, f"--as={MEMORY}", "--"]
    return tuple(prefix)


def _works(command: list[str]) -> bool:
    try:
        done = subprocess.run(command, capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def convert(
    soffice: str, paths: Sequence[Path], to: str, outdir: Path, timeout: float
) -> tuple[int, str]:
    """Convert ``paths`` to ``to`` (``docx``, ``pdf:writer_pdf_Export``…) into ``outdir`` in
    one run: its exit code and what it said. ``subprocess.TimeoutExpired`` past ``timeout``
    seconds, ``OSError`` when it cannot start."""
    profile = _profile()
    command = [
        *confinement(),
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
