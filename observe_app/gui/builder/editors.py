"""The builder's fields for what is selected in its tree: the protocol, a section or an item.

Each editor writes straight into the document's dict it was given and says `changed`; the
dialog then checks the whole document and hands each editor the problems of its part, which
are shown under the field they are about.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from observe_app.gui import kinds
from observe_app.gui.builder.rows_table import RowsTable
from observe_app.protocols import templates

# (path inside the part, sentence): a problem of the part an editor shows.
Problem = tuple[tuple[str | int, ...], str]


def _tr(text: str) -> str:
    return QCoreApplication.translate("ProtocolBuilder", text)


def kind_title(kind: str) -> str:
    """An item kind as the Protocols page names it ("Interval scan")."""
    return QCoreApplication.translate("ProtocolsPage", kinds.get(kind).title)


def _problem_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("fieldProblem")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


class PartEditor(QWidget):
    """Fields for one part of the document, each with a place for its problems."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: dict[str, Any] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 0, 4, 0)
        self.form = QFormLayout()
        outer.addLayout(self.form)
        outer.addStretch(1)  # the fields stay together at the top
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._problem_labels: dict[str, QLabel] = {}
        self._loading = False
        self.other_problems = _problem_label(self)  # about the part as a whole

    def add_field(self, name: str, text: str, widget: QWidget) -> None:
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        label = _problem_label(box)
        column.addWidget(label)
        self._problem_labels[name] = label
        self.form.addRow(text, box)
        caption = self.form.labelForField(box)
        if isinstance(caption, QLabel):
            caption.setBuddy(widget)

    def line(self, name: str, text: str, max_length: int) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setMaxLength(max_length)
        edit.setAccessibleName(text.replace("&", "").rstrip(":"))
        edit.textEdited.connect(lambda value: self.set_value(name, value))
        self.add_field(name, text, edit)
        return edit

    def text(self, name: str, text: str, max_length: int) -> QPlainTextEdit:
        edit = QPlainTextEdit(self)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 14)
        edit.setAccessibleName(text.replace("&", "").rstrip(":"))
        edit.textChanged.connect(
            lambda: self.set_value(name, edit.toPlainText()[:max_length], optional=True))
        self.add_field(name, text, edit)
        return edit

    def set_value(self, name: str, value: Any, *, optional: bool = False) -> None:
        if self._loading:
            return
        if optional and value in ("", None):
            self.data.pop(name, None)  # an empty optional field is left out of the file
        else:
            self.data[name] = value
        self.was_changed(name)

    def was_changed(self, name: str) -> None:
        self.changed.emit()

    def load(self, data: dict[str, Any]) -> None:
        self._loading = True
        try:
            self.data = data
            self.fill(data)
        finally:
            self._loading = False

    def fill(self, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def show_problems(self, problems: list[Problem]) -> None:
        by_field: dict[str, list[str]] = {}
        other: list[str] = []
        for path, sentence in problems:
            field = str(path[0]) if path else ""
            (by_field.setdefault(field, []) if field in self._problem_labels
             else other).append(sentence)
        for field, label in self._problem_labels.items():
            _show(label, by_field.get(field, []))
        _show(self.other_problems, other)


def _show(label: QLabel, sentences: list[str]) -> None:
    label.setText("\n".join(sentences))
    label.setVisible(bool(sentences))


class AboutEditor(PartEditor):
    """The protocol's name, what it is for, where it comes from and its licence."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = self.line("name", _tr("&Name:"), 200)
        self.description = self.text("description", _tr("&What it is for:"), 4000)
        self.duration = QSpinBox(self)
        self.duration.setRange(0, 600)
        self.duration.setSuffix(_tr(" min"))
        self.duration.setSpecialValueText(_tr("Not set"))
        self.duration.setAccessibleName(_tr("Usual length of a visit"))
        self.duration.valueChanged.connect(
            lambda value: self.set_value("duration_minutes", value or None, optional=True))
        self.add_field("duration_minutes", _tr("Usual &length:"), self.duration)
        self.source = self.line("source", _tr("S&ource:"), 500)
        self.license = self.line("license", _tr("Li&cence:"), 200)
        self.form.addRow(self.other_problems)

    def fill(self, data: dict[str, Any]) -> None:
        self.name.setText(str(data.get("name", "")))
        self.description.setPlainText(str(data.get("description", "")))
        duration = data.get("duration_minutes")
        self.duration.setValue(duration if isinstance(duration, int) else 0)
        self.source.setText(str(data.get("source", "")))
        self.license.setText(str(data.get("license", "")))


class SectionEditor(PartEditor):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = self.line("title", _tr("&Title:"), 200)
        self.description = self.text("description", _tr("&Description:"), 2000)
        self.form.addRow(self.other_problems)

    def fill(self, data: dict[str, Any]) -> None:
        self.title.setText(str(data.get("title", "")))
        self.description.setPlainText(str(data.get("description", "")))


PROMPT_KINDS = (("glow", "Glow"), ("grow", "Grow"), ("next_step", "Next step"),
                ("other", "Other question"))


class ItemEditor(PartEditor):
    """An item's label and description, and what its kind needs: a rubric's levels, a scan's
    period and codes, a prompt's kind, a participation map's talk types and groups."""

    def __init__(self, is_new: Callable[[dict[str, Any]], bool],
                 taken_keys: Callable[[dict[str, Any]], set[str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._is_new = is_new  # an item or code not saved yet: its key follows its label
        self._taken_keys = taken_keys
        self.kind = QLabel(self)
        self.kind.setObjectName("muted")
        self.form.addRow(_tr("Kind:"), self.kind)
        self.label = self.line("label", _tr("&Label:"), 300)
        self.description = self.text("description", _tr("&Description:"), 2000)
        self.levels = RowsTable([_tr("Level name"), _tr("What it looks like")],
                                ("name", "descriptor"), _tr("level"), 10, self)
        self.levels.setAccessibleName(_tr("Rubric levels, lowest first"))
        self.levels.rows_changed.connect(self._levels_changed)
        self.add_field("levels", _tr("Le&vels:"), self.levels.box)
        self.period = QSpinBox(self)
        self.period.setRange(1, 7200)
        self.period.setSuffix(_tr(" s"))
        self.period.setAccessibleName(_tr("Interval length in seconds"))
        self.period.valueChanged.connect(lambda value: self.set_value("period_seconds", value))
        self.add_field("period_seconds", _tr("&Every:"), self.period)
        self.codes = RowsTable([_tr("Code"), _tr("Group (optional)")], ("label", "group"),
                               _tr("code"), 40, self)
        self.codes.setAccessibleName(_tr("Codes of the scan"))
        self.codes.rows_changed.connect(self._codes_changed)
        self.add_field("codes", _tr("C&odes:"), self.codes.box)
        self.prompt_kind = QComboBox(self)
        for value, text in PROMPT_KINDS:
            self.prompt_kind.addItem(_tr(text), value)
        self.prompt_kind.setAccessibleName(_tr("What the prompt asks for"))
        self.prompt_kind.currentIndexChanged.connect(
            lambda _i: self.set_value("prompt_kind", self.prompt_kind.currentData()))
        self.add_field("prompt_kind", _tr("&Asks for:"), self.prompt_kind)
        self.talk_types = RowsTable([_tr("Talk type"), _tr("Key")], ("label", "key"),
                                    _tr("talk type"), 12, self)
        self.talk_types.setAccessibleName(_tr("Talk types, each with the key pressed for it"))
        header = self.talk_types.horizontalHeader()  # the name takes the room, the key a letter
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.talk_types.rows_changed.connect(self._talk_types_changed)
        self.add_field("talk_types", _tr("&Talk types:"), self.talk_types.box)
        self.groups = QPlainTextEdit(self)
        self.groups.setTabChangesFocus(True)
        self.groups.setFixedHeight(self.groups.fontMetrics().lineSpacing() * 4 + 14)
        self.groups.setAccessibleName(_tr("Groups of seats, one per line (optional)"))
        self.groups.setPlaceholderText(_tr("None: talk is counted by seat only. Or one group "
                                           "per line, named by your school; a seat can be in "
                                           "several."))
        self.groups.textChanged.connect(self._groups_changed)
        self.add_field("groups", _tr("&Groups:"), self.groups)
        self.form.addRow(self.other_problems)

    def fill(self, data: dict[str, Any]) -> None:
        kind = str(data.get("kind", ""))
        self.kind.setText(kind_title(kind))
        self.label.setText(str(data.get("label", "")))
        self.description.setPlainText(str(data.get("description", "")))
        self._show_row(self.levels.box, kind == "rubric")
        self._show_row(self.period, kind == "interval")
        self._show_row(self.codes.box, kind == "interval")
        self._show_row(self.prompt_kind, kind == "prompt")
        self._show_row(self.talk_types.box, kind == "participation")
        self._show_row(self.groups, kind == "participation")
        if kind == "rubric":
            self.levels.load(data.setdefault("levels", []))
        if kind == "interval":
            period = data.get("period_seconds")
            self.period.setValue(period if isinstance(period, int) else 0)
            self.codes.load(data.setdefault("codes", []))
        if kind == "prompt":
            index = self.prompt_kind.findData(data.get("prompt_kind", "other"))
            self.prompt_kind.setCurrentIndex(max(0, index))
        if kind == "participation":
            self.talk_types.load(data.setdefault("talk_types", []))
            groups = data.get("groups")
            self.groups.setPlainText("\n".join(str(g) for g in groups)
                                     if isinstance(groups, list) else "")

    def _show_row(self, field: QWidget, shown: bool) -> None:
        box = field.parentWidget()
        assert box is not None  # each field sits in the box add_field made for it
        self.form.setRowVisible(box, shown)

    def was_changed(self, name: str) -> None:
        if name == "label" and self._is_new(self.data):
            self.data["key"] = templates.keyword(str(self.data.get("label", "")),
                                                 self._taken_keys(self.data), "item")
        super().was_changed(name)

    def _levels_changed(self) -> None:
        """Levels keep their numbers (ratings name them by number), unless the rubric lists
        them 1, 2, 3… in order: then the order on screen is the numbering, moves included.
        A new level takes the next number free."""
        levels = self.data.get("levels", [])
        kept = [lv.get("level") for lv in levels if id(lv) not in self.levels.new_rows
                and isinstance(lv.get("level"), int)]
        if kept == sorted(kept):
            for number, level in enumerate(levels, start=1):
                level["level"] = number
        else:
            free = max(kept, default=0)
            for level in levels:
                if not isinstance(level.get("level"), int):
                    free += 1
                    level["level"] = free
        self.changed.emit()

    def _codes_changed(self) -> None:
        codes = self.data.get("codes", [])
        for code in codes:
            if id(code) in self.codes.new_rows or self._is_new(code) or not code.get("key"):
                # Unique among codes of other names (a name in Thai has no letters for a key);
                # two codes of one name share it, a problem to show.
                label = str(code.get("label", "")).casefold()
                taken = {str(c.get("key", "")) for c in codes if c is not code
                         and str(c.get("label", "")).casefold() != label}
                code["key"] = templates.keyword(label, taken, "code")
            if not code.get("group"):
                code.pop("group", None)
        self.changed.emit()


    def _talk_types_changed(self) -> None:
        """A talk type's key is the first free letter of its name until the author types a
        key of their own (kept then, in lower case: keys are pressed without Shift)."""
        types = self.data.get("talk_types", [])
        for talk in types:
            if (id(talk), "key") in self.talk_types.typed:
                talk["key"] = str(talk.get("key", "")).lower()
            elif id(talk) in self.talk_types.new_rows or not talk.get("key"):
                taken = {str(t.get("key", "")) for t in types if t is not talk}
                talk["key"] = templates.talk_type_key(str(talk.get("label", "")), taken)
        self.talk_types.show_field("key")
        self.changed.emit()

    def _groups_changed(self) -> None:
        names = [" ".join(line.split()) for line in self.groups.toPlainText().splitlines()]
        self.set_value("groups", [n for n in names if n] or None, optional=True)
