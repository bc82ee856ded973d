"""Where a value sits in an evaluation (or a report), as one value: ``FieldPath``.

A path is a tuple of parts: names (``funds``, ``score``), 0-based list positions (the 6th
indicator is ``indicators[5]``) and the keys of written mappings (``level1_weights.产出指标``).
Its canonical text is how the JSON data, the API and the store name fields
(``indicators[5].score``); ``label`` is how people say it, in the form's own words
(第6个指标的“得分”, 资金：全年执行数, 总分行的“分值”). Internal names never reach a page, a
message or a document: they go through ``label``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Part = str | int

# The form's words for each name of the model (evaluation, report tables, the store's state).
FIELD_LABELS = {
    "name": "名称",
    "department": "主管部门",
    "implementer": "实施单位",
    "title": "表名",
    "kind": "类型",
    "year": "年度",
    "scheme": "评分方案",
    "funds": "资金",
    "rows": "资金行",
    "groups": "资金分类",
    "initial_budget": "年初预算数",
    "annual_budget": "全年预算数",
    "executed": "全年执行数",
    "balance": "结余",
    "rate": "执行率",
    "weight": "分值",
    "weights": "分值",
    "score": "得分",
    "amount": "金额",
    "label": "行名称",
    "group": "分类",
    "goals": "年度总体目标",
    "expected": "预期目标",
    "actual": "实际完成值",
    "level1_weights": "一级指标分值",
    "indicators": "指标",
    "level1": "一级指标",
    "level2": "二级指标",
    "target": "年度指标值",
    "deviation": "偏差原因分析及改进措施",
    "unit": "单位",
    "total": "总分",
    "grade": "等级",
    "filled_by": "填表人",
    "filled_on": "填报日期",
    "evaluations": "自评表",
    "basic_data": "基础数据表",
    "expenses": "支出",
    "budget": "预算数",
    "final": "决算数",
    "prior_final": "上年决算数",
    "staffing": "人员",
    "control_rate": "控制率",
    "buildings": "楼堂馆所",
    "area_control_rate": "规模控制率",
    "investment_control_rate": "投资概算控制率",
    "allocation": "资金分配表",
    "allocations": "资金分配表",
    "projects": "项目数",
    "change": "增减",
    "state": "状态",
    "comment": "意见",
}
# A list's item by its 1-based position: 第6个指标, 资金第3行.
ITEM_LABELS = {"indicators": "第{n}个指标", "rows": "第{n}行", "evaluations": "第{n}张自评表"}
# A mapping's entry by its written key: 一级指标“产出指标”的分值.
KEY_LABELS = {"level1_weights": "一级指标“{key}”的分值", "groups": "分类“{key}”"}
# Names that are a row of the form: their fields are said as 总分行的“分值”.
ROW_LABELS = {"total": "总分行"}
EXAMPLE = "应如 funds.executed 或 indicators[0].actual"

_PLAIN = re.compile(r'[^\s.\[\]"\\,]+')
_INDEX = re.compile(r"\[(0|[1-9][0-9]*)\]")
_QUOTED = re.compile(r'\[("(?:[^"\\]|\\.)*")\]', re.DOTALL)
_ESCAPED = re.compile(r"\\(.)", re.DOTALL)
_BACKSLASH_OR_QUOTE = re.compile(r'[\\"]')
_SEPARATOR = re.compile(r"\s*,\s*")


class FieldPathError(ValueError):
    """A text that is not a field path; the message is Chinese and names the text."""


@dataclass(frozen=True, slots=True)
class FieldPath:
    """A place in the data: ``FieldPath(("indicators", 5, "score"))`` is ``indicators[5].score``."""

    parts: tuple[Part, ...]

    def __post_init__(self) -> None:
        if not self.parts:
            raise FieldPathError("字段路径为空")
        for part in self.parts:
            if isinstance(part, bool) or not isinstance(part, str | int):
                raise FieldPathError(f"字段路径的一段应为名称或序号：{part!r}")
            if isinstance(part, int) and part < 0:
                raise FieldPathError(f"字段路径的序号不能为负：{part}")

    @classmethod
    def of(cls, *parts: Part) -> FieldPath:
        """``FieldPath.of("indicators", 5, "score")``."""
        return cls(tuple(parts))

    @classmethod
    def parse(cls, text: str) -> FieldPath:
        """The path a text names: ``indicators[5].score``, ``level1_weights.产出指标``.
        ``FieldPathError`` (Chinese) for anything else."""
        found, end = _scan(text, 0)
        if end != len(text):
            raise _unreadable(text)
        return found

    @classmethod
    def parse_many(cls, text: str) -> tuple[FieldPath, ...]:
        """Several paths written ``a, b`` (a finding about more than one field)."""
        found: list[FieldPath] = []
        position = 0
        while True:
            path, position = _scan(text, position)
            found.append(path)
            if position == len(text):
                return tuple(found)
            separator = _SEPARATOR.match(text, position)
            if separator is None or separator.end() == len(text):
                raise _unreadable(text)
            position = separator.end()

    def __str__(self) -> str:
        out = ""
        for part in self.parts:
            if isinstance(part, int):
                out += f"[{part}]"
            elif _PLAIN.fullmatch(part) is None:
                out += f'["{_escaped(part)}"]'
            else:
                out += f".{part}" if out else part
        return out

    def child(self, *parts: Part) -> FieldPath:
        """This path and more: ``indicators[5]`` → ``indicators[5].score``."""
        return FieldPath(self.parts + parts)

    @property
    def leaf(self) -> str | None:
        """The last name: ``score`` for ``indicators[5].score``; None when it ends on a position."""
        last = self.parts[-1]
        return last if isinstance(last, str) else None

    @property
    def indicator(self) -> int | None:
        """The 0-based position of the indicator the path is in, if it is in one."""
        if len(self.parts) > 1 and self.parts[0] == "indicators":
            index = self.parts[1]
            return index if isinstance(index, int) else None
        return None

    def within(self, other: FieldPath) -> bool:
        """This path is ``other`` or inside it (``funds.rows[0].rate`` is within ``funds``)."""
        return self.parts[: len(other.parts)] == other.parts

    def label(self) -> str:
        """The path as people say it, in the form's words: 第6个指标的“得分”, 资金：全年执行数,
        总分行的“分值”; empty when no part has a name people know."""
        segments: list[tuple[str, bool]] = []  # (words, is an item or row whose fields follow)
        previous: Part | None = None
        for position, part in enumerate(self.parts):
            last = position == len(self.parts) - 1
            segment = _segment(part, previous, last, segments)
            if segment is not None:
                segments.append(segment)
            previous = part
        return _joined(segments)


def _scan(text: str, position: int) -> tuple[FieldPath, int]:
    """One path read from ``text`` at ``position``: the path and where it ends."""
    parts: list[Part] = []
    while position < len(text):
        if text[position] == "[":
            index = _INDEX.match(text, position)
            quoted = None if index else _QUOTED.match(text, position)
            if index is not None:
                parts.append(int(index.group(1)))
                position = index.end()
                continue
            if quoted is not None:
                parts.append(_ESCAPED.sub(r"\1", quoted.group(1)[1:-1]))
                position = quoted.end()
                continue
            raise _unreadable(text)
        dotted = text[position] == "." and bool(parts)
        name = _PLAIN.match(text, position + dotted)
        if name is None or (parts and not dotted):
            break
        parts.append(name.group(0))
        position = name.end()
    if not parts:
        raise _unreadable(text)
    return FieldPath(tuple(parts)), position


def _escaped(key: str) -> str:
    """A key inside ``["…"]``: its backslashes and quotes escaped by a backslash."""
    return _BACKSLASH_OR_QUOTE.sub(lambda found: "\\" + found.group(0), key)


def _unreadable(text: str) -> FieldPathError:
    if not text.strip():
        return FieldPathError(f"字段路径为空（{EXAMPLE}）")
    return FieldPathError(f"字段路径无法识别：{text}（{EXAMPLE}）")


def _segment(
    part: Part, previous: Part | None, last: bool, segments: list[tuple[str, bool]]
) -> tuple[str, bool] | None:
    """The words of one part; a list position or a mapping key replaces its list's words."""
    if isinstance(part, int):
        template = ITEM_LABELS.get(previous) if isinstance(previous, str) else None
        if template is None:
            name = FIELD_LABELS.get(previous, "项") if isinstance(previous, str) else "项"
            template = f"第{{n}}个{name}"
        _drop_label_of(previous, segments)
        return template.format(n=part + 1), True
    if isinstance(previous, str) and previous in KEY_LABELS:
        _drop_label_of(previous, segments)
        return KEY_LABELS[previous].format(key=part), True
    if part in ROW_LABELS and not last:
        return ROW_LABELS[part], True
    label = FIELD_LABELS.get(part)
    if label is None:
        # a label the table itself wrote (产出指标) stays; an unknown code name is left out
        label = part if not part.isascii() else None
    return None if label is None else (label, False)


def _drop_label_of(previous: Part | None, segments: list[tuple[str, bool]]) -> None:
    """Remove the words of a list or mapping that its item's words replace."""
    if isinstance(previous, str) and segments and segments[-1][0] == FIELD_LABELS.get(previous):
        segments.pop()


def _joined(segments: Sequence[tuple[str, bool]]) -> str:
    """Blocks joined by ： (资金：全年执行数), a field of an item quoted after 的 (第6个指标的
    “得分”), an item inside an item run on (第1张自评表第3个指标)."""
    out = ""
    after_item = False
    for words, item in segments:
        if not out:
            out = words
        elif after_item and not item:
            out += f"的“{words}”"
        elif after_item:
            out += words
        else:
            out += f"：{words}"
        after_item = item
    return out


def labels(paths: Iterable[FieldPath]) -> str:
    """Several paths as people say them, joined by 、 (名称、主管部门)."""
    return "、".join(label for label in (p.label() for p in paths) if label)


def format_many(paths: Iterable[FieldPath]) -> str | None:
    """Several paths as one text (``parse_many`` reads it back); None for none."""
    text = ",".join(str(p) for p in paths)
    return text or None
