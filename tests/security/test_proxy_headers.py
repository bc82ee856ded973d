"""``jixiao serve`` believes no X-Forwarded-For unless told which proxies send it: a client
on the loopback cannot dodge the login throttle by naming itself another address."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from jixiao.store import Role, open_store
from tests.test_web_e2e import serving
from tests.web_client import PASSWORD


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("proxy")
    database = f"sqlite:///{folder / 'jixiao.db'}"
    with open_store(database) as store:
        store.add_user("shenhe", Role.REVIEWER, PASSWORD)
    with serving(database, folder) as url:
        yield url


def _try(url: str, password: str, forwarded: str) -> int:
    with httpx.Client(base_url=url) as client:
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        answer = client.post(
            "/login",
            data={"name": "shenhe", "password": password, "csrf_token": token.group(1)},
            headers={"X-Forwarded-For": forwarded},
        )
        return answer.status_code


def test_forwarded_for_from_the_loopback_is_not_believed(server: str) -> None:
    codes = [_try(server, "wrong guess 1", f"10.9.8.{n}") for n in range(6)]
    assert codes[:5] == [401] * 5
    assert codes[5] == 429  # the sixth try, "from" yet another address: still counted as ours
