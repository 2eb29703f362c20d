"""Take screenshots of the Calibration tab: a lesson two observers record on two laptops, first
while it waits for a visit, then once both are in (and a second lesson, on the mixed protocol,
for its look-fors, scan codes, tallies and timer).

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. python tools/calibration_screenshots.py docs
Writes docs/calibration-{waiting,waiting-end,open,open-table,scan,counts,group}-{1366,1024}.png; the
laptops' data folders are made in a temporary folder and removed. Also
docs/calibration-drift.png: one observer across those lessons.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSize  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from observe_app.domain.enums import ItemKind  # noqa: E402
from observe_app.gui.backend import Backend  # noqa: E402
from observe_app.gui.calibration_dialog import ObserverCalibrationDialog  # noqa: E402
from observe_app.gui.main_window import MainWindow  # noqa: E402
from observe_app.gui.style import STYLE_SHEET  # noqa: E402
from observe_app.gui.tasks import busy  # noqa: E402
from observe_app.storage.opening import open_database  # noqa: E402

SIZES = {"1366": QSize(1366, 768), "1024": QSize(1024, 600)}
LESSON = dt.datetime(2026, 3, 2, 9, 5, tzinfo=dt.UTC)

ANNA_LEVELS = [3, 3, 2, 4, 2, 3, 3, 2, 1, 3, 3, 2, None, 3, 2, 3]
CARLA_LEVELS = [3, 2, 2, 3, 2, 3, 4, 2, 3, 3, 2, 2, 2, None, 2, 3]
DEV_LEVELS = [2, 2, 1, 3, 2, 2, 3, 2, 2, 3, 2, 1, 2, 2, 2, 3]
ANNA_NOTES = [(0, 95, "T: 'Who can say why 3/4 is bigger than 2/3?' Waits; 6 hands."),
              (1, 240, "Pairs compare strips; T listens to two pairs, then asks one to share."),
              (8, 610, "T explains common denominators for 4 minutes; 3 students off task."),
              (6, 900, "Exit ticket: 2 questions on the board, students work alone.")]
CARLA_NOTES = [(0, 100, "Open question on fractions; T waits about 4 s; many hands."),
               (1, 250, "Students work in pairs with fraction strips, T circulates."),
               (8, 620, "Short explanation of common denominators, most students follow."),
               (6, 905, "Exit ticket given, students answer individually.")]


class LessonClock:
    """The lesson's time, moved on by hand, so the dates read like a real week."""

    def __init__(self) -> None:
        self.wall = LESSON

    def monotonic_ms(self) -> int:
        return int((self.wall - LESSON).total_seconds() * 1000)

    def now(self) -> dt.datetime:
        return self.wall


def _laptop(folder: Path, name: str) -> Backend:
    (folder / name).mkdir(parents=True)
    backend = Backend(open_database(folder / name), LessonClock())
    backend.protocols.install_builtins()
    return backend


def _pass(sender: Backend, receiver: Backend, cycle_id: str, file: Path) -> None:
    sender.exchange.send_cycle(cycle_id, file, sender="screenshots")
    receiver.exchange.receive_package(receiver.exchange.open_package(file))


def _record(backend: Backend, cycle_id: str, observer_id: str, levels: list[int | None],
            notes: list[tuple[int, int, str]], start: dt.datetime) -> str:
    summary = backend.cycles.get_summary(cycle_id)
    version = backend.protocols.get_version(summary.protocol_version_id)
    rubric = [i for i in version.items if i.kind == ItemKind.RUBRIC]
    visit = backend.observations.start_observation(
        cycle_id, subject="Mathematics", grade="7B", room="H2", students=26, now=start,
        observer_id=observer_id)
    for item, seconds, text in notes:
        backend.notes.add_note(visit.id, text, wall_time=start + dt.timedelta(seconds=seconds),
                               elapsed_ms=seconds * 1000,
                               item_ids=[rubric[item].id] if rubric else [])
    for item, level in zip(rubric, levels, strict=False):
        backend.co_observation.rate_from_visit(visit.id, item.id, level,
                                               not_observed=level is None)
    _mixed(backend, version, visit.id, observer_id, start)
    backend.observations.end_observation(visit.id, 45 * 60_000,
                                         now=start + dt.timedelta(minutes=45))
    return visit.id


def _mixed(backend: Backend, version, visit_id: str, observer_id: str,  # type: ignore[no-untyped-def]
           start: dt.datetime) -> None:
    """Look-fors, tallies, a timer and scan codes, a little differently by each observer."""
    carla = backend.people.get_person(observer_id).name.startswith("Carla")
    for n, item in enumerate(i for i in version.items if i.kind == ItemKind.LOOKFOR):
        backend.responses.set_checked(visit_id, item.id, n == 0 or carla)
    for n, item in enumerate(i for i in version.items if i.kind == ItemKind.TALLY):
        backend.responses.change_tally(visit_id, item.id, [9, 4, 6, 2][n % 4] + (n if carla else 0))
    for item in (i for i in version.items if i.kind == ItemKind.TIMER):
        backend.responses.add_timer_run(visit_id, item.id, 60_000, 3_000 if carla else 4_000)
        backend.responses.add_timer_run(visit_id, item.id, 300_000, 2_000)
    for item in (i for i in version.items if i.kind == ItemKind.INTERVAL):
        keys = [c.key for c in item.codes]
        for index in range(12):
            codes = [keys[index % 3]] + ([keys[3]] if carla and index % 4 == 0 else [])
            if carla and index == 5:
                codes = [keys[(index + 1) % 3]]
            backend.responses.record_interval(visit_id, item.id, index, codes,
                                              now=start + dt.timedelta(minutes=3 * index))


def _wait() -> None:
    QTest.qWait(200)
    while busy():
        QTest.qWait(50)
    QTest.qWait(300)


def _shoot(window: MainWindow, cycle_id: str, out: Path, name: str, *, scroll_to: str = ""
           ) -> None:
    for size_name, size in SIZES.items():
        window.resize(size)
        view = window.review.open_cycle(cycle_id)
        view.tabs.setCurrentWidget(view.calibration)
        _wait()
        panel = view.calibration
        if scroll_to == "end":
            bar = panel.page_area.verticalScrollBar()
            bar.setValue(bar.maximum())
            QTest.qWait(200)
        elif scroll_to and panel.agreement_widget is not None:
            target = getattr(panel.agreement_widget, scroll_to)
            panel.page_area.ensureWidgetVisible(target, 0, 0)
            bar = panel.page_area.verticalScrollBar()
            bar.setValue(min(bar.maximum(), target.mapTo(panel.page_area.widget(),
                                                        target.rect().topLeft()).y() - 8))
            QTest.qWait(200)
        window.grab().save(str(out / f"calibration-{name}-{size_name}.png"))
        window.review.close_all()


def main(out: str) -> int:
    app = QApplication(sys.argv[:1])
    app.setStyleSheet(STYLE_SHEET)
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        anna_laptop, carla_laptop = _laptop(folder, "anna"), _laptop(folder, "carla")
        ben = anna_laptop.people.add_person("Ben Okafor", subject="Mathematics")
        anna = anna_laptop.people.add_person("Anna Lindqvist")
        carla = anna_laptop.people.add_person("Carla Ruiz")
        dev = anna_laptop.people.add_person("Dev Patel")
        cycles = {}
        starts = {"group": LESSON - dt.timedelta(days=42),
                  "mixed": LESSON - dt.timedelta(days=21), "pair": LESSON}
        for name, slug, focus, co_observers in (
                ("pair", "new-teacher-growth", "Students explaining their thinking", [carla]),
                ("mixed", "questioning-wait-time-engagement", "Wait time after questions",
                 [carla]),
                ("group", "new-teacher-growth", "Students explaining their thinking",
                 [carla, dev])):
            version = anna_laptop.protocols.find_protocol(slug).latest_version_id
            cycles[name] = anna_laptop.cycles.plan_cycle(
                teacher_id=ben.id, observer_id=anna.id, protocol_version_id=version,
                focus=focus, now=starts[name] - dt.timedelta(days=3),
                co_observer_ids=[p.id for p in co_observers]).id
        for name, cycle_id in cycles.items():
            _pass(anna_laptop, carla_laptop, cycle_id, folder / f"planned-{name}.observe")
            # Dev has no laptop of his own: he records on Carla's.
            for who, levels in ((carla, CARLA_LEVELS), (dev, DEV_LEVELS)):
                if who is dev and name != "group":
                    continue
                visit = _record(carla_laptop, cycle_id, who.id, levels, CARLA_NOTES,
                                starts[name])
                carla_laptop.co_observation.hand_in(visit,
                                                    now=starts[name] + dt.timedelta(hours=2))
            _pass(carla_laptop, anna_laptop, cycle_id, folder / f"carla-{name}.observe")
            _record(anna_laptop, cycle_id, anna.id, ANNA_LEVELS, ANNA_NOTES, starts[name])

        window = MainWindow()
        window.show()
        window.attach(anna_laptop)
        growth = cycles["pair"]
        _shoot(window, growth, out_dir, "waiting")
        _shoot(window, growth, out_dir, "waiting-end", scroll_to="end")
        for name, cycle_id in cycles.items():
            lesson = anna_laptop.co_observation.lesson(cycle_id)
            own = next(v for v in lesson.visits if v.recorded_here)
            anna_laptop.co_observation.hand_in(own.observation_id,
                                               now=starts[name] + dt.timedelta(days=1))
        _shoot(window, growth, out_dir, "open")
        _shoot(window, growth, out_dir, "open-table", scroll_to="pair_widget")
        _shoot(window, cycles["mixed"], out_dir, "scan", scroll_to="pair_widget")
        _shoot(window, cycles["mixed"], out_dir, "counts", scroll_to="end")
        _shoot(window, cycles["group"], out_dir, "group", scroll_to="group_heading")
        dialog = ObserverCalibrationDialog(anna_laptop, anna.id, anna.name, window)
        dialog.show()
        _wait()
        dialog.grab().save(str(out_dir / "calibration-drift.png"))
        dialog.close()
        window.close()
        anna_laptop.database.close()
        carla_laptop.database.close()
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
