"""What the store refuses, said in Chinese for whoever asked (CLI line or web page)."""

from __future__ import annotations


class StoreError(Exception):
    """A refused operation: an unknown user, a forbidden state change, a newer database…"""


class ConflictError(StoreError):
    """Someone else changed the record meanwhile: reload and try again."""


class NeedsConfirmation(StoreError):
    """A step that asks before it is taken (公开; approving with findings still to change;
    submitting with errors): the message is the question; taken again, confirmed."""
