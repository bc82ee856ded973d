"""The instance's own settings, chosen by an admin in the browser and kept in the store:
the default scoring scheme (bundled or uploaded) and the audit settings (uploaded or the
defaults). Uploads are checked by the same loaders as files on disk before anything is
stored; the web app scores and checks through ``InstanceSettings.service`` and ``.audit``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from jixiao.audit import AuditSettings
from jixiao.config import (
    DEFAULT_SCHEME,
    audit_settings_from_bytes,
    bundled_schemes,
    load_scheme,
    scheme_from_bytes,
)
from jixiao.loading import LoadError
from jixiao.scoring import Scheme
from jixiao.service.facade import Service
from jixiao.store import Store
from jixiao.store.admin import Setting

T = TypeVar("T")

log = logging.getLogger("jixiao.settings")

SCHEME, SCHEME_UPLOAD, AUDIT = "scheme", "scheme_upload", "audit"
MAX_UPLOAD = 1024 * 1024  # a settings file is a page of YAML; 1 MB is far beyond any


class SettingsError(ValueError):
    """A choice that cannot be stored; the message says why, in Chinese."""


@dataclass(frozen=True, slots=True)
class Upload:
    """An uploaded settings file as stored: its name, its text, when and by whom."""

    file: str
    content: str
    updated_at: datetime | None = None
    updated_by: str | None = None


@dataclass(frozen=True, slots=True)
class InstanceSettings:
    """What scoring and checking use on this instance, and where each part came from."""

    scheme: Scheme  # the default: used when a table names no scheme
    scheme_upload: Upload | None = None
    uploaded_scheme: Scheme | None = None
    audit: AuditSettings | None = None  # None: the deployment's own (WebSettings.audit)
    audit_upload: Upload | None = None
    chosen_at: datetime | None = None
    chosen_by: str | None = None
    problems: tuple[str, ...] = ()  # stored settings that no longer load (shown to admins)
    service: Service = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "service", Service(default_scheme=self.scheme))

    @property
    def scheme_source(self) -> str:
        return "uploaded" if self.scheme is self.uploaded_scheme else "bundled"


def _upload(setting: Setting | None) -> Upload | None:
    if setting is None or not isinstance(setting.value, dict):
        return None
    value = setting.value
    return Upload(
        str(value.get("file", "")),
        str(value.get("content", "")),
        setting.updated_at,
        setting.updated_by,
    )


def check_scheme(content: bytes, file_name: str) -> Scheme:
    """An uploaded scheme, or ``LoadError`` with the loader's message (file, line, key).
    Its name may not be a bundled scheme's: tables that name that scheme mean the original."""
    scheme = scheme_from_bytes(content, file_name)
    if scheme.name in bundled_schemes():
        raise LoadError.single(
            file_name,
            f"name：方案名称“{scheme.name}”与自带方案重名，请换一个名称（如 {scheme.name}-本地）",
        )
    return scheme


def check_audit(content: bytes, file_name: str) -> AuditSettings:
    return audit_settings_from_bytes(content, file_name)


def _loaded(
    upload: Upload | None,
    check: Callable[[bytes, str], T],
    failed: str,
    problems: list[str],
) -> T | None:
    """A stored upload loaded again by its loader; None (and a problem) when it fails."""
    if upload is None:
        return None
    try:
        return check(upload.content.encode("utf-8"), upload.file)
    except LoadError as error:
        problems.append(f"{failed}：{error}")
        return None


def from_stored(stored: dict[str, Setting]) -> InstanceSettings:
    """The settings from the store's rows; a row that no longer loads (a file from an older
    jixiao) is skipped with a problem to show, never a failing page."""
    problems: list[str] = []
    scheme_upload = _upload(stored.get(SCHEME_UPLOAD))
    uploaded = _loaded(
        scheme_upload, check_scheme, "已上传的评分方案无法使用，已改用自带方案", problems
    )
    choice = stored.get(SCHEME)
    name = choice.value.get("name") if choice and isinstance(choice.value, dict) else None
    scheme: Scheme | None = uploaded if uploaded is not None and name == uploaded.name else None
    if scheme is None and isinstance(name, str) and name in bundled_schemes():
        scheme = load_scheme(name)
    elif scheme is None and name is not None:
        fallback = load_scheme(DEFAULT_SCHEME).title
        problems.append(f"选定的默认评分方案“{name}”已不存在，已改用“{fallback}”")
    audit_upload = _upload(stored.get(AUDIT))
    audit = _loaded(audit_upload, check_audit, "已上传的审核设置无法使用，已改用默认设置", problems)
    for problem in problems:
        log.warning("%s", problem)
    return InstanceSettings(
        scheme=scheme or load_scheme(DEFAULT_SCHEME),
        scheme_upload=scheme_upload if uploaded is not None else None,
        uploaded_scheme=uploaded,
        audit=audit,
        audit_upload=audit_upload if audit is not None else None,
        chosen_at=choice.updated_at if choice else None,
        chosen_by=choice.updated_by if choice else None,
        problems=tuple(problems),
    )


class SettingsCache:
    """The settings of one store, rebuilt only when a row changed (one small query per
    look-up, so every process of a deployment sees an admin's change at once)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[Any, ...] | None = None
        self._value: InstanceSettings | None = None

    def get(self, store: Store) -> InstanceSettings:
        stored = store.settings()
        key = tuple((n, s.updated_at, repr(s.value)) for n, s in sorted(stored.items()))
        with self._lock:
            if self._value is not None and key == self._key:
                return self._value
        value = from_stored(stored)
        with self._lock:
            self._key, self._value = key, value
        return value


def _text(content: bytes) -> str:
    return content.decode("utf-8-sig")  # the loader accepted it, so it decodes


def save(
    store: Store,
    user: str,
    *,
    scheme: str | None = None,
    scheme_file: tuple[str, bytes] | None = None,
    audit_file: tuple[str, bytes] | None = None,
    audit_reset: bool = False,
) -> InstanceSettings:
    """Check everything given, then store it all in one transaction (or nothing:
    ``LoadError`` for a bad file, ``SettingsError`` for a bad choice). An uploaded scheme
    becomes the default unless ``scheme`` names another."""
    current = from_stored(store.settings())
    values: dict[str, Any] = {}
    uploaded = current.uploaded_scheme
    if scheme_file is not None:
        name, content = scheme_file
        uploaded = check_scheme(content, name)
        values[SCHEME_UPLOAD] = {"file": name, "content": _text(content)}
        values[SCHEME] = {"name": uploaded.name}
    if audit_file is not None and audit_reset:
        raise SettingsError("不能同时上传审核设置又恢复默认设置：请只选一项")
    if audit_file is not None:
        name, content = audit_file
        check_audit(content, name)
        values[AUDIT] = {"file": name, "content": _text(content)}
    elif audit_reset:
        values[AUDIT] = None
    if scheme:
        choices = [load_scheme(name) for name in bundled_schemes()]
        choices += [uploaded] if uploaded else []
        if scheme not in {choice.name for choice in choices}:
            named = "、".join(f"{choice.title}（{choice.name}）" for choice in choices)
            raise SettingsError(f"没有名为“{scheme}”的评分方案（可选：{named}）")
        values[SCHEME] = {"name": scheme}
    if not values:
        raise SettingsError("没有要保存的设置：请选择评分方案或上传文件")
    store.write_settings(values, user)
    return from_stored(store.settings())


def change_said(before: InstanceSettings, after: InstanceSettings) -> str | None:
    """What changed for scoring and checking between two settings, as a table's history
    says why its score moved; None when nothing that scores or checks changed."""
    said = []
    if before.scheme.name != after.scheme.name:
        said.append(f"默认评分方案由“{before.scheme.title}”改为“{after.scheme.title}”")
    elif before.scheme != after.scheme:
        upload = after.scheme_upload.file if after.scheme_upload else after.scheme.name
        said.append(f"评分方案“{after.scheme.title}”更新（上传的 {upload}）")
    if before.audit_upload != after.audit_upload:
        if after.audit_upload is None:
            said.append("审核设置恢复为默认设置")
        else:
            said.append(f"审核设置改为上传的 {after.audit_upload.file}")
    return "；".join(said) or None
