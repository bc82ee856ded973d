"""Hand-written evaluation files (contract.md §1) ⇄ the model.

Loading validates every key and type and reports each problem as ``file:line: key：what``.
Every evaluation, funds row, indicator and total read from a file gets a ``source`` with its
line, so findings on a hand-written file point into it like findings on any other document.
"""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from pathlib import Path as FilePath
from typing import Any

import yaml

from jixiao.loading import Loaded, Path, decode, encode, json_schema, load_bytes, load_data
from jixiao.model import Evaluation, SourceRef

SUFFIXES = (".yaml", ".yml", ".json")  # what an evaluation document's name ends with


def load_evaluation(path: str | FilePath) -> Evaluation:
    """Read one evaluation document; ``LoadError`` naming file, line and key when it is bad."""
    return _evaluation(load_data(path))


def load_evaluation_bytes(raw: bytes, name: str) -> Evaluation:
    """``load_evaluation`` of a file's bytes (an upload); messages call it ``name``."""
    return _evaluation(load_bytes(raw, name))


def _evaluation(loaded: Loaded) -> Evaluation:
    return with_line_sources(decode(Evaluation, loaded), loaded, ())


def _source(loaded: Loaded, path: Path) -> SourceRef:
    return SourceRef(file=loaded.file, line=loaded.line(path))


def with_line_sources(evaluation: Evaluation, loaded: Loaded, path: Path) -> Evaluation:
    """The evaluation at ``path`` of a loaded file, each node given its line as source."""
    funds = evaluation.funds
    rows = tuple(
        row
        if row.source
        else dataclasses.replace(row, source=_source(loaded, (*path, "funds", "rows", i)))
        for i, row in enumerate(funds.rows)
    )
    indicators = tuple(
        item
        if item.source
        else dataclasses.replace(item, source=_source(loaded, (*path, "indicators", i)))
        for i, item in enumerate(evaluation.indicators)
    )
    children = tuple(
        with_line_sources(child, loaded, (*path, "children", i))
        for i, child in enumerate(evaluation.children)
    )
    return dataclasses.replace(
        evaluation,
        funds=dataclasses.replace(
            funds, rows=rows, source=funds.source or _source(loaded, (*path, "funds"))
        ),
        indicators=indicators,
        total=dataclasses.replace(
            evaluation.total,
            source=evaluation.total.source or _source(loaded, (*path, "total")),
        ),
        children=children,
        source=evaluation.source or _source(loaded, path),
    )


def evaluation_to_data(evaluation: Evaluation, *, sources: bool = True) -> dict[str, Any]:
    """The contract's shape as plain data (``Decimal`` kept; see ``dump_json``)."""
    data = encode(evaluation)
    if not sources:
        _drop_sources(data)
    return data  # type: ignore[no-any-return]


def _drop_sources(data: Any) -> None:
    if isinstance(data, dict):
        data.pop("source", None)
        for value in data.values():
            _drop_sources(value)
    elif isinstance(data, list):
        for item in data:
            _drop_sources(item)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dump_json(data: Any, indent: int | None = 2) -> str:
    """JSON with plain numbers (no strings, no separators) and Chinese kept readable."""
    return json.dumps(data, ensure_ascii=False, indent=indent, default=_json_default)


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # repeated numbers are written out, never as &anchors


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    # Written as the number it is, keeping its decimals ("3.20" stays 3.20).
    integral = value.as_tuple().exponent == 0
    tag = "tag:yaml.org,2002:int" if integral else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, str(value))


_Dumper.add_representer(Decimal, _represent_decimal)


def dump_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def evaluation_schema() -> dict[str, Any]:
    """The JSON Schema of an evaluation document, as ``jixiao schema`` prints it."""
    schema = json_schema(Evaluation, "jixiao 自评表文档（evaluation document）")
    schema["description"] = (
        "一张项目支出或部门整体支出绩效自评表；金额单位为万元，执行率为百分数（99.91 即 99.91%）。"
    )
    return schema
