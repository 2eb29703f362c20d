"""The queries the PDF summary leans on: same answers, a fixed number of statements."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from observe_app.services import cycles, notes, observations, ratings
from observe_app.storage.engine import Database


@contextmanager
def count_statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _closed_rubric_cycle(db: Database) -> str:
    with db.transaction() as s:
        return next(c.id for c in cycles.list_cycles(s)
                    if c.protocol_name == "New-teacher growth rubric" and c.stage == "closed")


def test_list_notes_loads_tags_without_a_query_per_note(demo_db: Database) -> None:
    cycle_id = _closed_rubric_cycle(demo_db)
    with demo_db.transaction() as s:
        visit = observations.list_observations(s, cycle_id)[0]
    with demo_db.transaction() as s, count_statements(demo_db) as statements:
        listed = notes.list_notes(s, visit.id)
    assert len(listed) > 20 and any(n.item_ids for n in listed)
    assert len(statements) <= 3
    with demo_db.transaction() as s:  # the same tags as reading each note on its own
        assert all(notes.get_note(s, n.id).item_ids == n.item_ids for n in listed)


def test_ratings_for_cycle_reads_evidence_in_one_query(demo_db: Database) -> None:
    cycle_id = _closed_rubric_cycle(demo_db)
    with demo_db.transaction() as s, count_statements(demo_db) as statements:
        found = ratings.ratings_for_cycle(s, cycle_id)
    assert len(found) == 16 and any(r.evidence_note_ids for r in found.values())
    assert len(statements) <= 3
    with demo_db.transaction() as s:
        for item_id, view in found.items():
            evidence = notes.notes_for_item(s, cycle_id, item_id)
            assert set(view.evidence_note_ids) <= {n.id for n in evidence}
            assert list(view.evidence_note_ids) == sorted(view.evidence_note_ids)


def test_timer_trend_gives_runs_and_mean_per_visit(demo_db: Database) -> None:
    from observe_app.services import growth, people, responses

    with demo_db.transaction() as s:
        aino = next(p for p in people.list_people(s) if p.name == "Aino Mäkelä")
        points = growth.timer_trend(s, aino.id)
        visits = {p.observation_id for p in points}
        assert len(visits) == 3  # her three questioning cycles
        assert [p.started_at for p in points] == sorted(p.started_at for p in points)
        for visit in visits:
            runs = responses.observation_results(s, visit).timer_runs
            durations = [r.duration_ms for item_runs in runs.values() for r in item_runs]
            mine = [p for p in points if p.observation_id == visit]
            assert sum(p.runs for p in mine) == len(durations)
            assert all(min(durations) <= p.mean_ms <= max(durations) for p in mine)
        wait = [p.mean_ms for p in points if p.item_key == "wait-time"]
        assert wait[-1] > wait[0]  # the demo teacher learns to wait longer
