"""Shared fixtures: the bundled schemes and sample evaluations."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.config import load_scheme
from jixiao.scoring import Scheme

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "jixiao" / "samples"


@pytest.fixture(scope="session")
def national() -> Scheme:
    return load_scheme("national-2020")
