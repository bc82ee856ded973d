"""YAML / JSON into plain data (numbers with a fraction as ``Decimal``, as written) plus lines.

YAML is composed into nodes first so every key and item keeps its line; floats are
built from their text, so ``99.91`` stays ``Decimal('99.91')`` and ``9.0`` keeps its
one decimal (the audit compares figures at the precision they were written).

Files come from anyone who can upload: nesting is limited (``MAX_DEPTH``), and so is what
YAML aliases may expand to (a few hundred bytes of ``&a [*b, *b, …]`` would otherwise
become billions of values): at most ``EXPANSION`` values per character of the file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path as FilePath
from typing import Any

import yaml

from jixiao.loading.errors import LoadError

Path = tuple[str | int, ...]

_BOOL_TRUE = {"true", "yes", "on", "y"}
MAX_DEPTH = 64  # no evaluation document nests deeper than a dozen levels
EXPANSION = 4  # values built per character of text: aliases may repeat, not multiply
TOO_DEEP = f"嵌套层数过多（超过 {MAX_DEPTH} 层），不是自评表文档"
TOO_LARGE = "别名（&、*）展开后的内容远大于文件本身，已拒绝读取"


@dataclass(frozen=True, slots=True)
class Loaded:
    """Plain data and the 1-based line of each path in it (when the format tells)."""

    file: str
    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line(self, path: Path) -> int | None:
        """The line of ``path`` or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            found = self.lines.get(path[:end])
            if found is not None:
                return found
        return None


def load_data(path: str | FilePath) -> Loaded:
    """Read a ``.yaml``/``.yml``/``.json`` file; ``LoadError`` with the line when it is bad."""
    name = str(path)
    try:
        raw = FilePath(path).read_bytes()
    except FileNotFoundError:
        raise LoadError.single(name, "文件不存在") from None
    except IsADirectoryError:
        raise LoadError.single(name, "这是一个目录，不是文件") from None
    except OSError as exc:
        raise LoadError.single(name, f"无法读取文件（{exc.strerror}）") from None
    return load_bytes(raw, name)


# libyaml's composer when PyYAML was built with it (ten times the pure-Python one's speed:
# most of an evaluation file's import); the nodes and their lines are the same
COMPOSER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_bytes(raw: bytes, name: str) -> Loaded:
    """A file's bytes read as ``load_data`` reads them (an upload has no path on disk);
    ``name`` is what messages call the file, and JSON when it ends in ``.json``."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError.single(name, f"不是 UTF-8 编码的文本（第 {exc.start} 字节）") from None
    return load_text(text, name, json_only=name.lower().endswith(".json"))


def load_text(text: str, name: str, json_only: bool = False) -> Loaded:
    if json_only:
        try:
            data = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise LoadError.single(
                name, f"JSON 格式错误：{exc.msg}（第 {exc.colno} 列）", exc.lineno
            ) from None
        except RecursionError:
            raise LoadError.single(name, TOO_DEEP) from None
        try:  # JSON is YAML too: compose it once more only to learn the lines
            node = yaml.compose(text, Loader=COMPOSER)
        except (yaml.YAMLError, RecursionError):
            return Loaded(name, data)
        if node is None:
            return Loaded(name, data)
        lines: dict[Path, int] = {}
        _Builder(name, len(text)).build(node, (), lines)
        return Loaded(name, data, lines)
    try:
        node = yaml.compose(text, Loader=COMPOSER)
    except RecursionError:
        raise LoadError.single(name, TOO_DEEP) from None
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem):  # libyaml's own limit on nesting
            raise LoadError.single(name, TOO_DEEP) from None
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or "无法解析"
        raise LoadError.single(name, f"YAML 格式错误：{problem}", line) from None
    except yaml.YAMLError as exc:
        raise LoadError.single(name, f"YAML 格式错误：{exc}") from None
    if node is None:
        raise LoadError.single(name, "文件是空的")
    lines = {}
    data = _Builder(name, len(text)).build(node, (), lines)
    return Loaded(name, data, lines)


class _Builder:
    """Nodes into plain data, counting what is built against the file's size."""

    def __init__(self, name: str, size: int) -> None:
        self.name = name
        self.left = EXPANSION * size + 1000

    def build(self, node: yaml.Node, path: Path, lines: dict[Path, int]) -> Any:
        self.left -= 1
        if self.left < 0:
            raise LoadError.single(self.name, TOO_LARGE)
        if len(path) > MAX_DEPTH:
            raise LoadError.single(self.name, TOO_DEEP, node.start_mark.line + 1)
        lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.build(key_node, path, {})
                if not isinstance(key, str | int):
                    raise LoadError.single(self.name, "键必须是文字", key_node.start_mark.line + 1)
                key = str(key)
                if key in out:
                    line = key_node.start_mark.line + 1
                    raise LoadError.single(self.name, f"键“{key}”重复出现", line)
                out[key] = self.build(value_node, (*path, key), lines)
                lines[(*path, key)] = key_node.start_mark.line + 1
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), lines) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return _scalar(node, self.name)


def _scalar(node: yaml.ScalarNode, name: str) -> Any:
    tag, value = node.tag, node.value
    if tag.endswith(":null"):
        return None
    if tag.endswith(":bool"):
        return value.lower() in _BOOL_TRUE
    if tag.endswith(":int"):
        try:
            return int(value.replace("_", ""), 0)
        except ValueError:
            return value
    if tag.endswith(":float"):
        try:
            number = Decimal(value.replace("_", ""))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise LoadError.single(name, f"“{value}”不是有限的数字", node.start_mark.line + 1)
        return number
    return value  # strings, and timestamps kept as written
