"""Rubric ratings for a cycle, with the evidence notes linked to each."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from observe_app import kinds
from observe_app.domain import limits
from observe_app.domain.models import Cycle, Note, Observation, ProtocolItem, Rating, RatingEvidence
from observe_app.domain.types import utc_now
from observe_app.errors import BadInputError
from observe_app.services.common import bounded, get_or_fail


@dataclass(frozen=True)
class RatingView:
    item_id: str
    level: int | None
    not_observed: bool
    comment: str
    evidence_note_ids: tuple[str, ...]


def _rating(session: Session, cycle_id: str, item_id: str) -> Rating:
    cycle = get_or_fail(session, Cycle, cycle_id, "cycle")
    item = get_or_fail(session, ProtocolItem, item_id, "protocol item")
    if item.version_id != cycle.protocol_version_id:
        raise BadInputError(f"{item.label!r} is not part of this cycle's protocol")
    if "rating" not in kinds.get(item.kind).records:
        raise BadInputError(f"{item.label!r} is a {item.kind}; only rubric items are rated")
    rating = session.scalar(select(Rating).where(Rating.cycle_id == cycle_id,
                                                 Rating.item_id == item_id))
    if rating is None:
        rating = Rating(cycle_id=cycle_id, item_id=item_id)
        session.add(rating)
        session.flush()
    rating.updated_at = utc_now()
    return rating


def _view(session: Session, rating: Rating) -> RatingView:
    notes = session.scalars(select(RatingEvidence.note_id)
                            .where(RatingEvidence.rating_id == rating.id))
    return RatingView(rating.item_id, rating.level, rating.not_observed, rating.comment,
                      tuple(sorted(notes)))


def rate(session: Session, cycle_id: str, item_id: str, level: int | None,
         comment: str | None = None) -> RatingView:
    """Give a level (None clears it); a level also clears 'not observed'."""
    rating = _rating(session, cycle_id, item_id)
    if level is not None:
        levels = {lv["level"] for lv in rating_item(session, item_id).config.get("levels", [])}
        if level not in levels:
            raise BadInputError(f"level {level} is not one of this item's levels "
                                f"({', '.join(map(str, sorted(levels)))})")
        rating.not_observed = False
    rating.level = level
    if comment is not None:
        rating.comment = bounded(comment, limits.RATING_COMMENT, "a rating comment")
    session.flush()
    return _view(session, rating)


def rating_item(session: Session, item_id: str) -> ProtocolItem:
    return get_or_fail(session, ProtocolItem, item_id, "protocol item")


def mark_not_observed(session: Session, cycle_id: str, item_id: str,
                      not_observed: bool = True) -> RatingView:
    rating = _rating(session, cycle_id, item_id)
    rating.not_observed = not_observed
    if not_observed:
        rating.level = None
    session.flush()
    return _view(session, rating)


def link_evidence(session: Session, cycle_id: str, item_id: str, note_id: str) -> RatingView:
    rating = _rating(session, cycle_id, item_id)
    note = get_or_fail(session, Note, note_id, "note")
    if session.get(Observation, note.observation_id).cycle_id != cycle_id:  # type: ignore[union-attr]
        raise BadInputError("that note belongs to another cycle")
    if session.get(RatingEvidence, (rating.id, note_id)) is None:
        session.add(RatingEvidence(rating_id=rating.id, note_id=note_id))
    session.flush()
    return _view(session, rating)


def unlink_evidence(session: Session, cycle_id: str, item_id: str, note_id: str) -> RatingView:
    rating = _rating(session, cycle_id, item_id)
    session.execute(delete(RatingEvidence).where(RatingEvidence.rating_id == rating.id,
                                                 RatingEvidence.note_id == note_id))
    session.flush()
    return _view(session, rating)


def ratings_for_cycle(session: Session, cycle_id: str) -> dict[str, RatingView]:
    get_or_fail(session, Cycle, cycle_id, "cycle")
    ratings_query, evidence_query = _cycle_ratings_queries()
    ratings = list(session.scalars(ratings_query, {"cycle_id": cycle_id}))
    # All evidence links in one query, not one per rating.
    evidence: dict[str, list[str]] = {}
    for rating_id, note_id in session.execute(evidence_query, {"cycle_id": cycle_id}):
        evidence.setdefault(rating_id, []).append(note_id)
    return {r.item_id: RatingView(r.item_id, r.level, r.not_observed, r.comment,
                                  tuple(sorted(evidence.get(r.id, ()))))
            for r in ratings}


@cache  # built once: building them took longer than running them
def _cycle_ratings_queries():  # type: ignore[no-untyped-def]
    cycle = bindparam("cycle_id")
    return (select(Rating).where(Rating.cycle_id == cycle),
            select(RatingEvidence.rating_id, RatingEvidence.note_id)
            .join(Rating, Rating.id == RatingEvidence.rating_id)
            .where(Rating.cycle_id == cycle))
