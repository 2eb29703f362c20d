"""A 60-minute lesson with 400 contributions captured through the live participation map.

Each capture is timed on the GUI thread from the input to the chart painted: a click on a
seat (three in four) or Enter in the seat box after its number and letter were typed (one in
four), the contribution saved through the live view's own path (the panel's pending writes,
`Backend.impatient().participation.record_contribution`: its own transaction, a 10 ms lock
wait, synchronous=FULL), the undo step pushed, and every event that left (the chart's and the
labels' repaint) processed. The real live view, offscreen, at 1366x768, on seven tables of four.

Target: every capture under 16 ms (one frame at 60 Hz). The baseline, interleaved so both see
the same disk and noise, is a bare SQLAlchemy insert + commit of the same row with the same
pragmas: the floor of any capture that is durable when it is shown.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from benchmarks.common import percentile  # noqa: E402
from observe_app.domain.models import Base, Contribution  # noqa: E402
from observe_app.domain.types import new_id  # noqa: E402
from observe_app.gui.backend import Backend  # noqa: E402  (the window's data facade)
from observe_app.gui.live.live_view import LiveObservationView  # noqa: E402
from observe_app.gui.style import STYLE_SHEET  # noqa: E402
from observe_app.services.participation import table_seats  # noqa: E402
from observe_app.storage.engine import make_engine  # noqa: E402
from observe_app.storage.opening import open_database  # noqa: E402

CONTRIBUTIONS = 400
LESSON_S = 60 * 60
TARGET_MS = 16.0
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


class LessonClock:
    """The lesson's clock, moved on by the benchmark between contributions."""

    def __init__(self) -> None:
        self.ms = 0

    def monotonic_ms(self) -> int:
        return self.ms

    def now(self) -> dt.datetime:
        return START + dt.timedelta(milliseconds=self.ms)


def _visit(backend: Backend) -> tuple[str, str]:
    teacher = backend.people.add_person("Aino Mäkelä")
    version = backend.protocols.find_protocol("participation-and-talk").latest_version_id
    cycle = backend.cycles.plan_cycle(teacher_id=teacher.id, protocol_version_id=version,
                                      now=backend.clock.now())
    visit = backend.observations.start_observation(cycle.id, subject="Mathematics", grade="8",
                                                   room="4", now=backend.clock.now())
    item = next(i for i in backend.protocols.get_version(version).items
                if i.kind == "participation")
    backend.participation.seat_visit(visit.id, item.id, table_seats(7, 4))
    return visit.id, item.id


def main() -> int:
    app = QApplication(sys.argv[:1])
    app.setStyleSheet(STYLE_SHEET)
    folder = Path(tempfile.mkdtemp(prefix="observe-bench-"))
    clock = LessonClock()
    db = open_database(folder / "app")
    backend = Backend(db, clock)
    backend.protocols.install_builtins()
    visit_id, item_id = _visit(backend)
    bare = make_engine(folder / "bare.db")
    Base.metadata.create_all(bare)
    with bare.begin() as conn:  # the rows the bare contribution points at are not there
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")

    view = LiveObservationView(backend, visit_id)
    view.resize(1366, 768)
    view.show()
    QTest.qWait(200)
    widget = view.panel.participation[item_id]
    chart = widget.chart
    calls = view.backend.participation
    record = calls.record_contribution
    save_ms: list[float] = []

    def timed_record(*args, **kwargs):  # type: ignore[no-untyped-def]
        began = time.perf_counter()
        try:
            return record(*args, **kwargs)
        finally:
            save_ms.append((time.perf_counter() - began) * 1000)

    calls.record_contribution = timed_record  # type: ignore[method-assign]
    rng = random.Random(20261202)
    seats = [s.number for s in chart.seats]
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(seats))]  # a few seats talk most
    letters = [t.key for t in widget.item.talk_types]
    capture_ms: list[float] = []
    bare_ms: list[float] = []
    by_keys = 0
    for n in range(CONTRIBUTIONS):
        clock.ms = (n + 1) * LESSON_S * 1000 // (CONTRIBUTIONS + 1)
        seat = rng.choices(seats, weights)[0]
        called_on = rng.random() < 0.4
        if n % 4 == 3:  # by keys: the typing is the observer's time; Enter is the capture
            by_keys += 1
            widget.entry.setFocus()
            QTest.keyClicks(widget.entry, f"{seat}{rng.choice(letters)}")
            QApplication.processEvents()
            modifier = (Qt.KeyboardModifier.ShiftModifier if called_on
                        else Qt.KeyboardModifier.NoModifier)
            began = time.perf_counter()
            QTest.keyClick(widget.entry, Qt.Key.Key_Return, modifier)
            QApplication.processEvents()
        else:
            where = chart.seat_rect(seat).center().toPoint()
            button = Qt.MouseButton.RightButton if called_on else Qt.MouseButton.LeftButton
            began = time.perf_counter()
            QTest.mouseClick(chart, button, Qt.KeyboardModifier.NoModifier, where)
            QApplication.processEvents()
        capture_ms.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        with bare.begin() as conn:
            conn.execute(insert(Contribution).values(
                id=new_id(), observation_id=visit_id, item_id=item_id, seat=seat,
                talk_type="a", called_on=called_on, wall_time=clock.now(),
                elapsed_ms=clock.ms))
        bare_ms.append((time.perf_counter() - began) * 1000)

    stored = len(backend.participation.contributions(visit_id, item_id))
    assert stored == CONTRIBUTIONS, f"{stored} contributions stored, not {CONTRIBUTIONS}"
    assert len(save_ms) == CONTRIBUTIONS
    view.close()
    db.close()
    bare.dispose()

    print(f"participation capture, a {LESSON_S // 60}-minute lesson, {CONTRIBUTIONS} "
          f"contributions on 28 seats ({CONTRIBUTIONS - by_keys} clicks, {by_keys} by the "
          "seat box), input → saved → painted, on the GUI thread")
    for name, values in (("Observe capture", capture_ms), ("  of which the save", save_ms),
                         ("bare SQLAlchemy commit", bare_ms)):
        print(f"  {name:<24} p50 {percentile(values, 50):6.2f} ms   "
              f"p95 {percentile(values, 95):6.2f} ms   max {max(values):6.2f} ms")
    slowest = max(capture_ms)
    over = sum(1 for v in capture_ms if v >= TARGET_MS)
    ratio = percentile(capture_ms, 95) / percentile(bare_ms, 95)
    print(f"  p95 {ratio:.2f}× the bare commit; slowest capture {slowest:.2f} ms (capture "
          f"{capture_ms.index(slowest) + 1}), {over} of {CONTRIBUTIONS} at or over "
          f"{TARGET_MS:.0f} ms: {'ok' if over == 0 else 'OVER TARGET'}")
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    print(f"  load average {load[0]:.1f}")
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
