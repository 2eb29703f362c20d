"""Privacy in the window: a live observation opens no network socket, and the log file holds
none of the words typed."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import event

from observe_app import app as app_module
from observe_app.gui import tasks
from observe_app.gui.live import live_view as live_view_module
from observe_app.gui.main_window import MainWindow
from observe_app.gui.single_instance import HandOverServer
from observe_app.logging_setup import setup_logging
from tests.gui.conftest import FakeClock, activate, start_visit, type_text

FORBIDDEN = {"socket.__new__", "socket.connect", "socket.bind", "socket.getaddrinfo",
             "socket.gethostbyname", "socket.sendto", "socket.sendmsg",
             "http.client.connect", "urllib.Request"}
_watching = threading.Event()
_seen: list[str] = []


def _hook(name: str, args: tuple) -> None:
    if name in FORBIDDEN and _watching.is_set():
        _seen.append(f"{name} {args!r}")


sys.addaudithook(_hook)  # cannot be removed; records only while a test watches

SECRET = "Tomasz whispered that his dad left home on Sunday"


def _socket_inodes() -> set[str]:
    found = set()
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            found.add(target[8:-1])
    return found


def _unix_inodes() -> set[str]:
    return {line.split()[6] for line in Path("/proc/net/unix").read_text().splitlines()[1:]
            if len(line.split()) > 6}


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc")
def test_a_live_session_opens_no_network_socket_and_logs_no_note_text(
        qtbot, data_dir, monkeypatch):
    monkeypatch.setattr(live_view_module, "RETRY_MS", 200)
    log_path = setup_logging(data_dir)
    before = _socket_inodes()
    _seen.clear()
    _watching.set()
    try:
        server = HandOverServer(data_dir)
        assert server.listen()
        window = MainWindow()
        qtbot.addWidget(window)
        window.resize(1280, 720)
        window.show()
        controller = app_module.AppController(window, data_dir, FakeClock())
        controller.start()
        qtbot.waitUntil(lambda: controller.backend is not None, timeout=10_000)
        obs_id = start_visit(controller.backend, "peer-observation")
        window.open_observation(obs_id)
        live = window.live_view
        live.confirm_end = lambda: True
        activate(window)
        type_text(live.note_edit, SECRET)
        qtbot.waitUntil(lambda: controller.backend.notes.get_draft(obs_id) is not None)
        QTest.keyClick(live.note_edit, Qt.Key.Key_Return)

        # A fault on the way (disk full): logged as a fault, never with the note.
        def no_room(conn, _record):
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count={pages}")

        database = controller.database
        database.engine.dispose()
        event.listen(database.engine, "connect", no_room)
        type_text(live.note_edit, SECRET + " again")
        live.note_edit.insertPlainText(" and again" * 800)
        QTest.keyClick(live.note_edit, Qt.Key.Key_Return)
        assert live.fault_banner.isVisible()
        event.remove(database.engine, "connect", no_room)
        database.engine.dispose()
        qtbot.waitUntil(lambda: not live.fault_banner.isVisible(), timeout=5000)
        QTest.keyClick(live.note_edit, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: controller.last_backup is not None and
                        "after-observation" in controller.last_backup.name, timeout=10_000)
        qtbot.waitUntil(lambda: not tasks.busy(), timeout=10_000)
        new_sockets = _socket_inodes() - before
        local = _unix_inodes()
        assert new_sockets  # the hand-over server's socket is seen...
        server.close()
    finally:
        _watching.clear()
        setup_logging(None)
    controller.close()
    assert _seen == []  # no Python-level socket, name lookup or HTTP
    assert new_sockets - local == set()  # ...and every new socket is a local one
    text = log_path.read_text(encoding="utf-8")
    assert "database open" in text and "storage fault: DiskFullError" in text
    assert "Tomasz" not in text and "whispered" not in text
