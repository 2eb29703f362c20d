"""What receiving a package will do, before anything is done: who sent it, what it adds and
changes, the fields edited on both laptops, and people who look like someone already here.

Receive applies it on a worker (after a checked backup); Cancel leaves everything as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from observe_app.gui.exchange_dialogs import ERROR_STYLE, failure_sentence
from observe_app.gui.queries import LatestOnly
from observe_app.gui.scroll import FittingScrollArea
from observe_app.gui.tasks import run_in_background

if TYPE_CHECKING:
    from observe_app.exchange.preview import Preview, SamePerson

_tr = QCoreApplication.translate
SHOWN_CHARACTERS = 120  # of a changed field's value
SHOWN_CHANGES = 40  # changed fields listed; the counts table has them all
COUNT_COLUMNS = ("added", "changed", "conflicts", "deleted", "restored")


def local_day(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%d %b %Y, %H:%M")


def shown_value(value: object) -> str:
    if value is None or value == "":
        return _tr("PreviewDialog", "(empty)")
    if isinstance(value, dt.datetime):
        return local_day(value)
    text = " ".join(str(value).split())
    return text if len(text) <= SHOWN_CHARACTERS else text[:SHOWN_CHARACTERS - 1] + "…"


def field_words(field: str) -> str:
    """'post_conference_notes' → 'post-conference notes' (the words the history uses too)."""
    from observe_app.exchange.preview import field_words as words

    return _tr("PreviewDialog", words(field))


def table_words(table: str) -> str:
    from observe_app.exchange.preview import TABLE_WORDS

    words = TABLE_WORDS.get(table, table.replace("_", " "))
    return words[:1].upper() + words[1:]


ONE = {"people": "person", "glows, grows and next steps": "glow, grow or next step",
       "ticks, tallies and prompts": "tick, tally or prompt", "goal progress": "goal progress"}


def counted_words(n: int, table: str) -> str:
    """'1 cycle', '3 notes', '2 people', in the teacher words for each kind of row."""
    from observe_app.exchange.preview import TABLE_WORDS

    many = TABLE_WORDS.get(table, table.replace("_", " "))
    one = ONE.get(many, many[:-1] if many.endswith("s") else many)
    return f"{n} {one if n == 1 else many}"


def done_words(preview: Preview) -> str:
    """'Added: 1 cycle, 1 visit, 3 notes. Changed: 1 cycle.': what receiving did."""
    parts = []
    for column, title in (("added", _tr("PreviewDialog", "Added")),
                          ("changed", _tr("PreviewDialog", "Changed")),
                          ("deleted", _tr("PreviewDialog", "Deleted")),
                          ("restored", _tr("PreviewDialog", "Restored"))):
        counts = [counted_words(getattr(c, column), t)
                  for t, c in _ordered(preview) if getattr(c, column)]
        if counts:
            parts.append(f"{title}: {', '.join(counts)}")
    return ". ".join(parts) + "." if parts else _tr("PreviewDialog", "Nothing was new.")


def _ordered(preview: Preview) -> list[tuple[str, object]]:
    from observe_app.exchange.preview import TABLE_WORDS

    order = {t: n for n, t in enumerate(TABLE_WORDS)}
    return sorted(((t, c) for t, c in preview.counts.items() if c.any()),
                  key=lambda pair: order.get(pair[0], len(order)))


def _read_only_table(parent: QWidget, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setTabKeyNavigation(False)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    return table


def _fit_height(table: QTableWidget, most_rows: int) -> None:
    """Tall enough for its rows (up to `most_rows`): the dialog scrolls, not each table."""
    rows = max(1, min(table.rowCount(), most_rows))
    height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
    height += sum(table.rowHeight(r) for r in range(min(rows, table.rowCount())))
    if table.rowCount() == 0:
        height += table.verticalHeader().defaultSectionSize()
    table.setFixedHeight(height + 2)


class PreviewDialog(QDialog):
    """`repreview(merge_people)` and `receive(merge_people)` run on a worker; `received`
    (the Preview of what was done) follows a successful receive."""

    received = Signal(object)

    def __init__(self, preview: Preview, *,
                 repreview: Callable[[Collection[str]], Preview],
                 receive: Callable[[Collection[str]], Preview],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Receive a package"))
        self.preview = preview
        self.result_preview: Preview | None = None
        self.working = False
        self._repreview = repreview
        self._receive = receive
        self._again: LatestOnly[Preview] = LatestOnly(self)
        outer = QVBoxLayout(self)
        self.scroll_area = FittingScrollArea(self)
        body = QWidget(self.scroll_area)
        self.column = column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 6, 0)
        heading = QLabel(self.tr("Receive {what}").format(what=preview.title), body)
        heading.setStyleSheet("font-weight: bold;")
        heading.setWordWrap(True)
        column.addWidget(heading)
        self.from_label = QLabel(self.tr("From {sender}, sent {when}.").format(
            sender=preview.sender, when=local_day(preview.sent_at)), body)
        self.from_label.setObjectName("muted")
        self.from_label.setWordWrap(True)
        column.addWidget(self.from_label)
        self.notice_label = QLabel(body)
        self.notice_label.setObjectName("notice")
        self.notice_label.setWordWrap(True)
        self.notice_label.hide()
        column.addWidget(self.notice_label)
        self.counts_title = self._section(body, self.tr("What it adds and changes here"))
        self.counts_table = _read_only_table(body, [
            self.tr("Kind"), self.tr("Added"), self.tr("Changed"), self.tr("Conflicts"),
            self.tr("Deleted"), self.tr("Restored")])
        self.counts_table.setAccessibleName(self.tr("What it adds and changes"))
        header = self.counts_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for n in range(1, len(COUNT_COLUMNS) + 1):
            header.setSectionResizeMode(n, QHeaderView.ResizeMode.ResizeToContents)
        column.addWidget(self.counts_table)
        self.cycles_title = self._section(body, self.tr("New cycles"))
        self.cycles_label = self._text(body)
        self.protocols_title = self._section(body, self.tr("Protocols it adds"))
        self.protocols_label = self._text(body)
        self.changes_title = self._section(body, self.tr("Changed fields"))
        self.changes_note = self._text(body)
        self.changes_note.setObjectName("muted")
        self.changes_label = self._text(body)
        self.changes_label.setTextFormat(Qt.TextFormat.RichText)
        self.people_checks: dict[str, QCheckBox] = {}
        self._build_people(body, preview.people)
        column.addStretch(1)
        self.body = body
        self.scroll_area.setWidget(body)
        outer.addWidget(self.scroll_area, 1)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.hide()
        outer.addWidget(self.message_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.receive_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.receive_button.setText(self.tr("Receive"))
        self.receive_button.setDefault(True)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.start_receiving)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        self.show_preview(preview)
        self._fit_to_screen()
        self.receive_button.setFocus()

    # -- building --------------------------------------------------------------------------

    def _section(self, parent: QWidget, title: str) -> QLabel:
        label = QLabel(title, parent)
        font = QFont(label.font())
        font.setBold(True)
        label.setFont(font)
        label.setContentsMargins(0, 8, 0, 0)
        self.column.addWidget(label)
        return label

    def _text(self, parent: QWidget) -> QLabel:
        label = QLabel(parent)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.column.addWidget(label)
        return label

    def _build_people(self, body: QWidget, people: list[SamePerson]) -> None:
        if not people:
            return
        self._section(body, self.tr("Looks like the same person"))
        note = self._text(body)
        note.setObjectName("muted")
        note.setText(self.tr(
            "Tick someone to make them one person here (their cycles come together, and the "
            "package's name is kept as another name for them). Unticked, they are added as a "
            "separate person."))
        for same in people:
            if same.merged:
                text = self.tr("{incoming} is {local} here (the same e-mail): one person").format(
                    incoming=same.incoming_name, local=same.local_name)
            else:
                text = self.tr("{incoming} in the package is {local} here ({reason}): "
                               "make them one person").format(incoming=same.incoming_name,
                                                     local=same.local_name, reason=same.reason)
            check = QCheckBox(text, body)
            check.setChecked(same.merged)
            check.setEnabled(not same.merged)
            if not same.merged:
                self.people_checks[same.incoming_id] = check
                check.toggled.connect(self._on_person_check_toggled)
            self.column.addWidget(check)

    def _fit_to_screen(self) -> None:
        """As tall as what it shows, within the screen (a 1024×600 laptop included: the
        window manager's frame and the panel need room too); the rest scrolls."""
        screen = self.screen()
        room = screen.availableGeometry() if screen is not None else None
        width = 780 if room is None else min(780, room.width() - 40)
        body = self.body.layout()
        assert body is not None
        need = (body.totalHeightForWidth(width - 40) if body.hasHeightForWidth()
                else body.totalMinimumSize().height())
        need += self.buttons.sizeHint().height() + 80  # margins, the message line
        height = max(200, need) if room is None else min(max(200, need), room.height() - 70)
        self.resize(width, height)

    # -- what it shows ---------------------------------------------------------------------

    def show_preview(self, preview: Preview) -> None:
        self.preview = preview
        if preview.already_received is not None:
            self._notice(self.tr("Already received on {when}: nothing to do.").format(
                when=local_day(preview.already_received)))
            self.receive_button.hide()
            self.cancel_button.setText(self.tr("Close"))
            self.cancel_button.setDefault(True)
        elif preview.nothing_to_do:
            self._notice(self.tr("Everything in it is already here: nothing to do."))
            self.receive_button.hide()
            self.cancel_button.setText(self.tr("Close"))
            self.cancel_button.setDefault(True)
        else:
            self.notice_label.hide()
            self.receive_button.show()
            self.cancel_button.setText(self.tr("Cancel"))
            self.receive_button.setDefault(True)
        rows = _ordered(preview)
        self.counts_table.setRowCount(len(rows))
        for r, (table, counts) in enumerate(rows):
            self.counts_table.setItem(r, 0, QTableWidgetItem(table_words(table)))
            for c, name in enumerate(COUNT_COLUMNS, start=1):
                value = getattr(counts, name)
                item = QTableWidgetItem(str(value) if value else "–")
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.counts_table.setItem(r, c, item)
        restored = any(c.restored for _t, c in preview.counts.items())
        self.counts_table.setColumnHidden(len(COUNT_COLUMNS), not restored)
        self.counts_table.setVisible(bool(rows))
        self.counts_title.setVisible(bool(rows))
        _fit_height(self.counts_table, 16)
        self._show_list(self.cycles_title, self.cycles_label, preview.new_cycles)
        self._show_list(self.protocols_title, self.protocols_label, preview.new_protocols)
        self._show_changes(preview)

    def _show_list(self, title: QLabel, label: QLabel, lines: list[str]) -> None:
        title.setVisible(bool(lines))
        label.setVisible(bool(lines))
        label.setText("\n".join(f"•  {line}" for line in lines))

    def _show_changes(self, preview: Preview) -> None:
        """One short paragraph per field (a table of long texts is unreadable on a laptop)."""
        changes = preview.changes
        conflicts = sum(c.conflict for c in changes)
        for widget in (self.changes_title, self.changes_note, self.changes_label):
            widget.setVisible(bool(changes))
        self.changes_note.setText(self.tr(
            "A field edited on both laptops takes the newer edit; the other one is kept in the "
            "history, where it can be seen and put back.") if conflicts else self.tr(
            "These fields take the value from the package."))
        blocks = []
        for change in changes[:SHOWN_CHANGES]:
            head = f"<b>{escape(change.what)}</b> · {escape(field_words(change.field))}"
            if change.conflict:
                head += " · <b>{}</b>".format(escape(self.tr("edited on both laptops")))
            lines = [head, escape(self.tr("becomes “{value}”").format(
                value=shown_value(change.after)))]
            lines.append(escape((self.tr("kept in the history: “{value}”") if change.conflict
                                 else self.tr("was “{value}”")).format(
                value=shown_value(change.before))))
            blocks.append("<br>".join(lines))
        if len(changes) > SHOWN_CHANGES:
            blocks.append(escape(self.tr("… and {n} more.").format(
                n=len(changes) - SHOWN_CHANGES)))
        self.changes_label.setText("<p>" + "</p><p>".join(blocks) + "</p>")

    def _notice(self, text: str) -> None:
        self.notice_label.setText(text)
        self.notice_label.show()

    def merge_people(self) -> list[str]:
        return [pid for pid, check in self.people_checks.items() if check.isChecked()]

    def _on_person_check_toggled(self, _on: bool) -> None:
        # Merging someone changes what is added (a person less, their cycles moved): ask again.
        repreview, chosen = self._repreview, self.merge_people()
        self.receive_button.setEnabled(False)
        self._again.run(lambda: repreview(chosen), self._on_repreviewed, self._on_failed)

    def _on_repreviewed(self, preview: Preview) -> None:
        self.receive_button.setEnabled(not self.working)
        self.show_preview(preview)

    # -- receiving -------------------------------------------------------------------------

    def start_receiving(self) -> None:
        if self.working or self._again.running:
            return
        if self.result_preview is not None:
            self.accept()
            return
        self.working = True
        self.body.setEnabled(False)
        self.receive_button.setEnabled(False)
        self.cancel_button.setEnabled(False)
        self._say(self.tr("Receiving: a backup of your data is taken first…"), error=False)
        receive, chosen = self._receive, self.merge_people()
        run_in_background(lambda: receive(chosen), self._on_received, self._on_failed,
                          context=self)

    def _on_received(self, done: Preview) -> None:
        self.working = False
        self.result_preview = done
        self.body.setEnabled(True)  # what was received stays readable
        backup = (self.tr(" A backup of your data from before is at {path}.").format(
            path=done.backup) if done.backup else "")
        self._say(self.tr("Received. {what}{backup}").format(what=done_words(done),
                                                             backup=backup), error=False)
        self.receive_button.setText(self.tr("Close"))
        self.receive_button.setEnabled(True)
        self.cancel_button.hide()
        self.receive_button.setFocus()
        self.received.emit(done)

    def _on_failed(self, exc: BaseException) -> None:
        self.working = False
        self.body.setEnabled(True)
        self.receive_button.setEnabled(True)
        self.cancel_button.setEnabled(True)
        self._say(self.tr("Not received; nothing was changed. {problem}").format(
            problem=failure_sentence(exc, self.tr("The package could not be read"))),
            error=True)

    def _say(self, text: str, *, error: bool) -> None:
        self.message_label.setStyleSheet(ERROR_STYLE if error else "")
        self.message_label.setText(text)
        self.message_label.show()
