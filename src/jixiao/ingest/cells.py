"""Cell text as a person reads it: joined lines, trimmed blanks, numbers and labels."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")
_NUMBER = re.compile(r"^[+-]?\d+(?:,\d{3})*(?:\.\d+)?$")
_EMPTY_MARKS = {"", "—", "——", "-", "--", "/", "无", "\\"}


@lru_cache(maxsize=1 << 16)
def clean(text: str) -> str:
    """Lines of a cell joined (Chinese needs no space), blanks collapsed and trimmed."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    joined = "".join(line for line in lines if line)
    return _SPACE_BETWEEN_CJK.sub("", joined).strip()


_NO_BLANKS = {ord(c): None for c in " \t\n\r\f\v\u00a0\u3000\u2002\u2003\u200b"}


@lru_cache(maxsize=1 << 16)
def key(text: str) -> str:
    """A cell's text without any blank, for matching labels: "年初\n预算数" → "年初预算数"."""
    return text.translate(_NO_BLANKS)


@lru_cache(maxsize=1 << 16)
def amount(text: str) -> Decimal | None:
    """A plain number ("4465.5", "1,451.29", "99.91%" → 99.91); ``None`` when blank or not one."""
    value = key(text).rstrip("%％")
    if value in _EMPTY_MARKS or not _NUMBER.match(value):
        return None
    try:
        return Decimal(value.replace(",", ""))
    except InvalidOperation:
        return None


def is_blank(text: str) -> bool:
    return key(text) == ""


_DECLARED = re.compile(r"^(?P<name>.*?)[（(]\s*(?P<weight>\d+(?:\.\d+)?)\s*分\s*[)）]\s*$")


def split_declared(text: str) -> tuple[str, Decimal | None]:
    """ "产出指标 (50分)" → ("产出指标", 50); "满意度指标" → ("满意度指标", None)."""
    cleaned = clean(text)
    match = _DECLARED.match(cleaned)
    if match:
        return key(match["name"]), Decimal(match["weight"])
    return key(cleaned), None


_LABELLED = re.compile(r"^(?:其中[:：])?\s*(?P<label>[^:：]+?)\s*[:：]\s*(?P<value>.*)$")


@lru_cache(maxsize=1 << 16)
def labelled(text: str) -> tuple[str, str] | None:
    """ "其中：  一般公共预算：1452.61" → ("一般公共预算", "1452.61"); ``None`` without a colon."""
    match = _LABELLED.match(clean(text))
    if not match:
        return None
    return key(match["label"]), match["value"].strip()
