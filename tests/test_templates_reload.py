"""Pages do little (issue 16.3): the web app's templates are read once per process, not
looked at again on disk at every render, unless JIXIAO_DEV asks for it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

CODE = "from jixiao.web.deps import templates; print(templates.env.auto_reload)"


@pytest.mark.parametrize(("dev", "reloads"), [(None, "False"), ("0", "False"), ("1", "True")])
def test_templates_are_reloaded_only_for_development(dev: str | None, reloads: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "JIXIAO_DEV"}
    if dev is not None:
        env["JIXIAO_DEV"] = dev
    done = subprocess.run(
        [sys.executable, "-c", CODE], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == reloads, done.stderr
