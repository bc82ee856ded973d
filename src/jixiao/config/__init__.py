"""Configuration files: scoring schemes (and, later, rule settings)."""

from jixiao.config.scheme_file import DEFAULT_SCHEME, bundled_schemes, load_scheme

__all__ = ["DEFAULT_SCHEME", "bundled_schemes", "load_scheme"]
