"""Two observers, one lesson, two laptops: the planned cycle travels to the co-observer, each
records the lesson, and neither sees the other's record before both have handed theirs in."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from observe_app import cli
from observe_app.errors import BadInputError
from observe_app.services import (
    calibration,
    co_observation,
    cycles,
    exchange,
    notes,
    observations,
    people,
    protocols,
    ratings,
    removal,
    responses,
    search,
)
from observe_app.storage.engine import Database
from tests.exchange.replicas import Laptops

LESSON = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _send_cycle(laptops: Laptops, db: Database, cycle_id: str, name: str) -> Path:
    out = laptops.folder / f"{name}.observe"
    with db.transaction() as s:
        exchange.send_cycle(s, cycle_id, out, sender=name)
    return out


def _plan(db: Database) -> tuple[str, str, str]:
    """Anna observes Ben's lesson with Carla beside her: (cycle, Anna, Carla)."""
    with db.transaction() as s:
        ben = people.add_person(s, "Ben Okafor")
        anna = people.add_person(s, "Anna Lindqvist", email="anna@school.example")
        carla = people.add_person(s, "Carla Ruiz", email="carla@school.example")
        version = protocols.get_version(
            s, protocols.find_protocol(s, "new-teacher-growth").latest_version_id)
        cycle = cycles.plan_cycle(s, teacher_id=ben.id, observer_id=anna.id,
                                  protocol_version_id=version.id, focus="Questioning")
        co_observation.add_co_observer(s, cycle.id, carla.id)
        return cycle.id, anna.id, carla.id


def _record(db: Database, cycle_id: str, observer_id: str, levels: list[int | None],
            note: str, prompt: tuple[str, str] | None = None) -> str:
    """One observer's visit: a note tagged to the first rubric item, their levels, ended."""
    with db.transaction() as s:
        version = protocols.get_version(s, cycles.get_summary(s, cycle_id).protocol_version_id)
        rubric = [i for i in version.items if i.kind == "rubric"]
        visit = observations.start_observation(s, cycle_id, subject="Maths", now=LESSON,
                                               observer_id=observer_id)
        notes.add_note(s, visit.id, note, wall_time=LESSON, elapsed_ms=60_000,
                       item_ids=[rubric[0].id])
        if prompt is not None:
            responses.set_text(s, visit.id, *prompt)
        for item, level in zip(rubric, levels, strict=False):
            co_observation.rate_from_visit(s, visit.id, item.id, level,
                                           not_observed=level is None)
        observations.end_observation(s, visit.id, 45 * 60_000,
                                     now=LESSON + dt.timedelta(minutes=45))
        return visit.id


def test_two_laptops_calibrate_one_lesson_and_neither_sees_the_other_first(
        laptops: Laptops, capsys: pytest.CaptureFixture[str]) -> None:
    anna_laptop, carla_laptop = laptops.new("anna"), laptops.new("carla")
    cycle_id, anna, carla = _plan(anna_laptop)
    laptops.receive(carla_laptop, _send_cycle(laptops, anna_laptop, cycle_id, "planned"))

    # Carla records on her laptop; Anna on hers, at the same time.
    carla_visit = _record(carla_laptop, cycle_id, carla, [3, 2, 2, None], "Carla's note")
    anna_visit = _record(anna_laptop, cycle_id, anna, [3, 3, 1, 2], "Anna's note")

    # Before it is handed in, Anna's visit does not leave her laptop, nor her levels for the
    # teacher.
    with anna_laptop.transaction() as s:
        ratings.rate(s, cycle_id, _rubric(s, cycle_id)[0], 4, comment="Anna's judgment")
    early = _send_cycle(laptops, anna_laptop, cycle_id, "early")
    laptops.receive(carla_laptop, early)
    with carla_laptop.transaction() as s:
        assert ratings.ratings_for_cycle(s, cycle_id) == {}
        assert [v.observation_id for v in co_observation.lesson(s, cycle_id).visits] == \
            [carla_visit]
        # A co-observer's visit is calibration's: the teacher's record does not show it.
        assert observations.list_observations(s, cycle_id) == []

    # Carla hands hers in and sends it; on Anna's laptop it stays hidden.
    with carla_laptop.transaction() as s:
        co_observation.hand_in(s, carla_visit)
    laptops.receive(anna_laptop, _send_cycle(laptops, carla_laptop, cycle_id, "carla"))
    with anna_laptop.transaction() as s:
        assert co_observation.hidden_visit_ids(s, cycle_id) == {carla_visit}
        with pytest.raises(BadInputError, match="waiting for Anna Lindqvist"):
            calibration.lesson_agreement(s, cycle_id)
        assert [v.id for v in observations.list_observations(s, cycle_id)] == [anna_visit]
        assert [h.observation_id for h in search.search(s, "note")] == [anna_visit]
        # Anna's own visit can still change; Carla's, handed in, cannot.
        with pytest.raises(BadInputError, match="handed in"):
            co_observation.rate_from_visit(s, carla_visit, _rubric(s, cycle_id)[0], 1)

    # Anna hands hers in: both records open on her laptop, and hers no longer changes.
    with anna_laptop.transaction() as s:
        co_observation.hand_in(s, anna_visit)
        assert co_observation.hidden_visit_ids(s, cycle_id) == set()
        with pytest.raises(BadInputError, match="handed in"):
            co_observation.rate_from_visit(s, anna_visit, _rubric(s, cycle_id)[0], 1)
        found = calibration.lesson_agreement(s, cycle_id)
    [pair] = found.pairs
    assert {pair.a_name, pair.b_name} == {"Anna Lindqvist", "Carla Ruiz"}
    levels = {(r.a, r.b) if pair.a_name == "Anna Lindqvist" else (r.b, r.a)
              for r in pair.ratings}
    assert levels >= {(3, 3), (3, 2), (1, 2)}
    # Three rated by both: one exact; all three within one level; one left out.
    assert pair.exact.value == pytest.approx(1 / 3) and pair.exact.left_out >= 1
    assert pair.within_one.value == 1.0
    evidence = {r.a_evidence + r.b_evidence for r in pair.ratings if r.a_evidence}
    assert evidence == {("Anna's note", "Carla's note")} or \
        evidence == {("Carla's note", "Anna's note")}

    # Anna's agreement over her co-observed lessons (one so far), and Carla's the same.
    with anna_laptop.transaction() as s:
        for who, other in ((anna, "Carla Ruiz"), (carla, "Anna Lindqvist")):
            drift = calibration.observer_agreement(s, who)
            [lesson] = drift.lessons
            assert lesson.with_names == (other,) and lesson.within_one.value == 1.0
            assert lesson.weighted_kappa.value == pytest.approx(pair.weighted_kappa.value)

    # Carla receives Anna's: now she sees both, and the command line gives the same figures.
    laptops.receive(carla_laptop, _send_cycle(laptops, anna_laptop, cycle_id, "anna"))
    with carla_laptop.transaction() as s:
        assert co_observation.hidden_visit_ids(s, cycle_id) == set()
        assert [v.id for v in observations.list_observations(s, cycle_id)] == [anna_visit]
    carla_laptop.close()
    code = cli.main(["--data-dir", str(carla_laptop.path.parent), "calibration",
                     "--cycle", cycle_id, "--json"])
    printed = json.loads(capsys.readouterr().out)
    assert code == 0
    [json_pair] = printed["pairs"]
    assert json_pair["ratings"]["within_one"]["value"] == 1.0
    assert json_pair["ratings"]["exact"]["value"] == pytest.approx(1 / 3)
    assert cli.main(["--data-dir", str(carla_laptop.path.parent), "calibration",
                     "--observer", carla]) == 0
    assert "Carla Ruiz: 1 co-observed lesson\n" in capsys.readouterr().out
    assert sorted((p["a"], p["b"]) for p in json_pair["ratings"]["paired"]
                  if None not in (p["a"], p["b"])) in (
        sorted([(3, 3), (3, 2), (1, 2)]), sorted([(3, 3), (2, 3), (2, 1)]))


def _rubric(s, cycle_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    version = protocols.get_version(s, cycles.get_summary(s, cycle_id).protocol_version_id)
    return [i.id for i in version.items if i.kind == "rubric"]


def test_a_co_observer_must_be_someone_else_and_a_visit_by_a_stranger_is_refused(
        laptops: Laptops) -> None:
    db = laptops.new("school")
    cycle_id, anna, carla = _plan(db)
    with db.transaction() as s:
        ben = cycles.get_summary(s, cycle_id).teacher_id
        with pytest.raises(BadInputError, match="teacher observed"):
            co_observation.add_co_observer(s, cycle_id, ben)
        with pytest.raises(BadInputError, match="already this cycle's observer"):
            co_observation.add_co_observer(s, cycle_id, anna)
        stranger = people.add_person(s, "Dev Patel")
        with pytest.raises(BadInputError, match="does not observe this lesson"):
            observations.start_observation(s, cycle_id, observer_id=stranger.id)
    with db.transaction() as s:
        visit = observations.start_observation(s, cycle_id, observer_id=carla)
        with pytest.raises(BadInputError, match="end the visit"):
            co_observation.hand_in(s, visit.id)
        with pytest.raises(BadInputError, match="already recorded"):
            co_observation.remove_co_observer(s, cycle_id, carla)


def test_a_handed_in_visit_keeps_its_notes_and_results_as_they_were_sent(
        laptops: Laptops) -> None:
    db = laptops.new("school")
    cycle_id, _anna, carla = _plan(db)
    with db.transaction() as s:
        stage = cycles.get_summary(s, cycle_id).stage
        prompt = next(i for i in protocols.get_version(
            s, cycles.get_summary(s, cycle_id).protocol_version_id).items if i.kind == "prompt")
    visit = _record(db, cycle_id, carla, [2, 2], "as seen", prompt=(prompt.id, "A glow"))
    with db.transaction() as s:
        # A co-observer's visit gives the teacher no feedback and leaves the cycle's stage and
        # evidence to its observer.
        detail = cycles.get_cycle(s, cycle_id)
        assert detail.summary.stage == stage and detail.feedback == ()
        assert notes.notes_for_item(s, cycle_id, _rubric(s, cycle_id)[0]) == []
        co_observation.hand_in(s, visit)
        [note] = notes.list_notes(s, visit)
        item = _rubric(s, cycle_id)[0]
    refused = [
        lambda s: notes.add_note(s, visit, "later", wall_time=LESSON, elapsed_ms=1),
        lambda s: notes.edit_note(s, note.id, "changed"),
        lambda s: notes.set_tags(s, note.id, []),
        lambda s: notes.delete_note(s, note.id),
        lambda s: co_observation.rate_from_visit(s, visit, item, 4),
        lambda s: observations.pause(s, visit, 50 * 60_000),
        lambda s: removal.delete_visit(s, visit),
    ]
    for change in refused:
        with pytest.raises(BadInputError, match="handed in"), db.transaction() as s:
            change(s)
    with db.transaction() as s:
        assert [n.text for n in notes.list_notes(s, visit)] == ["as seen"]
        assert co_observation.visit_ratings(s, visit)[item].level == 2
        co_observation.hand_in(s, visit)  # twice changes nothing
