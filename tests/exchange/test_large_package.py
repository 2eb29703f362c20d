"""A 10,000-note package is accepted, in seconds, and its notes can be found by search.

The sending folder (one teacher, ten cycles, forty visits) is made through the services by
benchmarks/exchange_data.py, the same data the exchange benchmark measures. The bound is
generous (the machine is shared); benchmarks/exchange.py holds the measured ratios.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from benchmarks.exchange_data import build
from observe_app import cli
from observe_app.services import exchange, search
from observe_app.storage.opening import open_database

pytestmark = pytest.mark.slow  # building the sender's 10,000 notes takes several seconds


def test_a_10000_note_package_is_received_in_seconds_and_searchable(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    made = build(tmp_path / "sender")
    assert made.notes == 10_000
    path = tmp_path / "year.observe"
    code = cli.main(["--data-dir", str(made.folder), "exchange", "export", "--teacher",
                     made.teacher_id, "--out", str(path)])
    assert code == 0 and "10 cycles, 10000 notes" in capsys.readouterr().out
    receiver = tmp_path / "receiver"
    open_database(receiver).close()

    started = time.perf_counter()
    code = cli.main(["--data-dir", str(receiver), "exchange", "import", str(path), "--json"])
    took = time.perf_counter() - started
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert '"added": 10000' in out
    assert took < 30, f"receiving 10,000 notes took {took:.1f} s"

    with open_database(receiver) as db, db.transaction() as s:
        hits = search.search(s, "4321")  # each note ends with its number: "(4321)"
        assert [h.snippet for h in hits if "4321" in h.snippet], hits
        assert all(h.teacher_name == "Ελένη Γεωργίου" for h in hits)
        words = search.search(s, "misconception whiteboards")
        assert words
    # Receiving the same notes again (another package of the same data) adds nothing.
    with open_database(made.folder) as db, db.transaction() as s:
        again = exchange.send_teacher(s, made.teacher_id, tmp_path / "again.observe",
                                      sender="Siobhán")
    opened = exchange.open_package(again.path)
    with open_database(receiver) as db, db.transaction() as s:
        preview = exchange.receive_package(s, opened)
    assert preview.nothing_to_do
