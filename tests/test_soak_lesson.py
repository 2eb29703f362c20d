"""A whole 50-minute lesson typed into the real window, in its own process: it must survive,
and every note, tag, count, timer run, scan, pause, prompt and contribution from a seat must be
in the database."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from observe_app.services import notes, observations, participation, responses
from observe_app.storage.opening import open_database

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_a_whole_lesson_in_the_real_window(tmp_path: Path) -> None:
    data_dir, result = tmp_path / "data", tmp_path / "lesson.json"
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "soak_lesson.py"), str(data_dir),
                          str(result)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"the window died (exit {run.returncode}):\n{run.stderr[-3000:]}"
    assert "Fatal Python error" not in run.stderr
    lesson = json.loads(result.read_text(encoding="utf-8"))
    assert lesson["keystrokes"] >= 3000
    if sys.version_info < (3, 12):  # None is immortal from 3.12 on: its count never moves
        assert lesson["none_after"] >= lesson["none_before"] - 50, lesson

    items = lesson["items"]
    key_of = {item_id: key for key, item_id in items.items()}
    with open_database(data_dir) as database, database.transaction() as s:
        visit = observations.get_observation(s, lesson["observation_id"])
        saved = notes.list_notes(s, visit.id)
        results = responses.observation_results(s, visit.id)

    assert visit.ended_at is not None
    assert len(saved) == len(lesson["notes"]) == 100
    for typed, note in zip(lesson["notes"], saved, strict=True):
        assert note.text.strip() == typed["text"].strip()
        assert sorted(key_of[i] for i in note.item_ids) == typed["tags"], note.text
    times = [n.elapsed_ms for n in saved]
    assert times == sorted(times)
    # 100 notes, 30 s each (+4 s per timer run); the two 90-s pauses are not lesson time.
    assert 49 * 60_000 <= times[-1] <= 57 * 60_000
    assert {key_of[i]: n for i, n in results.counts.items() if n} == lesson["tallies"]
    assert len(results.timer_runs[items["wait-time"]]) == lesson["timer_runs"]
    assert all(r.duration_ms == 4000 for r in results.timer_runs[items["wait-time"]])
    recorded = {str(r.index): list(r.codes) for r in results.intervals[items["engagement"]]
                if not r.missed}
    assert recorded == lesson["scans"]
    assert len(recorded) >= 25  # a scan every two minutes for fifty minutes
    assert results.texts[items["glow"]] == lesson["prompt"]
    _check_participation(data_dir, visit, items["participation"], lesson["participation"])


def _check_participation(data_dir: Path, visit: Any, item_id: str, seen: dict[str, Any]) -> None:
    """Every contribution the lesson logged is stored, in order, with the lesson time it was
    heard; those taken back are gone; the figures are those worked out here from the log."""
    logged, undone = seen["contributions"], seen["undone"]
    assert len(logged) >= 150 and len(undone) == 6
    assert len({c["seat"] for c in logged}) >= 20
    assert Counter(c["by"] for c in logged)["mouse"] >= 20
    with open_database(data_dir) as database, database.transaction() as s:
        seats = participation.visit_seats(s, visit.id, item_id)
        labels = participation.visit_labels(s, visit.id, item_id)
        stored = participation.contributions(s, visit.id, item_id)
        figures = participation.visit_summary(s, visit.id, item_id)

    assert [seat.number for seat in seats] == seen["seats"]  # the class's saved chart
    assert {str(n): t for n, t in labels.items()} == seen["labels"]
    assert [(c.id, c.seat, c.talk_type, c.called_on, c.elapsed_ms) for c in stored] == [
        (c["id"], c["seat"], c["type"], c["called_on"], c["at_ms"]) for c in logged]
    times = [c.elapsed_ms for c in stored]
    assert all(a < b for a, b in zip(times, times[1:], strict=False))
    assert not {c["id"] for c in undone} & {c.id for c in stored}

    # The figures, from the log alone.
    counts = Counter(c["seat"] for c in logged)
    per_seat = [counts[n] for n in seen["seats"]]
    called = sum(c["called_on"] for c in logged)
    assert (figures.seats, figures.contributions, figures.spoke) == (
        len(seen["seats"]), len(logged), len(counts))
    assert figures.per_seat == {n: dict(Counter(c["type"] for c in logged if c["seat"] == n))
                                for n in counts}
    assert figures.per_type == dict(Counter(c["type"] for c in logged))
    assert (figures.called_on, figures.volunteered) == (called, len(logged) - called)
    # Gini as half the mean absolute difference between seats, over the mean.
    differences = sum(abs(a - b) for a in per_seat for b in per_seat)
    assert figures.gini == pytest.approx(differences / (2 * len(per_seat) * len(logged)))
    assert len(per_seat) == 30  # its top quarter: 7.5 seats, rounded to 8
    assert figures.top_quarter_share == pytest.approx(sum(sorted(per_seat)[-8:]) / len(logged))
    five_minutes = Counter(c["at_ms"] // 300_000 for c in logged)
    lesson_end = max(visit.duration_ms, logged[-1]["at_ms"] + 1)
    assert figures.timeline == tuple(five_minutes[i]
                                     for i in range(-(-lesson_end // 300_000)))
    assert figures.transitions == Counter(
        (a["seat"], b["seat"]) for a, b in zip(logged, logged[1:], strict=False)
        if a["seat"] != b["seat"])
    assert seen["summary"] == (f"{len(logged)} contributions · {len(counts)} of 30 seats heard"
                               f" · called on {called}, volunteered {len(logged) - called}")
