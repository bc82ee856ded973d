"""Each finding's place in its own column (migration 0005): written by the rule, stored
and read back as it was; a database from before 0005 upgrades with the places worked out
from what it stored, and loses nothing. On SQLite and on PostgreSQL."""

from __future__ import annotations

from alembic import command
from sqlalchemy import select

from jixiao.audit import AuditSettings
from jixiao.service import Service
from jixiao.service.audit import check_file
from jixiao.service.store import import_file
from jixiao.store import EvaluationFilter, Store, open_store
from jixiao.store.database import _alembic_config
from jixiao.store.schema import findings
from tests.test_store_summary import REPORTS, fill, service, urls

__all__ = ["service", "urls"]  # fixtures


def stored_paths(store: Store) -> dict[int, tuple[str | None, str | None, str | None]]:
    with store.reading() as connection:
        rows = connection.execute(
            select(findings.c.id, findings.c.code, findings.c.field, findings.c.path)
        )
        return {row.id: (row.code, row.field, row.path) for row in rows}


def test_the_rules_places_are_stored_and_read_back(urls: tuple[str, str], service: Service) -> None:
    with open_store(urls[0]) as store:
        assert import_file(store, service, REPORTS[0], unit="株洲市科学技术局").error is None
        listed = store.evaluations(EvaluationFilter(), per_page=100).items
        stored = [f for s in listed for f in store.evaluation(s.id).findings]
    checked = check_file(service, REPORTS[0], AuditSettings())
    written = [(f.code, f.paths) for f in checked.findings if f.table]
    assert sorted(map(str, written)) == sorted(str((f.code, f.paths)) for f in stored)
    assert any(p.indicator is not None for _, paths in written for p in paths)


def test_upgrading_from_0004_works_out_the_places(urls: tuple[str, str], service: Service) -> None:
    with open_store(urls[0]) as store:
        fill(store, service)
        before = stored_paths(store)
        with store.engine.begin() as connection:
            command.downgrade(_alembic_config(connection), "0004")
            command.upgrade(_alembic_config(connection), "head")
        after = stored_paths(store)
    assert after.keys() == before.keys()  # no finding lost
    differ = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    assert differ == {}
