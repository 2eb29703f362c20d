"""The tables of Observe as SQLAlchemy 2.x typed models.

Every row has a UUID key (text) so that data made on two laptops can be merged later, and
every time is stored as UTC. ORM objects stay inside the services; views get read models.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from observe_app.domain.enums import (
    CareerStage,
    CycleStage,
    FeedbackKind,
    GoalStatus,
    Role,
)
from observe_app.domain.types import UTCDateTime, new_id, utc_now

# Named constraints, so Alembic's batch mode can find and change them on SQLite.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _enum(cls: type) -> Enum:
    return Enum(cls, values_callable=lambda e: [m.value for m in e], native_enum=False,
                validate_strings=True, length=20, name=cls.__name__.lower())


def _key() -> Mapped[str]:
    return mapped_column(String(36), primary_key=True, default=new_id)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Person(Base):
    __tablename__ = "people"

    id: Mapped[str] = _key()
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    role: Mapped[Role] = mapped_column(_enum(Role), default=Role.TEACHER)
    subject: Mapped[str] = mapped_column(String(200), default="")
    career_stage: Mapped[CareerStage] = mapped_column(
        _enum(CareerStage), default=CareerStage.EXPERIENCED
    )
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    mentor_id: Mapped[str | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)
    # Hidden from lists, kept for growth and for old cycles (migration 0006).
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class Protocol(Base):
    __tablename__ = "protocols"

    id: Mapped[str] = _key()
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)
    # Hidden from planning; the cycles that used it keep it (this laptop's choice).
    retired_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    versions: Mapped[list[ProtocolVersion]] = relationship(
        back_populates="protocol", order_by="ProtocolVersion.number"
    )


class ProtocolVersion(Base):
    """One immutable version of a protocol; observations keep pointing at the one they used."""

    __tablename__ = "protocol_versions"
    __table_args__ = (UniqueConstraint("protocol_id", "number"),)

    id: Mapped[str] = _key()
    protocol_id: Mapped[str] = mapped_column(ForeignKey("protocols.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)

    protocol: Mapped[Protocol] = relationship(back_populates="versions")
    items: Mapped[list[ProtocolItem]] = relationship(
        back_populates="version", order_by="ProtocolItem.position"
    )


class ProtocolItem(Base):
    """One look-for, rubric item, tally, timer, interval scan or prompt of a version."""

    __tablename__ = "protocol_items"
    __table_args__ = (UniqueConstraint("version_id", "key"),)

    id: Mapped[str] = _key()
    version_id: Mapped[str] = mapped_column(
        ForeignKey("protocol_versions.id", ondelete="CASCADE")
    )
    key: Mapped[str] = mapped_column(String(100))
    section: Mapped[str] = mapped_column(String(200))
    # A capture kind's name ("tally"): plain text rather than an Enum of ItemKind, so that a
    # kind registered in observe_app.kinds is stored without a change here (the column was
    # always VARCHAR(20) with no constraint); the integrity check holds it to the registry.
    kind: Mapped[str] = mapped_column(String(20), info={"one_of": "capture kinds"})
    label: Mapped[str] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(Integer)
    config: Mapped[dict] = mapped_column(JSON, default=dict)

    version: Mapped[ProtocolVersion] = relationship(back_populates="items")


class Cycle(Base):
    __tablename__ = "cycles"
    # Cycle lists page in date order (all stages; the Observe page's open stages); the School
    # page finds the cycles planned in a period.
    __table_args__ = (Index("ix_cycles_filed_at", "filed_at"),
                      Index("ix_cycles_stage_filed_at", "stage", "filed_at"),
                      Index("ix_cycles_planned_date", "planned_date"))

    id: Mapped[str] = _key()
    teacher_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"),
                                            index=True)
    observer_id: Mapped[str | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    protocol_version_id: Mapped[str] = mapped_column(
        ForeignKey("protocol_versions.id", ondelete="RESTRICT")
    )
    stage: Mapped[CycleStage] = mapped_column(_enum(CycleStage),
                                              default=CycleStage.PRE_CONFERENCE)
    focus: Mapped[str] = mapped_column(Text, default="")
    evidence_to_collect: Mapped[str] = mapped_column(Text, default="")
    planned_date: Mapped[dt.date | None] = mapped_column(Date)
    post_conference_notes: Mapped[str] = mapped_column(Text, default="")
    reflection: Mapped[str] = mapped_column(Text, default="")
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The date each stage was reached; a stage keeps its date when the cycle moves back.
    pre_conference_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    observation_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    post_conference_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    reflection_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)
    # The date it is filed under (CycleSummary.date), kept by triggers (migration 0005):
    # never written here, read only to sort and page lists in SQL.
    filed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Agreed at the post-conference: when the observer comes back (the follow-up visit).
    next_visit_date: Mapped[dt.date | None] = mapped_column(Date)

    teacher: Mapped[Person] = relationship(foreign_keys=[teacher_id])
    observer: Mapped[Person | None] = relationship(foreign_keys=[observer_id])
    protocol_version: Mapped[ProtocolVersion] = relationship()
    observations: Mapped[list[Observation]] = relationship(
        back_populates="cycle", order_by="Observation.started_at"
    )
    feedback: Mapped[list[FeedbackItem]] = relationship(
        back_populates="cycle", order_by="FeedbackItem.position"
    )


class FeedbackItem(Base):
    """A glow, a grow or a next step written in the post-conference."""

    __tablename__ = "feedback_items"

    id: Mapped[str] = _key()
    cycle_id: Mapped[str] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    kind: Mapped[FeedbackKind] = mapped_column(_enum(FeedbackKind))
    text: Mapped[str] = mapped_column(Text)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # A next step agreed in full: who does it, the support offered, how success will be seen.
    owner: Mapped[str] = mapped_column(String(200), default="", server_default="")
    support: Mapped[str] = mapped_column(Text, default="", server_default="")
    success_measure: Mapped[str] = mapped_column(Text, default="", server_default="")

    cycle: Mapped[Cycle] = relationship(back_populates="feedback")


class FeedbackEvidence(Base):
    """A note a glow, grow or next step is grounded in (its time shows beside the feedback)."""

    __tablename__ = "feedback_evidence"

    feedback_id: Mapped[str] = mapped_column(
        ForeignKey("feedback_items.id", ondelete="CASCADE"), primary_key=True)
    note_id: Mapped[str] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"),
                                         primary_key=True, index=True)


class Observation(Base):
    """One visit to a lesson."""

    __tablename__ = "observations"
    # Covers a cycle's visit count and latest visit without touching the table.
    __table_args__ = (Index("ix_observations_cycle_started", "cycle_id", "started_at"),
                      Index("ix_observations_started_at", "started_at"))  # the School page

    id: Mapped[str] = _key()
    cycle_id: Mapped[str] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"))
    subject: Mapped[str] = mapped_column(String(200), default="")
    grade: Mapped[str] = mapped_column(String(50), default="")
    room: Mapped[str] = mapped_column(String(50), default="")
    students: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Elapsed lesson time when the observer ended the visit (pauses excluded).
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    # Who recorded this visit; None: the cycle's observer (every visit before co-observation).
    observer_id: Mapped[str | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"))
    # A co-observer's visit is handed in once, when it is sent: then it no longer changes,
    # and only then does it leave this laptop (services/co_observation.py).
    handed_in_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # This laptop's own knowledge, never sent: recorded here, or received in a package.
    recorded_here: Mapped[bool] = mapped_column(Boolean, default=True,
                                                server_default=sql_text("1"))

    cycle: Mapped[Cycle] = relationship(back_populates="observations")
    notes: Mapped[list[Note]] = relationship(back_populates="observation",
                                             order_by="Note.elapsed_ms")
    pauses: Mapped[list[Pause]] = relationship(order_by="Pause.paused_ms")


class Pause(Base):
    __tablename__ = "pauses"

    id: Mapped[str] = _key()
    observation_id: Mapped[str] = mapped_column(
        ForeignKey("observations.id", ondelete="CASCADE"), index=True
    )
    paused_ms: Mapped[int] = mapped_column(Integer)
    paused_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    resumed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class Note(Base):
    """A timestamped piece of evidence; its time is when the typing began."""

    __tablename__ = "notes"
    __table_args__ = (
        Index("ix_notes_observation_elapsed", "observation_id", "elapsed_ms"),
        Index("ix_notes_unindexed", "search_indexed", sqlite_where=sql_text("search_indexed = 0")),
    )

    id: Mapped[str] = _key()
    observation_id: Mapped[str] = mapped_column(
        ForeignKey("observations.id", ondelete="CASCADE")
    )
    wall_time: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    elapsed_ms: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)
    # Added to the full-text index after the save (services.search.index_new_notes).
    search_indexed: Mapped[bool] = mapped_column(Boolean, default=False,
                                                 server_default=sql_text("0"))

    observation: Mapped[Observation] = relationship(back_populates="notes")
    tags: Mapped[list[NoteTag]] = relationship(cascade="all, delete-orphan",
                                               passive_deletes=True)


class NoteTag(Base):
    __tablename__ = "note_tags"

    note_id: Mapped[str] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"),
                                         primary_key=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("protocol_items.id", ondelete="CASCADE"),
                                         primary_key=True, index=True)


class VisitNoteTag(Base):
    """A note's tag beside the visit its note belongs to (migration 0012), so the School page
    finds a visit's tagged look-fors without reading its notes. Kept by triggers; never
    travels."""

    __tablename__ = "visit_note_tags"
    __table_args__ = (Index("ix_visit_note_tags_note", "note_id", "item_id"),)

    observation_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    note_id: Mapped[str] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"),
                                         primary_key=True)


class PrivateNote(Base):
    """A note this laptop keeps to itself: never in a PDF or a package (migration 0013). No
    foreign key to its note, on purpose: a deleted note still travels as an archived row, and
    undo brings it back with the same id; either way it stays private. Never travels."""

    __tablename__ = "private_notes"

    note_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    marked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)


class ClassList(Base):
    """A class's student names, kept on this laptop to replace them ("Student A") in a PDF or
    a package before it leaves (migration 0014). Never travels."""

    __tablename__ = "class_lists"

    id: Mapped[str] = _key()
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)


class ClassListName(Base):
    """One student name of a class list, in the order it was typed."""

    __tablename__ = "class_list_names"

    list_id: Mapped[str] = mapped_column(ForeignKey("class_lists.id", ondelete="CASCADE"),
                                         primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))


class NoteDraft(Base):
    """The text still in the note box, saved about once a second so a crash loses nothing."""

    __tablename__ = "note_drafts"

    observation_id: Mapped[str] = mapped_column(
        ForeignKey("observations.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(Text)
    wall_time: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    elapsed_ms: Mapped[int] = mapped_column(Integer)
    item_ids: Mapped[list] = mapped_column(JSON, default=list)
    saved_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)


class ItemResponse(Base):
    """What the observer recorded live for one item: a tick, a tally count or prompt text."""

    __tablename__ = "item_responses"
    __table_args__ = (UniqueConstraint("observation_id", "item_id"),)

    id: Mapped[str] = _key()
    observation_id: Mapped[str] = mapped_column(
        ForeignKey("observations.id", ondelete="CASCADE")
    )
    item_id: Mapped[str] = mapped_column(ForeignKey("protocol_items.id", ondelete="CASCADE"))
    checked: Mapped[bool | None] = mapped_column(Boolean)
    count: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)


class CycleCoObserver(Base):
    """Someone who observes the cycle's lesson beside its observer, to calibrate: each
    records the lesson on their own laptop, and neither sees the other's record until both
    have handed theirs in."""

    __tablename__ = "cycle_co_observers"

    cycle_id: Mapped[str] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"),
                                          primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"),
                                           primary_key=True, index=True)


class VisitRating(Base):
    """The level one observer gives a rubric item from their own visit of a co-observed
    lesson: their independent judgment, compared in calibration. The cycle's ratings
    (Rating) stay the ones the teacher is given."""

    __tablename__ = "visit_ratings"
    __table_args__ = (UniqueConstraint("observation_id", "item_id"),)

    id: Mapped[str] = _key()
    observation_id: Mapped[str] = mapped_column(
        ForeignKey("observations.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(ForeignKey("protocol_items.id", ondelete="CASCADE"))
    level: Mapped[int | None] = mapped_column(Integer)
    not_observed: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)


class TimerRun(Base):
    """One run of a timer item (e.g. one wait time), kept whole."""

    __tablename__ = "timer_runs"

    id: Mapped[str] = _key()
    observation_id: Mapped[str] = mapped_column(
        ForeignKey("observations.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[str] = mapped_column(ForeignKey("protocol_items.id", ondelete="CASCADE"))
    started_ms: Mapped[int] = mapped_column(Integer)
    duration_ms: Mapped[int] = mapped_column(Integer)


class IntervalRecord(Base):
    """The codes ticked for one interval of an interval scan, or a missed interval."""

    __tablename__ = "interval_records"
    __table_args__ = (UniqueConstraint("observation_id", "item_id", "interval_index"),)

    id: Mapped[str] = _key()
    observation_id: Mapped[str] = mapped_column(
        ForeignKey("observations.id", ondelete="CASCADE")
    )
    item_id: Mapped[str] = mapped_column(ForeignKey("protocol_items.id", ondelete="CASCADE"))
    interval_index: Mapped[int] = mapped_column(Integer)
    codes: Mapped[list] = mapped_column(JSON, default=list)
    missed: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)


class SeatingChart(Base):
    """A class's seats in its room, laid out once and reused at every visit to that class.
    Kept on this laptop only: a visit keeps its own copy of the seats (VisitSeating), and the
    seats' labels (initials, say) never leave the laptop."""

    __tablename__ = "seating_charts"
    __table_args__ = (UniqueConstraint("teacher_id", "class_name", "room"),)

    id: Mapped[str] = _key()
    teacher_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    class_name: Mapped[str] = mapped_column(String(200))
    room: Mapped[str] = mapped_column(String(50))
    seats: Mapped[list] = mapped_column(JSON, default=list,  # [{"n", "x", "y", "groups"}]
                                        info={"json": "seats"})
    labels: Mapped[dict] = mapped_column(JSON, default=dict)  # seat number -> label
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)


class VisitSeating(Base):
    """The seats of one participation item in one visit, as they were that lesson (a later
    change to the class's chart leaves this visit's picture as it was)."""

    __tablename__ = "visit_seatings"
    __table_args__ = (UniqueConstraint("observation_id", "item_id"),)

    id: Mapped[str] = _key()
    observation_id: Mapped[str] = mapped_column(
        ForeignKey("observations.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(ForeignKey("protocol_items.id", ondelete="CASCADE"))
    chart_id: Mapped[str | None] = mapped_column(String(36))  # the chart it came from, here
    seats: Mapped[list] = mapped_column(JSON, default=list, info={"json": "seats"})
    # The seats' labels as they were that lesson (a later chart is not this lesson's): this
    # laptop's own, never sent.
    labels: Mapped[dict | None] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)


class Contribution(Base):
    """One student contribution in a visit: the seat it came from, its talk type, when."""

    __tablename__ = "contributions"
    __table_args__ = (Index("ix_contributions_visit", "observation_id", "elapsed_ms"),)

    id: Mapped[str] = _key()
    observation_id: Mapped[str] = mapped_column(
        ForeignKey("observations.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(ForeignKey("protocol_items.id", ondelete="CASCADE"))
    seat: Mapped[int] = mapped_column(Integer)
    talk_type: Mapped[str] = mapped_column(String(64))
    called_on: Mapped[bool] = mapped_column(Boolean, default=False)
    wall_time: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    elapsed_ms: Mapped[int] = mapped_column(Integer)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    lookfor_id: Mapped[str | None] = mapped_column(
        ForeignKey("protocol_items.id", ondelete="SET NULL"))


class Rating(Base):
    """The level given to a rubric item for a cycle, with the evidence notes behind it."""

    __tablename__ = "ratings"
    __table_args__ = (UniqueConstraint("cycle_id", "item_id"),)

    id: Mapped[str] = _key()
    cycle_id: Mapped[str] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(ForeignKey("protocol_items.id", ondelete="CASCADE"))
    level: Mapped[int | None] = mapped_column(Integer)
    not_observed: Mapped[bool] = mapped_column(Boolean, default=False)
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)


class RatingEvidence(Base):
    __tablename__ = "rating_evidence"

    rating_id: Mapped[str] = mapped_column(ForeignKey("ratings.id", ondelete="CASCADE"),
                                           primary_key=True)
    note_id: Mapped[str] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"),
                                         primary_key=True, index=True)


class Goal(Base):
    """A growth goal for a teacher, set in a post-conference and followed across cycles."""

    __tablename__ = "goals"

    id: Mapped[str] = _key()
    teacher_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"),
                                            index=True)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[GoalStatus] = mapped_column(_enum(GoalStatus), default=GoalStatus.OPEN)
    set_in_cycle_id: Mapped[str | None] = mapped_column(
        ForeignKey("cycles.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)


class GoalCycle(Base):
    """A cycle that touched a goal, with the goal's status as it stood in that cycle."""

    __tablename__ = "goal_cycles"

    goal_id: Mapped[str] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"),
                                         primary_key=True)
    cycle_id: Mapped[str] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"),
                                          primary_key=True, index=True)
    status: Mapped[GoalStatus] = mapped_column(_enum(GoalStatus), default=GoalStatus.OPEN)
    comment: Mapped[str] = mapped_column(Text, default="")


class CalendarEvent(Base):
    """A cycle's visit or conference as last exported to a calendar (.ics): exported again
    after a change, it keeps its UID and gets a higher SEQUENCE, so calendars update it.
    This laptop's own."""

    __tablename__ = "calendar_events"

    uid: Mapped[str] = mapped_column(String(100), primary_key=True)
    cycle_id: Mapped[str] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"),
                                          index=True)
    fingerprint: Mapped[str] = mapped_column(String(64))  # of what the event says
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    day: Mapped[dt.date] = mapped_column(Date)  # as last exported: a cancelled event needs it
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)  # exported as cancelled
    exported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)


class LocalSetting(Base):
    """A setting of this data folder that the window and the command line share (the School
    page's anonymity minimum). This laptop's own."""

    __tablename__ = "local_settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


# What observation packages need (migration 0006): written by triggers and by the merge.

class SyncReplica(Base):
    """This database's replica id and its hybrid logical clock (one row)."""

    __tablename__ = "sync_replica"

    one: Mapped[int] = mapped_column(Integer, primary_key=True)
    replica_id: Mapped[str] = mapped_column(String(32))
    # Where the replica id was given out (computer and folder): a copy elsewhere gets a new one.
    home: Mapped[str | None] = mapped_column(Text)
    wall: Mapped[int] = mapped_column(Integer)
    counter: Mapped[int] = mapped_column(Integer)
    # 1 while a package is merged: the merge writes its own stamps, the triggers stand aside.
    applying: Mapped[int] = mapped_column(Integer)


class SyncStamp(Base):
    """When a field of a row last changed (a hybrid logical clock stamp, ordered as text)."""

    __tablename__ = "sync_stamps"

    tbl: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    field: Mapped[str] = mapped_column(String(60), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(80))
    # The other laptop's stamp this edit was made over ("" if none): tells an update from a
    # conflict when the two meet.
    base: Mapped[str] = mapped_column(String(80))


class SyncDeleted(Base):
    """A row deleted (alive 0) or brought back after a delete (alive 1), and when."""

    __tablename__ = "sync_deleted"

    tbl: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    alive: Mapped[int] = mapped_column(Integer)
    stamp: Mapped[str] = mapped_column(String(80))


class SyncArchive(Base):
    """The values of a row that is not in its table (deleted, or its cycle was): for undo,
    and so that a later edit from another laptop brings it back whole."""

    __tablename__ = "sync_archive"

    tbl: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    row_json: Mapped[str] = mapped_column(Text)


class SyncHistory(Base):
    """A value that lost a merge (older, or the other laptop's), kept to be looked at and
    restored."""

    __tablename__ = "sync_history"
    __table_args__ = (Index("ix_sync_history_row", "tbl", "row_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tbl: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[str] = mapped_column(String(80))
    field: Mapped[str] = mapped_column(String(60))
    value_json: Mapped[str] = mapped_column(Text)
    stamp: Mapped[str] = mapped_column(String(80))
    kept_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)
    package_id: Mapped[str] = mapped_column(String(36))
    # 1: the value was this laptop's and the package's replaced it; 0: the package's lost.
    replaced_here: Mapped[int] = mapped_column(Integer)


class SyncAlias(Base):
    """Another id of the same row (the same person made on two laptops)."""

    __tablename__ = "sync_aliases"

    tbl: Mapped[str] = mapped_column(String(40), primary_key=True)
    alias_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(80))


class SyncReceived(Base):
    """A package received here: receiving it again changes nothing."""

    __tablename__ = "sync_received"

    package_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sender: Mapped[str] = mapped_column(Text)
    sender_replica: Mapped[str] = mapped_column(String(32))
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utc_now)
    summary_json: Mapped[str] = mapped_column(Text)
