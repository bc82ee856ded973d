"""What an admin changes: users (role, unit, password, disabled), units, instance settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import Connection, delete, func, insert, select, update

from jixiao.store import jsondata
from jixiao.store import users as accounts
from jixiao.store.documents import now, unit_id, user_id
from jixiao.store.errors import StoreError
from jixiao.store.passwords import check_password
from jixiao.store.policy import Role
from jixiao.store.records import User
from jixiao.store.schema import api_tokens, evaluations, sessions, settings, units, users
from jixiao.store.sessions import token_hash
from jixiao.store.users import _select, _user

KEEP: Final = object()  # "leave this field as it is" (None clears it)
MIN_PASSWORD = 8


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit with its 主管部门 and how many users and tables belong to it."""

    id: int
    name: str
    department: str | None
    users: int
    evaluations: int


@dataclass(frozen=True, slots=True)
class Setting:
    """One instance setting: its JSON value, when and by whom it was last set."""

    name: str
    value: Any
    updated_at: datetime
    updated_by: str | None


# ---- users -----------------------------------------------------------------------------------


def list_users(connection: Connection) -> list[User]:
    """Everyone: active accounts first, then by role and name."""
    query = _select().order_by(users.c.active.desc(), users.c.role, users.c.name)
    return [_user(row) for row in connection.execute(query)]


def user_by_id(connection: Connection, user_id_: int) -> User | None:
    row = connection.execute(_select().where(users.c.id == user_id_)).first()
    return _user(row) if row else None


def _password_hash(password: str, name: str) -> str:
    check_password(password, name, MIN_PASSWORD)
    return accounts._hasher.hash(password)  # looked up now: tests swap in a cheap one


def update_user(
    connection: Connection,
    user_id_: int,
    *,
    display_name: Any = KEEP,
    role: Role | None = None,
    unit: Any = KEEP,
    active: bool | None = None,
    password: str | None = None,
    keep_session: str | None = None,
) -> User:
    """Change what is given; a disabled account loses its sessions and API tokens at once,
    a new password ends the account's API tokens and sessions (except ``keep_session``, the
    token of the browser making the change)."""
    user = user_by_id(connection, user_id_)
    if user is None:
        raise StoreError(f"没有编号为 {user_id_} 的用户")
    values: dict[str, Any] = {}
    if display_name is not KEEP:
        values["display_name"] = (display_name or "").strip() or None
    new_unit = user.unit
    if unit is not KEEP:
        new_unit = (unit or "").strip() or None
        values["unit_id"] = unit_id(connection, new_unit)
    if role is not None:
        values["role"] = role.value
    if (role or user.role) is Role.FILLER and not new_unit:
        raise StoreError("填报人必须属于一个单位：请给出单位")
    if active is not None:
        values["active"] = active
    if password is not None:
        values["password_hash"] = _password_hash(password, user.name)
    if values:
        connection.execute(update(users).where(users.c.id == user.id).values(**values))
    if active is False or password is not None:
        ended = delete(sessions).where(sessions.c.user_id == user.id)
        if keep_session is not None:
            ended = ended.where(sessions.c.token_hash != token_hash(keep_session))
        connection.execute(ended)
    if active is False or password is not None:  # a reset password ends its tokens too
        connection.execute(delete(api_tokens).where(api_tokens.c.user_id == user.id))
    changed = user_by_id(connection, user.id)
    assert changed is not None
    return changed


# ---- units -----------------------------------------------------------------------------------


def list_units(connection: Connection) -> list[Unit]:
    members = select(func.count()).where(users.c.unit_id == units.c.id).scalar_subquery()
    tables = select(func.count()).where(evaluations.c.unit_id == units.c.id).scalar_subquery()
    rows = connection.execute(
        select(units.c.id, units.c.name, units.c.department, members, tables).order_by(units.c.name)
    )
    return [Unit(r[0], r[1], r[2], int(r[3] or 0), int(r[4] or 0)) for r in rows]


def _unit(connection: Connection, unit_id_: int) -> Unit:
    found = next((u for u in list_units(connection) if u.id == unit_id_), None)
    if found is None:
        raise StoreError(f"没有编号为 {unit_id_} 的单位")
    return found


def _unit_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise StoreError("单位名称不能为空")
    return name


def add_unit(connection: Connection, name: str, department: str | None = None) -> Unit:
    name = _unit_name(name)
    if connection.scalar(select(units.c.id).where(units.c.name == name)) is not None:
        raise StoreError(f"单位“{name}”已存在")
    result = connection.execute(
        insert(units).values(
            name=name, department=(department or "").strip() or None, created_at=now()
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return _unit(connection, int(key[0]))


def update_unit(
    connection: Connection, unit_id_: int, *, name: str | None = None, department: Any = KEEP
) -> Unit:
    """Rename a unit or set its 主管部门 (its users and tables follow: they refer to its id)."""
    _unit(connection, unit_id_)
    values: dict[str, Any] = {}
    if name is not None:
        values["name"] = _unit_name(name)
        taken = connection.scalar(
            select(units.c.id).where(units.c.name == values["name"], units.c.id != unit_id_)
        )
        if taken is not None:
            raise StoreError(f"单位“{values['name']}”已存在")
    if department is not KEEP:
        values["department"] = (department or "").strip() or None
    if values:
        connection.execute(update(units).where(units.c.id == unit_id_).values(**values))
    return _unit(connection, unit_id_)


# ---- instance settings -----------------------------------------------------------------------


# read on every request that scores (the settings cache's check), built once
_SETTINGS = select(
    settings.c.name, settings.c.value, settings.c.updated_at, users.c.name
).select_from(settings.outerjoin(users, settings.c.updated_by == users.c.id))


def read_settings(connection: Connection) -> dict[str, Setting]:
    rows = connection.execute(_SETTINGS)
    return {r[0]: Setting(r[0], jsondata.loads(r[1]), r[2], r[3]) for r in rows}


def write_settings(
    connection: Connection, values: Mapping[str, Any], user: str | None = None
) -> None:
    """Set (or, for ``None``, remove) each named setting, all in the caller's transaction."""
    by = user_id(connection, user)
    at = now()
    for name, value in values.items():
        connection.execute(delete(settings).where(settings.c.name == name))
        if value is not None:
            connection.execute(
                insert(settings).values(
                    name=name, value=jsondata.dumps(value), updated_at=at, updated_by=by
                )
            )
