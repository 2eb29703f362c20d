"""Small helpers shared by the services."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from observe_app.domain.limits import too_long
from observe_app.errors import BadInputError, NotFoundError

T = TypeVar("T")


def get_or_fail(session: Session, model: type[T], id_: str, what: str) -> T:
    """Load a row by id, or raise a NotFoundError naming what was looked for."""
    row = session.get(model, id_) if id_ else None
    if row is None:
        raise NotFoundError(f"no {what} with id {id_!r}")
    return row


def bounded(text: str, limit: int, what: str) -> str:
    """`text` unchanged, or a BadInputError when it is longer than `limit` (domain/limits.py)."""
    message = too_long(text, limit, what)
    if message is not None:
        raise BadInputError(message)
    return text
