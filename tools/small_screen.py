"""Screenshots of the whole screen (window frame included) on a small laptop, with a report of
anything cut off: run under Xvfb with a window manager, on a COPY of a demo data folder.

    observe-app --data-dir /tmp/demo demo && cp -r /tmp/demo /tmp/demo-copy
    PYTHONPATH=. xvfb-run -a -s "-screen 0 1024x600x24" sh -c \
        'openbox & sleep 1; python tools/small_screen.py /tmp/demo-copy docs/small-screen'
Arguments: data folder, output folder. The window opens as it would on a first start (sized
to the screen's available area); the report lists the frame and every label or button whose
text does not fit, and the script exits 1 if any does.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLabel, QScrollArea, QWidget

from observe_app.domain.enums import CycleStage
from observe_app.gui.settings import WindowSettings

sys.path.insert(0, str(Path(__file__).parent))
from screenshots import open_window  # noqa: E402


def cut_off(root: QWidget) -> list[str]:
    """Visible labels and buttons that are shorter or narrower than their text needs, or that
    lie partly outside the window."""
    problems = []
    for widget in root.findChildren(QWidget):
        if (not widget.isVisibleTo(root.window())
                or not isinstance(widget, QLabel | QAbstractButton)):
            continue
        if isinstance(widget, QLabel) and not widget.text():
            continue
        hint = widget.minimumSizeHint() if isinstance(widget, QLabel) else widget.sizeHint()
        need_h = (widget.heightForWidth(widget.width()) if widget.hasHeightForWidth()
                  else hint.height())
        need_w = (0 if isinstance(widget, QLabel) and widget.wordWrap()
                  else widget.minimumSizeHint().width() if widget.hasHeightForWidth()
                  else hint.width())
        # Inside the window, or inside a scroll area's content (reached by scrolling).
        outer = root.window()
        parent = widget.parentWidget()
        while parent is not None and parent is not outer:
            if isinstance(parent.parentWidget(), QWidget) and isinstance(
                    parent.parentWidget().parentWidget(), QScrollArea):
                outer = parent
                break
            parent = parent.parentWidget()
        box = outer.rect()
        top_left = widget.mapTo(outer, widget.rect().topLeft())
        bottom_right = widget.mapTo(outer, widget.rect().bottomRight())
        inside = box.contains(top_left) and box.contains(bottom_right)
        if need_h > widget.height() + 1 or need_w > widget.width() + 1 or not inside:
            text = widget.text() if hasattr(widget, "text") else ""
            problems.append(f"  {type(widget).__name__} {widget.objectName()!r} "
                            f"{widget.width()}x{widget.height()} needs {need_w}x{need_h}"
                            f"{'' if inside else ' (outside the window)'}: {text[:50]!r}")
    return problems


def main(data_dir: str, out: str) -> int:
    app, out_dir, clock, backend, window = open_window(data_dir, out)
    window.restore_layout(WindowSettings(Path(data_dir)))
    window.show()
    window.attach(backend)
    screen = QGuiApplication.primaryScreen()
    failures = 0

    def shot(name: str) -> None:
        nonlocal failures
        QTest.qWait(400)
        frame, available = window.frameGeometry(), screen.availableGeometry()
        problems = cut_off(window)
        fits = available.contains(frame)
        print(f"{name}: frame {frame.width()}x{frame.height()} at {frame.x()},{frame.y()} "
              f"in {available.width()}x{available.height()}; client {window.width()}x"
              f"{window.height()}; minimum {window.minimumSizeHint().width()}x"
              f"{window.minimumSizeHint().height()}{'' if fits else ' DOES NOT FIT'}")
        print("\n".join(problems))
        failures += len(problems) + (not fits)
        screen.grabWindow(0).save(str(out_dir / f"{name}.png"))

    QTest.qWait(600)  # the window manager places and decorates the window
    window.show_page(0)
    shot("observe-page")
    window.show_page(3)
    shot("protocols-page")
    person = next(p for p in backend.people.list_people() if p.cycle_count > 2)
    window.show_page(2)
    window.teachers_page.select_id(person.id)
    growth = window.review.open_growth(person.id)
    shot("growth-view")
    growth.closed.emit()
    cycles = [c for c in backend.cycles.list_cycles(teacher_id=person.id)
              if c.stage in (CycleStage.POST_CONFERENCE, CycleStage.REFLECTION)
              and c.observation_count]
    window.show_page(1)
    view = window.review.open_cycle(cycles[-1].id)
    view.tabs.setCurrentWidget(view.rating)
    longest = max(view.rating.items, key=lambda i: max(len(lv.descriptor) for lv in i.levels))
    view.rating.select_item(longest.id)
    shot("cycle-view-ratings")
    view.tabs.setCurrentWidget(view.feedback)
    shot("cycle-view-post-conference")
    view.closed.emit()
    everyone = backend.people.list_people()
    cycle = backend.cycles.plan_cycle(
        teacher_id=everyone[0].id, observer_id=everyone[1].id,
        protocol_version_id=backend.protocols.find_protocol("peer-observation").latest_version_id,
        focus="More students explaining their thinking")
    obs = backend.observations.start_observation(cycle.id, subject="Science", grade="Year 8",
                                                 room="B12", students=27, now=clock.now())
    window.open_observation(obs.id)
    live = window.live_view
    for n, text in enumerate(["T opens with the learning intention; reads it aloud.",
                              "S3: 'It floats because ice is less dense.' T: 'How do you know?'",
                              "Pairs discuss for 90 s; two pairs off task at the back."]):
        clock.advance(47_000 + n * 31_000)
        live.note_edit.setPlainText(text)
        live._on_note_edit_submitted()
    live.note_edit.setPlainText("Exit ticket: students write one sentence explaining")
    for item_id in list(live._tag_items)[:2]:
        live.toggle_tag(item_id, pending=True)
    live.tick()
    shot("live-view")
    QTimer.singleShot(0, app.quit)
    app.exec()
    backend.database.close()
    print(f"{failures} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
