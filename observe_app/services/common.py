"""Small helpers shared by the services."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from observe_app.errors import NotFoundError

T = TypeVar("T")


def get_or_fail(session: Session, model: type[T], id_: str, what: str) -> T:
    """Load a row by id, or raise a NotFoundError naming what was looked for."""
    row = session.get(model, id_) if id_ else None
    if row is None:
        raise NotFoundError(f"no {what} with id {id_!r}")
    return row
