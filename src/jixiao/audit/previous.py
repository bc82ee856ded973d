"""Last year's table of a table: the same kind, the same name once the year is taken out of
it, and the year before (when both tables give their year).

The audit's callers find candidates where they keep tables (``jixiao check --previous``
reads a file; the store looks for the same project or unit a year earlier) and pick with
``last_year_of``; a sub-direction (支出方向) table is matched among last year's
sub-directions of its parent's match.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from jixiao.model import Evaluation
from jixiao.values.names import table_key

# Last year's table of a top-level table, or None (the audit's optional input).
Previous = Callable[[Evaluation], Evaluation | None]


def same_table(evaluation: Evaluation, candidate: Evaluation) -> bool:
    """Whether ``candidate`` is last year's table of the same project or department."""
    if candidate.kind != evaluation.kind:
        return False
    years = (evaluation.year, candidate.year)
    if years[0] is not None and years[1] is not None and years[1] != years[0] - 1:
        return False
    key = table_key(evaluation.name)
    return bool(key) and key == table_key(candidate.name)


def last_year_of(evaluation: Evaluation, candidates: Iterable[Evaluation]) -> Evaluation | None:
    """The first of ``candidates`` that is last year's table of ``evaluation``."""
    return next((c for c in candidates if same_table(evaluation, c)), None)


def among(candidates: Iterable[Evaluation]) -> Previous:
    """``Previous`` picking from a fixed set of tables (a file of last year's tables)."""
    kept = tuple(candidates)
    return lambda evaluation: last_year_of(evaluation, kept)


def child_previous(child: Evaluation, parent_previous: Evaluation | None) -> Evaluation | None:
    """A sub-direction's last year's table among its parent's last year's sub-directions."""
    if parent_previous is None:
        return None
    return last_year_of(child, parent_previous.children)
