"""/docs: the API described from the app's own OpenAPI, on one page that needs no network
(FastAPI's Swagger UI would load its scripts from a CDN), and /openapi.json itself: for
logged-in users, unless the deployment makes them public (``WebSettings.public_docs``)."""

from __future__ import annotations

from html import escape
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from jixiao.web._errors import is_api
from jixiao.web.deps import api_user, get_settings, page_user

router = APIRouter()

_METHODS = ("get", "post", "patch", "put", "delete")
_STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em auto;max-width:60em;
padding:0 1em;color:#222;line-height:1.5}
h2{margin-top:2em;border-bottom:1px solid #ccc}
.op{margin:1em 0;padding:.5em 1em;border:1px solid #ddd;border-radius:4px}
.m{display:inline-block;min-width:4.5em;font-weight:bold;font-family:monospace}
code{background:#f4f4f4;padding:0 .2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:.2em .5em}
"""


def _parameters(operation: dict[str, Any]) -> str:
    rows = [
        f"<tr><td><code>{escape(p.get('name', ''))}</code></td><td>{escape(p.get('in', ''))}</td>"
        f"<td>{'是' if p.get('required') else '否'}</td>"
        f"<td>{escape(p.get('description', '') or '')}</td></tr>"
        for p in operation.get("parameters", [])
    ]
    body = operation.get("requestBody", {}).get("content", {})
    for media, content in body.items():
        ref = content.get("schema", {}).get("$ref", "")
        shown = ref.rsplit("/", 1)[-1] if ref else "—"
        rows.append(
            f"<tr><td><code>请求体</code></td><td>{escape(media)}</td><td>是</td>"
            f"<td>结构 {escape(shown)}（见 /openapi.json）</td></tr>"
        )
    if not rows:
        return "<p>无参数</p>"
    head = "<tr><th>名称</th><th>位置</th><th>必填</th><th>说明</th></tr>"
    return f"<table>{head}{''.join(rows)}</table>"


def docs_page(spec: dict[str, Any]) -> str:
    sections: dict[str, list[str]] = {}
    for path, item in spec.get("paths", {}).items():
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            tag = (operation.get("tags") or ["其他"])[0]
            sections.setdefault(tag, []).append(
                f'<div class="op"><span class="m">{method.upper()}</span>'
                f"<code>{escape(path)}</code> — {escape(operation.get('summary', ''))}"
                f"{_parameters(operation)}</div>"
            )
    body = "".join(f"<h2>{escape(tag)}</h2>{''.join(ops)}" for tag, ops in sorted(sections.items()))
    title = escape(spec.get("info", {}).get("title", "API"))
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{title} 接口文档</title><style>{_STYLE}</style></head><body>"
        f"<h1>{title} 接口文档</h1>"
        "<p>所有接口返回 JSON；出错时统一为 "
        '<code>{"error": {"code": …, "message": "中文说明", "details": {…}}}</code>。'
        "浏览器中登录后即可调用（修改类请求需带请求头 <code>X-CSRF-Token</code>）；脚本请用 "
        "<code>Authorization: Bearer 令牌</code>（<code>jixiao token create 用户名</code> 生成）。"
        ' 机器可读的完整描述：<a href="/openapi.json">/openapi.json</a>。</p>'
        f"{body}</body></html>"
    )


def _may_read(request: Request) -> None:
    """Anyone when the docs are public; else a logged-in user (the JSON: 401; the page: the
    login form)."""
    if not get_settings(request).public_docs:
        api_user(request) if is_api(request) else page_user(request)


@router.get("/docs", include_in_schema=False)
def docs(request: Request) -> HTMLResponse:
    _may_read(request)
    return HTMLResponse(docs_page(request.app.openapi()))


@router.get("/openapi.json", include_in_schema=False)
def openapi(request: Request) -> JSONResponse:
    _may_read(request)
    return JSONResponse(request.app.openapi())
