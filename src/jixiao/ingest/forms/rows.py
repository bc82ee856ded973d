"""Indicator rows from a run of cells whose row boundaries were lost.

A row is its 一级 cell (only on the first row under a merged 一级), its 二级 cell (likewise),
then one cell per remaining column; an extraction that drops empty cells leaves a row a cell
or two short. Every segmentation of the run into such rows is weighed by how well the cells
fit their columns, and the best one is kept (dynamic programming over the cell positions).
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from jixiao.ingest.cells import amount, split_declared
from jixiao.ingest.forms.columns import COMPARATORS
from jixiao.ingest.forms.tokens import Token
from jixiao.ingest.forms.vocabulary import PLACEHOLDER

# How many cells of a row an extraction may have dropped, and what a drop costs: text that
# drops empty cells loses the explanation column most (it is blank on most rows), a target
# or an actual seldom.
MAX_DROPPED = 2
DROP_COST = {
    "deviation": 0.6,
    "explanation": 0.8,  # 指标解释 / 评分标准
    "score": 1.2,
    "weight": 1.6,
    "unit": 1.0,
    "nature": 1.0,
}
DROP_DEFAULT = 2.0
SKIP_COST = 4.0
SKIP_BLANK = 0.05  # an empty cell more than the columns need (a trailing "| |")
LINE_START = 1.2  # a row that starts where a line of row-per-line text starts
LOST_LEVEL2 = 1.5  # a 一级 followed by a 三级 with no 二级 cell between them
APART = 1.5  # a row whose name and values the text put apart (paired later, in order)
NARROWER = 3.0  # a 二级 whose words the 一级 before it already holds: a 二级 and its name
_EQUAL = 0.6  # a result equal to its target (see ``_score_pair``)
_RIVALS = 4  # the best placings by fit weighed again by what their figures say
BROKEN_NAME = 0.8  # a name taken as two cells (the second its broken-off end)
# a short word that is a value, not a name ("及时", "达标")
_VALUE_WORD = re.compile(r"^(?:及时|按时|达标|合格|显著|明显|良好|完成|是|否|有|无|优|良|高|好)$")
_TOTALS = (100, 90)  # what a table's 总分 row weighs (90 where funds are not scored)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_QUANTITY = re.compile(r"^[≥≤<>＞＜≧≦=]?\d+(?:\.\d+)?[%％]?[\u4e00-\u9fff]{0,2}$")
# 指标性质 cells: a comparator, an equals sign, or 定性 / 定量
COMPARATOR_CELLS = COMPARATORS | {"=", "═", "﹦", "＝", "定性", "定量"}
UNITS = frozenset({"%", "％", "万元", "元", "个", "人", "人次", "次", "家", "项", "件", "亩", "台"})
Like = Callable[..., bool]  # level1_like / level2_like (key, strict=False)
Placing = tuple[float, dict[str, Token]]  # a row's cells in their columns, and how well they fit


@dataclass(frozen=True, slots=True)
class Row:
    cells: dict[str, Token]  # role → cell (roles without a cell are absent)
    dropped: int  # cells the extraction lost in this row

    @property
    def lost(self) -> int:
        """Dropped cells that held something: an empty explanation dropped loses nothing."""
        return max(0, self.dropped - ("deviation" not in self.cells))


def _fit(role: str, token: Token) -> float:
    """How well one cell fits its column."""
    value = amount(token.text)
    if role in ("weight", "score"):
        if value is not None and "%" in token.key:
            return -1.0  # "100%": a rate, not points
        if value is not None:
            return 1.5 if value <= 100 else -1.0
        return 0.0 if token.blank else -3.0
    if role == "name":
        if token.blank:
            return -1.0
        if value is not None or _QUANTITY.match(token.key):
            return -2.0  # "1.5亩", "≥95%": a value, not a name
        return 1.0
    if role in ("deviation", "explanation"):
        if value is None:
            return 0.0
        return -1.0 if _QUANTITY.match(token.key) and "%" in token.key else -0.3
    if role == "unit":  # 度量单位: "%", "万元", "人次"
        return 1.0 if value is None and 0 < len(token.key) <= 4 else -0.5
    if role == "nature":  # 指标性质: "≥", "=", "定性"
        return 1.0 if token.key in COMPARATOR_CELLS else -1.0
    if role in ("target", "actual") and token.key in UNITS:
        return -1.5  # a unit alone is no value
    return 0.0


def _score_pair(cells: dict[str, Token]) -> float:
    """What the row's figures say of their places: a score not above its weight; a result
    equal to its target (most results are), a weight equal to it seldom."""
    target = cells.get("target")
    if target is not None and not target.blank:
        if (actual := cells.get("actual")) is not None and actual.key == target.key:
            return _EQUAL + _points(cells)
        if (weight := cells.get("weight")) is not None and weight.key == target.key:
            return -_EQUAL + _points(cells)
    return _points(cells)


def _points(cells: dict[str, Token]) -> float:
    weight, score = cells.get("weight"), cells.get("score")
    if weight is None or score is None:
        return 0.0
    w, s = amount(weight.text), amount(score.text)
    if w is None or s is None:
        return 0.0
    return 0.5 if s <= w else -2.0


def _narrower(level2: str, level1: str) -> bool:
    """A 二级 whose words its 一级 already holds, and more ("成本" under "成本指标"): no 二级
    names less than its 一级, so the two are a 二级 and its name (equal words are a form's
    habit: 满意度指标 under 满意度指标)."""
    inner, outer = split_declared(level2)[0], split_declared(level1)[0]
    return bool(inner) and inner != outer and inner in outer


class RowReader:
    """Cut a run of cells into indicator rows with the given column roles."""

    def __init__(self, roles: Sequence[str], level1_like: Like, level2_like: Like) -> None:
        self.has1 = "level1" in roles
        self.has2 = "level2" in roles
        self.rest = [r for r in roles if r not in ("level1", "level2")]
        self.level1_like = level1_like
        self.level2_like = level2_like
        self._drop = [DROP_COST.get(r, DROP_DEFAULT) for r in self.rest]
        # an empty explanation is dropped on most rows: it does not count against the limit
        self._deviation = self.rest.index("deviation") if "deviation" in self.rest else -1
        self._most = MAX_DROPPED + ("deviation" in self.rest)
        self._fit_cache: dict[str, list[float]] = {}
        self._placed: dict[tuple[object, ...], tuple[tuple[Token, ...], Placing | None]] = {}
        self.by_line = False  # the text keeps one row a line (set by ``read``)
        self.stray = 0  # cells of the last reading that fit in no column (set by ``read``)

    def _options(self, tokens: Sequence[Token], i: int) -> list[tuple[float, int, Row]]:
        out: list[tuple[float, int, Row]] = []
        first = tokens[i]
        # "成本指标" is a 一级 of the newer forms and a 二级 of the older ones
        strong1 = self.level1_like(first.key, True) and not self.level2_like(first.key, True)
        for take1, take2 in ((1, 1), (0, 1), (0, 0), (1, 0)):
            if (take1 and not self.has1) or (take2 and not self.has2):
                continue
            if take1 and self.has2 and not take2:
                opener = tokens[i + 1] if i + 1 < len(tokens) else None
                if (
                    opener is not None
                    and self.level2_like(opener.key, True)
                    and self.level1_like(first.key, True)
                    and not _narrower(opener.key, first.key)
                ):  # "产出指标(50分)" on a line of its own, its first 二级 on the next
                    out.append((2.0, 1, Row({"level1": first}, 0)))
                lost2 = opener is not None and not self._category(opener)
                if not (lost2 and self.level1_like(first.key, True)):
                    continue  # otherwise a new 一级 opens a new 二级 too, but for
                # a 二级 the text lost (run into the 三级 name after it): the row goes on
            used = take1 + take2
            if i + used > len(tokens):
                continue
            head = 0.0
            cells: dict[str, Token] = {}
            if take1:
                head += 2.0 if self.level1_like(first.key) else -6.0
                head -= 0.0 if take2 or not self.has2 else LOST_LEVEL2
                cells["level1"] = first
            elif strong1 and self.has1:
                head -= 4.0
            if take2:
                second = tokens[i + take1]
                head += 2.0 if self.level2_like(second.key) else -4.0
                if take1 and _narrower(second.key, first.key):
                    head -= NARROWER
                cells["level2"] = second
            elif i + take1 < len(tokens) and self.level2_like(tokens[i + take1].key, True):
                head -= 3.0
            after = i + used
            # "成本指标 | 成本 | 10万元": the narrower word is the 二级's indicator
            named = take2 and after < len(tokens) and _narrower(tokens[after].key, second.key)
            if (
                take2
                and not named
                and (
                    after == len(tokens)
                    or self._category(tokens[after])
                    or PLACEHOLDER.match(tokens[after].key)
                )
            ):
                out.append((head - 0.5, used, Row(cells, 0)))  # a 二级 with no indicator
            for width in (1, 2):  # a name (perhaps broken in two) whose values stand elsewhere
                name = self._lone(tokens, after, width)
                if name is not None:
                    gain = head + 1.0 - APART - BROKEN_NAME * (width - 1)
                    out.append((gain, used + width, Row({**cells, "name": name}, 0)))
            left = len(tokens) - after
            tail = 0 < left < len(self.rest) - MAX_DROPPED
            drops = [len(self.rest) - left] if tail else list(range(self._most + 1))
            line = self._line_end(tokens, i) - after  # the cells left on this row's line
            if 2 <= line < len(self.rest) - MAX_DROPPED and not tail:
                drops.append(len(self.rest) - line)  # a line that is a whole, short row
            for dropped, broken in itertools.product(drops, (False, True)):
                n = len(self.rest) - dropped
                if n <= 0 or after + n + broken > len(tokens):
                    continue
                body = tokens[after : after + n + broken]
                if broken:  # a name broken over two cells ("…纳入医" / "保统筹")
                    if not self._continued(body):
                        continue
                    body = [Token(body[0].text + body[1].text, body[0].source), *body[2:]]
                if any(self.level1_like(t.key, True) for t in body[:1]) and dropped and not named:
                    continue
                ends = (
                    after + n + broken == len(tokens)
                    and bool(tail or dropped)
                    and not self.by_line  # (a line of row-per-line text is a whole row)
                )
                best = self._place(body, dropped, ends=ends)
                if best is None:
                    continue
                fit, placed = best
                if named and placed.get("name") is body[0]:
                    fit += 2.5  # not the category it looks like (see ``_fits``)
                if self.by_line:  # a row runs on into the next line: seldom so
                    fit -= LINE_START * sum(t.first for t in body[1:] if not t.blank)
                whole = self.by_line and after + n == self._line_end(tokens, i)
                # a row that is its whole line lost nothing: the cells it lacks were empty
                row = Row({**cells, **placed}, 0 if whole and dropped > MAX_DROPPED else dropped)
                out.append((head + fit - BROKEN_NAME * broken, used + n + broken, row))
        out.extend(self._nameless(tokens, i))
        return out

    def _is_name(self, token: Token) -> bool:
        return (
            _fit("name", token) > 0
            and len(_CJK.findall(token.key)) >= 3  # not "(50)", "30分)", a cut-off "满意"
            and not self._category(token)
            and not PLACEHOLDER.match(token.key)
            and not _VALUE_WORD.match(token.key)
        )

    def _lone(self, tokens: Sequence[Token], at: int, width: int) -> Token | None:
        """A name (of ``width`` cells) followed by a category or the end: its row's values
        are not beside it (a sheet flowed partly column by column: names in one run, values
        in another)."""
        end = at + width
        if self.rest[0] != "name" or end > len(tokens) or not self._is_name(tokens[at]):
            return None
        if end < len(tokens) and not self._category(tokens[end]):
            return None
        if width == 1:
            return tokens[at]
        if not self._continued(tokens[at:end]):
            return None
        return Token(tokens[at].text + tokens[at + 1].text, tokens[at].source)

    def _nameless(self, tokens: Sequence[Token], i: int) -> list[tuple[float, int, Row]]:
        """The values of a row whose name stands elsewhere: a run that starts with a value
        and holds a weight and a score ("75元 75元 10 10")."""
        if self.rest[0] != "name" or _fit("name", tokens[i]) >= 0 or tokens[i].blank:
            return []
        out = []
        scored = {"weight", "score"} <= set(self.rest)
        pair = [amount(t.text) if "%" not in t.key else None for t in tokens[i : i + 2]]
        first, second = [*pair, None, None][:2]
        if (
            scored
            and first is not None
            and second is not None
            and first in _TOTALS
            and second <= first
        ):
            # "100 94": the 总分 row's figures, run in with the values
            pair_cells = {"weight": tokens[i], "score": tokens[i + 1]}
            out.append((3.0 - APART, 2, Row(pair_cells, 0)))
        for dropped in range(self._most + 1):
            n = len(self.rest) - 1 - dropped
            if n < 3 or i + n > len(tokens):
                continue
            best = self._place(tokens[i : i + n], dropped, nameless=True)
            if best is None or not {"weight", "score"} <= best[1].keys():
                continue
            out.append((best[0] - APART, n, Row(best[1], dropped)))
        return out

    def _continued(self, body: Sequence[Token]) -> bool:
        """Whether the first two cells may be one name broken in two: the rows' first column
        is the name, both are words (no figure, no category, no placeholder) and the second
        is shorter than a name on its own would be."""
        if self.rest[0] != "name" or len(body) < 2:
            return False
        first, second = body[0], body[1]
        end = second.key
        if not end or len(end) > 8 or end in UNITS or any(c.isdigit() for c in end):
            return False
        return (
            all(
                not t.blank and not self._category(t) and not PLACEHOLDER.match(t.key)
                for t in (first, second)
            )
            and _fit("name", first) > 0
        )

    def _line_end(self, tokens: Sequence[Token], i: int) -> int:
        """Where the line that holds cell ``i`` ends (row-per-line text only)."""
        if not self.by_line:
            return i
        return next((j for j in range(i + 1, len(tokens)) if tokens[j].first), len(tokens))

    def _category(self, token: Token) -> bool:
        return self.level1_like(token.key, True) or self.level2_like(token.key, True)

    def _place(
        self, body: Sequence[Token], dropped: int, nameless: bool = False, ends: bool = False
    ) -> tuple[float, dict[str, Token]] | None:
        """The best columns for the cells of a row that lost ``dropped`` cells (``nameless``:
        the values of a row whose name stands elsewhere; ``ends``: the text ends with this
        row). The same cells are weighed from several starting points of the reading: each
        placing is worked out once a reading."""
        key = (*map(id, body), dropped, nameless, ends)
        if key not in self._placed:  # (the cells kept with it, so that no id is reused)
            self._placed[key] = (tuple(body), self._best_place(body, dropped, nameless, ends))
        return self._placed[key][1]

    def _best_place(
        self, body: Sequence[Token], dropped: int, nameless: bool, ends: bool
    ) -> tuple[float, dict[str, Token]] | None:
        """The placings whose cells fit their columns best, then the one among them whose
        figures also fit each other (``_score_pair``) and, where the text ends inside the
        row, whose missing cells are its last (cut off, not lost)."""
        # the best _RIVALS, a heap; of equal fits the first tried (leftmost columns) wins
        found: list[tuple[float, int, tuple[int, ...]]] = []
        drop = self._drop
        # a cell's fit in a column plus what that column's drop would have cost: the fit of
        # a placing is the sum over its cells less the cost of dropping every column
        gains = [[f + d for f, d in zip(self._fits(t), drop, strict=True)] for t in body]
        columns = range(int(nameless), len(self.rest))
        all_dropped = sum(drop[c] for c in columns)
        name_first = dropped and self.rest[0] == "name" and not nameless
        for order, kept in enumerate(itertools.combinations(columns, len(body))):
            if name_first and kept[0] != 0:
                continue  # the 三级 name is never the cell that vanished
            if dropped > MAX_DROPPED and self._deviation in kept:
                continue
            fit = sum(g[c] for c, g in zip(kept, gains, strict=True))
            if len(found) < _RIVALS:
                heapq.heappush(found, (fit, -order, kept))
            elif fit > found[0][0]:
                heapq.heapreplace(found, (fit, -order, kept))
        if not found:
            return None
        best: tuple[float, dict[str, Token]] | None = None
        for fit, _, kept in sorted(found, reverse=True):
            placed = {self.rest[c]: t for c, t in zip(kept, body, strict=True)}
            total = fit - all_dropped + _score_pair(placed)
            if ends:  # the cells after its last one were cut off, not lost
                total += 0.7 * sum(drop[c] for c in range(kept[-1] + 1, len(self.rest)))
            if best is None or total > best[0]:
                best = (total, placed)
        return best

    def _fits(self, token: Token) -> list[float]:
        """How well a cell fits each column (a category word fits none but its own)."""
        found = self._fit_cache.get(token.text)
        if found is None:
            penalty = -2.5 if self._category(token) else 0.0
            found = [_fit(role, token) + penalty for role in self.rest]
            self._fit_cache[token.text] = found
        return found

    def read(self, tokens: Sequence[Token]) -> list[Row]:
        """The best segmentation of ``tokens`` into rows (cells that fit nowhere skipped).
        Where the text keeps one row a line (three cells or more a line), a row that starts
        at a line's start is preferred."""
        n = len(tokens)
        self._placed = {}  # (cells' ids are this reading's)
        filled = [t for t in tokens if not t.blank]
        lines = sum(t.first for t in filled)
        by_line = self.by_line = bool(lines) and len(filled) >= 2.5 * lines
        score: list[float] = [float("-inf")] * (n + 1)
        back: list[tuple[int, Row | None]] = [(0, None)] * (n + 1)
        score[0] = 0.0
        for i in range(n):
            if score[i] == float("-inf"):
                continue
            # an empty cell, or an empty row of the template ("指标2:")
            empty = tokens[i].blank or PLACEHOLDER.match(tokens[i].key)
            skip = SKIP_BLANK if empty else SKIP_COST
            if score[i] - skip > score[i + 1]:
                score[i + 1], back[i + 1] = score[i] - skip, (i, None)
            start = (LINE_START if tokens[i].first else -LINE_START) if by_line else 0.0
            for gain, used, row in self._options(tokens, i):
                gain += start
                if score[i] + gain > score[i + used]:
                    score[i + used], back[i + used] = score[i] + gain, (i, row)
        rows: list[Row] = []
        self.stray = 0
        at = n
        while at > 0:
            start, kept = back[at]
            if kept is not None:
                rows.append(kept)
            elif not tokens[start].blank and not PLACEHOLDER.match(tokens[start].key):
                self.stray += 1  # a cell that fits in no column: left out
            at = start
        rows.reverse()
        return rows
