"""``Store``: the one object the service holds; each method is one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import IntegrityError

from jixiao.model import Evaluation
from jixiao.store import documents, queries, users, workflow
from jixiao.store.database import make_engine, migrate
from jixiao.store.records import (
    EvaluationFilter,
    ImportOutcome,
    NewDocument,
    Page,
    Rescored,
    StoredEvaluation,
    User,
)
from jixiao.store.schema import Role, State, metadata


class Store:
    """Evaluations, documents, findings, users and history in one database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One transaction that writes: committed at the end, rolled back on any error."""
        with (
            self.engine.connect().execution_options(writing=True) as connection,
            connection.begin(),
        ):
            yield connection

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.engine.connect() as connection, connection.begin():
            yield connection

    # documents
    def import_document(self, new: NewDocument) -> ImportOutcome:
        """Store a file with its evaluations and findings, or report it is already there."""
        try:
            with self.writing() as connection:
                return documents.import_document(connection, new)
        except IntegrityError:
            # the same file stored by someone else meanwhile: report theirs
            with self.reading() as connection:
                found = documents.existing(connection, documents.sha256(new.content))
            if found is None:
                raise
            return found

    def find_document(self, content: bytes) -> ImportOutcome | None:
        with self.reading() as connection:
            return documents.existing(connection, documents.sha256(content))

    # users
    def add_user(
        self,
        name: str,
        role: Role,
        password: str,
        *,
        unit: str | None = None,
        display_name: str | None = None,
    ) -> User:
        with self.writing() as connection:
            return users.add_user(
                connection, name, role, password, unit=unit, display_name=display_name
            )

    def user(self, name: str) -> User | None:
        with self.reading() as connection:
            return users.get_user(connection, name)

    def verify_password(self, name: str, password: str, address: str | None = None) -> User | None:
        with self.writing() as connection:
            return users.verify_password(connection, name, password, address)

    def failed_logins(
        self, since: datetime, name: str | None = None, address: str | None = None
    ) -> int:
        with self.reading() as connection:
            return users.failed_logins(connection, since, name, address)

    # evaluations
    def evaluations(
        self, where: EvaluationFilter | None = None, page: int = 1, per_page: int = 50
    ) -> Page:
        with self.reading() as connection:
            return queries.list_evaluations(connection, where, page, per_page)

    def evaluation(self, evaluation_id: int) -> StoredEvaluation:
        with self.reading() as connection:
            return queries.get_evaluation(connection, evaluation_id)

    def edit(
        self,
        evaluation_id: int,
        field: str,
        value: Any,
        user: str,
        *,
        expected_version: int | None = None,
        rescore: Callable[[Evaluation], Rescored] | None = None,
    ) -> Evaluation:
        """Set one field (``funds.executed``, ``indicators[2].actual``) with a history row."""
        with self.writing() as connection:
            return workflow.edit_field(
                connection,
                evaluation_id,
                field,
                value,
                user,
                expected_version=expected_version,
                rescore=rescore,
            )

    def transition(self, evaluation_id: int, to: State, user: str, comment: str = "") -> State:
        with self.writing() as connection:
            return workflow.transition(connection, evaluation_id, to, user, comment)

    def counts(self) -> dict[str, int]:
        """Rows per table (for reports and tests)."""
        with self.reading() as connection:
            return {
                name: int(connection.scalar(select(func.count()).select_from(table)) or 0)
                for name, table in metadata.tables.items()
            }


def open_store(url: str | None = None) -> Store:
    """Open (creating and migrating on first use) the database at ``url``.

    ``url`` is a SQLAlchemy URL (``sqlite:///…``, ``postgresql://…``) or a file path;
    ``None`` means ``jixiao.db`` in the data directory (``$JIXIAO_DATA`` or
    ``~/.local/share/jixiao``). A database from a newer jixiao is refused (``StoreError``).
    """
    engine = make_engine(url)
    try:
        migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine)
