"""Field-level edit rights per role, through the API as an attacker would try them: what the
unit reports (actuals, executed amounts, explanations) is its own while the table is a draft;
what was set at budget time (targets, weights, year, unit, names) is corrected by the
reviewer or an administrator, and by the unit only with a stated reason; a total worked out
from the weights is typed by no one; another unit's clerk reaches nothing. Each refusal
is in Chinese and leaves the table as it was (its version unchanged).

The expected answers are written out by hand from the rules above, not taken from the
policy module the app itself uses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jixiao.service import Service
from jixiao.service.store import import_file
from jixiao.store import Store, open_store
from tests.test_web_api import REPORTS, UNIT_A, _people, assert_error
from tests.web_client import As

ACTUAL = "indicators[0].actual"  # reported by the unit
EXECUTED = "funds.executed"  # reported by the unit
TARGET = "indicators[0].target"  # set at budget time
WEIGHT = "indicators[0].weight"  # set at budget time
YEAR = "year"  # set at budget time
UNIT = "department"  # set at budget time
TOTAL_WEIGHT = "total.weight"  # worked out from the weights
VALUES = {
    ACTUAL: "12项",
    EXECUTED: 1.5,
    TARGET: "≥12项",
    WEIGHT: 7,
    YEAR: 2031,
    UNIT: "别的单位",
    TOTAL_WEIGHT: 90,
}
OK, REASON, REFUSED, HIDDEN = 200, "reason_required", "forbidden", "not_found"
# role → field → the answer without a reason, and with one
EXPECTED: dict[str, dict[str, tuple[object, object]]] = {
    "filler_a": {
        ACTUAL: (OK, OK),
        EXECUTED: (OK, OK),
        TARGET: (REASON, OK),
        WEIGHT: (REASON, OK),
        YEAR: (REASON, OK),
        UNIT: (REASON, OK),
        TOTAL_WEIGHT: (REFUSED, REFUSED),
    },
    "reviewer": {
        ACTUAL: (REFUSED, REFUSED),
        EXECUTED: (REFUSED, REFUSED),
        TARGET: (OK, OK),
        WEIGHT: (OK, OK),
        YEAR: (OK, OK),
        UNIT: (OK, OK),
        TOTAL_WEIGHT: (REFUSED, REFUSED),
    },
    "admin": {
        ACTUAL: (OK, OK),
        EXECUTED: (OK, OK),
        TARGET: (OK, OK),
        WEIGHT: (OK, OK),
        YEAR: (OK, OK),
        UNIT: (OK, OK),
        TOTAL_WEIGHT: (REFUSED, REFUSED),
    },
    "filler_b": {field: (HIDDEN, HIDDEN) for field in VALUES},
}
STATUS = {REASON: 403, REFUSED: 403, HIDDEN: 404}


@pytest.fixture
def table(tmp_path: Path) -> Iterator[tuple[Store, int]]:
    """A fresh store with unit A's seed 001 as a draft, and the test people."""
    with open_store(f"sqlite:///{tmp_path / 'db.sqlite'}") as store:
        _people(store)
        imported = import_file(store, Service(), REPORTS[1], unit=UNIT_A)
        assert imported.error is None
        top = store.evaluations(per_page=10).items[0]
        yield store, top.id


@pytest.mark.parametrize("who", sorted(EXPECTED))
@pytest.mark.parametrize("field", sorted(VALUES))
@pytest.mark.parametrize("reasoned", [False, True], ids=["no reason", "with a reason"])
def test_each_role_may_change_only_the_fields_that_are_its_own(
    table: tuple[Store, int], who: str, field: str, reasoned: bool
) -> None:
    store, table_id = table
    user = As(store, who)
    url = f"/api/evaluations/{table_id}"
    before = As(store, "admin").get(url).json()
    body: dict[str, object] = {"changes": [{"path": field, "value": VALUES[field]}]}
    if reasoned:
        body["reason"] = "按预算批复文件更正录入错误"
    answer = EXPECTED[who][field][reasoned]
    response = user.send("PATCH", url, json=body)
    after = As(store, "admin").get(url).json()
    if answer == OK:
        assert response.status_code == 200, response.text
        assert after["version"] != before["version"]
        return
    assert isinstance(answer, str)
    assert_error(response, STATUS[answer], answer)
    assert after["version"] == before["version"]  # nothing changed
    assert after["evaluation"] == before["evaluation"]


def test_once_submitted_the_unit_changes_nothing_and_once_approved_no_one_does(
    table: tuple[Store, int],
) -> None:
    """Submitted: the unit's own fields and its corrections are locked (409), the reviewer may
    still correct a budget-time field; approved: no one changes anything."""
    store, table_id = table
    url = f"/api/evaluations/{table_id}"
    filler, reviewer = As(store, "filler_a"), As(store, "reviewer")
    reason = "按预算批复文件更正录入错误"

    def step(user: As, to: str) -> None:
        body = {"to": to, "comment": "", "confirm": True}
        assert user.send("POST", f"{url}/transitions", json=body).status_code == 200

    def change(user: As, field: str, **extra: object) -> Any:
        body = {"changes": [{"path": field, "value": VALUES[field]}], **extra}
        return user.send("PATCH", url, json=body)

    step(filler, "submitted")
    assert_error(change(filler, ACTUAL), 409, "state")
    assert_error(change(filler, TARGET, reason=reason), 409, "state")
    assert_error(change(reviewer, ACTUAL), 403, "forbidden")
    assert change(reviewer, TARGET).status_code == 200
    step(reviewer, "approved")
    for user, field in ((filler, ACTUAL), (reviewer, TARGET), (As(store, "admin"), WEIGHT)):
        assert_error(change(user, field, reason=reason), 409, "state")
