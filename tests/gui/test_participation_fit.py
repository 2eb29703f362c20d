"""A participation map as full as the protocol format allows (twelve talk types, twenty groups,
every label and name sixty characters long) on a small laptop (1024×570): the live map never
scrolls sideways, every talk type is reached by its letter and by its button, and the seating
editor's groups scroll inside it so Save stays on screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest

from observe_app.gui.main_window import MainWindow
from observe_app.gui.seating_editor import SeatingEditorDialog
from observe_app.gui.style import STYLE_SHEET
from observe_app.protocols import loader
from observe_app.services import protocols
from observe_app.services.participation import table_seats
from tests.gui.conftest import activate, shown_window, start_visit, type_text
from tests.gui.test_accessibility import _unnamed
from tests.gui.test_small_screen import SMALL, cut_off, fits, fully_shown

SLUG = "crowded-talk"
KEYS = "abcdefghijkl"
ALT, CTRL = Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier


def _sixty(text: str) -> str:
    """`text` made as long as a name may be: sixty characters."""
    return (text + " " + "and more words to make it longer" * 3)[:59] + "."


TALK_TYPES = [{"key": key, "label": _sixty(f"Talk type {key.upper()}: explained a way")}
              for key in KEYS]
GROUPS = [_sixty(f"Group {n} the school named at length") for n in range(1, 21)]


@pytest.fixture
def crowded_visit(backend, db):
    """A visit on "Participation and talk" with the most talk types and groups a protocol
    may have, laid out as seven tables of four: the visit's id and its participation item."""
    document = loader.load_file(loader.resource_path("protocols",
                                                     "participation-and-talk.json"))
    document.update(id=SLUG, name="Crowded talk")
    item = document["sections"][0]["items"][0]
    item.update(talk_types=TALK_TYPES, groups=GROUPS)
    with db.transaction() as s:
        protocols.import_document(s, loader.validate_document(document, f"{SLUG}.json"))
    observation_id = start_visit(backend, SLUG)
    version = backend.protocols.get_version(
        backend.protocols.find_protocol(SLUG).latest_version_id)
    participation = next(i for i in version.items if i.kind == "participation")
    assert len(participation.talk_types) == 12 and len(participation.groups) == 20
    assert {len(t.label) for t in participation.talk_types} | {len(g) for g in GROUPS} == {60}
    backend.participation.seat_visit(observation_id, participation.id, table_seats(7, 4))
    return observation_id, participation


def _inside(rect: QRect, widget, area) -> bool:
    return area.rect().contains(QRect(widget.mapTo(area, QPoint(0, 0)), rect.size()))


@pytest.mark.parametrize("styled", [False, True], ids=["plain", "app-style"])
def test_twelve_talk_types_fit_the_live_panel_and_each_is_reached(qtbot, backend,
                                                                 crowded_visit, styled):
    observation_id, item = crowded_visit
    window = MainWindow()
    qtbot.addWidget(window)
    if styled:  # the app's look, whose wider buttons (1.6em) wrap onto two rows here
        window.setStyleSheet(STYLE_SHEET)
    window.resize(SMALL)
    window.show()
    window.attach(backend)
    activate(window)
    window.open_observation(observation_id)
    QTest.qWait(100)
    assert window.size() == SMALL and fits(window.minimumSizeHint())
    panel = window.live_view.panel
    widget = panel.participation[item.id]
    bar = widget.talk_bar

    assert panel.horizontalScrollBar().maximum() == 0
    assert cut_off(window.live_view) == [] and _unnamed(widget) == []
    rows = {b.y() for b in bar.buttons.values()}
    assert len(rows) == (2 if styled else 1) and bar.width() <= panel.viewport().width()
    tops = sorted(rows)
    per_row = [sum(1 for b in bar.buttons.values() if b.y() == top) for top in tops]
    assert max(per_row) - min(per_row) <= 1  # even rows, never eleven and one
    # The name goes beneath the buttons, whole, whichever type is marked.
    assert bar.name_label.y() >= max(b.geometry().bottom() for b in bar.buttons.values())

    for n, key in enumerate(KEYS, start=1):
        button = bar.buttons[key]
        assert _inside(button.rect(), button, panel.widget())  # not beyond the panel's side
        panel.ensureWidgetVisible(button, 0, 0)
        assert fully_shown(button)
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        assert widget.talk_type == key and button.isChecked()
        assert bar.name_label.text() == TALK_TYPES[n - 1]["label"]
        assert cut_off(bar) == []
        # By its letter in the seat box: the type alone, then a seat with its letter.
        widget.focus_entry()
        widget.set_talk_type("a" if key != "a" else "b")
        type_text(widget.entry, key)
        QTest.keyClick(widget.entry, Qt.Key.Key_Return)
        assert widget.talk_type == key and button.isChecked()
        type_text(widget.entry, f"{n}{key}")
        QTest.keyClick(widget.entry, Qt.Key.Key_Return)
        assert widget.entry.text() == ""
    logged = backend.participation.contributions(observation_id, item.id)
    assert sorted((c.seat, c.talk_type) for c in logged) == list(enumerate(KEYS, start=1))

    # The observer gives the panel as little room as the splitter allows: still all in it.
    splitter = window.live_view.splitter
    splitter.setSizes([sum(splitter.sizes()), 0])
    QTest.qWait(50)
    assert panel.horizontalScrollBar().maximum() == 0
    assert all(_inside(b.rect(), b, panel.widget()) for b in bar.buttons.values())
    assert cut_off(bar) == []


@pytest.mark.parametrize("width", [60, 130, 200, 290, 380, 470])
def test_the_talk_types_wrap_into_even_rows_at_any_width(qtbot, width):
    from observe_app.gui.live.talk_types import TalkTypeBar
    from observe_app.services.protocols import Code

    bar = TalkTypeBar([Code(t["key"], t["label"], "") for t in TALK_TYPES])
    qtbot.addWidget(bar)
    bar.mark("l")
    bar.resize(width, bar.heightForWidth(width))
    bar.show()
    QTest.qWait(10)
    places = [b.geometry() for b in bar.buttons.values()]
    assert all(p.left() >= 0 and p.right() < width for p in places)
    assert all(not a.intersects(b) for a in places for b in places if a is not b)
    across = [sum(1 for p in places if p.top() == top) for top in {p.top() for p in places}]
    assert max(across) - min(across) <= 1  # even rows: never eleven and one
    name = bar.name_label.geometry()
    assert name.top() > max(p.bottom() for p in places) and name.right() < width
    assert bar.height() >= name.bottom() and cut_off(bar) == []
    assert bar.name_label.text() == TALK_TYPES[-1]["label"]


def test_the_built_in_types_keep_their_name_beside_the_buttons(qtbot, backend):
    from tests.gui.test_participation_live import _participation_visit

    observation_id, item = _participation_visit(backend, table_seats(7, 4))
    window = shown_window(qtbot, backend, SMALL)
    window.open_observation(observation_id)
    QTest.qWait(100)
    bar = window.live_view.panel.participation[item.id].talk_bar
    assert len({b.y() for b in bar.buttons.values()}) == 1
    assert bar.name_label.x() > bar.buttons["b"].geometry().right()  # one line for all
    assert bar.height() == bar.buttons["a"].height()
    assert cut_off(bar) == []


@pytest.mark.parametrize("styled", [False, True], ids=["plain", "app-style"])
def test_twenty_groups_scroll_in_the_editor_and_save_stays_on_screen(qtbot, backend,
                                                                    crowded_visit, styled):
    observation_id, item = crowded_visit
    dialog = SeatingEditorDialog(backend, observation_id, item)
    qtbot.addWidget(dialog)
    if styled:
        dialog.setStyleSheet(STYLE_SHEET)
    dialog.fit_to(SMALL)
    dialog.show()
    activate(dialog)
    qtbot.waitUntil(lambda: dialog.ready, timeout=5000)
    QTest.qWait(50)
    assert fits(dialog.size()) and fits(dialog.minimumSizeHint())
    assert cut_off(dialog) == [] and _unnamed(dialog) == []
    save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
    assert fully_shown(save) and fully_shown(dialog.panel.add_button)

    groups = dialog.panel.group_list
    assert [groups.item(n).text() for n in range(groups.count())] == GROUPS
    one_line = groups.fontMetrics().height()
    for n in range(groups.count()):  # every name whole: wrapped, never cut or elided
        groups.scrollToItem(groups.item(n))
        place = groups.visualItemRect(groups.item(n))
        assert groups.viewport().rect().contains(place), n
        assert place.height() >= 2 * one_line, n
    assert groups.horizontalScrollBar().maximum() == 0

    # The last group, by keys: the list's mnemonic, End, Space; then saved by keys.
    dialog.chart.select(5)
    QTest.keyClick(dialog, Qt.Key.Key_G, ALT)
    assert groups.hasFocus()
    QTest.keyClick(groups, Qt.Key.Key_End)
    QTest.keyClick(groups, Qt.Key.Key_Space)
    assert groups.ticked() == [GROUPS[-1]]
    QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    seats = backend.participation.visit_seats(observation_id, item.id)
    assert {s.number: s.groups for s in seats if s.groups} == {5: (GROUPS[-1],)}
