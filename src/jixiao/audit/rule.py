"""What a rule is: a code, a default severity, declared options and one message template.

A rule's docstring is its user documentation (what it checks, why, a bad and a good
example, its options); ``jixiao rules CODE`` prints it. Rules look at one evaluation at a
time (``scope = "evaluation"``) or at a whole report (``scope = "report"``, cross-checks).
"""

from __future__ import annotations

import dataclasses
import inspect
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar, Literal, TypeVar

from jixiao.audit.finding import Finding, Severity, TableRef
from jixiao.model import Evaluation, Indicator, Report, SourceRef
from jixiao.model.field_path import FieldPath
from jixiao.scoring import EvaluationScore, Scheme


@dataclass(frozen=True, slots=True)
class Option:
    """A setting a locality may change, with its default and a Chinese description."""

    name: str
    default: Any
    doc: str


@dataclass(frozen=True, slots=True)
class Checked:
    """One evaluation with everything a rule may need about it; ``previous`` is last year's
    table of the same project or department when the caller has it (the TG rules that
    compare the two years look at nothing else)."""

    evaluation: Evaluation
    score: EvaluationScore
    scheme: Scheme
    table: TableRef
    parent: Evaluation | None = None
    previous: Evaluation | None = None


T = TypeVar("T")
Derive = Callable[[tuple[Checked, ...], Report | None], T]


class Shared:
    """What rules work out alike from one report (the narrative cut into sentences, its plain
    text): the runner makes one per audit, the first rule that asks works it out, the other
    rules (and the same rule on the next table) reuse it."""

    __slots__ = ("_known", "report", "tables")

    def __init__(self, tables: tuple[Checked, ...], report: Report | None) -> None:
        self.tables = tables
        self.report = report
        self._known: dict[Callable[..., Any], Any] = {}

    def get(self, derive: Derive[T]) -> T:
        try:
            found: T = self._known[derive]
        except KeyError:
            found = self._known[derive] = derive(self.tables, self.report)
        return found


@dataclass(frozen=True, slots=True)
class Context:
    """What a rule sees: the evaluation(s) to check, the report, and its own options."""

    options: Mapping[str, Any]
    checked: Checked | None = None
    tables: tuple[Checked, ...] = ()
    report: Report | None = None
    shared: Shared | None = None

    def derived(self, derive: Derive[T]) -> T:
        """``derive(tables, report)``, worked out once per audit for all rules (a function
        of the report alone: anything that depends on a rule's options is the rule's own)."""
        if self.shared is None:
            return derive(self.tables, self.report)
        return self.shared.get(derive)


INDICATOR_FIELDS = frozenset(f.name for f in dataclasses.fields(Indicator))


# The last table's indicators and each one's place by identity: the findings of one table
# come one after another, and looking each up in the list was findings × indicators.
_places: tuple[tuple[Indicator, ...], dict[int, int]] = ((), {})


def _position(indicator: Indicator, evaluation: Evaluation) -> int | None:
    """The indicator's 0-based place in its table: the very object, else an equal one."""
    global _places
    items = evaluation.indicators
    known = _places  # one read: another thread may replace it meanwhile
    if known[0] is not items:
        known = (items, {id(item): i for i, item in enumerate(items)})
        _places = known
    found = known[1].get(id(indicator))
    if found is None:
        found = next((i for i, item in enumerate(items) if item == indicator), None)
    return found


def finding_paths(
    field: str | None, indicator: Indicator | None, checked: Checked | None
) -> tuple[FieldPath, ...]:
    """Where a finding is, from the rule's word for the field: an indicator's own field
    (``score``) placed under that indicator (``indicators[5].score``), the rest as written."""
    written = FieldPath.parse_many(field) if field else ()
    position = None
    if indicator is not None and checked is not None:
        position = _position(indicator, checked.evaluation)
    if position is None:
        return written
    item = FieldPath.of("indicators", position)
    if not written:
        return (item,)
    return tuple(item.child(*p.parts) if p.parts[0] in INDICATOR_FIELDS else p for p in written)


def show(value: Decimal | int | None) -> str:
    """A number as people write it: 9.26, 100, 92.5 (no trailing zeros, no exponent)."""
    if value is None:
        return "（空）"
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]  # a short English slug: funds.rate
    title: ClassVar[str]  # one Chinese line for the catalogue
    severity: ClassVar[Severity]
    message: ClassVar[str]  # a template with named fields, filled by ``finding``
    advice: ClassVar[str] = ""
    scope: ClassVar[Literal["evaluation", "report"]] = "evaluation"
    options: ClassVar[tuple[Option, ...]] = ()
    # The finding says something is missing (a field, an explanation, a category) or that a
    # sum over the whole table does not hold: on a table rebuilt from text that lost its
    # grid, a blank may be a cell the reading lost, and a lost row breaks a sum.
    absence: ClassVar[bool] = False
    # What the finding's two figures are, as the review opinion names them: ``actual`` the
    # value written in the field (填写值) unless the rule says otherwise; ``expected`` a value
    # worked out from the table (复算值), or, where the rule names it, what the field is
    # compared with (年度指标值, 控制线): shown beside, never to be copied into the field.
    actual_label: ClassVar[str] = "填写值"
    expected_label: ClassVar[str] = "复算值"
    # The finding's source is a line of the report's text (正文), not a cell of a table.
    in_text: ClassVar[bool] = False

    def check(self, context: Context) -> Iterable[Finding]:
        raise NotImplementedError

    @classmethod
    def doc(cls) -> str:
        """The rule's documentation: its module's docstring (one rule, one module)."""
        module = sys.modules.get(cls.__module__)
        return inspect.cleandoc((module.__doc__ if module else None) or cls.__doc__ or "")

    def finding(
        self,
        context: Context,
        *,
        table: Checked | None = None,
        indicator: Indicator | None = None,
        field: str | None = None,
        path: FieldPath | None = None,
        expected: Decimal | str | None = None,
        actual: Decimal | str | None = None,
        source: SourceRef | None = None,
        severity: Severity | None = None,
        **fields: Any,
    ) -> Finding:
        """The finding, its message filled in; ``path`` where the rule knows the exact place
        (a row, a written key), else the place follows from ``field`` and ``indicator``."""
        checked = table or context.checked
        values = {
            k: show(v) if isinstance(v, Decimal | int) and not isinstance(v, bool) else v
            for k, v in fields.items()
        }
        if indicator is not None:
            values.setdefault("name", indicator.name or "（未命名指标）")
        values.setdefault("expected", show(expected) if isinstance(expected, Decimal) else expected)
        values.setdefault("actual", show(actual) if isinstance(actual, Decimal) else actual)
        where = source or (indicator.source if indicator is not None else None)
        if where is None and checked is not None:
            where = checked.evaluation.source
        return Finding(
            code=self.code,
            severity=severity or Severity(context.options.get("severity", self.severity)),
            message=self.message.format(**values),
            rule=self.name,
            table=checked.table if checked else None,
            indicator=indicator.name if indicator is not None else None,
            field=field,
            expected=expected,
            actual=actual,
            source=where,
            advice=self.advice.format(**values) if self.advice else None,
            details={k: v for k, v in fields.items() if not isinstance(v, Indicator)},
            paths=(path,) if path is not None else finding_paths(field, indicator, checked),
        )


@dataclass
class Catalogue:
    """The registered rules, by code."""

    rules: dict[str, type[Rule]] = field(default_factory=dict)

    def add(self, *classes: type[Rule]) -> None:
        for cls in classes:
            if cls.code in self.rules:
                raise ValueError(f"duplicate rule code {cls.code}")
            self.rules[cls.code] = cls
