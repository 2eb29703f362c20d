"""Errors a user can cause or fix; each carries a message that says what happened and what to do."""

from __future__ import annotations


def as_sentence(text: str) -> str:
    """A message as a sentence for the window: capital letter first, full stop at the end.

    Messages are written as clauses ("the disk is full: free some space") so that the command
    line can print them after `error: `; the window shows them as sentences.
    """
    text = " ".join(str(text).split())
    if not text:
        return text
    first = text.split(" ", 1)[0].rstrip(":;,")
    if first.isalpha() and first.islower():  # a word, not a file name, path or quoted value
        text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…" else text + "."


class ObserveError(Exception):
    """A known problem with a message fit to show a teacher (one line, no traceback)."""

    exit_code = 2  # the command line's exit status when this stops a command

    def sentence(self) -> str:
        """The message as the window shows it: a sentence that says what to do."""
        return as_sentence(str(self))


class BadInputError(ObserveError):
    """A file or value given by the user cannot be used."""


class NotFoundError(ObserveError):
    """An id or name that matches nothing."""


class StorageError(ObserveError):
    """The database or data folder cannot be used as asked (too new, damaged, full, locked)."""


class DamagedDatabaseError(StorageError):
    """The database file failed its integrity check; it is left as it is."""

    exit_code = 3


class AlreadyOpenError(StorageError):
    """Another running Observe holds this data folder."""

    exit_code = 5  # in use: as for a database another program holds locked

    def __init__(self, message: str, pid: int | None = None, host: str = "") -> None:
        super().__init__(message)
        self.pid = pid
        self.host = host


class FolderInUseError(StorageError):
    """Another process holds the data folder in a way that excludes this use (a restore
    running, or users while a restore needs the folder to itself)."""

    exit_code = 5


class DiskFullError(StorageError):
    """There is no room left on the disk (or in the database's page limit)."""

    exit_code = 7


class ReadOnlyError(StorageError):
    """The database or its folder cannot be written."""

    exit_code = 6


class DatabaseLockedError(StorageError):
    """Another program holds the database's write lock for longer than we wait."""

    exit_code = 5

class FieldError(BadInputError):
    """A value for one field (`field`: name, email, subject, start_date) cannot be used; the
    window shows the message next to that field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class BuiltinProtocolError(BadInputError):
    """A protocol file carries the id of a built-in protocol, which nobody may change; it can
    still be imported as a copy under an id of its own."""
