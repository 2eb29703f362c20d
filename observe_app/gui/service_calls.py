"""Typed calls to each service module: the signatures widgets program against.

Each call runs in a transaction of its own through `Backend.run`; a write then tells every page
what kind of data it changed (`Backend.changed`).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from observe_app.domain.changes import Data
from observe_app.domain.enums import CareerStage, CycleStage, FeedbackKind, GoalStatus, Role

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.protocols.loader import ProtocolProblem
    from observe_app.services.agreement import Figure
    from observe_app.services.calendar_export import CalendarSummary
    from observe_app.services.calibration import CountPair, LessonAgreement, ObserverAgreement
    from observe_app.services.co_observation import Lesson, VisitRatingView
    from observe_app.services.cycles import CycleDetail, CycleSummary, FeedbackView
    from observe_app.services.exchange import Package, Preview, SentPackage
    from observe_app.services.goals import GoalView
    from observe_app.services.growth import TeacherGrowth
    from observe_app.services.merge_history import HistoryEntry
    from observe_app.services.notes import DraftView, NoteView
    from observe_app.services.observations import LiveVisit, ObservationView, UnfinishedVisit
    from observe_app.services.participation import (
        ChartView,
        ContributionView,
        ParticipationSummary,
        Seat,
    )
    from observe_app.services.people import PersonView
    from observe_app.services.protocol_builder import VersionUse
    from observe_app.services.protocols import ImportResult, ProtocolSummary, ProtocolVersionView
    from observe_app.services.ratings import RatingView
    from observe_app.services.redaction import ClassListView, Redactor, Replacement
    from observe_app.services.removal import DeletedItem, RemovalView
    from observe_app.services.responses import IntervalView, ObservationResults, TimerRunView
    from observe_app.services.rounds import Pairing, Proposal
    from observe_app.services.school import SchoolPicture
    from observe_app.services.school_choices import ScopeChoices
    from observe_app.services.school_period import Period, Scope
    from observe_app.services.search import SearchHit


class _Calls:
    """The calls to one service module; subclasses declare each one with its types."""

    _module = ""
    _what: str | None = None  # how a fault message names what could not be saved

    def __init__(self, backend: Backend) -> None:
        self._backend = backend

    def _function(self, name: str) -> Callable[..., Any]:
        module = importlib.import_module(f"observe_app.services.{self._module}")
        return getattr(module, name)  # type: ignore[no-any-return]

    def _read(self, function: str, /, *args: Any, **kwargs: Any) -> Any:
        return self._backend.run(self._function(function), *args, what=self._what, **kwargs)

    def _write(self, changed: Data, function: str, /, *args: Any, **kwargs: Any) -> Any:
        result = self._backend.run(self._function(function), *args, what=self._what, **kwargs)
        self._backend.announce(changed)
        return result


class CyclesCalls(_Calls):
    """observe_app.services.cycles, each call in its own transaction."""

    _module = "cycles"

    def acknowledge(self, cycle_id: str, when: dt.datetime | None = None) -> None:
        return self._write(Data.CYCLES, "acknowledge", cycle_id, when)

    def add_feedback(
        self,
        cycle_id: str,
        kind: FeedbackKind,
        text: str,
        due_date: dt.date | None = None,
        *,
        owner: str = "",
        support: str = "",
        success_measure: str = "",
        evidence_note_ids: Collection[str] = (),
    ) -> FeedbackView:
        return self._write(Data.FEEDBACK, "add_feedback", cycle_id, kind, text, due_date,
                           owner=owner, support=support, success_measure=success_measure,
                           evidence_note_ids=evidence_note_ids)

    def feedback_from_prompts(self, observation_id: str) -> list[FeedbackView]:
        return self._write(Data.FEEDBACK, "feedback_from_prompts", observation_id)

    def get_cycle(self, cycle_id: str) -> CycleDetail:
        return self._read("get_cycle", cycle_id)

    def get_summary(self, cycle_id: str) -> CycleSummary:
        return self._read("get_summary", cycle_id)

    def list_cycles(
        self,
        *,
        teacher_id: str | None = None,
        stage: CycleStage | None = None,
        stages: Collection[CycleStage] | None = None,
    ) -> list[CycleSummary]:
        return self._read("list_cycles", teacher_id=teacher_id, stage=stage, stages=stages)

    def page_cycles(
        self,
        *,
        stages: Collection[CycleStage] | None = None,
        text: str = "",
        sort: str = "date",
        descending: bool = False,
        offset: int = 0,
        limit: int = 200,
        teacher_id: str | None = None,
        include_archived: bool = False,
    ) -> list[CycleSummary]:
        return self._read(
            "page_cycles",
            stages=stages,
            text=text,
            sort=sort,
            descending=descending,
            offset=offset,
            limit=limit,
            teacher_id=teacher_id,
            include_archived=include_archived,
        )

    def cycle_position(
        self,
        cycle_id: str,
        *,
        stages: Collection[CycleStage] | None = None,
        text: str = "",
        sort: str = "date",
        descending: bool = False,
        teacher_id: str | None = None,
        include_archived: bool = False,
    ) -> int | None:
        return self._read(
            "cycle_position",
            cycle_id,
            stages=stages,
            text=text,
            sort=sort,
            descending=descending,
            teacher_id=teacher_id,
            include_archived=include_archived,
        )

    def move_to_stage(
        self,
        cycle_id: str,
        stage: CycleStage,
        now: dt.datetime | None = None,
    ) -> CycleSummary:
        return self._write(Data.CYCLES, "move_to_stage", cycle_id, stage, now)

    def plan_cycle(
        self,
        *,
        teacher_id: str,
        protocol_version_id: str,
        observer_id: str | None = None,
        focus: str = "",
        evidence_to_collect: str = "",
        planned_date: dt.date | None = None,
        now: dt.datetime | None = None,
        co_observer_ids: Collection[str] = (),
    ) -> CycleSummary:
        return self._write(
            Data.CYCLES,
            "plan_cycle",
            teacher_id=teacher_id,
            protocol_version_id=protocol_version_id,
            observer_id=observer_id,
            focus=focus,
            evidence_to_collect=evidence_to_collect,
            planned_date=planned_date,
            now=now,
            co_observer_ids=co_observer_ids,
        )

    def remove_feedback(self, feedback_id: str) -> None:
        return self._write(Data.FEEDBACK, "remove_feedback", feedback_id)

    def set_post_conference_notes(self, cycle_id: str, text: str) -> None:
        return self._write(Data.CYCLES, "set_post_conference_notes", cycle_id, text)

    def set_reflection(self, cycle_id: str, text: str) -> None:
        return self._write(Data.CYCLES, "set_reflection", cycle_id, text)

    def update_feedback(
        self,
        feedback_id: str,
        text: str,
        due_date: dt.date | None = None,
        *,
        owner: str | None = None,
        support: str | None = None,
        success_measure: str | None = None,
        evidence_note_ids: Collection[str] | None = None,
    ) -> None:
        return self._write(Data.FEEDBACK, "update_feedback", feedback_id, text, due_date,
                           owner=owner, support=support, success_measure=success_measure,
                           evidence_note_ids=evidence_note_ids)

    def set_next_visit_date(self, cycle_id: str, day: dt.date | None) -> None:
        return self._write(Data.CYCLES, "set_next_visit_date", cycle_id, day)

    def update_pre_conference(
        self,
        cycle_id: str,
        *,
        focus: str,
        evidence_to_collect: str,
        planned_date: dt.date | None,
        observer_id: str | None = None,
    ) -> None:
        return self._write(
            Data.CYCLES,
            "update_pre_conference",
            cycle_id,
            focus=focus,
            evidence_to_collect=evidence_to_collect,
            planned_date=planned_date,
            observer_id=observer_id,
        )


class CoObservationCalls(_Calls):
    """observe_app.services.co_observation: who co-observes a lesson, each observer's ratings
    from their own visit, and handing a visit in."""

    _module = "co_observation"

    # Co-observers belong to the cycle; a visit's own ratings are ratings; a hand-in ends a
    # visit's changes (a visit's state).
    def add_co_observer(self, cycle_id: str, person_id: str) -> None:
        return self._write(Data.CYCLES, "add_co_observer", cycle_id, person_id)

    def remove_co_observer(self, cycle_id: str, person_id: str) -> None:
        return self._write(Data.CYCLES, "remove_co_observer", cycle_id, person_id)

    def co_observer_ids(self, cycle_id: str) -> list[str]:
        return self._read("co_observer_ids", cycle_id)

    def is_co_observed(self, cycle_id: str) -> bool:
        return self._read("is_co_observed", cycle_id)

    def lesson(self, cycle_id: str) -> Lesson:
        return self._read("lesson", cycle_id)

    def kept_back(self, cycle_id: str) -> tuple[str, ...]:
        """Who has a visit here that a package of the cycle leaves out (not handed in)."""
        return self._read("kept_back", cycle_id)

    def rate_from_visit(self, observation_id: str, item_id: str, level: int | None, *,
                        not_observed: bool = False) -> VisitRatingView:
        return self._write(Data.RATINGS, "rate_from_visit", observation_id, item_id, level,
                           not_observed=not_observed)

    def visit_ratings(self, observation_id: str) -> dict[str, VisitRatingView]:
        return self._read("visit_ratings", observation_id)

    def hand_in(self, observation_id: str, now: dt.datetime | None = None) -> None:
        return self._write(Data.VISITS, "hand_in", observation_id, now)


class CalibrationCalls(_Calls):
    """observe_app.services.calibration: how far the observers of a lesson agree (refused,
    naming whom it waits for, until every visit is handed in), and one observer over time."""

    _module = "calibration"

    def lesson_agreement(self, cycle_id: str) -> LessonAgreement:
        return self._read("lesson_agreement", cycle_id)

    def observer_agreement(self, observer_id: str) -> ObserverAgreement:
        return self._read("observer_agreement", observer_id)

    # No database: each figure in the words the command line and the PDF use.

    def value(self, figure: Figure, *, share: bool = False) -> str:
        """'83 %', '0.64 (substantial)', or 'not defined'."""
        return self._words().value(figure, share=share)  # type: ignore[no-any-return]

    def sentence(self, figure: Figure, *, share: bool = False,
                 target: float | None = None) -> str:
        """The figure, what it measures, and where it stands against `target` (or why it is
        not defined)."""
        return self._words().sentence(  # type: ignore[no-any-return]
            figure, share=share, target=target)

    def count_words(self, pair: CountPair) -> str:
        return self._words().count_words(pair)  # type: ignore[no-any-return]

    def seen_word(self, seen: bool | None) -> str:
        return self._words().seen_word(seen)  # type: ignore[no-any-return]

    def number(self, amount: float | None) -> str:
        return self._words().number(amount)  # type: ignore[no-any-return]

    def targets(self) -> tuple[float, float]:
        """The usual targets: share of levels within one level, and weighted kappa."""
        from observe_app.services import agreement

        return agreement.WITHIN_ONE_TARGET, agreement.WEIGHTED_KAPPA_TARGET

    @staticmethod
    def _words() -> Any:
        from observe_app.services import calibration_words

        return calibration_words


class ExchangeCalls(_Calls):
    """observe_app.services.exchange: observation packages sent and received by file."""

    _module = "exchange"
    _what = "the package"

    def send_cycle(self, cycle_id: str, out: Path, *, sender: str,
                   passphrase: str | None = None, redactor: Redactor | None = None
                   ) -> SentPackage:
        return self._read("send_cycle", cycle_id, out, sender=sender, passphrase=passphrase,
                          redactor=redactor)

    def send_cycles(self, cycle_ids: Collection[str], out: Path, *, sender: str,
                    title: str = "", passphrase: str | None = None) -> SentPackage:
        return self._read("send_cycles", cycle_ids, out, sender=sender, title=title,
                          passphrase=passphrase)

    def send_teacher(self, teacher_id: str, out: Path, *, sender: str,
                     passphrase: str | None = None, redactor: Redactor | None = None
                     ) -> SentPackage:
        return self._read("send_teacher", teacher_id, out, sender=sender,
                          passphrase=passphrase, redactor=redactor)

    def send_everything(self, out: Path, *, sender: str,
                        passphrase: str | None = None, redactor: Redactor | None = None
                        ) -> SentPackage:
        return self._read("send_everything", out, sender=sender, passphrase=passphrase,
                          redactor=redactor)

    def preview_redaction(self, what: str, ids: Collection[str], redactor: Redactor
                          ) -> list[Replacement]:
        """What sending `what` (cycle, teacher, all) with `redactor` would replace (slow on a
        big data folder: call it from a worker)."""
        return self._read("preview_redaction", what, ids, redactor)

    def open_package(self, path: Path, passphrase: str | None = None) -> Package:
        """Read and check the file; the database is not opened (raises PassphraseNeeded when
        it is protected and no passphrase is given, BadInputError when it is refused)."""
        return self._function("open_package")(path, passphrase)  # type: ignore[no-any-return]

    def preview_package(self, package: Package, *,
                        merge_people: Collection[str] = ()) -> Preview:
        return self._read("preview_package", package, merge_people=merge_people)

    def receive_package(self, package: Package, *,
                        merge_people: Collection[str] = ()) -> Preview:
        # Anything a package carries may change (a draft never travels).
        return self._write(Data.EVERYTHING & ~Data.DRAFTS, "receive_package", package,
                           merge_people=merge_people)


class RoundsCalls(_Calls):
    """observe_app.services.rounds: a round of peer observations, proposed and planned."""

    _module = "rounds"
    _what = "the round"

    def propose_pairings(self, teacher_ids: Sequence[str], *,
                         across_subjects: bool = False) -> Proposal:
        return self._read("propose_pairings", teacher_ids, across_subjects=across_subjects)

    def check_pairings(self, pairs: Sequence[tuple[str, str]], *,
                       across_subjects: bool = False) -> tuple[str, ...]:
        return self._read("check_pairings", pairs, across_subjects=across_subjects)

    def create_round(self, pairings: Sequence[Pairing | tuple[str, str]], protocol_id: str,
                     first_date: dt.date, last_date: dt.date, focus: str = "", *,
                     now: dt.datetime | None = None) -> list[str]:
        return self._write(Data.CYCLES, "create_round", pairings, protocol_id, first_date,
                           last_date, focus, now=now)


class CalendarCalls(_Calls):
    """observe_app.services.calendar_export: the open cycles as an .ics calendar."""

    _module = "calendar_export"
    _what = "the calendar"

    def export_calendar(self, out_path: Path, *,
                        teacher_id: str | None = None) -> CalendarSummary:
        # It records each event's SEQUENCE, which no page shows.
        return self._write(Data.NONE, "export_calendar", out_path, teacher_id=teacher_id)


class GoalsCalls(_Calls):
    """observe_app.services.goals, each call in its own transaction."""

    _module = "goals"

    def goals_for_cycle(self, cycle_id: str) -> list[GoalView]:
        return self._read("goals_for_cycle", cycle_id)

    def goals_for_teacher(self, teacher_id: str) -> list[GoalView]:
        return self._read("goals_for_teacher", teacher_id)

    def set_goal(
        self,
        teacher_id: str,
        text: str,
        *,
        cycle_id: str | None = None,
        now: dt.datetime | None = None,
    ) -> GoalView:
        return self._write(Data.GOALS, "set_goal", teacher_id, text, cycle_id=cycle_id, now=now)

    def update_goal(
        self,
        goal_id: str,
        status: GoalStatus,
        *,
        cycle_id: str | None = None,
        comment: str = "",
        text: str | None = None,
    ) -> GoalView:
        return self._write(
            Data.GOALS,
            "update_goal",
            goal_id,
            status,
            cycle_id=cycle_id,
            comment=comment,
            text=text,
        )


class GrowthCalls(_Calls):
    """observe_app.services.growth, each call in its own transaction."""

    _module = "growth"

    def teacher_growth(self, teacher_id: str) -> TeacherGrowth:
        return self._read("teacher_growth", teacher_id)


class HistoryCalls(_Calls):
    """observe_app.services.merge_history, each call in its own transaction."""

    _module = "merge_history"
    _what = "the value"

    def has_history(self, cycle_id: str) -> bool:
        return self._read("has_history", cycle_id)

    def list_history(self, *, cycle_id: str | None = None) -> list[HistoryEntry]:
        return self._read("list_history", cycle_id=cycle_id)

    def restore_value(self, history_id: int) -> None:
        # A kept value can belong to any kind of row.
        return self._write(Data.CYCLES | Data.FEEDBACK | Data.NOTES | Data.PEOPLE
                           | Data.RATINGS | Data.GOALS | Data.VISITS | Data.RESPONSES,
                           "restore_value", history_id)


class NotesCalls(_Calls):
    """observe_app.services.notes, each call in its own transaction."""

    _module = "notes"
    _what = "your note"

    def add_note(
        self,
        observation_id: str,
        text: str,
        *,
        wall_time: dt.datetime,
        elapsed_ms: int,
        item_ids: Iterable[str] = (),
        note_id: str | None = None,
        clear_draft: bool = True,
    ) -> NoteView:
        return self._write(
            Data.NOTES,
            "add_note",
            observation_id,
            text,
            wall_time=wall_time,
            elapsed_ms=elapsed_ms,
            item_ids=item_ids,
            note_id=note_id,
            clear_draft=clear_draft,
        )

    def delete_note(self, note_id: str) -> NoteView:
        return self._write(Data.NOTES, "delete_note", note_id)

    def discard_draft(self, observation_id: str) -> None:
        return self._write(Data.DRAFTS, "discard_draft", observation_id)

    def edit_note(
        self,
        note_id: str,
        text: str,
        item_ids: Iterable[str] | None = None,
    ) -> NoteView:
        return self._write(Data.NOTES, "edit_note", note_id, text, item_ids)

    def get_draft(self, observation_id: str) -> DraftView | None:
        return self._read("get_draft", observation_id)

    def list_notes(self, observation_id: str) -> list[NoteView]:
        return self._read("list_notes", observation_id)

    def restore_note(self, view: NoteView) -> NoteView:
        return self._write(Data.NOTES, "restore_note", view)

    def save_draft(
        self,
        observation_id: str,
        text: str,
        *,
        wall_time: dt.datetime,
        elapsed_ms: int,
        item_ids: Iterable[str] = (),
    ) -> None:
        return self._write(
            Data.DRAFTS,
            "save_draft",
            observation_id,
            text,
            wall_time=wall_time,
            elapsed_ms=elapsed_ms,
            item_ids=item_ids,
        )

    def set_private(self, note_id: str, private: bool) -> NoteView:
        return self._write(Data.NOTES, "set_private", note_id, private)

    def set_tags(self, note_id: str, item_ids: Iterable[str]) -> NoteView:
        return self._write(Data.NOTES, "set_tags", note_id, item_ids)


class ObservationsCalls(_Calls):
    """observe_app.services.observations, each call in its own transaction."""

    _module = "observations"

    def elapsed_ms_at(self, observation_id: str, now: dt.datetime) -> int:
        return self._read("elapsed_ms_at", observation_id, now)

    def end_at_last_note(self, observation_id: str) -> ObservationView:
        return self._write(Data.VISITS | Data.CYCLES, "end_at_last_note", observation_id)

    def end_observation(
        self,
        observation_id: str,
        elapsed_ms: int,
        now: dt.datetime | None = None,
    ) -> ObservationView:
        return self._write(
            Data.VISITS | Data.CYCLES, "end_observation", observation_id, elapsed_ms, now
        )

    def get_observation(self, observation_id: str) -> ObservationView:
        return self._read("get_observation", observation_id)

    def go_on_after_gap(
        self,
        observation_id: str,
        now: dt.datetime | None = None,
    ) -> ObservationView:
        return self._write(Data.VISITS, "go_on_after_gap", observation_id, now)

    def has_unfinished_visits(self) -> bool:
        return self._read("has_unfinished_visits")

    def live_visit(self, observation_id: str, now: dt.datetime) -> LiveVisit:
        return self._read("live_visit", observation_id, now)

    def list_observations(self, cycle_id: str) -> list[ObservationView]:
        return self._read("list_observations", cycle_id)

    def list_unfinished_visits(self) -> list[UnfinishedVisit]:
        return self._read("list_unfinished_visits")

    def pause(self, observation_id: str, elapsed_ms: int, now: dt.datetime | None = None) -> None:
        return self._write(Data.VISITS, "pause", observation_id, elapsed_ms, now)

    def resume(self, observation_id: str, now: dt.datetime | None = None) -> None:
        return self._write(Data.VISITS, "resume", observation_id, now)

    def start_observation(
        self,
        cycle_id: str,
        *,
        subject: str = "",
        grade: str = "",
        room: str = "",
        students: int | None = None,
        now: dt.datetime | None = None,
        observer_id: str | None = None,
    ) -> ObservationView:
        """`observer_id`: who records the visit when a co-observer does (None: the cycle's
        observer)."""
        return self._write(
            Data.VISITS | Data.CYCLES,
            "start_observation",
            cycle_id,
            subject=subject,
            grade=grade,
            room=room,
            students=students,
            now=now,
            observer_id=observer_id,
        )


class ParticipationCalls(_Calls):
    """observe_app.services.participation, each call in its own transaction."""

    _module = "participation"

    def save_chart(self, teacher_id: str, class_name: str, room: str, seats: Sequence[Seat],
                   labels: Mapping[int, str] | None = None) -> ChartView:
        return self._write(Data.RESPONSES, "save_chart", teacher_id, class_name, room, seats,
                           labels)

    def find_chart(self, teacher_id: str, class_name: str, room: str) -> ChartView | None:
        return self._read("find_chart", teacher_id, class_name, room)

    def charts_of(self, teacher_id: str) -> list[ChartView]:
        return self._read("charts_of", teacher_id)

    def get_chart(self, chart_id: str) -> ChartView:
        return self._read("get_chart", chart_id)

    def seat_visit(self, observation_id: str, item_id: str, seats: Sequence[Seat],
                   chart_id: str | None = None) -> tuple[Seat, ...]:
        return self._write(Data.RESPONSES, "seat_visit", observation_id, item_id, seats,
                           chart_id)

    def lay_out_visit(self, observation_id: str, item_id: str, teacher_id: str,
                      class_name: str, room: str, seats: Sequence[Seat],
                      labels: Mapping[int, str] | None = None,
                      lesson_seats: Sequence[Seat] | None = None) -> tuple[Seat, ...]:
        return self._write(Data.RESPONSES, "lay_out_visit", observation_id, item_id,
                           teacher_id, class_name, room, seats, labels, lesson_seats)

    def visit_seats(self, observation_id: str, item_id: str) -> tuple[Seat, ...]:
        return self._read("visit_seats", observation_id, item_id)

    def visit_labels(self, observation_id: str, item_id: str) -> dict[int, str]:
        return self._read("visit_labels", observation_id, item_id)

    def record_contribution(self, observation_id: str, item_id: str, seat: int,
                            talk_type: str, *, elapsed_ms: int,
                            wall_time: dt.datetime | None = None, called_on: bool = False,
                            duration_ms: int | None = None, lookfor_id: str | None = None,
                            contribution_id: str | None = None) -> ContributionView:
        return self._write(Data.RESPONSES, "record_contribution", observation_id, item_id,
                           seat, talk_type, elapsed_ms=elapsed_ms, wall_time=wall_time,
                           called_on=called_on, duration_ms=duration_ms,
                           lookfor_id=lookfor_id, contribution_id=contribution_id)

    def remove_contribution(self, contribution_id: str) -> None:
        return self._write(Data.RESPONSES, "remove_contribution", contribution_id)

    def contributions(self, observation_id: str,
                      item_id: str | None = None) -> list[ContributionView]:
        return self._read("contributions", observation_id, item_id)

    def visit_summary(self, observation_id: str, item_id: str) -> ParticipationSummary:
        return self._read("visit_summary", observation_id, item_id)

    # The seating chart editor's: a file read, no database.

    def read_seat_csv(self, path: Path) -> tuple[tuple[Seat, ...], dict[int, str]]:
        """A class's seats (and labels) from a CSV file; a bad file raises BadInputError with
        the line that is wrong."""
        return self._function("read_seat_csv")(path)  # type: ignore[no-any-return]


class PeopleCalls(_Calls):
    """observe_app.services.people, each call in its own transaction."""

    _module = "people"

    def add_person(
        self,
        name: str,
        *,
        email: str | None = None,
        role: Role = Role.TEACHER,
        subject: str = "",
        career_stage: CareerStage = CareerStage.EXPERIENCED,
        start_date: dt.date | None = None,
        mentor_id: str | None = None,
    ) -> PersonView:
        return self._write(
            Data.PEOPLE,
            "add_person",
            name,
            email=email,
            role=role,
            subject=subject,
            career_stage=career_stage,
            start_date=start_date,
            mentor_id=mentor_id,
        )

    def get_person(self, person_id: str) -> PersonView:
        return self._read("get_person", person_id)

    def list_people(
        self, role: Role | None = None, *, include_archived: bool = False
    ) -> list[PersonView]:
        return self._read("list_people", role, include_archived=include_archived)

    def update_person(
        self,
        person_id: str,
        *,
        name: str,
        email: str | None,
        role: Role,
        subject: str,
        career_stage: CareerStage,
        start_date: dt.date | None,
        mentor_id: str | None,
    ) -> PersonView:
        return self._write(
            Data.PEOPLE,
            "update_person",
            person_id,
            name=name,
            email=email,
            role=role,
            subject=subject,
            career_stage=career_stage,
            start_date=start_date,
            mentor_id=mentor_id,
        )


class ProtocolsCalls(_Calls):
    """observe_app.services.protocols, each call in its own transaction."""

    _module = "protocols"

    def export_file(self, ref: str, path: Path) -> Path:
        return self._read("export_file", ref, path)

    def find_protocol(self, ref: str) -> ProtocolSummary:
        return self._read("find_protocol", ref)

    def get_version(self, version_id: str) -> ProtocolVersionView:
        return self._read("get_version", version_id)

    def import_file(self, path: Path, *, as_copy: bool = False) -> ImportResult:
        return self._write(Data.PROTOCOLS, "import_file", path, as_copy=as_copy)

    def install_builtins(self) -> list[ImportResult]:
        return self._write(Data.PROTOCOLS, "install_builtins")

    def list_protocols(self) -> list[ProtocolSummary]:
        return self._read("list_protocols")


class ProtocolBuilderCalls(_Calls):
    """observe_app.services.protocol_builder, each call in its own transaction."""

    _module = "protocol_builder"

    def duplicate_document(self, protocol_id: str) -> dict[str, Any]:
        return self._read("duplicate_document", protocol_id)

    def editable_document(self, protocol_id: str) -> dict[str, Any]:
        return self._read("editable_document", protocol_id)

    def preview(self, document: dict[str, Any]
                ) -> tuple[ProtocolVersionView, ObservationResults]:
        """No database: the document as the live view would show it, at once."""
        from observe_app.services import protocol_builder

        return protocol_builder.preview(document)

    def problems(self, document: dict[str, Any]) -> list[ProtocolProblem]:
        """No database: what stops the document from being saved, in sentences."""
        from observe_app.protocols import loader

        return loader.problems(document)

    def save_protocol(self, document: dict[str, Any],
                      protocol_id: str | None = None) -> ImportResult:
        return self._write(Data.PROTOCOLS, "save_protocol", document, protocol_id)

    def set_retired(self, protocol_id: str, retired: bool) -> ProtocolSummary:
        return self._write(Data.PROTOCOLS, "set_retired", protocol_id, retired)

    def version_use(self, protocol_id: str) -> VersionUse:
        return self._read("version_use", protocol_id)


class RatingsCalls(_Calls):
    """observe_app.services.ratings, each call in its own transaction."""

    _module = "ratings"

    def link_evidence(self, cycle_id: str, item_id: str, note_id: str) -> RatingView:
        return self._write(Data.RATINGS, "link_evidence", cycle_id, item_id, note_id)

    def mark_not_observed(
        self,
        cycle_id: str,
        item_id: str,
        not_observed: bool = True,
    ) -> RatingView:
        return self._write(Data.RATINGS, "mark_not_observed", cycle_id, item_id, not_observed)

    def rate(
        self,
        cycle_id: str,
        item_id: str,
        level: int | None,
        comment: str | None = None,
    ) -> RatingView:
        return self._write(Data.RATINGS, "rate", cycle_id, item_id, level, comment)

    def ratings_for_cycle(self, cycle_id: str) -> dict[str, RatingView]:
        return self._read("ratings_for_cycle", cycle_id)

    def unlink_evidence(self, cycle_id: str, item_id: str, note_id: str) -> RatingView:
        return self._write(Data.RATINGS, "unlink_evidence", cycle_id, item_id, note_id)


# What a delete or a restore of each kind of row changes: it and everything that goes with it.
_REMOVED = {
    "people": Data.PEOPLE | Data.GOALS,
    "cycles": Data.CYCLES | Data.VISITS | Data.NOTES | Data.RESPONSES | Data.RATINGS
    | Data.FEEDBACK | Data.GOALS,
    "observations": Data.VISITS | Data.CYCLES | Data.NOTES | Data.RESPONSES | Data.RATINGS,
}


class RemovalCalls(_Calls):
    """observe_app.services.removal, each call in its own transaction."""

    _module = "removal"

    def what_would_be_removed(self, table: str, row_id: str) -> RemovalView:
        return self._read("what_would_be_removed", table, row_id)

    def delete_person(self, person_id: str) -> RemovalView:
        return self._write(_REMOVED["people"], "delete_person", person_id)

    def delete_cycle(self, cycle_id: str) -> RemovalView:
        return self._write(_REMOVED["cycles"], "delete_cycle", cycle_id)

    def delete_visit(self, observation_id: str) -> RemovalView:
        return self._write(_REMOVED["observations"], "delete_visit", observation_id)

    def restore_deleted(self, table: str, row_id: str) -> DeletedItem:
        return self._write(_REMOVED.get(table, Data.EVERYTHING), "restore_deleted", table, row_id)

    def list_deleted(self) -> list[DeletedItem]:
        return self._read("list_deleted")

    def archive_person(self, person_id: str) -> None:
        return self._write(Data.PEOPLE, "archive_person", person_id)

    def unarchive_person(self, person_id: str) -> None:
        return self._write(Data.PEOPLE, "unarchive_person", person_id)

    def archive_cycle(self, cycle_id: str) -> None:
        return self._write(Data.CYCLES, "archive_cycle", cycle_id)

    def unarchive_cycle(self, cycle_id: str) -> None:
        return self._write(Data.CYCLES, "unarchive_cycle", cycle_id)


class ResponsesCalls(_Calls):
    """observe_app.services.responses, each call in its own transaction."""

    _module = "responses"

    def add_timer_run(
        self,
        observation_id: str,
        item_id: str,
        started_ms: int,
        duration_ms: int,
        run_id: str | None = None,
    ) -> TimerRunView:
        return self._write(
            Data.RESPONSES,
            "add_timer_run",
            observation_id,
            item_id,
            started_ms,
            duration_ms,
            run_id,
        )

    def change_tally(self, observation_id: str, item_id: str, delta: int) -> int:
        return self._write(Data.RESPONSES, "change_tally", observation_id, item_id, delta)

    def clear_interval(self, observation_id: str, item_id: str, index: int) -> None:
        return self._write(Data.RESPONSES, "clear_interval", observation_id, item_id, index)

    def observation_results(self, observation_id: str) -> ObservationResults:
        return self._read("observation_results", observation_id)

    def record_interval(
        self,
        observation_id: str,
        item_id: str,
        index: int,
        codes: list[str],
        *,
        missed: bool = False,
        now: dt.datetime | None = None,
    ) -> IntervalView:
        return self._write(
            Data.RESPONSES,
            "record_interval",
            observation_id,
            item_id,
            index,
            codes,
            missed=missed,
            now=now,
        )

    def set_checked(self, observation_id: str, item_id: str, checked: bool) -> None:
        return self._write(Data.RESPONSES, "set_checked", observation_id, item_id, checked)

    def set_text(self, observation_id: str, item_id: str, text: str) -> None:
        return self._write(Data.RESPONSES, "set_text", observation_id, item_id, text)


class SchoolCalls(_Calls):
    """observe_app.services.school (and school_choices), each call in its own transaction."""

    _module = "school"
    _what = "the setting"

    def school_picture(self, period: Period, scope: Scope, *,
                       today: dt.date | None = None) -> SchoolPicture:
        return self._read("school_picture", period, scope, today=today)

    def minimum_visits(self) -> int:
        return self._read("minimum_visits")

    def set_minimum_visits(self, visits: int) -> None:
        return self._write(Data.SETTINGS, "set_minimum_visits", visits)

    def scope_choices(self) -> ScopeChoices:
        from observe_app.services import school_choices

        return self._backend.run(school_choices.scope_choices)


class SearchCalls(_Calls):
    """observe_app.services.search, each call in its own transaction."""

    _module = "search"

    def search(self, user_text: str, limit: int = 100) -> list[SearchHit]:
        return self._read("search", user_text, limit)


class RedactionCalls(_Calls):
    """observe_app.services.redaction: the class lists whose names an export replaces."""

    _module = "redaction"
    _what = "the class list"

    def list_class_lists(self) -> list[ClassListView]:
        return self._read("list_class_lists")

    def create_class_list(self, name: str, names_text: str = "") -> ClassListView:
        return self._write(Data.SETTINGS, "create_class_list", name, names_text)

    def update_class_list(self, list_id: str, name: str, names_text: str) -> ClassListView:
        return self._write(Data.SETTINGS, "update_class_list", list_id, name, names_text)

    def delete_class_list(self, list_id: str) -> None:
        return self._write(Data.SETTINGS, "delete_class_list", list_id)

    def redactor_for(self, list_id: str | None) -> Redactor | None:
        """A new redactor for one export (None: no list chosen)."""
        return self._read("redactor_for", list_id)
