"""Timestamped notes (evidence), their tags, which ones are kept private, and the draft still
being typed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache

from sqlalchemy import bindparam, delete, select, text
from sqlalchemy.orm import Session

from observe_app.domain import limits
from observe_app.domain.formats import format_elapsed
from observe_app.domain.models import (
    Cycle,
    Note,
    NoteDraft,
    NoteTag,
    Observation,
    PrivateNote,
)
from observe_app.domain.types import new_id, to_sqlite_text, utc_now
from observe_app.errors import BadInputError, NotFoundError
from observe_app.services import co_observation
from observe_app.services.common import get_or_fail

MAX_NOTE_CHARS = limits.NOTE


@dataclass(frozen=True)
class NoteView:
    id: str
    observation_id: str
    wall_time: dt.datetime
    elapsed_ms: int
    text: str
    item_ids: tuple[str, ...]
    # Kept on this laptop: never in a PDF or a package (exchange/selection, reports/data).
    private: bool = False

    @property
    def mm_ss(self) -> str:
        return format_elapsed(self.elapsed_ms)


@dataclass(frozen=True)
class DraftView:
    observation_id: str
    text: str
    wall_time: dt.datetime
    elapsed_ms: int
    item_ids: tuple[str, ...]


def _clean(text: str) -> str:
    text = text.strip()
    if not text:
        raise BadInputError("a note needs some text")
    if len(text) > MAX_NOTE_CHARS:
        raise BadInputError(f"a note can be at most {MAX_NOTE_CHARS:,} characters; split it")
    return text


# The note path runs on every Enter, so it speaks plain SQL through the session's connection:
# building SQLAlchemy statements would cost more than the durable commit that follows.
_VERSION_OF_OBSERVATION = ("SELECT c.protocol_version_id, o.handed_in_at FROM observations o "
                           "JOIN cycles c ON c.id = o.cycle_id WHERE o.id = ?")
_INSERT_NOTE = ("INSERT INTO notes (id, observation_id, wall_time, elapsed_ms, text, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
_INSERT_TAG = "INSERT INTO note_tags (note_id, item_id) VALUES (?, ?)"
_DELETE_DRAFT = "DELETE FROM note_drafts WHERE observation_id = ?"


def _check_items(session: Session, observation_id: str, item_ids: Iterable[str]) -> list[str]:
    """The item ids without repeats, refused unless all belong to the visit's protocol."""
    ids = list(dict.fromkeys(item_ids))
    conn = session.connection()
    row = conn.exec_driver_sql(_VERSION_OF_OBSERVATION, (observation_id,)).first()
    if row is None:
        raise NotFoundError(f"no observation with id {observation_id!r}")
    if row[1] is not None:
        raise BadInputError(co_observation.HANDED_IN)
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    found = {r[0] for r in conn.exec_driver_sql(
        f"SELECT id FROM protocol_items WHERE version_id = ? AND id IN ({marks})",
        (row[0], *ids))}
    unknown = [i for i in ids if i not in found]
    if unknown:
        raise BadInputError(f"item {unknown[0]!r} is not part of this observation's protocol")
    return ids


def _view(note: Note, private: bool) -> NoteView:
    return NoteView(note.id, note.observation_id, note.wall_time, note.elapsed_ms, note.text,
                    tuple(sorted(t.item_id for t in note.tags)), private)


def _is_private(session: Session, note_id: str) -> bool:
    return session.get(PrivateNote, note_id) is not None


def add_note(session: Session, observation_id: str, text: str, *, wall_time: dt.datetime,
             elapsed_ms: int, item_ids: Iterable[str] = (), note_id: str | None = None,
             clear_draft: bool = True) -> NoteView:
    """Save a note with the time its typing began; also clears the draft it came from."""
    text = _clean(text)
    ids = _check_items(session, observation_id, item_ids)
    now = to_sqlite_text(utc_now())
    note_id = note_id or new_id()  # undo of a delete brings the note back with its own id
    elapsed_ms = max(0, elapsed_ms)
    conn = session.connection()
    conn.exec_driver_sql(_INSERT_NOTE, (note_id, observation_id, to_sqlite_text(wall_time),
                                        elapsed_ms, text, now, now))
    if ids:
        conn.exec_driver_sql(_INSERT_TAG, [(note_id, i) for i in ids])
    if clear_draft:
        conn.exec_driver_sql(_DELETE_DRAFT, (observation_id,))
    return NoteView(note_id, observation_id, wall_time, elapsed_ms, text, tuple(sorted(ids)))


def edit_note(session: Session, note_id: str, text: str,
              item_ids: Iterable[str] | None = None) -> NoteView:
    note = get_or_fail(session, Note, note_id, "note")
    co_observation.refuse_if_handed_in(session, note.observation_id)
    note.text = _clean(text)
    if item_ids is not None:
        ids = _check_items(session, note.observation_id, item_ids)
        note.tags = [NoteTag(item_id=i) for i in ids]
    note.updated_at = utc_now()
    session.flush()
    return _view(note, _is_private(session, note_id))


def set_tags(session: Session, note_id: str, item_ids: Iterable[str]) -> NoteView:
    note = get_or_fail(session, Note, note_id, "note")
    ids = _check_items(session, note.observation_id, item_ids)
    note.tags = [NoteTag(item_id=i) for i in ids]
    session.flush()
    return _view(note, _is_private(session, note_id))


def delete_note(session: Session, note_id: str) -> NoteView:
    """Delete a note; returns it whole so the caller can offer undo (add_note with note_id)."""
    note = get_or_fail(session, Note, note_id, "note")
    co_observation.refuse_if_handed_in(session, note.observation_id)
    view = _view(note, _is_private(session, note_id))
    session.delete(note)
    session.flush()
    return view  # a private note's mark stays: its archived row must not leave either


def restore_note(session: Session, view: NoteView) -> NoteView:
    restored = add_note(session, view.observation_id, view.text, wall_time=view.wall_time,
                        elapsed_ms=view.elapsed_ms, item_ids=view.item_ids, note_id=view.id,
                        clear_draft=False)
    return replace(restored, private=_is_private(session, view.id))


def set_private(session: Session, note_id: str, private: bool) -> NoteView:
    """Mark a note private (kept on this laptop: never in a PDF or a package) or shared."""
    note = get_or_fail(session, Note, note_id, "note")
    # A handed-in visit has left already: marking it now could not call it back.
    co_observation.refuse_if_handed_in(session, note.observation_id)
    mark = session.get(PrivateNote, note_id)
    if private and mark is None:
        session.add(PrivateNote(note_id=note_id))
    elif not private and mark is not None:
        session.delete(mark)
    session.flush()
    return _view(note, private)


def get_note(session: Session, note_id: str) -> NoteView:
    return _view(get_or_fail(session, Note, note_id, "note"), _is_private(session, note_id))


def list_notes(session: Session, observation_id: str) -> list[NoteView]:
    # Plain columns and the tags in one extra query: a visit has dozens of notes, and loading
    # them as objects took most of a PDF's database read.
    tags: dict[str, list[str]] = defaultdict(list)
    visit = {"observation_id": observation_id}
    for note_id, item_id in session.execute(_visit_tags_query(), visit):
        tags[note_id].append(item_id)
    return [NoteView(id_, obs, wall, elapsed, text, tuple(sorted(tags.get(id_, ()))),
                     private is not None)
            for id_, obs, wall, elapsed, text, private
            in session.execute(_visit_notes_query(), visit)]


@cache  # built once: building these took longer than running them
def _visit_tags_query():  # type: ignore[no-untyped-def]
    return (select(NoteTag.note_id, NoteTag.item_id).join(Note, Note.id == NoteTag.note_id)
            .where(Note.observation_id == bindparam("observation_id")))


@cache
def _visit_notes_query():  # type: ignore[no-untyped-def]
    return (select(Note.id, Note.observation_id, Note.wall_time, Note.elapsed_ms, Note.text,
                   PrivateNote.note_id)
            .outerjoin(PrivateNote, PrivateNote.note_id == Note.id)
            .where(Note.observation_id == bindparam("observation_id"))
            .order_by(Note.elapsed_ms, Note.created_at))


def notes_for_item(session: Session, cycle_id: str, item_id: str) -> list[NoteView]:
    """The notes of a cycle's visits tagged to one item: the evidence for that item."""
    notes = session.scalars(
        select(Note).join(NoteTag).join(Observation)
        .join(Cycle, Cycle.id == Observation.cycle_id)
        .where(Observation.cycle_id == cycle_id, NoteTag.item_id == item_id,
               text(co_observation.teacher_facing_sql()))
        .order_by(Observation.started_at, Note.elapsed_ms)).all()
    private = set(session.scalars(select(PrivateNote.note_id).where(
        PrivateNote.note_id.in_([n.id for n in notes]))))
    return [_view(n, n.id in private) for n in notes]


def save_draft(session: Session, observation_id: str, text: str, *, wall_time: dt.datetime,
               elapsed_ms: int, item_ids: Iterable[str] = ()) -> None:
    """Keep the text still in the note box; an empty box removes the draft."""
    if not text.strip():
        discard_draft(session, observation_id)
        return
    draft = session.get(NoteDraft, observation_id)
    if draft is None:
        draft = NoteDraft(observation_id=observation_id)
        session.add(draft)
    draft.text = text  # whole, even past the note limit: nothing typed is dropped
    draft.wall_time = wall_time
    draft.elapsed_ms = elapsed_ms
    draft.item_ids = list(item_ids)
    draft.saved_at = utc_now()
    session.flush()


def get_draft(session: Session, observation_id: str) -> DraftView | None:
    draft = session.get(NoteDraft, observation_id)
    if draft is None:
        return None
    return DraftView(draft.observation_id, draft.text, draft.wall_time, draft.elapsed_ms,
                     tuple(draft.item_ids or ()))


def discard_draft(session: Session, observation_id: str) -> None:
    session.execute(delete(NoteDraft).where(NoteDraft.observation_id == observation_id))
    session.flush()
