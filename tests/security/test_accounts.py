"""Accounts as a security review checks them: weak passwords and look-alike names refused,
a reset password ends the account's API tokens."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from jixiao.store import Role, Store, StoreError, open_store
from jixiao.store.passwords import check_password
from jixiao.store.users import THROTTLED, LoginLimits
from tests.web_client import PASSWORD


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("1234567", "至少"),
        ("12345678", "常见"),
        ("Password1", "常见"),
        ("zhangsan", "用户名"),
        ("aaaaaaaaaa", "重复"),
        ("abcabcabc", "重复"),
        ("23456789", "连续"),
    ],
)
def test_weak_passwords_are_refused(password: str, why: str) -> None:
    with pytest.raises(StoreError) as caught:
        check_password(password, "zhangsan")
    assert why in str(caught.value)


@pytest.mark.parametrize("password", [PASSWORD, "岳阳 initial 2024", "jixiao-demo", "x7#Lm2qP"])
def test_good_passwords_pass(password: str) -> None:
    check_password(password, "zhangsan")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path / 'db.sqlite'}") as opened:
        opened.add_user("admin", Role.ADMIN, PASSWORD)
        yield opened


@pytest.mark.parametrize("name", ["\u0430dmin", "Admin", "ａｄｍｉｎ", "ad\u200bmin", "ad min"])
def test_look_alike_names_are_refused(store: Store, name: str) -> None:
    with pytest.raises(StoreError) as caught:
        store.add_user(name, Role.REVIEWER, PASSWORD)
    assert "admin" in str(caught.value) or "不允许的字符" in str(caught.value)


def test_chinese_and_plain_names_are_welcome(store: Store) -> None:
    store.add_user("审核员_01", Role.REVIEWER, PASSWORD)
    store.add_user("yy.tianbao-2", Role.REVIEWER, PASSWORD)


def test_a_reset_password_ends_the_api_tokens(store: Store) -> None:
    user = store.add_user("robot", Role.REVIEWER, PASSWORD)
    token = store.create_token("robot", "nightly import")
    assert store.token_user(token) is not None
    store.update_user(user.id, password="a brand new one 7")
    assert store.token_user(token) is None


def test_the_login_throttle_cannot_be_raced(store: Store) -> None:
    """Forty wrong passwords sent at once: no more are checked than the limit allows."""
    store.add_user("target", Role.REVIEWER, PASSWORD)
    since = datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=15)
    limits = LoginLimits(since, per_name=5, per_address=50)
    with ThreadPoolExecutor(max_workers=20) as pool:
        found = list(
            pool.map(
                lambda n: store.login("target", f"guess {n:02d}", "10.0.0.9", limits), range(40)
            )
        )
    checked = [f for f in found if f is not THROTTLED]
    assert len(checked) <= 5 and all(f is None for f in checked)
    assert store.login("target", PASSWORD, "10.0.0.9", limits) is THROTTLED  # still closed
