"""The talk types of a participation map: a small button per type showing its letter, in as many
rows as the panel's width needs, and the name of the type a click on a seat logs."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRect, QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QButtonGroup, QLabel, QPushButton, QSizePolicy, QWidget

if TYPE_CHECKING:
    from observe_app.services.protocols import Code

GAP = 4  # px between buttons, and between rows
NAME_GAP = 8  # px between the last button and the name beside it
PADDING = 18  # px around a button's letter (the style's padding and border)


class TalkTypeButton(QPushButton):
    """A talk type's letter, in a button only as wide as a letter needs (a push button is
    otherwise at least 80 px wide, and twelve of them would not fit the panel)."""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        height = super().sizeHint().height()
        letter = self.fontMetrics().horizontalAdvance(self.text())
        # The style sheet's min-width is a floor: drawn narrower it would overlap the next.
        return QSize(max(height, letter + PADDING, self.minimumWidth()), height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return self.sizeHint()


class TalkTypeBar(QWidget):
    """One checkable button per talk type (`chosen`: its key, when clicked) and the name of the
    marked one. The buttons wrap onto as many even rows as the width needs, so a protocol with
    twelve types never makes the panel scroll sideways. The name sits beside the last row when
    every type's name fits there, else on its own lines beneath: the bar keeps one shape
    whichever type is marked."""

    chosen = Signal(str)

    def __init__(self, talk_types: Sequence[Code], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._names = {t.key: t.label for t in talk_types}
        self.group = QButtonGroup(self)
        self.buttons: dict[str, TalkTypeButton] = {}
        for talk in talk_types:
            button = TalkTypeButton(talk.key, self)
            button.setObjectName("talkType")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click keeps the note box
            button.setToolTip(self.tr("{label}: type {key} after the seat number, or click "
                                      "here for every seat from now on").format(
                label=talk.label, key=talk.key))
            button.setAccessibleName(self.tr("Talk type {label} ({key})").format(
                label=talk.label, key=talk.key))
            button.clicked.connect(lambda _=False, k=talk.key: self.chosen.emit(k))
            self.group.addButton(button)
            self.buttons[talk.key] = button
        self.name_label = QLabel(self)
        self.name_label.setObjectName("talkTypeName")
        self.name_label.setWordWrap(True)
        self.name_label.setAccessibleName(self.tr("Talk type logged by a click"))
        # Width → where everything goes: the panel asks again after every contribution logged.
        self._arranged: dict[int, tuple[list[QRect], QRect, int]] = {}

    def mark(self, key: str) -> None:
        """Show `key` as the type a click logs."""
        self.buttons[key].setChecked(True)
        self.name_label.setText(self._names[key])

    # -- geometry --------------------------------------------------------------------------------

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt's name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        return self._arrange(width)[2]

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        button = self._button_size()
        n = len(self.buttons)
        width = n * (button.width() + GAP) + NAME_GAP + self._widest_name()
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return self._button_size()  # a column of buttons; the height is the width's to say

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        places, name, _height = self._arrange(self.width())
        for button, place in zip(self.buttons.values(), places, strict=True):
            button.setGeometry(place)
        self.name_label.setGeometry(name)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._arranged.clear()
            self.updateGeometry()

    def _button_size(self) -> QSize:
        """One size for every button, the widest letter's, so the rows line up."""
        sizes = []
        for button in self.buttons.values():
            button.ensurePolished()  # the style sheet's font and padding, before measuring
            sizes.append(button.sizeHint())
        return QSize(max((s.width() for s in sizes), default=0),
                     max((s.height() for s in sizes), default=0))

    def _widest_name(self) -> int:
        self.name_label.ensurePolished()
        metrics = self.name_label.fontMetrics()
        return max((metrics.horizontalAdvance(name) for name in self._names.values()),
                   default=0)

    def _tallest_name(self, width: int) -> int:
        metrics = self.name_label.fontMetrics()
        flags = int(Qt.TextFlag.TextWordWrap)
        return max((metrics.boundingRect(0, 0, width, 10_000, flags, name).height()
                    for name in self._names.values()), default=0)

    def _arrange(self, width: int) -> tuple[list[QRect], QRect, int]:
        """Where each button and the name go in `width`, and the height all of it takes."""
        if width not in self._arranged:
            if len(self._arranged) > 16:  # a splitter dragged across many widths
                self._arranged.clear()
            self._arranged[width] = self._work_out(width)
        return self._arranged[width]

    def _work_out(self, width: int) -> tuple[list[QRect], QRect, int]:
        n = len(self.buttons)
        if not n:
            return [], QRect(), 0
        size = self._button_size()
        fit = max(1, (width + GAP) // (size.width() + GAP))
        rows = math.ceil(n / fit)
        across = math.ceil(n / rows)  # rows as even as they can be: 6 and 6, not 11 and 1
        places = [QRect((i % across) * (size.width() + GAP), (i // across) * (size.height()
                                                                                + GAP),
                        size.width(), size.height()) for i in range(n)]
        buttons_height = rows * size.height() + (rows - 1) * GAP
        last_row = places[-1]
        beside = last_row.right() + 1 + NAME_GAP
        if width - beside >= self._widest_name():
            return places, QRect(beside, last_row.top(), width - beside, size.height()), \
                buttons_height
        name_height = self._tallest_name(width)
        top = buttons_height + GAP
        return places, QRect(0, top, width, name_height), top + name_height
