"""A small school laptop (1024×600, title bar included): every view fits 1024×570 with nothing
cut off, and the window's size, splitters and page come back after a restart."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from observe_app.domain.enums import CycleStage, ItemKind
from observe_app.gui import settings as window_settings
from observe_app.gui.main_window import MainWindow
from observe_app.gui.settings import WindowSettings
from tests.gui.conftest import activate, start_visit
from tests.gui.review_helpers import people_and_cycle, visit

SMALL = QSize(1024, 570)  # a 1024×600 screen less the window manager's title bar


def fits(size: QSize) -> bool:
    return size.width() <= SMALL.width() and size.height() <= SMALL.height()


def cut_off(root: QWidget) -> list[str]:
    """Shown labels and buttons whose text needs more room than they were given."""
    problems = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, QLabel | QAbstractButton) or not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QLabel) and not widget.text():
            continue
        if widget.hasHeightForWidth():
            need = QSize(0, widget.heightForWidth(widget.width()))
        else:
            need = widget.minimumSizeHint() if isinstance(widget, QLabel) else widget.sizeHint()
        if need.height() > widget.height() or need.width() > widget.width():
            problems.append(f"{type(widget).__name__} {widget.objectName()!r} "
                            f"{widget.width()}x{widget.height()} < {need.width()}x"
                            f"{need.height()}: {getattr(widget, 'text', str)()[:40]!r}")
    return problems


def fully_shown(widget: QWidget) -> bool:
    """Shown, and inside every parent up to the window: no edge of it is cut away."""
    if not widget.isVisible():
        return False
    window = widget.window()
    area = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None:
        outline = (window.rect() if parent is window
                   else QRect(parent.mapTo(window, QPoint(0, 0)), parent.size()))
        if not outline.contains(area):
            return False
        parent = parent.parentWidget()
    return True


@pytest.fixture
def small_window(qtbot, backend):
    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(SMALL)
    win.show()
    win.attach(backend)
    activate(win)
    return win


def settle(window: MainWindow) -> None:
    window.resize(SMALL)
    QTest.qWait(100)  # scroll areas fit their content, layouts settle
    assert window.size() == SMALL
    assert fits(window.minimumSizeHint()), window.minimumSizeHint()
    assert fits(window.minimumSize())


@pytest.fixture
def rated_cycle(backend):
    """A cycle on the growth rubric in the post-conference, with tagged notes and goals."""
    teacher, _observer, version, cycle = people_and_cycle(backend)
    rubric = [i for i in version.items if i.kind == ItemKind.RUBRIC]
    visit(backend, cycle.id, [(f"Evidence note {n} about the lesson", 60 * n, [rubric[n].id])
                              for n in range(4)])
    backend.cycles.move_to_stage(cycle.id, CycleStage.OBSERVATION, now=backend.clock.now())
    backend.cycles.move_to_stage(cycle.id, CycleStage.POST_CONFERENCE, now=backend.clock.now())
    for n in range(6):  # goals pile up over a year of cycles
        backend.goals.set_goal(teacher.id, f"Goal {n}: more students explain their thinking "
                               "to a partner before answering", cycle_id=cycle.id,
                               now=backend.clock.now())
    return teacher, version, cycle


def test_every_page_fits_with_nothing_cut_off(small_window):
    for number in range(4):
        small_window.show_page(number)
        settle(small_window)
        assert cut_off(small_window) == [], number


def test_cycle_view_fits_and_rating_descriptors_are_whole(small_window, rated_cycle):
    _teacher, version, cycle = rated_cycle
    view = small_window.review.open_cycle(cycle.id)
    for tab in range(view.tabs.count()):
        view.tabs.setCurrentIndex(tab)
        settle(small_window)
        assert cut_off(view) == [], view.tabs.tabText(tab)
    view.tabs.setCurrentWidget(view.rating)
    panel = view.rating
    for item in panel.items:
        panel.select_item(item.id)
        QTest.qWait(10)
        cards = [panel.levels_row.itemAt(n).widget() for n in range(panel.levels_row.count())]
        assert len(cards) == len(item.levels) > 0
        for card in cards:
            label = card.descriptor_label
            assert label.text()
            assert label.height() >= label.heightForWidth(label.width()), item.label
            assert card.height() >= card.heightForWidth(card.width()), item.label
            # Reachable: inside the scrolled side, which the window shows.
            assert panel.item_scroll.widget().rect().contains(
                card.mapTo(panel.item_scroll.widget(), card.rect().bottomRight()))
        assert fully_shown(panel.item_scroll)


def test_goal_button_is_visible_however_many_goals(small_window, rated_cycle):
    _teacher, _version, cycle = rated_cycle
    view = small_window.review.open_cycle(cycle.id)
    view.tabs.setCurrentWidget(view.feedback)
    settle(small_window)
    assert len(view.feedback.status_combos) == 6
    assert fully_shown(view.feedback.goal_button)
    assert fully_shown(view.feedback.notes_edit)


def test_growth_view_fits(qtbot, small_window, rated_cycle):
    teacher, _version, _cycle = rated_cycle
    view = small_window.review.open_growth(teacher.id)
    qtbot.waitUntil(lambda: bool(view.timeline.entries), timeout=5000)  # read on a worker
    settle(small_window)
    assert cut_off(small_window) == []


def test_live_note_box_and_status_line_are_whole(small_window, backend):
    small_window.open_observation(start_visit(backend, "peer-observation"))
    view = small_window.live_view
    settle(small_window)
    view.note_edit.setPlainText("Exit ticket: students write one sentence explaining")
    for item_id in list(view._tag_items)[:4]:
        view.toggle_tag(item_id, pending=True)
    QTest.qWait(20)
    assert view.tags_label.text() and view.start_label.text()
    for widget in (view.note_edit, view.start_label, view.tags_label, view.pause_button,
                   view.header.end_button):
        assert fully_shown(widget), widget
    assert cut_off(view) == []
    assert fits(small_window.minimumSizeHint())


# -- remembered across restarts ------------------------------------------------------------


def drag(splitter, index: int, dx: int) -> None:
    handle = splitter.handle(index)
    middle = handle.rect().center()
    QTest.mousePress(handle, Qt.MouseButton.LeftButton, pos=middle)
    QTest.mouseMove(handle, middle + QPoint(dx, 0))
    QTest.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=middle + QPoint(dx, 0))


def close_to(sizes: list[int], saved: list[int]) -> bool:
    """The saved positions, give or take the rounding of a splitter fitted to its width."""
    return len(sizes) == len(saved) and all(abs(a - b) <= 12 for a, b in zip(sizes, saved,
                                                                              strict=True))


def open_window(qtbot, backend, data_dir) -> MainWindow:
    win = MainWindow()
    qtbot.addWidget(win)
    win.restore_layout(WindowSettings(data_dir))
    win.show()
    win.attach(backend)
    return win


def test_size_splitters_and_page_come_back_after_a_restart(qtbot, backend, data_dir,
                                                           rated_cycle):
    _teacher, _version, cycle = rated_cycle
    first = open_window(qtbot, backend, data_dir)
    first.showNormal()
    first.resize(800, 500)  # the offscreen screen is 800×600
    first.show_page(3)
    QTest.qWait(20)
    splitter = first.protocols_page.splitter
    before = splitter.sizes()
    drag(splitter, 1, -40)
    assert splitter.sizes() != before
    protocols_sizes = splitter.sizes()
    first.show_page(1)
    view = first.review.open_cycle(cycle.id)
    view.tabs.setCurrentWidget(view.rating)
    QTest.qWait(20)
    drag(view.rating.splitter, 1, 50)
    rating_sizes = view.rating.splitter.sizes()
    view.closed.emit()
    first.show_page(3)
    assert first.close()

    second = open_window(qtbot, backend, data_dir)
    QTest.qWait(20)
    assert second.size() == QSize(800, 500)
    assert second.navigation.currentRow() == 3
    assert second.pages_stack.currentWidget() is second.protocols_page
    assert close_to(second.protocols_page.splitter.sizes(), protocols_sizes)
    second.show_page(1)
    view = second.review.open_cycle(cycle.id)
    view.tabs.setCurrentWidget(view.rating)
    QTest.qWait(20)
    assert close_to(view.rating.splitter.sizes(), rating_sizes)


def test_first_start_fits_the_screen(qtbot, data_dir):
    win = MainWindow()
    qtbot.addWidget(win)
    win.restore_layout(WindowSettings(data_dir))
    win.show()
    QTest.qWait(20)
    available = (win.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    assert available.contains(win.frameGeometry())
    assert win.navigation.currentRow() == 0


def test_nonsense_in_window_ini_reads_as_the_defaults(data_dir):
    (data_dir / "window.ini").write_text("[window]\npage=lots\ngeometry=12\n"
                                         "[splitters]\nlive=a,b\n", encoding="utf-8")
    settings = WindowSettings(data_dir)
    assert settings.get(window_settings.PAGE) == 0
    assert settings.get(window_settings.GEOMETRY).isEmpty()
    assert settings.get(window_settings.LIVE_SPLITTER) == ()
    settings.set(window_settings.LIVE_SPLITTER, (300, 200))
    settings.set(window_settings.EXPORT_FOLDER, "/tmp/pdfs")
    settings.sync()
    again = WindowSettings(data_dir)
    assert again.get(window_settings.LIVE_SPLITTER) == (300, 200)
    assert again.get(window_settings.EXPORT_FOLDER) == "/tmp/pdfs"
    keys = [s.key for s in window_settings.SETTINGS]
    assert len(keys) == len(set(keys))


def test_plan_dialog_fits_with_every_protocol_described(qtbot, backend, db):
    """The longest built-in description and outline, and a school's own protocol with a
    description as long as the format allows and fifty sections."""
    from observe_app.gui import tasks
    from observe_app.gui.dialogs import CycleDialog
    from observe_app.protocols import loader
    from observe_app.services import protocols

    document = loader.load_file(loader.resource_path("protocols", "peer-observation.json"))
    section = document["sections"][0]
    document.update(id="our-walk", name="Our very long walk", description="Look closely. " * 285,
                    sections=[dict(section, key=f"s{n}", title=f"Section number {n}",
                                   items=[dict(i, key=f"{i['key']}-{n}") for i in section["items"]])
                              for n in range(50)])
    with db.transaction() as s:
        protocols.import_document(s, loader.validate_document(document, "our-walk.json"))
    teacher = backend.people.add_person("Ana Lima")
    dialog = CycleDialog(backend, teacher.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.ready, timeout=5000)
    combo = dialog.ui.protocol_combo
    assert combo.count() == 9  # the eight built-ins and ours
    for index in range(combo.count()):
        combo.setCurrentIndex(index)
        qtbot.waitUntil(lambda: not tasks.busy() and "Reading" not in
                        dialog.ui.protocol_outline_label.text(), timeout=5000)
        qtbot.wait(20)  # the layout settles
        assert fits(dialog.size()) and fits(dialog.minimumSizeHint()), combo.currentText()
        assert cut_off(dialog) == [], combo.currentText()
    assert dialog.ui.protocol_outline_label.text().endswith("· 44 more sections")
