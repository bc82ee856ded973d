"""Plain data ⇄ frozen dataclasses, driven by the type hints, with every problem located.

One walk over the types gives three things that must agree: ``decode`` (validate and
build), ``encode`` (back to plain data) and ``json_schema`` (what ``jixiao schema``
prints). Field docs come from ``field(metadata={"doc": ...})``.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, Literal, TypeVar, Union, get_args, get_origin

from jixiao.loading.errors import LoadError, Problem
from jixiao.loading.tree import Loaded, Path

T = TypeVar("T")

_TYPE_NAMES = {str: "文字", int: "整数", Decimal: "数字", bool: "true 或 false"}


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _fields(cls: type) -> tuple[dataclasses.Field[Any], ...]:
    return dataclasses.fields(cls)


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "一组键值"
    if isinstance(value, list):
        return "一个列表"
    text = str(value)
    return f"“{text[:40]}{'…' if len(text) > 40 else ''}”"


class _Decoder:
    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.problems: list[Problem] = []

    def fail(self, path: Path, message: str) -> None:
        self.problems.append(Problem(self.loaded.file, message, self.loaded.line(path), path))

    def decode(self, tp: Any, value: Any, path: Path) -> Any:
        if tp is Any:
            return value  # free-form (a rule's option values): checked by whoever uses them
        origin = get_origin(tp)
        if origin in (Union, types.UnionType):
            options = [arg for arg in get_args(tp) if arg is not type(None)]
            if value is None:
                return None
            return self.decode(options[0], value, path) if len(options) == 1 else value
        if dataclasses.is_dataclass(tp) and isinstance(tp, type):
            return self.decode_dataclass(tp, value, path)
        if origin is Literal:
            allowed = get_args(tp)
            if value not in allowed:
                self.fail(path, f"应为 {' / '.join(map(str, allowed))} 之一，实际是{_shown(value)}")
            return value
        if origin is tuple:
            if not isinstance(value, list):
                self.fail(path, f"应为列表，实际是{_shown(value)}")
                return ()
            item_type = get_args(tp)[0]
            return tuple(self.decode(item_type, item, (*path, i)) for i, item in enumerate(value))
        if origin in (Mapping, dict) or tp is dict:
            if not isinstance(value, dict):
                self.fail(path, f"应为一组键值，实际是{_shown(value)}")
                return {}
            item_type = get_args(tp)[1]
            return {k: self.decode(item_type, v, (*path, k)) for k, v in value.items()}
        return self.decode_scalar(tp, value, path)

    def decode_scalar(self, tp: Any, value: Any, path: Path) -> Any:
        if value is None:
            self.fail(path, f"不能为空，应为{_TYPE_NAMES.get(tp, tp.__name__)}")
            return None
        if tp is str:
            if isinstance(value, bool | dict | list):
                self.fail(path, f"应为文字，实际是{_shown(value)}")
                return None
            return value if isinstance(value, str) else str(value)
        if tp is bool:
            if not isinstance(value, bool):
                self.fail(path, f"应为 true 或 false，实际是{_shown(value)}")
            return value
        if tp is int:
            if (
                isinstance(value, bool)
                or not isinstance(value, int | Decimal)
                or value != int(value)
            ):
                self.fail(path, f"应为整数，实际是{_shown(value)}")
                return None
            return int(value)
        if tp is Decimal:
            if isinstance(value, bool) or not isinstance(value, int | Decimal):
                self.fail(
                    path, f"应为数字（不加引号、不带单位或千位分隔符），实际是{_shown(value)}"
                )
                return None
            return Decimal(value)
        if isinstance(tp, type) and issubclass(tp, Enum):
            try:
                return tp(value)
            except ValueError:
                names = " / ".join(str(m.value) for m in tp)
                self.fail(path, f"应为 {names} 之一，实际是{_shown(value)}")
                return None
        raise TypeError(f"no decoder for {tp!r}")

    def decode_dataclass(self, cls: type, value: Any, path: Path) -> Any:
        if not isinstance(value, dict):
            self.fail(path, f"应为一组键值，实际是{_shown(value)}")
            return None
        hints = _hints(cls)
        known = {f.name: f for f in _fields(cls)}
        for key in value:
            if key not in known:
                self.fail((*path, key), f"未知的键“{key}”（可用的键：{'、'.join(known)}）")
        kwargs: dict[str, Any] = {}
        for name, fld in known.items():
            required = (
                fld.default is dataclasses.MISSING and fld.default_factory is dataclasses.MISSING
            )
            if name not in value:
                if required:
                    self.fail(path, f"缺少必填的键“{name}”")
                continue
            kwargs[name] = self.decode(hints[name], value[name], (*path, name))
        if self.problems:
            return None
        return cls(**kwargs)


def decode(cls: type[T], loaded: Loaded, path: Path = ()) -> T:
    """Build ``cls`` from ``loaded.data``; ``LoadError`` listing every problem with its line."""
    decoder = _Decoder(loaded)
    data = loaded.data
    for key in path:
        data = data[key]
    result = decoder.decode(cls, data, path)
    if decoder.problems:
        raise LoadError(decoder.problems)
    return typing.cast(T, result)


def decode_stored(cls: type[T], loaded: Loaded) -> T:
    """``decode`` for data that ``encode`` wrote (the store's own JSON): built by a builder
    made once per type, without checking each value or locating it (a stored table decoded
    in a fifth of ``decode``'s time); data that does not build so (written by an older
    jixiao, say) goes through ``decode``, with its checks and messages."""
    try:
        return typing.cast(T, _builder(cls)(loaded.data))
    except (TypeError, ValueError, KeyError, AttributeError, ArithmeticError):
        return decode(cls, loaded)


def _as_is(value: Any) -> Any:
    return value


def _as_decimal(value: Any) -> Any:
    return value if type(value) is Decimal else Decimal(value)


_BUILDERS: dict[Any, Any] = {}


def _builder(tp: Any) -> Any:
    """A function building ``tp`` from what ``encode`` made of it (see ``decode_stored``)."""
    found = _BUILDERS.get(tp)
    if found is None:
        found = _BUILDERS[tp] = _make_builder(tp)
    return found


def _make_builder(tp: Any) -> Any:
    if tp is Any or tp is str or tp is bool:
        return _as_is
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        options = [arg for arg in get_args(tp) if arg is not type(None)]
        if len(options) != 1:
            return _as_is  # as decode does
        inner = _builder(options[0])
        return _as_is if inner is _as_is else (lambda v: None if v is None else inner(v))
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _dataclass_builder(tp)
    if origin is Literal:
        return _as_is
    if origin is tuple:
        item = _builder(get_args(tp)[0])
        return tuple if item is _as_is else (lambda v: tuple([item(x) for x in v]))
    if origin in (Mapping, dict) or tp is dict:
        value = _builder(get_args(tp)[1]) if get_args(tp) else _as_is
        return dict if value is _as_is else (lambda v: {k: value(x) for k, x in v.items()})
    if tp is int:
        return int
    if tp is Decimal:
        return _as_decimal
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp
    raise TypeError(f"no decoder for {tp!r}")


def _dataclass_builder(cls: type) -> Any:
    builders: dict[str, Any] = {}

    def build(value: dict[str, Any]) -> Any:
        return cls(**{key: builders[key](item) for key, item in value.items()})

    # known before its fields' builders are made: a dataclass may hold its own kind
    # (Evaluation.children)
    _BUILDERS[cls] = build
    hints = _hints(cls)
    for fld in _fields(cls):
        builders[fld.name] = _builder(hints[fld.name])
    return build


def encode(obj: Any, *, omit_none: frozenset[str] = frozenset({"source"})) -> Any:
    """Plain data in field order; fields named in ``omit_none`` are left out when ``None``."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out: dict[str, Any] = {}
        for fld in _fields(type(obj)):
            value = getattr(obj, fld.name)
            if value is None and fld.name in omit_none:
                continue
            out[fld.name] = encode(value, omit_none=omit_none)
        return out
    if isinstance(obj, tuple | list):
        return [encode(item, omit_none=omit_none) for item in obj]
    if isinstance(obj, Mapping):
        return {str(k): encode(v, omit_none=omit_none) for k, v in obj.items()}
    if isinstance(obj, Enum):
        return obj.value
    return obj


def json_schema(cls: type, title: str) -> dict[str, Any]:
    """A JSON Schema (2020-12) for documents that ``decode(cls, …)`` accepts."""
    defs: dict[str, Any] = {}
    root = _schema_for(cls, defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        **root,
        "$defs": defs,
    }


def _schema_for(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    if tp is Any:
        return {}
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        options = [_schema_for(a, defs) for a in get_args(tp) if a is not type(None)]
        nullable = type(None) in get_args(tp)
        return {"anyOf": [*options, {"type": "null"}]} if nullable else {"anyOf": options}
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}  # placeholder against recursion (Evaluation.children)
            hints = _hints(tp)
            props: dict[str, Any] = {}
            required: list[str] = []
            for fld in _fields(tp):
                prop = _schema_for(hints[fld.name], defs)
                if "doc" in fld.metadata:
                    prop = {"description": fld.metadata["doc"], **prop}
                props[fld.name] = prop
                if (
                    fld.default is dataclasses.MISSING
                    and fld.default_factory is dataclasses.MISSING
                ):
                    required.append(fld.name)
            doc = (tp.__doc__ or "").strip().splitlines()
            defs[name] = {
                "type": "object",
                "description": doc[0] if doc else name,
                "properties": props,
                "required": required,
                "additionalProperties": False,
            }
        return {"$ref": f"#/$defs/{name}"}
    if origin is Literal:
        return {"enum": list(get_args(tp))}
    if origin is tuple:
        return {"type": "array", "items": _schema_for(get_args(tp)[0], defs)}
    if origin in (Mapping, dict):
        return {"type": "object", "additionalProperties": _schema_for(get_args(tp)[1], defs)}
    simple = {str: "string", int: "integer", Decimal: "number", bool: "boolean"}
    if tp in simple:
        return {"type": simple[tp]}
    if isinstance(tp, type) and issubclass(tp, Enum):
        return {"enum": [m.value for m in tp]}
    raise TypeError(f"no schema for {tp!r}")
