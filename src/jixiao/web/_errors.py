"""One error shape for everything that goes wrong: ``{"error": {code, message, details}}``
on the API, the error page elsewhere; never a traceback."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from jixiao.store import ConflictError, StoreError, jsondata

log = logging.getLogger("jixiao.web")


class ApiError(Exception):
    """A refusal with an HTTP status, a stable code and a Chinese message."""

    def __init__(
        self, status: int, code: str, message: str, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}


class LoginRequired(Exception):
    """Nobody is logged in: the API answers 401, a page sends the browser to /login."""


class JSONBody(JSONResponse):
    """JSON with decimals written exactly as held (``9.99`` stays ``9.99``, ``9.0`` ``9.0``)."""

    def render(self, content: Any) -> bytes:
        return jsondata.dumps(content).encode("utf-8")


NOT_LOGGED_IN = "请先登录（或在请求头中提供 Authorization: Bearer 令牌）"
_STATUS_MESSAGES = {
    400: ("bad_request", "请求无效"),
    401: ("unauthorized", NOT_LOGGED_IN),
    403: ("forbidden", "没有权限进行此操作"),
    404: ("not_found", "没有找到请求的内容"),
    405: ("method_not_allowed", "不支持这种请求方法"),
    409: ("conflict", "当前状态不允许此操作"),
    413: ("too_large", "上传的内容过大"),
    422: ("invalid", "请求内容无效"),
    429: ("too_many_requests", "请求过于频繁，请稍后再试"),
}
_VALIDATION = {
    "missing": "缺少此项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文字",
    "list_type": "应为列表",
    "dict_type": "应为一组键值",
    "model_attributes_type": "应为一组键值",
    "json_invalid": "不是有效的 JSON",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "greater_than_equal": "取值过小",
    "less_than_equal": "取值过大",
    "string_too_long": "文字过长",
}


def is_api(request: Request) -> bool:
    path = request.url.path
    return path == "/api" or path.startswith("/api/") or path == "/openapi.json"


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def _page(request: Request, status: int, message: str) -> Response:
    """The error page (error.html from the templates; a plain page when it is missing)."""
    from jixiao.web.deps import context, templates

    try:
        return templates.TemplateResponse(
            request,
            "error.html",
            context(request, "出错了", status=status, message=message),
            status_code=status,
        )
    except Exception:  # the error page itself failed: say it plainly
        log.exception("error page failed")
        text = message.replace("&", "&amp;").replace("<", "&lt;")
        return HTMLResponse(
            f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>出错了</title>'
            f"<p>{text}</p><p><a href='/'>返回首页</a></p></html>",
            status_code=status,
        )


def respond(
    request: Request, status: int, code: str, message: str, details: dict[str, Any] | None = None
) -> Response:
    if is_api(request):
        return JSONBody(error_body(code, message, details), status_code=status)
    return _page(request, status, message)


async def _api_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, ApiError)
    return respond(request, error.status, error.code, error.message, error.details)


async def _login_required(request: Request, _error: Exception) -> Response:
    if is_api(request):
        return JSONBody(error_body("unauthorized", NOT_LOGGED_IN), status_code=401)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    code, message = _STATUS_MESSAGES.get(error.status_code, ("http_error", "请求未能完成"))
    detail = error.detail if isinstance(error.detail, str) else None
    if detail and _has_chinese(detail):
        message = detail
    response = respond(request, error.status_code, code, message)
    if error.headers:
        response.headers.update(error.headers)
    return response


def _where(location: tuple[Any, ...]) -> str:
    parts = [str(p) for p in location if p != "body" or len(location) == 1]
    return ".".join(parts) or "请求"


async def _validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    problems = [
        {
            "where": _where(tuple(item.get("loc", ()))),
            "message": _VALIDATION.get(str(item.get("type")), "取值无效"),
        }
        for item in error.errors()
    ]
    first = problems[0] if problems else {"where": "请求", "message": "无效"}
    more = f"（另有 {len(problems) - 1} 处）" if len(problems) > 1 else ""
    message = f"请求内容无效：{first['where']} {first['message']}{more}"
    return respond(request, 422, "invalid", message, {"problems": problems})


async def _store_error(request: Request, error: Exception) -> Response:
    status = 409 if isinstance(error, ConflictError) else 400
    return respond(request, status, "conflict" if status == 409 else "refused", str(error))


async def _database_busy(request: Request, error: Exception) -> Response:
    """The database could not be reached or stayed locked past its wait: try again later
    (a 503 that says so, not a 500)."""
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path, error)
    response = respond(
        request, 503, "busy", "数据库繁忙或暂时无法访问，请稍后重试；未保存的修改请重新提交"
    )
    response.headers["Retry-After"] = "5"
    return response


async def _unexpected(request: Request, error: Exception) -> Response:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
    return respond(
        request, 500, "internal", "服务器内部错误，请稍后重试；如果问题持续出现，请联系管理员"
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StoreError, _store_error)
    app.add_exception_handler(OperationalError, _database_busy)
    app.add_exception_handler(Exception, _unexpected)
