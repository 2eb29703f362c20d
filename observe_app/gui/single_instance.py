"""One window per data folder: a second start hands over to the running window through a local
socket (the only socket Observe ever opens), named from a hash of the data folder's path."""

from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

ACTIVATE = b"activate\n"
ANSWER = b"ok\n"


def server_name(data_dir: Path) -> str:
    """The same folder always gives the same name; a name never shows the folder's path."""
    key = str(data_dir.expanduser().resolve()).encode("utf-8")
    return "observe-" + hashlib.sha256(key).hexdigest()[:24]


class HandOverServer(QObject):
    """Listens for a second start on the same data folder; says so with `activation_requested`.

    Only the process holding the folder's instance lock listens, so removing a socket file
    left by a killed process first is safe.
    """

    activation_requested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(data_dir)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._on_server_new_connection)

    def listen(self) -> bool:
        QLocalServer.removeServer(self.name)
        if not self.server.listen(self.name):
            log.warning("hand-over channel not available: %s", self.server.errorString())
            return False
        return True

    def close(self) -> None:
        self.server.close()

    def _on_server_new_connection(self) -> None:
        while self.server.hasPendingConnections():
            connection = self.server.nextPendingConnection()
            connection.readyRead.connect(lambda c=connection: self._on_connection_ready_read(c))
            connection.disconnected.connect(connection.deleteLater)

    def _on_connection_ready_read(self, connection: QLocalSocket) -> None:
        request = bytes(connection.readAll().data())
        if request.startswith(ACTIVATE.strip()):
            connection.write(ANSWER)
            connection.flush()
            log.info("a second start on this data folder handed over; raising the window")
            self.activation_requested.emit()
        connection.disconnectFromServer()


def hand_over(data_dir: Path, timeout_ms: int = 4000) -> bool:
    """Ask the window already open on `data_dir` to come to the front; True if it answered."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        socket = QLocalSocket()
        socket.connectToServer(server_name(data_dir))
        if socket.waitForConnected(500):
            socket.write(ACTIVATE)
            socket.waitForBytesWritten(1000)
            answered = b""
            while ANSWER not in answered and time.monotonic() < deadline:
                if not socket.waitForReadyRead(200) and \
                        socket.state() != QLocalSocket.LocalSocketState.ConnectedState:
                    break
                answered += bytes(socket.readAll().data())
            socket.abort()
            if ANSWER in answered:
                return True
        else:
            socket.abort()
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)  # the first window may hold the lock but not be listening yet
