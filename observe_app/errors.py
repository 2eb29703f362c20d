"""Errors a user can cause or fix; each carries a message that says what happened and what to do."""

from __future__ import annotations


class ObserveError(Exception):
    """A known problem with a message fit to show a teacher (one line, no traceback)."""


class BadInputError(ObserveError):
    """A file or value given by the user cannot be used."""


class NotFoundError(ObserveError):
    """An id or name that matches nothing."""


class StorageError(ObserveError):
    """The database or data folder cannot be used as asked (too new, damaged, full, locked)."""
