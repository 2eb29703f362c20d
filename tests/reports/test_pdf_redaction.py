"""A cycle's PDF with student names replaced: every free text it prints (notes, feedback,
focus, evidence to collect, post-conference notes, reflection, prompt answers, goals,
comments, seat labels) carries labels, and none of the names."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sqlite3
from pathlib import Path

from pdf_helpers import pdf_text
from sqlalchemy import Text

from observe_app import reports
from observe_app.domain.models import Base
from observe_app.exchange.tables import SYNCED
from observe_app.reports.options import PdfOptions
from observe_app.services import cycles, redaction
from observe_app.storage.engine import Database

# Students, not the demo's teachers (a person's name is not replaced).
NAMES = ("Mateo Ibáñez", "Lê Thị Bích Ngọc", "Σοφία", "Дарья Кузнецова")
WRITTEN = ("MATEO IBÁÑEZ", "lê thị bích ngọc", "ΣΟΦΙΑ", "Дарья Кузнецова")


def _names_everywhere(db: Database) -> str:
    """Each free text of the demo starts with a student's name (the four scripts in turn),
    and every seat label is one; the cycle to export (closed, with the most visits)."""
    db.checkpoint()
    conn = sqlite3.connect(db.path)
    spelled = itertools.cycle(WRITTEN)
    with conn:
        for table in SYNCED:
            for column in Base.metadata.tables[table].columns:
                if isinstance(column.type, Text):
                    conn.execute(f"UPDATE {table} SET {column.name} = ? || ' ' || "
                                 f"{column.name} WHERE {column.name} != ''", (next(spelled),))
        for table in ("visit_seatings", "seating_charts"):
            rows = conn.execute(f"SELECT id, seats FROM {table}").fetchall()
            for row_id, seats in rows:
                labels = {str(s["n"]): next(spelled) for s in json.loads(seats)}
                conn.execute(f"UPDATE {table} SET labels = ? WHERE id = ?",
                             (json.dumps(labels), row_id))
    conn.close()
    with db.transaction() as s:
        closed = [c for c in cycles.list_cycles(s) if c.stage.value == "closed"]
        return max(closed, key=lambda c: c.observation_count).id


def _text(path: Path) -> str:
    return " ".join(pdf_text(path)).casefold()


def test_the_pdf_has_labels_and_none_of_the_names(demo_db: Database, tmp_path: Path) -> None:
    cycle_id = _names_everywhere(demo_db)
    options = PdfOptions(seat_labels=True)
    plain = reports.export_cycle(demo_db, cycle_id, tmp_path / "plain.pdf", tz=dt.UTC,
                                 options=options)
    text = _text(plain.path)
    assert all(name.casefold() in text for name in WRITTEN)  # the names are there to replace
    with demo_db.transaction() as s:
        kept = redaction.create_class_list(s, "7B", "\n".join(NAMES))
        redactor = redaction.redactor_for(s, kept.id)
    assert redactor is not None
    found = reports.export.preview_redaction(demo_db, cycle_id, redactor, options=options)
    assert {f.name for f in found} == set(NAMES) and all(f.times > 1 for f in found)
    done = reports.export_cycle(demo_db, cycle_id, tmp_path / "redacted.pdf", tz=dt.UTC,
                                options=options, redactor=redactor)
    text = _text(done.path)
    assert "student a" in text and "student d" in text
    for name in (*NAMES, *WRITTEN, "Ibáñez", "Ngọc", "Кузнецова"):
        assert name.casefold() not in text, name
    # The preview's labels are the PDF's: the first label goes to the name it says.
    first = found[0]
    assert f"{first.label} ".casefold() in text


def test_without_a_list_the_pdf_is_as_before(demo_db: Database, tmp_path: Path) -> None:
    cycle_id = _names_everywhere(demo_db)
    done = reports.export_cycle(demo_db, cycle_id, tmp_path / "s.pdf", tz=dt.UTC,
                                redactor=redaction.Redactor([]))
    text = _text(done.path)
    assert "student a" not in text and "mateo ibáñez" in text
