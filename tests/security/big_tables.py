"""What the security tests of big tables share: a self-evaluation table of any number of
indicators (the seed 001 transcription's indicators repeated, each named apart), stored."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from jixiao.service import Service
from jixiao.service.store import import_bytes
from jixiao.store import Store

SAMPLE = Path(__file__).resolve().parents[2] / "src" / "jixiao" / "samples"


def big_table(indicators: int) -> bytes:
    """The 芦淞区 2023 table as JSON (quicker to read than YAML) with ``indicators``
    indicators; the source's mistakes repeat with them: about every other indicator has a
    finding."""
    data = yaml.safe_load((SAMPLE / "lusong-2023-department.yaml").read_text(encoding="utf-8"))
    base = data["indicators"]
    data["indicators"] = [
        {**base[n % len(base)], "name": f"{base[n % len(base)]['name']}{n + 1}"}
        for n in range(indicators)
    ]
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def store_big_table(store: Store, indicators: int, unit: str | None = None) -> int:
    """The id of a stored table of ``indicators`` indicators."""
    result = import_bytes(
        store, Service(), f"大表{indicators}.json", big_table(indicators), unit=unit
    )
    assert result.outcome is not None, result.error
    return store.document_tables(result.outcome.document_id)[0].id
