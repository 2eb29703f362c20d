"""The Protocols page reads and writes files on workers: the window answers all the while, and
the list shows what was imported without being reloaded by hand."""

from __future__ import annotations

import json
import time

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QThread
from PySide6.QtTest import QTest

from observe_app.gui import tasks
from observe_app.gui.protocols_page import ProtocolsPage
from observe_app.services import protocols
from tests.gui.conftest import activate
from tests.gui.heartbeat import Heartbeat

FROZEN_AT_MOST_MS = 50
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def page(qtbot, backend):
    widget = ProtocolsPage()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    widget.attach(backend)
    activate(widget)
    qtbot.waitUntil(lambda: widget.model.rowCount() > 0 and widget.preview.toPlainText() != "")
    yield widget
    qtbot.waitUntil(lambda: not tasks.busy())  # nothing left running on the database


def _protocol_file(db, tmp_path, slug: str, name: str):
    with db.transaction() as s:
        document = protocols.export_document(s, "peer-observation")
    document["id"], document["name"] = slug, name
    path = tmp_path / f"{slug}.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _slugs(page: ProtocolsPage) -> list[str]:
    return [page.model.row_at(n).slug for n in range(page.model.rowCount())]


def test_a_protocol_imported_on_a_worker_is_listed_and_the_row_kept(page, backend, db,
                                                                     tmp_path, qtbot):
    """The write's `changed` is emitted on the worker; Qt delivers it to the page on the GUI
    thread, which lists the new protocol without anyone reloading it."""
    page.select_id(next(r.id for r in page.model._rows if r.slug == "learning-walk"))
    gui_thread = QCoreApplication.instance().thread()
    reloaded_on: list[bool] = []
    reload = page.reload
    page.reload = lambda: (reloaded_on.append(QThread.currentThread() is gui_thread),
                           reload())[1]
    path = _protocol_file(db, tmp_path, "our-walk", "Our learning walk")
    worker_threads: list[QThread] = []

    def work():
        worker_threads.append(QThread.currentThread())
        return backend.protocols.import_file(path)

    tasks.run_in_background(work)
    qtbot.waitUntil(lambda: "our-walk" in _slugs(page))
    assert worker_threads and worker_threads[0] is not gui_thread
    assert reloaded_on == [True]  # once, by the page itself, on the GUI thread
    assert page.current_row().slug == "learning-walk"  # the row the person was on
    with db.transaction() as s:
        assert protocols.find_protocol(s, "our-walk").name == "Our learning walk"


def test_a_slow_import_leaves_the_window_answering(page, db, tmp_path, qtbot, monkeypatch):
    path = _protocol_file(db, tmp_path, "slow-walk", "A slow walk")
    real_import = protocols.import_file

    def slow_import(session, *args, **kwargs):
        time.sleep(0.5)  # a big file on a slow network drive
        return real_import(session, *args, **kwargs)

    monkeypatch.setattr(protocols, "import_file", slow_import)
    page.choose_import_file = lambda: str(path)
    message = page.message_label
    with Heartbeat() as heart:
        qtbot.wait(30)
        QTest.keyClick(page.table, Qt.Key.Key_I, CTRL)
        assert message.isVisible() and message.text() == "Importing slow-walk.json…"
        assert not page.import_button.isEnabled() and not page.export_button.isEnabled()
        QTest.keyClick(page.table, Qt.Key.Key_I, CTRL)  # a second press starts nothing
        qtbot.waitUntil(lambda: "Imported A slow walk" in message.text(), timeout=5000)
        qtbot.waitUntil(lambda: getattr(page.current_row(), "slug", None) == "slow-walk")
        qtbot.waitUntil(lambda: "A slow walk" in page.preview.toPlainText())
    frozen = heart.longest_gap_ms()
    assert frozen < FROZEN_AT_MOST_MS, f"the window froze for {frozen:.0f} ms"
    assert page.import_button.isEnabled() and page.export_button.isEnabled()
    assert _slugs(page).count("slow-walk") == 1
    with db.transaction() as s:
        assert protocols.find_protocol(s, "slow-walk").latest_version == 1


def test_an_export_that_cannot_be_written_says_so(page, tmp_path, qtbot):
    page.choose_export_file = lambda suggested: str(tmp_path / "no such folder" / suggested)
    QTest.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.message_label.text().startswith("Not exported."))
    assert page.export_button.isEnabled()
    assert not (tmp_path / "no such folder").exists()


def test_protocols_are_listed_by_name_from_a(qtbot, backend):
    from observe_app.gui.protocols_page import ProtocolsPage

    page = ProtocolsPage()
    qtbot.addWidget(page)
    page.attach(backend)
    qtbot.waitUntil(lambda: page.proxy is not None and page.proxy.rowCount() > 1, timeout=5000)
    names = [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())]
    assert names == sorted(names, key=str.casefold)
