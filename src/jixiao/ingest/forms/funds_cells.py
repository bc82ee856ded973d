"""The funds rows of a table rebuilt from cells: which cell is a row's label, which a
figure, and which column each figure stands in when a row shows fewer cells than its header
(merged or dropped cells): the placing whose figures fit their columns and whose execution
rate is executed ÷ budget, leftmost first when nothing tells them apart."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from decimal import Decimal

from jixiao.ingest.cells import amount, labelled
from jixiao.ingest.forms.roles import MONEY, funds_role, indicator_role
from jixiao.ingest.forms.tokens import Token


def stops_funds(token: Token) -> bool:
    k = token.key
    if k.startswith(("年度总体目标", "绩效指标", "总体目标", "年度绩效目标", "资金管理情况")):
        return True
    return indicator_role(k) in ("level1", "level2", "name")


def without_unit(token: Token) -> Token:
    """ "一般公共预算:1873.66万元" → "一般公共预算:1873.66" (the forms' amounts are 万元)."""
    text = re.sub(r"(\d)\s*万元?\s*$", r"\1", token.text)
    return Token(text, token.source) if text != token.text else token


def is_breakdown(token: Token, started: bool = False) -> bool:
    """A cell of a department table's 按收入性质分 / 按支出性质分 columns: "一般公共预算:1873.66",
    a heading "按收入性质分:", or, once those columns have started, "政府性基金拨款:" with
    nothing after it."""
    pair = labelled(without_unit(token).text)
    if pair is None:
        return False
    if pair[0].startswith("按") or (started and pair[1] == ""):
        return True
    return pair[1] != "" and amount(pair[1]) is not None


# What a funds row's label speaks of ("年度资金总额", "其中：当年财政拨款", "上年结转", "自筹").
_FUNDS_WORDS = ("金", "拨款", "总额", "合计", "结转", "其中", "经费", "预算", "收入", "支出",
                "自筹", "资本", "财政", "补助", "结余")  # fmt: skip


def is_row_label(token: Token) -> bool:
    k = token.key
    if MONEY.fullmatch(k) or not any(c.isalnum() for c in k):
        return False  # "(万元)" under 项目资金, a stray ":"
    return (
        bool(k)
        and not token.blank
        and not token.number
        and len(k) <= 30
        and funds_role(k) is None
        and any(w in k for w in _FUNDS_WORDS)
        and "指标" not in k
        and "%" not in k
    )


def _fit_funds(role: str | None, token: Token) -> float:
    value = amount(token.text)
    if role == "reason" or role is None:
        return 0.5 if value is None and not token.blank else 0.0
    if value is not None:
        bonus = 0.5 if role == "rate" and token.key.endswith(("%", "％")) else 0.0
        return 1.0 + bonus - (0.8 if role != "rate" and token.key.endswith("%") else 0.0)
    return 0.2 if token.blank else -2.0


def place_funds(values: Sequence[Token], roles: Sequence[str | None]) -> dict[str, Token]:
    """Which column each figure of a funds row is in, when the row shows fewer cells than
    the header (merged or dropped cells): the placing whose cells fit their columns and whose
    execution rate is executed ÷ budget, leftmost first when nothing tells them apart."""
    best: tuple[float, dict[str, Token]] = (float("-inf"), {})
    n = min(len(values), len(roles))
    for kept in itertools.combinations(range(len(roles)), n):
        placed: dict[str, Token] = {}
        # text loses trailing blanks far more often than leading ones
        fit = -0.01 * sum(kept) - 1.0 * kept[0] if kept else 0.0
        fit -= 0.3 * sum(b - a - 1 for a, b in itertools.pairwise(kept))
        for c, token in zip(kept, values, strict=False):
            fit += _fit_funds(roles[c], token)
            role = roles[c]
            if role is not None and role != "reason":
                placed[role] = token
        fit += _rate_fits(placed)
        if fit > best[0]:
            best = (fit, placed)
    return best[1]


def _rate_fits(placed: dict[str, Token]) -> float:
    budget, executed, rate = (
        amount(placed[r].text) if r in placed else None
        for r in ("annual_budget", "executed", "rate")
    )
    if not budget or executed is None or rate is None:
        return 0.0
    computed = executed / budget * 100
    holds = abs(computed - rate) <= 1 or abs(computed / 100 - rate) <= Decimal("0.01")
    if not holds:
        return -0.5
    return 2.0 if placed["rate"].key.endswith(("%", "％")) else 0.5  # "100" may be anything
