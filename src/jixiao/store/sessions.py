"""Web sessions and API tokens: random secrets handed out once, only their hashes stored."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, bindparam, delete, func, insert, select

from jixiao.store.documents import now
from jixiao.store.records import User
from jixiao.store.schema import api_tokens, login_attempts, sessions, users
from jixiao.store.users import _select as user_select
from jixiao.store.users import _user, require_user


@dataclass(frozen=True, slots=True)
class Session:
    """A logged-in browser: who, its CSRF token and when it ends. ``token`` is only known
    right after ``create_session`` (the database keeps its hash)."""

    user: User
    csrf_token: str
    expires_at: datetime
    token: str | None = None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_session(connection: Connection, user_id: int, lifetime: timedelta) -> Session:
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    at = now()
    connection.execute(
        insert(sessions).values(
            token_hash=token_hash(token),
            user_id=user_id,
            csrf_token=csrf,
            created_at=at,
            expires_at=at + lifetime,
        )
    )
    # a login is a good moment to forget sessions that ended long ago
    connection.execute(delete(sessions).where(sessions.c.expires_at < at))
    user = connection.execute(user_select().where(users.c.id == user_id)).first()
    assert user is not None
    return Session(_user(user), csrf, at + lifetime, token)


# asked on every request of a browser (built once: building it cost more than running it)
_SESSION = (
    user_select()
    .add_columns(sessions.c.csrf_token, sessions.c.expires_at)
    .join(sessions, sessions.c.user_id == users.c.id)
    .where(sessions.c.token_hash == bindparam("token"), sessions.c.expires_at > bindparam("now"))
)


def find_session(connection: Connection, token: str) -> Session | None:
    """The live session of an active user holding ``token``, else None."""
    row = connection.execute(_SESSION, {"token": token_hash(token), "now": now()}).first()
    if row is None or not row.active:
        return None
    return Session(_user(row), row.csrf_token, row.expires_at)


def end_session(connection: Connection, token: str) -> None:
    connection.execute(delete(sessions).where(sessions.c.token_hash == token_hash(token)))


def create_token(connection: Connection, user_name: str, label: str | None = None) -> str:
    """A new API token for the user, returned once (only its hash is kept)."""
    user = require_user(connection, user_name)
    token = "jx_" + secrets.token_urlsafe(32)
    connection.execute(
        insert(api_tokens).values(
            token_hash=token_hash(token), user_id=user.id, label=label, created_at=now()
        )
    )
    return token


def token_user(connection: Connection, token: str) -> User | None:
    row = connection.execute(
        user_select()
        .join(api_tokens, api_tokens.c.user_id == users.c.id)
        .where(api_tokens.c.token_hash == token_hash(token))
    ).first()
    return _user(row) if row is not None and row.active else None


def revoke_tokens(connection: Connection, user_name: str) -> int:
    user = require_user(connection, user_name)
    result = connection.execute(delete(api_tokens).where(api_tokens.c.user_id == user.id))
    return int(result.rowcount or 0)


def recent_failures(connection: Connection, name: str, address: str | None, since: datetime) -> int:
    """Failed logins for this name from this address since ``since`` and since the last
    success (a correct password starts the count again)."""
    same = [login_attempts.c.name == name]
    same.append(
        login_attempts.c.address.is_(None)
        if address is None
        else login_attempts.c.address == address
    )
    last_success = connection.scalar(
        select(func.max(login_attempts.c.at)).where(*same, login_attempts.c.success.is_(True))
    )
    start = max(since, last_success) if last_success is not None else since
    return int(
        connection.scalar(
            select(func.count())
            .select_from(login_attempts)
            .where(*same, login_attempts.c.success.is_(False), login_attempts.c.at > start)
        )
        or 0
    )
