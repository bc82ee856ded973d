"""``Store``: the one object the service holds; each method is one transaction."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import IntegrityError

from jixiao.audit import Decision
from jixiao.model import Evaluation
from jixiao.store import (
    admin,
    documents,
    listing,
    queries,
    report_texts,
    review,
    scope,
    sessions,
    trail,
    users,
    versions,
    workflow,
)
from jixiao.store.database import make_engine, migrate
from jixiao.store.errors import NeedsConfirmation, StoreError
from jixiao.store.policy import Reach, Role, State
from jixiao.store.records import (
    EvaluationFilter,
    ImportOutcome,
    NewDocument,
    Page,
    Rescore,
    StoredEvaluation,
    User,
)
from jixiao.store.schema import metadata
from jixiao.store.sessions import Session
from jixiao.store.users import THROTTLED, LoginLimits, Throttled

# Times an edit is worked out outside the write lock when another process changed its
# document meanwhile (then once more inside it)
EDIT_ATTEMPTS = 3


class Store:
    """Evaluations, documents, findings, users and history in one database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._edit_locks: dict[int, threading.Lock] = {}  # by table: see edit_many
        self._edit_locks_guard = threading.Lock()

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
        """One transaction that writes: committed at the end, rolled back on any error.
        Within a request's shared reads (``scope``), these end first: what is read after
        the write sees it."""
        shared = scope.current(self.engine)
        if shared is not None:
            shared.end()
        with (
            self.engine.connect().execution_options(writing=True) as connection,
            connection.begin(),
        ):
            yield connection

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A transaction that reads: the request's shared one when there is one (see
        ``shared_reads``), else one of its own."""
        shared = scope.current(self.engine)
        if shared is not None:
            with shared.reading() as held:
                if held is not None:
                    yield held
                    return
        with self.engine.connect() as connection, connection.begin():
            yield connection

    def shared_reads(self) -> AbstractContextManager[scope.Shared]:
        """Within the block (a request that only reads), every ``reading()`` of this store
        is one transaction on one connection, whichever thread asks."""
        return scope.shared_reads(self.engine)

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

    def import_documents(self, batch: Sequence[NewDocument]) -> list[ImportOutcome]:
        """Many files in one transaction and a few statements (bulk loads, benchmarks): all
        stored, or none. Files already stored are reported, as by ``import_document``."""
        with self.writing() as connection:
            return documents.import_documents(connection, batch)

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
        """The user when the name and password match an active account (no throttling;
        the attempt is recorded)."""
        found = self.login(name, password, address, None)
        return None if found is THROTTLED else found

    def login(
        self, name: str, password: str, address: str | None, limits: LoginLimits | None
    ) -> User | Throttled | None:
        """The user whose name and password these are, ``None`` for a wrong pair, or
        ``THROTTLED`` when too many attempts failed lately. The attempt is recorded as failed
        before its password is checked and counted with the others: of many made at once,
        no more pass the count than the limit lets through."""
        with self.writing() as connection:
            attempt = users.claim_attempt(connection, name, address)
        if limits is not None:
            with self.reading() as connection:
                mine = sessions.recent_failures(connection, name, address, limits.since)
                anyone = users.failed_logins(connection, limits.since, address=address)
            if mine > limits.per_name or anyone > limits.per_address:
                return THROTTLED
        with self.reading() as connection:
            user = users.check_password_of(connection, name, password)
        if user is not None:
            with self.writing() as connection:
                users.settle_attempt(connection, attempt, user, password)
        return user

    def failed_logins(
        self, since: datetime, name: str | None = None, address: str | None = None
    ) -> int:
        with self.reading() as connection:
            return users.failed_logins(connection, since, name, address)

    # administration: users, units, the instance's settings (jixiao.store.admin)
    def users(self) -> list[User]:
        with self.reading() as connection:
            return admin.list_users(connection)

    def user_by_id(self, user_id: int) -> User | None:
        with self.reading() as connection:
            return admin.user_by_id(connection, user_id)

    def update_user(self, user_id: int, **changes: Any) -> User:
        """See ``admin.update_user`` for the keywords (display_name, role, unit, active,
        password, keep_session)."""
        with self.writing() as connection:
            return admin.update_user(connection, user_id, **changes)

    def units(self) -> list[admin.Unit]:
        with self.reading() as connection:
            return admin.list_units(connection)

    def add_unit(self, name: str, department: str | None = None) -> admin.Unit:
        with self.writing() as connection:
            return admin.add_unit(connection, name, department)

    def update_unit(self, unit_id: int, **changes: Any) -> admin.Unit:
        with self.writing() as connection:
            return admin.update_unit(connection, unit_id, **changes)

    def settings(self) -> dict[str, admin.Setting]:
        with self.reading() as connection:
            return admin.read_settings(connection)

    def write_settings(self, values: dict[str, Any], user: str | None = None) -> None:
        with self.writing() as connection:
            admin.write_settings(connection, values, user)

    # evaluations
    def evaluations(
        self, where: EvaluationFilter | None = None, page: int = 1, per_page: int = 50
    ) -> Page:
        with self.reading() as connection:
            return queries.list_evaluations(connection, where, page, per_page)

    def evaluation(self, evaluation_id: int, *, children: bool = True) -> StoredEvaluation:
        """A table with its findings, comments and history; ``children=False`` leaves its
        sub-directions' tables unread (their names are read all the same)."""
        with self.reading() as connection:
            return queries.get_evaluation(connection, evaluation_id, children=children)

    def edit(
        self,
        evaluation_id: int,
        field: str,
        value: Any,
        user: str,
        *,
        expected_version: int | None = None,
        rescore: Rescore | None = None,
    ) -> Evaluation:
        """Set one field (``funds.executed``, ``indicators[2].actual``) with a history row."""
        return self.edit_many(
            evaluation_id,
            [(field, value)],
            user,
            expected_version=expected_version,
            rescore=rescore,
        )

    def transition(
        self,
        evaluation_id: int,
        to: State,
        user: str,
        comment: str = "",
        *,
        confirmed: bool = True,
    ) -> State:
        """One step; unless ``confirmed``, a step that asks first (公开, approving with
        findings still to change, submitting with errors) raises ``NeedsConfirmation``."""
        with self.writing() as connection:
            if not confirmed:
                question = review.confirmation(connection, evaluation_id, to)
                if question is not None:
                    raise NeedsConfirmation(question)
            return workflow.transition(connection, evaluation_id, to, user, comment)

    def transition_many(
        self,
        evaluation_ids: Sequence[int],
        to: State,
        user: str,
        comment: str = "",
        *,
        confirmed: bool = True,
    ) -> list[tuple[int, State | StoreError]]:
        """The same step for many tables with one comment, each in its own transaction (one
        refused leaves the others taken): each table with its new state or why not. Unless
        ``confirmed``, a batch any of whose tables asks first raises ``NeedsConfirmation``
        naming them, and nothing is taken."""
        if not confirmed:
            with self.reading() as connection:
                question = review.batch_confirmation(connection, evaluation_ids, to)
            if question is not None:
                raise NeedsConfirmation(question)
        done: list[tuple[int, State | StoreError]] = []
        for evaluation_id in evaluation_ids:
            try:
                done.append((evaluation_id, self.transition(evaluation_id, to, user, comment)))
            except StoreError as error:
                done.append((evaluation_id, error))
        return done

    # the report written in the web app (jixiao.store.report_texts)
    def report_text(self, evaluation_id: int) -> report_texts.ReportText | None:
        with self.reading() as connection:
            return report_texts.report_text(connection, evaluation_id)

    def has_report_text(self, evaluation_id: int) -> bool:
        with self.reading() as connection:
            return report_texts.has_text(connection, evaluation_id)

    def draft_report_text(
        self, evaluation_id: int, html: str, user: str
    ) -> report_texts.ReportText:
        """Store the table's freshly drafted report (in place of any earlier text)."""
        with self.writing() as connection:
            return report_texts.draft_text(connection, evaluation_id, html, user)

    def save_report_text(
        self, evaluation_id: int, html: str, user: str, expected_revision: int | None = None
    ) -> report_texts.ReportText:
        """Store the edited report (``ConflictError`` when saved since ``expected_revision``)."""
        with self.writing() as connection:
            return report_texts.save_text(connection, evaluation_id, html, user, expected_revision)

    # the reviewer's desk (jixiao.store.review)
    def decide(
        self,
        evaluation_id: int,
        finding_id: int,
        decision: Decision | None,
        comment: str,
        user: str,
    ) -> review.StoredDecision | None:
        with self.writing() as connection:
            return review.decide(connection, evaluation_id, finding_id, decision, comment, user)

    def decisions(self, evaluation_id: int) -> dict[str, review.StoredDecision]:
        with self.reading() as connection:
            return review.decisions_of(connection, evaluation_id)

    def inbox(
        self,
        sort: str = "submitted",
        page: int = 1,
        per_page: int = 50,
        state: State = State.SUBMITTED,
    ) -> tuple[list[review.InboxItem], int]:
        with self.reading() as connection:
            return review.inbox(connection, sort, page, per_page, state)

    def state_counts(self, reach: Reach, states: Sequence[State] | None = None) -> dict[State, int]:
        with self.reading() as connection:
            return review.state_counts(connection, reach, states)

    def returned(self, reach: Reach) -> list[review.Returned]:
        with self.reading() as connection:
            return review.returned(connection, reach)

    def last_step(self, evaluation_id: int, to: Sequence[State]) -> review.Step | None:
        with self.reading() as connection:
            return review.last_step(connection, evaluation_id, to)

    def edit_many(
        self,
        evaluation_id: int,
        changes: list[tuple[str, Any]],
        user: str,
        *,
        expected_version: int | None = None,
        rescore: Rescore | None = None,
        reason: str = "",
    ) -> Evaluation:
        """Several fields (all or none), rescored once after the last; ``reason`` is what a
        correction of budget-time fields says (required of their unit, see
        ``policy.field_refusal``). The edit is worked
        out and rescored while reading, then written in a short transaction if no table of
        its document moved meanwhile, else worked out again: a rescore of a big table (a
        second or more) does not hold the write lock. Edits of one table in this process
        wait for each other rather than redo each other's work; one that keeps losing to
        another process's is worked out holding the lock, so that it ends."""
        if not changes:
            raise StoreError("没有要修改的字段")
        plan = functools.partial(
            workflow.plan_edit,
            evaluation_id=evaluation_id,
            changes=changes,
            user_name=user,
            expected_version=expected_version,
            rescore=rescore,
            reason=reason,
        )
        with self._edit_lock(evaluation_id):
            for _ in range(EDIT_ATTEMPTS):
                with self.reading() as connection:
                    planned = plan(connection)
                with self.writing() as connection:
                    if workflow.apply_edit(connection, planned):
                        return planned.evaluation
            with self.writing() as connection:
                workflow.lock_document(connection, evaluation_id)  # PostgreSQL: rows held
                planned = plan(connection)
                if not workflow.apply_edit(connection, planned):
                    raise StoreError("数据库繁忙：这张自评表正被频繁修改，请稍后重试")
                return planned.evaluation

    def _edit_lock(self, evaluation_id: int) -> threading.Lock:
        with self._edit_locks_guard:
            return self._edit_locks.setdefault(evaluation_id, threading.Lock())

    def versions_of(self, evaluation_id: int) -> list[versions.Version]:
        """Every version of a record, the first first; the last is the current one."""
        with self.reading() as connection:
            return versions.versions_of(connection, evaluation_id)

    def compare_versions(self, evaluation_id: int, old: int, new: int) -> list[versions.Change]:
        """What changed in a record from its version ``old`` to its version ``new``."""
        with self.reading() as connection:
            return versions.compare(connection, evaluation_id, old, new)

    def delete(self, evaluation_id: int, user: str, reason: str) -> trail.TrailEntry:
        """Delete a table with its sub-tables (an administrator, with a reason), kept whole
        in the trail."""
        with self.writing() as connection:
            return trail.delete_evaluation(connection, evaluation_id, user, reason)

    def deletions(self, limit: int = 100, entry: int | None = None) -> list[trail.TrailEntry]:
        """What administrators deleted lately, the newest first (or the one ``entry``)."""
        with self.reading() as connection:
            return trail.trail_entries(connection, limit, entry)

    def comment(self, evaluation_id: int, user: str, text: str, path: str | None = None) -> None:
        with self.writing() as connection:
            listing.add_comment(connection, evaluation_id, user, text, path)

    # the web app: list with counts, access scope, sessions, API tokens, throttling
    def listed(
        self,
        where: EvaluationFilter,
        *,
        unit_id: int | None = None,
        restrict: bool = False,
        has_errors: bool | None = None,
        page: int = 1,
        per_page: int = 50,
    ) -> listing.ListedPage:
        with self.reading() as connection:
            return listing.list_evaluations(
                connection,
                where,
                unit_id=unit_id,
                restrict=restrict,
                has_errors=has_errors,
                page=page,
                per_page=per_page,
            )

    def scope(self, evaluation_id: int) -> listing.Scope | None:
        with self.reading() as connection:
            return listing.scope(connection, evaluation_id)

    def document_of(self, document_id: int) -> tuple[str, str]:
        with self.reading() as connection:
            return listing.document_of(connection, document_id)

    def document_content(self, document_id: int) -> tuple[str, bytes]:
        with self.reading() as connection:
            return listing.document_content(connection, document_id)

    def document_evaluations(self, document_id: int) -> tuple[Evaluation, ...]:
        """The document's tables as they now stand (edits included), in document order."""
        with self.reading() as connection:
            return listing.document_evaluations(connection, document_id)

    def document_tables(self, document_id: int) -> tuple[listing.Scope, ...]:
        with self.reading() as connection:
            return listing.document_tables(connection, document_id)

    def create_session(self, user_id: int, lifetime: timedelta) -> Session:
        with self.writing() as connection:
            return sessions.create_session(connection, user_id, lifetime)

    def session(self, token: str) -> Session | None:
        with self.reading() as connection:
            return sessions.find_session(connection, token)

    def end_session(self, token: str) -> None:
        with self.writing() as connection:
            sessions.end_session(connection, token)

    def create_token(self, user: str, label: str | None = None) -> str:
        with self.writing() as connection:
            return sessions.create_token(connection, user, label)

    def token_user(self, token: str) -> User | None:
        with self.reading() as connection:
            return sessions.token_user(connection, token)

    def revoke_tokens(self, user: str) -> int:
        with self.writing() as connection:
            return sessions.revoke_tokens(connection, user)

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
