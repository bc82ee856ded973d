"""Every rule's time grows no faster than the report: per indicator, a report 8 times as big
costs about the same (issue 16.1).

Each rule runs alone on generated reports (tests/big_report.py) of 500 and 4,000
indicators, tables and narrative growing with them. Its time is the CPU time of this
process (other work on the machine does not count), the least of three runs with the
cyclic garbage collector paused. A rule fails when an indicator costs more than three
times as much in the big report as in the small one: a linear rule costs the same, one that
compares every name with every other costs eight times as much. A rule that takes under
20 ms on the big report passes whatever its ratio: at that size, time so small is mostly
noise.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator

import pytest

from jixiao.audit import AuditSettings, Checked, run_audit
from jixiao.audit.rules import CATALOGUE
from jixiao.model import Report
from tests.big_report import big_report, checked_tables

SMALL, GROWTH = 500, 8
SLACK = 3.0  # per indicator, the big report may cost up to this many times the small one
FLOOR = 0.020  # seconds on the big report under which a rule passes anyway
REPEAT = 3


@pytest.fixture(scope="module")
def reports() -> Iterator[dict[int, tuple[list[Checked], Report]]]:
    made = {}
    for size in (SMALL, SMALL * GROWTH):
        report = big_report(size)
        made[size] = (checked_tables(report), report)
    yield made


def cpu_seconds(code: str, tables: list[Checked], report: Report) -> float:
    """The least CPU time of ``REPEAT`` runs of the one rule ``code`` over the report."""
    rule = {code: CATALOGUE.rules[code]}
    settings = AuditSettings()
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(REPEAT):
            started = time.process_time()
            run_audit(tables, report, settings, rule)
            best = min(best, time.process_time() - started)
    finally:
        gc.enable()
    return best


def test_generated_reports_give_every_kind_of_rule_work(
    reports: dict[int, tuple[list[Checked], Report]],
) -> None:
    """The big report is worth timing: many tables, a long narrative, and findings of the
    rules that read names and text (NM01, XC03, XC07) and compare tables (XC01)."""
    tables, report = reports[SMALL * GROWTH]
    assert len(tables) > 10
    assert sum(len(t.evaluation.indicators) for t in tables) == SMALL * GROWTH
    codes = {f.code for f in run_audit(tables, report, AuditSettings())}
    assert {"NM01", "XC03", "XC07", "XC01"} <= codes


@pytest.mark.parametrize("code", sorted(CATALOGUE.rules))
def test_rule_time_grows_linearly(
    code: str, reports: dict[int, tuple[list[Checked], Report]]
) -> None:
    small = cpu_seconds(code, *reports[SMALL])
    big = cpu_seconds(code, *reports[SMALL * GROWTH])
    ratio = (big / GROWTH) / max(small, 1e-6)
    assert big < FLOOR or ratio <= SLACK, (
        f"{code}: {small * 1000:.1f} ms on {SMALL} indicators, {big * 1000:.1f} ms on "
        f"{SMALL * GROWTH}: each indicator costs {ratio:.1f} times as much in the big report"
    )
