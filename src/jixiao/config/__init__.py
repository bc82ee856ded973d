"""Configuration files: scoring schemes and audit (rule) settings."""

from jixiao.config.audit_file import audit_settings_from_bytes, load_audit_settings
from jixiao.config.scheme_file import (
    DEFAULT_SCHEME,
    bundled_schemes,
    load_scheme,
    scheme_from_bytes,
)

__all__ = [
    "DEFAULT_SCHEME",
    "audit_settings_from_bytes",
    "bundled_schemes",
    "load_audit_settings",
    "load_scheme",
    "scheme_from_bytes",
]
