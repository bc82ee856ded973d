"""Users and passwords: argon2 hashes, roles, login attempts kept for throttling."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, func, insert, select, update

from jixiao.store.documents import now, unit_id
from jixiao.store.errors import StoreError
from jixiao.store.passwords import canonical_name, check_name, check_password
from jixiao.store.policy import Role
from jixiao.store.records import User
from jixiao.store.schema import login_attempts, units, users

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """Checked against for an unknown name, so a wrong name costs as long as a wrong password."""
    return hasher.hash("jixiao-no-such-user")


def _user(row: Any) -> User:
    return User(
        id=row.id,
        name=row.name,
        display_name=row.display_name,
        role=Role(row.role),
        unit=row.unit,
        unit_id=row.unit_id,
        active=bool(row.active),
    )


def _select() -> Any:
    return select(
        users.c.id,
        users.c.name,
        users.c.display_name,
        users.c.role,
        users.c.unit_id,
        users.c.active,
        users.c.password_hash,
        units.c.name.label("unit"),
    ).select_from(users.outerjoin(units, users.c.unit_id == units.c.id))


def get_user(connection: Connection, name: str) -> User | None:
    row = connection.execute(_select().where(users.c.name == name)).first()
    return _user(row) if row else None


def require_user(connection: Connection, name: str) -> User:
    user = get_user(connection, name)
    if user is None:
        raise StoreError(f"没有这个用户：{name}")
    if not user.active:
        raise StoreError(f"用户 {name} 已停用")
    return user


def add_user(
    connection: Connection,
    name: str,
    role: Role,
    password: str,
    *,
    unit: str | None = None,
    display_name: str | None = None,
    min_length: int = 8,
) -> User:
    name = name.strip()
    if not name:
        raise StoreError("用户名不能为空")
    check_name(name)
    check_password(password, name, min_length)
    if role is Role.FILLER and not unit:
        raise StoreError("填报人必须属于一个单位：请给出单位")
    if get_user(connection, name) is not None:
        raise StoreError(f"用户 {name} 已存在")
    taken = next(
        (
            n
            for n in connection.scalars(select(users.c.name))
            if canonical_name(n) == canonical_name(name)
        ),
        None,
    )
    if taken is not None:
        raise StoreError(f"用户名“{name}”与已有的用户“{taken}”只差大小写或全角半角：请换一个")
    connection.execute(
        insert(users).values(
            name=name,
            display_name=display_name,
            role=role.value,
            unit_id=unit_id(connection, unit),
            password_hash=_hasher.hash(password),
            active=True,
            created_at=now(),
        )
    )
    user = get_user(connection, name)
    assert user is not None
    return user


@dataclass(frozen=True, slots=True)
class LoginLimits:
    """How many failed logins since ``since`` close the door: per name and address, and
    per address whatever the name."""

    since: datetime
    per_name: int
    per_address: int


class Throttled(Enum):
    THROTTLED = "throttled"  # too many failed logins lately: the password was not checked


THROTTLED = Throttled.THROTTLED


def claim_attempt(connection: Connection, name: str, address: str | None) -> int:
    """A login attempt recorded as failed before its password is checked, so attempts made
    at the same moment all count against the limit (see ``Store.login``); its id."""
    result = connection.execute(
        insert(login_attempts).values(name=name, address=address, success=False, at=now())
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def check_password_of(connection: Connection, name: str, password: str) -> User | None:
    """The user when the name and password match an active account (an unknown name costs
    as long as a wrong password). Reads only: the hash is checked outside any write lock."""
    row = connection.execute(_select().where(users.c.name == name)).first()
    try:
        ok: bool = _hasher.verify(row.password_hash if row else _dummy_hash(_hasher), password)
    except (VerificationError, InvalidHashError):
        ok = False
    return _user(row) if ok and row is not None and row.active else None


def settle_attempt(connection: Connection, attempt: int, user: User, password: str) -> None:
    """A claimed attempt whose password was right; an old hash brought up to date."""
    connection.execute(
        update(login_attempts).where(login_attempts.c.id == attempt).values(success=True)
    )
    stored = connection.scalar(select(users.c.password_hash).where(users.c.id == user.id))
    if stored is not None and _hasher.check_needs_rehash(stored):
        connection.execute(
            update(users).where(users.c.id == user.id).values(password_hash=_hasher.hash(password))
        )


def failed_logins(
    connection: Connection, since: datetime, name: str | None = None, address: str | None = None
) -> int:
    """Failed attempts since a time, for a name or an address (the web app throttles on it)."""
    query = (
        select(func.count())
        .select_from(login_attempts)
        .where(login_attempts.c.at >= since, login_attempts.c.success.is_(False))
    )
    if name is not None:
        query = query.where(login_attempts.c.name == name)
    if address is not None:
        query = query.where(login_attempts.c.address == address)
    return int(connection.scalar(query) or 0)
