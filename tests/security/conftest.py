"""What the security tests share: a web server on the loopback that records every request
a conversion or a reading makes (none should come), and an upload of a batch of files."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from tests.web_client import As


@pytest.fixture(scope="module")
def listener() -> Iterator[tuple[int, list[str]]]:
    """The port of a loopback web server, and the paths it was asked for."""
    heard: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            heard.append(self.path)
            self.send_response(404)
            self.end_headers()

        do_HEAD = do_GET

        def log_message(self, *_: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1], heard
    finally:
        server.shutdown()


def upload(browser: As, files: list[tuple[str, bytes]]) -> list[dict[str, Any]]:
    """``POST /api/documents`` with ``files`` (name, bytes) as the upload page sends them:
    one result line per file (or zip member)."""
    answer = browser.send(
        "POST", "/api/documents", files=[("files", (name, data)) for name, data in files]
    )
    assert answer.status_code == 200, answer.text
    results: list[dict[str, Any]] = answer.json()["results"]
    return results
