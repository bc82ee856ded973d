"""jixiao's temporary folders: every one is named ``jixiao-…`` in the system's temporary
directory (an uploaded .doc's private copy, LibreOffice's output and profile, an export).

Each is deleted when its work ends; a process killed meanwhile leaves it behind, with the
upload's content in it. ``sweep`` (run when ``jixiao serve`` starts) deletes those left
long enough ago that no running conversion or download can still be using them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

PREFIX = "jixiao-"
# older than any conversion (2 min) or download: left by a process that did not finish
STALE_AFTER = 3600.0  # seconds


def folder(kind: str) -> Path:
    """A new private temporary folder ``jixiao-<kind>-…`` (the caller deletes it)."""
    return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{kind}-"))


def sweep(older_than: float = STALE_AFTER) -> int:
    """Delete this user's ``jixiao-…`` temporary folders not touched for ``older_than``
    seconds; how many were deleted."""
    cutoff = time.time() - older_than
    uid = os.getuid() if hasattr(os, "getuid") else None
    deleted = 0
    for entry in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        try:
            info = entry.lstat()
        except OSError:
            continue  # deleted by another process meanwhile
        mine = uid is None or info.st_uid == uid
        if entry.is_dir() and not entry.is_symlink() and mine and info.st_mtime < cutoff:
            shutil.rmtree(entry, ignore_errors=True)
            deleted += 1
    return deleted
