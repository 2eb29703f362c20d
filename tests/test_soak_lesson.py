"""A whole 50-minute lesson typed into the real window, in its own process: it must survive,
and every note, tag, count, timer run, scan, pause and prompt must be in the database."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from observe_app.services import notes, observations, responses
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
