"""Under a participation map's seat box: the look-for the next contribution is tagged to (a tag
key pressed in the seat box), and the seat or Enter held down to time how long a student
talks. The state itself is observe_app.live.contribution_box, without Qt."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from observe_app.domain.enums import ItemKind
from observe_app.live.contribution_box import HOLD_MS, LetGo, Moment, NextContribution
from observe_app.services.participation import duration_words

if TYPE_CHECKING:
    from observe_app.services.participation import ContributionView
    from observe_app.services.protocols import ItemView


class NextContributionLabel(QLabel):
    """Shows the look-for the next contribution is tagged to, while there is one; `said`
    carries a sentence for the map's status line, and whether it is a problem."""

    said = Signal(str, bool)

    def __init__(self, now: Callable[[], Moment], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pendingTags")
        self.setWordWrap(True)
        self.setAccessibleName(self.tr("Look-for the next contribution is tagged to"))
        self.hide()
        self.state = NextContribution(now)
        self._labels: dict[str, str] = {}  # look-for id → label, of the tags given here
        self._held = QTimer(self)  # says so once a press lasts long enough to be timed
        self._held.setSingleShot(True)
        self._held.setInterval(HOLD_MS)
        self._held.timeout.connect(self._on_held_timeout)

    @property
    def lookfor_id(self) -> str | None:
        return self.state.lookfor_id

    # -- the tag ---------------------------------------------------------------------------------

    def toggle_tag(self, item: ItemView) -> None:
        """A tag key pressed in the seat box: the next contribution is evidence of this
        look-for (the same key again takes the tag off; another look-for's replaces it)."""
        if item.kind != ItemKind.LOOKFOR:
            self.said.emit(self.tr("A contribution is tagged only to a look-for, and “{label}” "
                                   "is not one: tag a note to it from the note box (Ctrl+N).")
                           .format(label=item.label), True)
            return
        self._labels[item.id] = item.label
        replaced = self.state.toggle_tag(item.id)
        if self.state.lookfor_id is None:
            self.said.emit(self.tr("The next contribution is not tagged."), False)
        elif replaced is not None:
            self.said.emit(self.tr("The next contribution is tagged to “{label}” instead of "
                                   "“{before}”: a contribution has one look-for.").format(
                label=item.label, before=self._labels.get(replaced, "")), False)
        else:
            self.said.emit(self.tr("The same key again takes the tag off; another look-for's "
                                   "key replaces it."), False)
        self._show()

    def logged(self) -> None:
        """A contribution was logged with the tag: the next one starts untagged."""
        self.state.logged()
        self._show()

    def _show(self) -> None:
        lookfor = self.state.lookfor_id
        if lookfor is not None:
            self.setText(self.tr("Next contribution tagged: {label}").format(
                label=self._labels.get(lookfor, "")))
        self.setVisible(lookfor is not None)

    # -- holding ---------------------------------------------------------------------------------

    def press(self) -> None:
        """A seat or Enter went down: the student began to speak."""
        self.state.press()
        self._held.start()

    def let_go(self) -> LetGo:
        self._held.stop()
        return self.state.let_go()

    def _on_held_timeout(self) -> None:
        self.said.emit(self.tr("Timing how long the student talks: let go when they stop."),
                       False)

    def extras(self, c: ContributionView) -> str:
        """What a logged contribution carries besides its seat and kind, as the status line
        says it: ', talked 12 s, tagged to “…”'."""
        said = ""
        if c.duration_ms is not None:
            said += self.tr(", talked {time}").format(time=duration_words(c.duration_ms))
        if c.lookfor_id is not None:
            said += self.tr(", tagged to “{lookfor}”").format(
                lookfor=self._labels.get(c.lookfor_id, ""))
        return said
