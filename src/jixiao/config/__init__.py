"""Configuration files: scoring schemes and audit (rule) settings."""

from jixiao.config.audit_file import load_audit_settings
from jixiao.config.scheme_file import DEFAULT_SCHEME, bundled_schemes, load_scheme

__all__ = ["DEFAULT_SCHEME", "bundled_schemes", "load_audit_settings", "load_scheme"]
