"""What the store refuses, said in Chinese for whoever asked (CLI line or web page)."""

from __future__ import annotations


class StoreError(Exception):
    """A refused operation: an unknown user, a forbidden state change, a newer database…"""


class ConflictError(StoreError):
    """Someone else changed the record meanwhile: reload and try again."""
