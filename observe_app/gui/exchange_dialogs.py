"""Sending a package (who it is from, a passphrase, where to save it) and opening a protected one.

Both dialogs do their file work on a worker and stay open while it runs: a refusal (a folder
that cannot be written, a wrong passphrase) is said in the dialog, with what was typed kept.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from observe_app.errors import ObserveError
from observe_app.gui.tasks import run_in_background

if TYPE_CHECKING:
    from observe_app.gui.redaction_dialogs import Preview
    from observe_app.services.exchange import Package, SentPackage
    from observe_app.services.redaction import ClassListView

ERROR_STYLE = "color: #9b1c1c; background: #fdecea; border-radius: 4px; padding: 6px;"
SUFFIX = ".observe"


def package_file_name(*words: str, day: dt.date | None = None) -> str:
    """'cycle-ana-silva-2026-03-03.observe': lower case, accents dropped, safe everywhere."""
    kept: list[str] = []
    for ch in unicodedata.normalize("NFD", " ".join(words)):
        # Latin accents go (José → jose); a mark that makes another letter stays (й, ё).
        if not (unicodedata.combining(ch) and kept and kept[-1].isascii()):
            kept.append(ch)
    text = unicodedata.normalize("NFC", "".join(kept)).lower()
    stem = "-".join(re.findall(r"\w+", text))[:60].strip("-_") or "observe"
    return f"{stem}-{(day or dt.date.today()).isoformat()}{SUFFIX}"


def size_words(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def failure_sentence(exc: BaseException, what: str) -> str:
    """What a known failure says; anything else is a bug and goes on to the crash dialog."""
    if isinstance(exc, ObserveError):
        return exc.sentence()
    if isinstance(exc, OSError):
        return f"{what} ({exc.strerror or type(exc).__name__})."
    raise exc


def fit_height(dialog: QWidget) -> None:
    """Tall enough for its word-wrapped text at its width: a top-level window's layout does not
    ask labels how tall they are at a width, so a sentence shown later would be cut."""
    layout = dialog.layout()
    if layout is None:
        return
    width = dialog.width()
    need = (layout.totalHeightForWidth(width) if layout.hasHeightForWidth()
            else layout.totalMinimumSize().height())
    if need > dialog.height():
        dialog.resize(width, need)


class SendDialog(QDialog):
    """`send(path, sender, passphrase, names_list)` runs on a worker when Send is pressed
    (`names_list`: the class list whose names are replaced, or None); `sent` follows."""

    sent = Signal(object)  # the SentPackage

    def __init__(self, title: str,
                 send: Callable[[Path, str, str | None, str | None], SentPackage], *,
                 sender: str, suggested: Path, parent: QWidget | None = None,
                 left_out: str = "", class_lists: Sequence[ClassListView] = (),
                 preview: Preview | None = None) -> None:
        """`left_out`: a sentence saying what the package will not carry, if anything;
        `preview(list_id)`: the work that says what a class list would replace."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Send to a colleague"))
        self._send = send
        self.result_package: SentPackage | None = None
        self._chosen_path = ""  # a path the file dialog has already asked to replace
        self.working = False
        column = QVBoxLayout(self)
        heading = QLabel(self.tr("Send {what}").format(what=title), self)
        heading.setObjectName("dialogTitle")
        heading.setStyleSheet("font-weight: bold;")
        heading.setWordWrap(True)
        column.addWidget(heading)
        self.intro_label = QLabel(self.tr(
            "Observe saves one file that you pass to your colleague (a USB stick, a shared "
            "folder, an e-mail). In their Observe, Data ▸ Receive… adds it to their data."), self)
        self.intro_label.setObjectName("muted")
        self.intro_label.setWordWrap(True)
        column.addWidget(self.intro_label)
        self.left_out_label = QLabel(left_out, self)
        self.left_out_label.setObjectName("notice")
        self.left_out_label.setWordWrap(True)
        self.left_out_label.setVisible(bool(left_out))
        column.addWidget(self.left_out_label)
        self.form_widget = QWidget(self)
        form = QFormLayout(self.form_widget)
        form.setContentsMargins(0, 6, 0, 0)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.sender_edit = QLineEdit(sender, self.form_widget)
        self.sender_edit.setMaxLength(120)
        self.sender_edit.setPlaceholderText(self.tr("The name your colleague knows you by"))
        form.addRow(self.tr("&Your name:"), self.sender_edit)
        file_row = QHBoxLayout()
        self.path_edit = QLineEdit(str(suggested), self.form_widget)
        self.path_edit.setAccessibleName(self.tr("File"))
        self.path_edit.setMinimumWidth(260)
        self.choose_button = QPushButton(self.tr("Choose…"), self.form_widget)
        self.choose_button.setAutoDefault(False)  # Enter sends, wherever the focus was last
        self.choose_button.clicked.connect(self._on_choose_button_clicked)
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.choose_button)
        file_label = QLabel(self.tr("&File:"), self.form_widget)
        file_label.setBuddy(self.path_edit)
        form.addRow(file_label, file_row)
        self.protect_check = QCheckBox(self.tr("&Protect it with a passphrase"), self.form_widget)
        self.protect_check.toggled.connect(self._on_protect_check_toggled)
        form.addRow(self.protect_check)
        self.passphrase_edit = QLineEdit(self.form_widget)
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.again_edit = QLineEdit(self.form_widget)
        self.again_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Pa&ssphrase:"), self.passphrase_edit)
        form.addRow(self.tr("&Again:"), self.again_edit)
        self.passphrase_note = QLabel(self.tr(
            "Your colleague needs the passphrase to open the file: tell it to them some other "
            "way than the file itself. Nobody can recover a forgotten passphrase."),
            self.form_widget)
        self.passphrase_note.setObjectName("muted")
        self.passphrase_note.setWordWrap(True)
        form.addRow(self.passphrase_note)
        from observe_app.gui.redaction_dialogs import add_redaction_row

        self.redaction = add_redaction_row(form, class_lists, preview, self.form_widget)
        column.addWidget(self.form_widget)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.hide()
        column.addWidget(self.message_label)
        column.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.send_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.send_button.setText(self.tr("Send"))
        self.send_button.setDefault(True)  # Enter in any field sends
        self.buttons.accepted.connect(self.start_sending)
        self.buttons.rejected.connect(self.reject)
        column.addWidget(self.buttons)
        self._on_protect_check_toggled(False)
        self.setMinimumWidth(min(560, self._screen_width() - 40))
        (self.sender_edit if not sender else self.path_edit).setFocus()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        fit_height(self)

    def _screen_width(self) -> int:
        screen = self.screen()
        return screen.availableGeometry().width() if screen is not None else 1024

    # -- the form ------------------------------------------------------------------------------

    def _on_protect_check_toggled(self, on: bool) -> None:
        for widget in (self.passphrase_edit, self.again_edit):
            widget.setEnabled(on)
            if not on:
                widget.clear()

    def _on_choose_button_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the package as"), self.path_edit.text(),
            self.tr("Observation packages (*.observe)"))
        if path:
            if not path.lower().endswith(SUFFIX):
                path += SUFFIX
            self.path_edit.setText(path)
            self._chosen_path = path

    def _problem(self) -> str | None:
        """What stops sending, in a sentence; None when the form is complete."""
        if not self.sender_edit.text().strip():
            self.sender_edit.setFocus()
            return self.tr("Write your name: the package tells your colleague who it is from.")
        if not self.path_edit.text().strip():
            self.path_edit.setFocus()
            return self.tr("Choose where to save the file.")
        if self.protect_check.isChecked():
            if not self.passphrase_edit.text():
                self.passphrase_edit.setFocus()
                return self.tr("Type a passphrase, or untick “Protect it with a passphrase”.")
            if self.passphrase_edit.text() != self.again_edit.text():
                self.again_edit.clear()
                self.again_edit.setFocus()
                return self.tr("The two passphrases are not the same: type it again.")
        return None

    def path(self) -> Path:
        text = self.path_edit.text().strip()
        if not text.lower().endswith(SUFFIX):
            text += SUFFIX
        return Path(text).expanduser()

    def _confirm_replace(self, path: Path) -> bool:
        if not path.exists() or str(path) == self._chosen_path:
            return True
        return QMessageBox.question(
            self, self.tr("Replace the file?"),
            self.tr("{name} is already there. Replace it?").format(name=path.name),
        ) == QMessageBox.StandardButton.Yes

    # -- sending -------------------------------------------------------------------------------

    def start_sending(self) -> None:
        if self.working:
            return
        if self.result_package is not None:  # the button says Close now
            self.accept()
            return
        problem = self._problem()
        if problem is not None:
            self._say(problem, error=True)
            return
        path = self.path()
        if not self._confirm_replace(path):
            return
        sender = self.sender_edit.text().strip()
        passphrase = self.passphrase_edit.text() if self.protect_check.isChecked() else None
        names_list = self.redaction.list_id()
        self._set_working(True)
        self._say(self.tr("Writing {name}…").format(name=path.name), error=False)
        send = self._send
        run_in_background(lambda: send(path, sender, passphrase, names_list), self._on_sent,
                          self._on_send_failed, context=self)

    def _set_working(self, working: bool) -> None:
        self.working = working
        self.form_widget.setEnabled(not working)
        self.send_button.setEnabled(not working)

    def _on_sent(self, sent: SentPackage) -> None:
        self._set_working(False)
        self.result_package = sent
        self.form_widget.hide()
        self.intro_label.hide()
        self._say(self.tr("Saved {path}\n\nIt holds {contents} ({size}){sealed}. Give the file "
                          "to your colleague: in Observe, they choose Receive… in the Data "
                          "menu.").format(
            path=sent.path, contents=self.contents_words(sent), size=size_words(sent.size),
            sealed=self.tr(" and is protected with a passphrase") if sent.sealed else ""),
            error=False)
        self.send_button.setText(self.tr("Close"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).hide()
        self.send_button.setFocus()
        self.adjustSize()
        self.sent.emit(sent)

    def contents_words(self, sent: SentPackage) -> str:
        """'1 cycle and 23 notes'."""
        cycles = (self.tr("%n cycle", None, sent.cycles) if sent.cycles == 1
                  else self.tr("%n cycles", None, sent.cycles))
        notes = (self.tr("%n note", None, sent.notes) if sent.notes == 1
                 else self.tr("%n notes", None, sent.notes))
        return self.tr("{cycles} and {notes}").format(cycles=cycles, notes=notes)

    def _on_send_failed(self, exc: BaseException) -> None:
        self._set_working(False)
        self._say(self.tr("Not sent. {problem}").format(
            problem=failure_sentence(exc, self.tr("The file could not be written"))), error=True)

    def _say(self, text: str, *, error: bool) -> None:
        self.message_label.setStyleSheet(ERROR_STYLE if error else "")
        self.message_label.setText(text)
        self.message_label.show()
        fit_height(self)


class PassphraseDialog(QDialog):
    """Asks the passphrase of a protected package and opens it with `open_with(passphrase)` on
    a worker; a wrong one is said here, and another try is one Enter away."""

    def __init__(self, file_name: str, open_with: Callable[[str], Package],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Passphrase"))
        self._open_with = open_with
        self.package: Package | None = None
        self.working = False
        column = QVBoxLayout(self)
        label = QLabel(self.tr("{file} is protected with a passphrase. Type the passphrase "
                               "your colleague gave you.").format(file=file_name), self)
        label.setWordWrap(True)
        column.addWidget(label)
        self.passphrase_edit = QLineEdit(self)
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setAccessibleName(self.tr("Passphrase"))
        column.addWidget(self.passphrase_edit)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        column.addWidget(self.message_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.open_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.open_button.setText(self.tr("Open"))
        self.open_button.setDefault(True)
        self.buttons.accepted.connect(self.try_passphrase)
        self.buttons.rejected.connect(self.reject)
        column.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.passphrase_edit.setFocus()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        fit_height(self)

    def try_passphrase(self) -> None:
        passphrase = self.passphrase_edit.text()
        if self.working or not passphrase:
            return
        self.working = True
        self.passphrase_edit.setEnabled(False)
        self.open_button.setEnabled(False)
        self._say(self.tr("Opening…"), error=False)
        open_with = self._open_with
        run_in_background(lambda: open_with(passphrase), self._on_opened, self._on_refused,
                          context=self)

    def _on_opened(self, package: Package) -> None:
        self.working = False
        self.package = package
        self.accept()

    def _on_refused(self, exc: BaseException) -> None:
        self.working = False
        self.passphrase_edit.setEnabled(True)
        self.open_button.setEnabled(True)
        self._say(failure_sentence(exc, self.tr("The file could not be read")), error=True)
        self.passphrase_edit.selectAll()
        self.passphrase_edit.setFocus()

    def _say(self, text: str, *, error: bool) -> None:
        self.message_label.setStyleSheet(ERROR_STYLE if error else "")
        self.message_label.setText(text)
        self.message_label.show()
        fit_height(self)
