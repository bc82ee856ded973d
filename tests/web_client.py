"""What the web tests share: a logged-in test client, cheap password hashes, a zip of files."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from fastapi.testclient import TestClient

from jixiao.store import Store
from jixiao.web.app import create_app
from jixiao.web.deps import WebSettings

PASSWORD = "correct horse 42"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def client_for(store: Store, settings: WebSettings | None = None) -> TestClient:
    return TestClient(create_app(store=store, settings=settings))


def login(client: TestClient, name: str, password: str = PASSWORD) -> Any:
    """The login form as a browser posts it (the CSRF cookie from the login page)."""
    client.get("/login")
    return client.post(
        "/login",
        data={
            "name": name,
            "password": password,
            "next": "/evaluations",
            "csrf_token": client.cookies.get("jixiao_csrf") or "",
        },
        follow_redirects=False,
    )


class As:
    """A logged-in browser: requests carry the session cookie and the CSRF header."""

    def __init__(
        self,
        store: Store,
        name: str,
        settings: WebSettings | None = None,
        password: str = PASSWORD,
    ) -> None:
        self.client = client_for(store, settings)
        assert login(self.client, name, password).status_code == 303
        self.csrf = self.client.get("/api/me").json()["csrf_token"]

    def get(self, url: str, **kw: Any) -> Any:
        return self.client.get(url, **kw)

    def send(self, method: str, url: str, **kw: Any) -> Any:
        headers = {"X-CSRF-Token": self.csrf, **kw.pop("headers", {})}
        return self.client.request(method, url, headers=headers, **kw)


def zipped(members: dict[str, bytes]) -> bytes:
    """A zip holding ``members`` (name → bytes), as a user would upload it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()
