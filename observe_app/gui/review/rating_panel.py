"""Rate a cycle's rubric items: level descriptors side by side, evidence notes beside them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from observe_app.domain import limits
from observe_app.domain.changes import Data
from observe_app.domain.enums import ItemKind
from observe_app.domain.formats import evidence_line
from observe_app.gui.current import KeptCurrent
from observe_app.gui.scroll import FittingScrollArea
from observe_app.gui.settings import RATING_SPLITTER, WindowSettings

if TYPE_CHECKING:
    from PySide6.QtWidgets import QListWidgetItem

    from observe_app.gui.backend import Backend
    from observe_app.services.notes import NoteView
    from observe_app.services.protocols import ItemView, Level, ProtocolVersionView
    from observe_app.services.ratings import RatingView

ID_ROLE = Qt.ItemDataRole.UserRole
MIN_CARD_WIDTH = 96
MIN_CARD_HEIGHT = 96


class LevelCard(QPushButton):
    """One level of a rubric item: its number, name and descriptor; checked when chosen."""

    def __init__(self, level: Level, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level = level.level
        self.setObjectName("levelCard")
        self.setCheckable(True)
        self.setAccessibleName(self.tr("Level {n}: {name}").format(n=level.level,
                                                                   name=level.name))
        self.setAccessibleDescription(level.descriptor)
        box = QVBoxLayout(self)
        box.setContentsMargins(10, 8, 10, 8)
        title = QLabel(f"<b>{level.level}</b> · {level.name}", self)
        title.setObjectName("levelTitle")
        title.setWordWrap(True)  # a narrow card (a small screen) wraps the name, not cuts it
        text = QLabel(level.descriptor, self)
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.descriptor_label = text
        for label in (title, text):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            box.addWidget(label)
        box.addStretch(1)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    # A push button sizes itself by its own text; a card is as tall as its labels need at the
    # width it is given, so a long descriptor on a narrow card is never cut off.
    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        return max(MIN_CARD_HEIGHT, layout.totalHeightForWidth(width) if layout else 0)

    def sizeHint(self) -> QSize:
        return QSize(MIN_CARD_WIDTH * 3 // 2, self.heightForWidth(MIN_CARD_WIDTH * 3 // 2))

    def minimumSizeHint(self) -> QSize:
        return QSize(MIN_CARD_WIDTH, MIN_CARD_HEIGHT)  # the height comes from heightForWidth


class RatingPanel(QWidget):
    """Rubric items on the left; the chosen item's levels, 'not observed' and evidence right."""

    rating_changed = Signal(str)  # item id

    def __init__(self, backend: Backend, cycle_id: str, version: ProtocolVersionView,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        # what changes while it is on screen is its own doing; hidden, it catches up on show
        shows = Data.RATINGS | Data.NOTES
        KeptCurrent(self, shows, self.reload, while_shown=False).follow(backend)
        self.cycle_id = cycle_id
        self.items = [i for i in version.items if i.kind == ItemKind.RUBRIC]
        self.ratings: dict[str, RatingView] = {}
        self.notes: dict[str, NoteView] = {}
        self._filling = False
        self.editable = True
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        row.addWidget(split)
        self.item_list = QListWidget(split)
        self.item_list.setObjectName("ratingItems")
        self.item_list.setAccessibleName(self.tr("Rubric items"))
        self.item_list.currentItemChanged.connect(self._on_item_list_current_item_changed)
        self.entries: dict[str, QListWidgetItem] = {}
        # The item's side scrolls when its cards and evidence are taller than a small screen.
        self.item_scroll = FittingScrollArea(split)
        right = QWidget(self.item_scroll)
        right.setObjectName("protocolBody")  # transparent, like the live protocol panel
        column = QVBoxLayout(right)
        column.setContentsMargins(12, 0, 0, 0)
        self.item_title = QLabel(right)
        self.item_title.setObjectName("panelTitle")
        self.item_title.setWordWrap(True)
        self.item_description = QLabel(right)
        self.item_description.setObjectName("muted")
        self.item_description.setWordWrap(True)
        column.addWidget(self.item_title)
        column.addWidget(self.item_description)
        self.levels_row = QHBoxLayout()
        column.addLayout(self.levels_row)
        self.level_group = QButtonGroup(self)
        self.level_group.setExclusive(False)  # clicking the chosen level again clears it
        self.level_group.idClicked.connect(self._on_level_group_id_clicked)
        self.not_observed_check = QCheckBox(self.tr("Not observed in this cycle"), right)
        self.not_observed_check.toggled.connect(self._on_not_observed_check_toggled)
        checks = QHBoxLayout()
        checks.addWidget(self.not_observed_check)
        hint = QLabel(self.tr("Keys 1–{n} choose a level; choose it again to clear it").format(
            n=max((len(i.levels) for i in self.items), default=4)), right)
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        checks.addWidget(hint, 1)
        column.addLayout(checks)
        self.comment_edit = QLineEdit(right)
        self.comment_edit.setAccessibleName(self.tr("Comment on this rating"))
        self.comment_edit.setMaxLength(limits.RATING_COMMENT)
        self.comment_edit.setPlaceholderText(self.tr(
            "A comment on this rating, e.g. what would move it to the next level"))
        self.comment_edit.editingFinished.connect(self._on_comment_edit_editing_finished)
        column.addWidget(self.comment_edit)
        heading = QLabel(self.tr("Evidence: notes tagged to this item (tick to link)"), right)
        heading.setObjectName("sectionHeading")
        heading.setWordWrap(True)
        column.addWidget(heading)
        self.evidence_list = QListWidget(right)
        self.evidence_list.setAccessibleName(self.tr("Evidence notes"))
        self.evidence_list.setWordWrap(True)
        self.evidence_list.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)
        self.evidence_list.itemChanged.connect(self._on_evidence_list_item_changed)
        column.addWidget(self.evidence_list, 1)
        self.all_notes_check = QCheckBox(self.tr("Show every note of the cycle"), right)
        self.all_notes_check.toggled.connect(lambda _on: self._show_evidence())
        column.addWidget(self.all_notes_check)
        self.item_scroll.setWidget(right)
        split.setSizes([360, 740])
        split.setStretchFactor(1, 1)
        if (settings := WindowSettings.of(backend)) is not None:
            settings.remember_splitter(split, RATING_SPLITTER)
        self.splitter = split
        self.empty_label = QLabel(self.tr("This protocol has no rubric items to rate; its "
                                          "results are on the Visits and evidence tab."), self)
        self.empty_label.setObjectName("notice")
        self.empty_label.setWordWrap(True)
        row.insertWidget(0, self.empty_label)
        self.empty_label.setVisible(not self.items)
        split.setVisible(bool(self.items))
        for number in range(1, 10):
            key = QShortcut(QKeySequence(str(number)), self)
            key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            key.activated.connect(lambda n=number: self.choose_level(n))
        self.reload()

    # -- data ------------------------------------------------------------------------------

    def reload(self) -> None:
        self.ratings = self.backend.ratings.ratings_for_cycle(self.cycle_id)
        self.notes = {}
        visits = self.backend.observations.list_observations(self.cycle_id)
        self.visit_count = len(visits)
        for visit in visits:
            for note in self.backend.notes.list_notes(visit.id):
                self.notes[note.id] = note
        current = self.current_item
        self.item_list.blockSignals(True)
        self.item_list.clear()
        self.entries = {}
        section = None
        heading_font = QFont(self.item_list.font())
        heading_font.setBold(True)
        for item in self.items:
            if item.section != section:
                section = item.section
                heading = QListWidgetItem(section, self.item_list)
                heading.setFlags(Qt.ItemFlag.NoItemFlags)
                heading.setFont(heading_font)
                heading.setForeground(QColor("#2f6f8f"))
            entry = QListWidgetItem(self._item_text(item), self.item_list)
            entry.setData(ID_ROLE, item.id)
            entry.setToolTip(item.description or item.label)
            self.entries[item.id] = entry
        self.item_list.blockSignals(False)
        if self.items:
            self.select_item(current.id if current else self.items[0].id)
            self._show_item()

    def _item_text(self, item: ItemView) -> str:
        rating = self.ratings.get(item.id)
        if rating is None or (rating.level is None and not rating.not_observed):
            state = self.tr("not rated")
        elif rating.not_observed:
            state = self.tr("not observed")
        else:
            name = next((lv.name for lv in item.levels if lv.level == rating.level), "")
            state = self.tr("level {n} {name}").format(n=rating.level, name=name)
        evidence = len(rating.evidence_note_ids) if rating else 0
        linked = ("  ·  " + (self.tr("%n linked note", None, evidence) if evidence == 1 else
                             self.tr("%n linked notes", None, evidence))) if evidence else ""
        return f"{item.label}\n      {state}{linked}"

    @property
    def current_item(self) -> ItemView | None:
        entry = self.item_list.currentItem()
        item_id = entry.data(ID_ROLE) if entry is not None else None
        return next((i for i in self.items if i.id == item_id), None)

    def select_item(self, item_id: str) -> None:
        entry = self.entries.get(item_id)
        if entry is not None:
            self.item_list.setCurrentItem(entry)
            entry.setSelected(True)

    # -- showing ---------------------------------------------------------------------------

    def _show_item(self) -> None:
        item = self.current_item
        if item is None:
            return
        self._filling = True
        self.item_title.setText(item.label)
        self.item_description.setText(item.description or item.section)
        while (taken := self.levels_row.takeAt(0)) is not None:
            widget = taken.widget()
            if widget is not None:
                self.level_group.removeButton(widget)  # type: ignore[arg-type]
                widget.deleteLater()
        rating = self.ratings.get(item.id)
        for level in item.levels:
            card = LevelCard(level, self)
            card.setChecked(rating is not None and rating.level == level.level)
            card.setEnabled(self.editable)
            self.level_group.addButton(card, level.level)
            self.levels_row.addWidget(card, 1)
        self.not_observed_check.setChecked(bool(rating and rating.not_observed))
        self.comment_edit.setText(rating.comment if rating else "")
        self.comment_edit.setReadOnly(not self.editable)
        self._filling = False
        self._show_evidence()

    def _show_evidence(self) -> None:
        item = self.current_item
        if item is None:
            return
        rating = self.ratings.get(item.id)
        linked = set(rating.evidence_note_ids) if rating else set()
        tagged = [n for n in self.notes.values() if item.id in n.item_ids]
        shown = tagged + [n for n in self.notes.values()
                          if n.id in linked and n not in tagged]
        if self.all_notes_check.isChecked():
            shown += [n for n in self.notes.values() if n not in shown]
        self._filling = True
        self.evidence_list.clear()
        for note in shown:
            mark = "" if item.id in note.item_ids else self.tr("  (not tagged)")
            if note.private:
                mark += self.tr("  (private: not in the PDF)")
            line = evidence_line(note.wall_time, note.elapsed_ms, note.text,
                                 several_visits=self.visit_count > 1)
            entry = QListWidgetItem(line + mark, self.evidence_list)
            entry.setData(ID_ROLE, note.id)
            if self.editable:
                entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            else:
                entry.setFlags(entry.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Checked if note.id in linked
                                else Qt.CheckState.Unchecked)
        if not shown:
            QListWidgetItem(self.tr("No note was tagged to this item during the visits."),
                            self.evidence_list).setFlags(Qt.ItemFlag.NoItemFlags)
        self._filling = False

    def _refresh(self, view: RatingView) -> None:
        self.ratings[view.item_id] = view
        item = next(i for i in self.items if i.id == view.item_id)
        self.entries[view.item_id].setText(self._item_text(item))
        self.rating_changed.emit(view.item_id)

    # -- acting ----------------------------------------------------------------------------

    def set_editable(self, editable: bool) -> None:
        """A closed cycle's ratings are shown, not changed."""
        self.editable = editable
        self.not_observed_check.setEnabled(editable)
        self._show_item()

    def choose_level(self, level: int | None) -> None:
        """Give the current item a level (None clears it)."""
        item = self.current_item
        if not self.editable or item is None:
            return
        if level is not None and level not in {lv.level for lv in item.levels}:
            return
        self._refresh(self.backend.ratings.rate(self.cycle_id, item.id, level))
        self._show_item()

    def _on_level_group_id_clicked(self, level: int) -> None:
        item = self.current_item
        if item is None:  # the cards belong to the item shown; none is shown
            return
        rating = self.ratings.get(item.id)
        self.choose_level(None if rating is not None and rating.level == level else level)

    def _on_item_list_current_item_changed(self, *_entries: QListWidgetItem | None) -> None:
        self._show_item()

    def _on_comment_edit_editing_finished(self) -> None:
        item = self.current_item
        if self._filling or not self.editable or item is None:
            return
        rating = self.ratings.get(item.id)
        if (rating.comment if rating else "") == self.comment_edit.text():
            return
        level = rating.level if rating else None
        self._refresh(self.backend.ratings.rate(self.cycle_id, item.id, level,
                                                self.comment_edit.text()))

    def _on_not_observed_check_toggled(self, checked: bool) -> None:
        if self._filling or self.current_item is None:
            return
        self._refresh(self.backend.ratings.mark_not_observed(self.cycle_id,
                                                             self.current_item.id, checked))
        self._show_item()

    def _on_evidence_list_item_changed(self, entry: QListWidgetItem) -> None:
        if self._filling or self.current_item is None:
            return
        note_id = entry.data(ID_ROLE)
        service = (self.backend.ratings.link_evidence
                   if entry.checkState() == Qt.CheckState.Checked
                   else self.backend.ratings.unlink_evidence)
        self._refresh(service(self.cycle_id, self.current_item.id, note_id))
