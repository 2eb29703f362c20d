"""The observed teacher's copy, end to end: two data folders, packages through the command
line, the reflection written in the window.

The observer sends a cycle; the teacher receives it, reads it in Observe, writes the
reflection and acknowledges it, and sends it back; the observer receives that. Both copies
then hold the same cycle, and the observer's PDF says it was acknowledged.
"""

from __future__ import annotations

import json
from pathlib import Path

from pypdf import PdfReader

from observe_app.domain.enums import CycleStage
from observe_app.services import cycles
from tests.cli.conftest import run_cli
from tests.exchange.replicas import snapshot
from tests.gui.conftest import type_text
from tests.gui.review_helpers import open_from_cycles_page

REFLECTION = "Ich warte jetzt länger, и ученики отвечают полнее."


def _cycle_at_post_conference(observer_dir: Path) -> str:
    listed = run_cli("cycles", "list", "--json", data_dir=observer_dir)
    assert listed.code == 0, listed.err
    return next(c["id"] for c in json.loads(listed.out)
                if c["stage"] == CycleStage.POST_CONFERENCE.value)


def test_the_teacher_reflects_on_their_own_laptop_and_the_observer_gets_it_back(
        main_window, backend, db, data_dir: Path, demo_dir: Path, tmp_path: Path) -> None:
    observer_dir, teacher_dir = demo_dir, data_dir
    cycle_id = _cycle_at_post_conference(observer_dir)

    sent = run_cli("exchange", "export", "--cycle", cycle_id, "--out", tmp_path / "to-teacher",
                   "--from", "Ben Okafor", data_dir=observer_dir)
    assert sent.code == 0, sent.err
    received = run_cli("exchange", "import", tmp_path / "to-teacher.observe",
                       data_dir=teacher_dir)
    assert received.code == 0 and "new cycle" in received.out, received.err

    # The teacher opens it from the Cycles page, moves on to the reflection, writes it and
    # acknowledges the feedback: with the keyboard, then a click.
    view = open_from_cycles_page(main_window, cycle_id)
    view.next_button.click()
    type_text(view.reflection_edit, REFLECTION)
    view.acknowledge_check.click()
    with db.transaction() as s:
        mine = cycles.get_cycle(s, cycle_id)
    assert mine.reflection == REFLECTION and mine.acknowledged_at is not None
    assert mine.summary.stage == CycleStage.REFLECTION

    back = run_cli("exchange", "export", "--cycle", cycle_id, "--out", tmp_path / "back",
                   "--from", "the teacher", data_dir=teacher_dir)
    assert back.code == 0, back.err
    merged = run_cli("exchange", "import", tmp_path / "back.observe", "--json",
                     data_dir=observer_dir)
    assert merged.code == 0, merged.err
    summary = json.loads(merged.out)
    assert summary["tables"]["cycles"]["changed"] == 1
    assert summary["tables"]["cycles"]["conflicts"] == 0  # written over the observer's copy
    assert {c["field"] for c in summary["changes"]} >= {"reflection", "acknowledged_at",
                                                        "stage"}

    shown = run_cli("cycles", "show", cycle_id, data_dir=observer_dir)
    assert json.loads(shown.out)["reflection"] == REFLECTION
    # Both copies end equal: everything the cycle holds, row for row.
    from observe_app.storage.engine import Database

    with Database(observer_dir / "observe.db") as observer_db:
        theirs = snapshot(observer_db)
    ours = snapshot(db)
    cycle_rows = {t: [r for r in rows if cycle_id in r] for t, rows in ours.items()}
    assert all(set(rows) <= set(theirs[t]) for t, rows in cycle_rows.items())
    assert cycle_rows["cycles"]

    pdf = tmp_path / "cycle.pdf"
    exported = run_cli("export-pdf", "--cycle", cycle_id, "--out", pdf, data_dir=observer_dir)
    assert exported.code == 0, exported.err
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Acknowledged in Observe on" in " ".join(text.split())
    assert "Ich warte jetzt länger" in text
