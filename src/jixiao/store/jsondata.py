"""JSON text with decimals written exactly as held (``9.0`` stays ``9.0``) and read back as
``Decimal``: the evaluation's figures go through the database unchanged."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from json.encoder import encode_basestring  # the C one: quoted, non-ASCII kept
from typing import Any


def dumps(data: Any) -> str:
    parts: list[str] = []
    _write(data, parts.append)
    return "".join(parts)


def _write(value: Any, out: Callable[[str], object]) -> None:
    if isinstance(value, str):
        out(encode_basestring(value))
    elif value is None:
        out("null")
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"cannot store {value} as JSON")
        out(str(value))
    elif isinstance(value, dict | Mapping):
        out("{")
        for i, (key, item) in enumerate(value.items()):
            out(("," if i else "") + encode_basestring(str(key)) + ":")
            _write(item, out)
        out("}")
    elif isinstance(value, list | tuple):
        out("[")
        for i, item in enumerate(value):
            if i:
                out(",")
            _write(item, out)
        out("]")
    else:
        out(json.dumps(value, ensure_ascii=False))


def loads(text: str | None) -> Any:
    return None if text is None else json.loads(text, parse_float=Decimal)
