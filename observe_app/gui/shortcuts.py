"""Every keyboard shortcut of the app in one table: the code makes its QShortcuts from it and
the shortcut sheet (F1) shows it, so the two cannot disagree.

A key means one thing application-wide: Ctrl+1 … tag notes (live view), so the sections moved
to Alt+O/C/T/P/S; Ctrl+E ends a visit, so exporting (a PDF, a protocol) is Ctrl+Shift+E.
Texts are English source strings, translated where they are shown (context "Shortcuts").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (the name lupdate reads)
    """Marks `text` for translation in `context`; it is translated where it is shown."""
    return text


class Where(Enum):
    """Where a key works, with the place that contains it (a key there works here too)."""

    WINDOW = (QT_TRANSLATE_NOOP("Shortcuts", "Anywhere in the window"), None)
    SECTIONS = (QT_TRANSLATE_NOOP("Shortcuts", "Main pages (not while observing)"), "WINDOW")
    CYCLES_PAGES = (QT_TRANSLATE_NOOP("Shortcuts", "Observe and Cycles pages"), "SECTIONS")
    TEACHERS_PAGE = (QT_TRANSLATE_NOOP("Shortcuts", "Teachers page"), "SECTIONS")
    PROTOCOLS_PAGE = (QT_TRANSLATE_NOOP("Shortcuts", "Protocols page"), "SECTIONS")
    SCHOOL_PAGE = (QT_TRANSLATE_NOOP("Shortcuts", "School page"), "SECTIONS")
    CYCLE_VIEW = (QT_TRANSLATE_NOOP("Shortcuts", "Cycle view"), "SECTIONS")
    RATINGS = (QT_TRANSLATE_NOOP("Shortcuts", "Cycle view, Ratings tab"), "CYCLE_VIEW")
    GROWTH_VIEW = (QT_TRANSLATE_NOOP("Shortcuts", "Growth view"), "SECTIONS")
    LIVE = (QT_TRANSLATE_NOOP("Shortcuts", "Live observation"), "WINDOW")
    DIALOGS = (QT_TRANSLATE_NOOP("Shortcuts", "Dialogs"), None)
    BUILDER = (QT_TRANSLATE_NOOP("Shortcuts", "Protocol builder, in its outline"), None)
    SEARCH = (QT_TRANSLATE_NOOP("Shortcuts", "Search (Ctrl+F)"), None)

    @property
    def title(self) -> str:
        return self.value[0]

    @property
    def parent(self) -> Where | None:
        return Where[self.value[1]] if self.value[1] else None

    def contains(self, other: Where) -> bool:
        place: Where | None = other
        while place is not None:
            if place is self:
                return True
            place = place.parent
        return False

    def overlaps(self, other: Where) -> bool:
        return self.contains(other) or other.contains(self)


@dataclass(frozen=True)
class Shortcut:
    """One key (or a range of keys) and what it does there.

    `action` names the meaning: a key may appear in several places only with one action.
    `shortcut` is False for keys a widget handles itself (Enter in the note box): they are
    shown on the sheet but no QShortcut is made for them.
    """

    keys: tuple[str, ...]
    action: str
    where: Where
    text: str
    shown: str = ""  # how the sheet writes a range ("Ctrl+1 … Ctrl+0")
    shortcut: bool = True

    @property
    def key(self) -> str:
        return self.keys[0]

    def label(self) -> str:
        """The key as written on buttons and the sheet, in the platform's words."""
        if self.shown:
            return self.shown
        return " / ".join(
            QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in self.keys
        )


_DIGITS = [str(n) for n in range(1, 10)] + ["0"]


def _s(keys: str | tuple[str, ...], action: str, where: Where, text: str, **kw: Any) -> Shortcut:
    return Shortcut((keys,) if isinstance(keys, str) else keys, action, where, text, **kw)


HELP = _s(
    ("F1", "Ctrl+/"), "help", Where.WINDOW, QT_TRANSLATE_NOOP("Shortcuts", "Show these shortcuts")
)
FIND = _s(
    "Ctrl+F", "find", Where.WINDOW, QT_TRANSLATE_NOOP("Shortcuts", "Search every note and feedback")
)
# A QAction in the Data menu makes this key (so the menu shows it); no QShortcut is needed.
RECEIVE_PACKAGE = _s(
    "Ctrl+Shift+R",
    "receive_package",
    Where.SECTIONS,
    QT_TRANSLATE_NOOP("Shortcuts", "Receive an observation package from a colleague"),
    shortcut=False,
)
PAGES = (
    _s(
        "Alt+O",
        "page_observe",
        Where.SECTIONS,
        QT_TRANSLATE_NOOP("Shortcuts", "Go to the Observe page"),
    ),
    _s(
        "Alt+C",
        "page_cycles",
        Where.SECTIONS,
        QT_TRANSLATE_NOOP("Shortcuts", "Go to the Cycles page"),
    ),
    _s(
        "Alt+T",
        "page_teachers",
        Where.SECTIONS,
        QT_TRANSLATE_NOOP("Shortcuts", "Go to the Teachers page"),
    ),
    _s(
        "Alt+P",
        "page_protocols",
        Where.SECTIONS,
        QT_TRANSLATE_NOOP("Shortcuts", "Go to the Protocols page"),
    ),
    _s(
        "Alt+S",
        "page_school",
        Where.SECTIONS,
        QT_TRANSLATE_NOOP("Shortcuts", "Go to the School page"),
    ),
)
NEXT_FIELD = _s(
    "Tab",
    "next_field",
    Where.WINDOW,
    QT_TRANSLATE_NOOP("Shortcuts", "Next field or button (Shift+Tab: back); leaves tables too"),
    shortcut=False,
)
PLAN_CYCLE = _s(
    "Ctrl+Shift+P", "plan_cycle", Where.CYCLES_PAGES, QT_TRANSLATE_NOOP("Shortcuts", "Plan a cycle")
)
START_OBSERVATION = _s(
    "Ctrl+Shift+O",
    "start_observation",
    Where.CYCLES_PAGES,
    QT_TRANSLATE_NOOP("Shortcuts", "Start observing the selected cycle"),
)
RESUME_VISIT = _s(
    "Ctrl+R",
    "resume_visit",
    Where.CYCLES_PAGES,
    QT_TRANSLATE_NOOP("Shortcuts", "Resume a visit that was not ended (Observe page)"),
)
OPEN_CYCLE = _s(
    "Return",
    "open_row",
    Where.CYCLES_PAGES,
    QT_TRANSLATE_NOOP("Shortcuts", "Open the selected cycle (Observe page: start observing it)"),
)
ADD_PERSON = _s(
    "Ctrl+Shift+A",
    "add_person",
    Where.TEACHERS_PAGE,
    QT_TRANSLATE_NOOP("Shortcuts", "Add a person"),
)
GROWTH = _s(
    "Ctrl+Shift+G",
    "growth",
    Where.TEACHERS_PAGE,
    QT_TRANSLATE_NOOP("Shortcuts", "Growth and cycles of the selected teacher"),
)
PLAN_FOR_TEACHER = _s(
    "Ctrl+Shift+P",
    "plan_cycle",
    Where.TEACHERS_PAGE,
    QT_TRANSLATE_NOOP("Shortcuts", "Plan a cycle for the selected teacher"),
)
EDIT_PERSON = _s(
    "Return",
    "open_row",
    Where.TEACHERS_PAGE,
    QT_TRANSLATE_NOOP("Shortcuts", "Edit the selected person"),
)
IMPORT_PROTOCOL = _s(
    "Ctrl+I",
    "import",
    Where.PROTOCOLS_PAGE,
    QT_TRANSLATE_NOOP("Shortcuts", "Import a protocol file"),
)
EXPORT_PROTOCOL = _s(
    "Ctrl+Shift+E",
    "export",
    Where.PROTOCOLS_PAGE,
    QT_TRANSLATE_NOOP("Shortcuts", "Export the selected protocol"),
)
DELETE_CYCLE = _s(
    "Del",
    "delete",
    Where.CYCLES_PAGES,
    QT_TRANSLATE_NOOP("Shortcuts", "Delete the selected cycle (asks first; Ctrl+Z undoes)"),
)
DELETE_PERSON = _s(
    "Del",
    "delete",
    Where.TEACHERS_PAGE,
    QT_TRANSLATE_NOOP("Shortcuts", "Delete the selected person (asks first; Ctrl+Z undoes)"),
)
UNDO_DELETE_CYCLE = _s(
    "Ctrl+Z", "undo", Where.CYCLES_PAGES, QT_TRANSLATE_NOOP("Shortcuts", "Undo a delete")
)
UNDO_DELETE_PERSON = _s(
    "Ctrl+Z", "undo", Where.TEACHERS_PAGE, QT_TRANSLATE_NOOP("Shortcuts", "Undo a delete")
)
BACK = _s("Escape", "back", Where.CYCLE_VIEW, QT_TRANSLATE_NOOP("Shortcuts", "Back to the list"))
EXPORT_PDF = _s(
    "Ctrl+Shift+E",
    "export",
    Where.CYCLE_VIEW,
    QT_TRANSLATE_NOOP("Shortcuts", "Export the PDF feedback summary"),
)
EXPORT_SCHOOL_REVIEW = _s(
    "Ctrl+Shift+E",
    "export",
    Where.SCHOOL_PAGE,
    QT_TRANSLATE_NOOP("Shortcuts", "Export the PLC data review (PDF) of the figures shown"),
)
SAVE_PRE_CONFERENCE = _s(
    ("Ctrl+Return", "Ctrl+Enter"),
    "confirm",
    Where.CYCLE_VIEW,
    QT_TRANSLATE_NOOP("Shortcuts", "Save the pre-conference (on its tab)"),
    shown="Ctrl+Enter",
)
REMOVE_FEEDBACK = _s(
    "Del",
    "delete",
    Where.CYCLE_VIEW,
    QT_TRANSLATE_NOOP("Shortcuts", "Remove the selected glow, grow or next step; delete the "
                      "selected visit (in the visits list; asks first)"),
)
# One Del in the cycle view: the list that has the focus decides what it removes.
DELETE_VISIT = REMOVE_FEEDBACK
LEVELS = _s(
    tuple(str(n) for n in range(1, 10)),
    "level",
    Where.RATINGS,
    QT_TRANSLATE_NOOP("Shortcuts", "Choose a level; again clears it"),
    shown="1 … 9",
)
GROWTH_BACK = _s(
    "Escape", "back", Where.GROWTH_VIEW, QT_TRANSLATE_NOOP("Shortcuts", "Back to the list")
)
TIMELINE = _s(
    ("Left", "Right"),
    "timeline",
    Where.GROWTH_VIEW,
    QT_TRANSLATE_NOOP("Shortcuts", "Move along the timeline (Enter opens the cycle)"),
    shown="← →",
    shortcut=False,
)

SAVE_NOTE = _s(
    "Return",
    "save_note",
    Where.LIVE,
    QT_TRANSLATE_NOOP("Shortcuts", "Save the note (its time is when you began typing)"),
    shortcut=False,
)
NEW_LINE = _s(
    "Shift+Return",
    "new_line",
    Where.LIVE,
    QT_TRANSLATE_NOOP("Shortcuts", "New line in the note"),
    shortcut=False,
)
PICK_ITEM = _s(
    "#",
    "pick_item",
    Where.LIVE,
    QT_TRANSLATE_NOOP("Shortcuts", "Pick a look-for to tag the note; Enter takes a single match"),
    shortcut=False,
)
TAG = _s(
    tuple(f"Ctrl+{d}" for d in _DIGITS) + tuple(f"Ctrl+Alt+{d}" for d in _DIGITS),
    "tag",
    Where.LIVE,
    QT_TRANSLATE_NOOP(
        "Shortcuts",
        "Tag the note being typed (with an empty box: the selected note; in a seat box: the "
        "next contribution) with the look-for shown beside the key",
    ),
    shown="Ctrl+1 … Ctrl+0, Ctrl+Alt+1 …",
)
TALLY = _s(
    tuple(f"Alt+{d}" for d in _DIGITS),
    "tally",
    Where.LIVE,
    QT_TRANSLATE_NOOP("Shortcuts", "Count one on the tally shown beside the key"),
    shown="Alt+1 … Alt+0",
)
TIMER = _s(
    tuple(f"F{n}" for n in range(5, 13)),
    "timer",
    Where.LIVE,
    QT_TRANSLATE_NOOP("Shortcuts", "Start or stop the timer shown beside the key"),
    shown="F5 … F12",
)
SEAT_ENTRY = _s(
    ("Ctrl+Shift+S", "Ctrl+Shift+D"),
    "seat_entry",
    Where.LIVE,
    QT_TRANSLATE_NOOP(
        "Shortcuts",
        "To the seat box of the participation map shown beside the key: type a seat number "
        "(and a talk type's letter), Enter: volunteered, Shift+Enter: called on",
    ),
)
UNDO = _s(
    "Ctrl+Z",
    "undo",
    Where.LIVE,
    QT_TRANSLATE_NOOP("Shortcuts", "Undo the last change (a note, or a contribution from a seat)"),
)
REDO = _s("Ctrl+Shift+Z", "redo", Where.LIVE, QT_TRANSLATE_NOOP("Shortcuts", "Redo"))
PAUSE = _s(
    "Ctrl+P", "pause", Where.LIVE, QT_TRANSLATE_NOOP("Shortcuts", "Pause or resume the clock")
)
END = _s(
    "Ctrl+E", "end_observation", Where.LIVE, QT_TRANSLATE_NOOP("Shortcuts", "End the observation")
)
NOTE_BOX = _s(
    "Ctrl+N", "note_box", Where.LIVE, QT_TRANSLATE_NOOP("Shortcuts", "Back to the note box")
)
DELETE_NOTE = _s(
    "Del",
    "delete",
    Where.LIVE,
    QT_TRANSLATE_NOOP("Shortcuts", "Delete the selected note (in the evidence table)"),
)
PRIVATE_NOTE = _s(
    "Ctrl+Shift+K",
    "private",
    Where.LIVE,
    QT_TRANSLATE_NOOP("Shortcuts", "Keep the selected note private: on this laptop only, never "
                      "in a PDF or a package (again: shared)"),
)
CORRECT_NOTE = _s(
    "F2",
    "edit",
    Where.CYCLE_VIEW,
    QT_TRANSLATE_NOOP("Shortcuts", "Correct the selected note (Visits and evidence tab)"),
    shortcut=False,
)
UNDO_CORRECTION = _s(
    "Ctrl+Z", "undo", Where.CYCLE_VIEW, QT_TRANSLATE_NOOP("Shortcuts", "Undo a note correction")
)
REDO_CORRECTION = _s(
    "Ctrl+Shift+Z", "redo", Where.CYCLE_VIEW, QT_TRANSLATE_NOOP("Shortcuts", "Redo it")
)
PRIVATE_NOTE_AFTER = _s(
    "Ctrl+Shift+K",
    "private",
    Where.CYCLE_VIEW,
    QT_TRANSLATE_NOOP("Shortcuts", "Keep the selected note private, or share it again "
                      "(Visits and evidence tab)"),
)
EDIT_NOTE = _s(
    "F2",
    "edit",
    Where.LIVE,
    QT_TRANSLATE_NOOP("Shortcuts", "Edit the selected note (in the evidence table)"),
    shortcut=False,
)

CONFIRM = _s(
    ("Ctrl+Return", "Ctrl+Enter"),
    "confirm",
    Where.DIALOGS,
    QT_TRANSLATE_NOOP("Shortcuts", "Save the dialog, also from a field of several lines"),
    shown="Ctrl+Enter",
)
CONFIRM_LINE = _s(
    "Return",
    "confirm",
    Where.DIALOGS,
    QT_TRANSLATE_NOOP("Shortcuts", "Save the dialog (from a one-line field)"),
    shortcut=False,
)
CANCEL = _s(
    "Escape", "cancel", Where.DIALOGS, QT_TRANSLATE_NOOP("Shortcuts", "Cancel"), shortcut=False
)
NEW_PROTOCOL = _s(
    "Ctrl+Shift+N",
    "new_protocol",
    Where.PROTOCOLS_PAGE,
    QT_TRANSLATE_NOOP("Shortcuts", "Make a new protocol in the builder"),
)
DUPLICATE_PROTOCOL = _s(
    "Ctrl+D",
    "duplicate",
    Where.PROTOCOLS_PAGE,
    QT_TRANSLATE_NOOP("Shortcuts", "Duplicate the selected protocol, to change the copy"),
)
EDIT_PROTOCOL = _s(
    "F2",
    "edit",
    Where.PROTOCOLS_PAGE,
    QT_TRANSLATE_NOOP("Shortcuts", "Change the selected protocol (one of your own)"),
)
BUILDER_MOVE_UP = _s(
    "Alt+Up",
    "move_up",
    Where.BUILDER,
    QT_TRANSLATE_NOOP("Shortcuts", "Move the section or item up"),
)
BUILDER_MOVE_DOWN = _s(
    "Alt+Down",
    "move_down",
    Where.BUILDER,
    QT_TRANSLATE_NOOP("Shortcuts", "Move the section or item down"),
)
BUILDER_REMOVE = _s(
    "Del",
    "delete",
    Where.BUILDER,
    QT_TRANSLATE_NOOP("Shortcuts", "Remove the section or item"),
)
OPEN_HIT = _s(
    "Return", "open_row", Where.SEARCH, QT_TRANSLATE_NOOP("Shortcuts", "Open the selected result")
)

TABLE: tuple[Shortcut, ...] = (
    HELP,
    FIND,
    RECEIVE_PACKAGE,
    *PAGES,
    NEXT_FIELD,
    PLAN_CYCLE,
    START_OBSERVATION,
    RESUME_VISIT,
    OPEN_CYCLE,
    ADD_PERSON,
    GROWTH,
    PLAN_FOR_TEACHER,
    EDIT_PERSON,
    DELETE_CYCLE,
    DELETE_PERSON,
    UNDO_DELETE_CYCLE,
    UNDO_DELETE_PERSON,
    IMPORT_PROTOCOL,
    EXPORT_PROTOCOL,
    NEW_PROTOCOL,
    DUPLICATE_PROTOCOL,
    EDIT_PROTOCOL,
    BACK,
    EXPORT_PDF,
    EXPORT_SCHOOL_REVIEW,
    SAVE_PRE_CONFERENCE,
    REMOVE_FEEDBACK,
    LEVELS,
    GROWTH_BACK,
    TIMELINE,
    SAVE_NOTE,
    NEW_LINE,
    PICK_ITEM,
    TAG,
    TALLY,
    TIMER,
    SEAT_ENTRY,
    UNDO,
    REDO,
    PAUSE,
    END,
    NOTE_BOX,
    DELETE_NOTE,
    PRIVATE_NOTE,
    EDIT_NOTE,
    CORRECT_NOTE,
    UNDO_CORRECTION,
    REDO_CORRECTION,
    PRIVATE_NOTE_AFTER,
    CONFIRM,
    CONFIRM_LINE,
    CANCEL,
    BUILDER_MOVE_UP,
    BUILDER_MOVE_DOWN,
    BUILDER_REMOVE,
    OPEN_HIT,
)


def translated(text: str) -> str:
    return QCoreApplication.translate("Shortcuts", text)


def bind(
    entry: Shortcut,
    parent: QWidget,
    slot: Callable[[], Any],
    *,
    context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetWithChildrenShortcut,
    keys: tuple[str, ...] | None = None,
) -> list[QShortcut]:
    """QShortcuts on `parent` for the entry's keys (or some of them, for a range)."""
    made = []
    for key in keys or entry.keys:
        assert key in entry.keys, f"{key} is not a key of {entry.action}"
        shortcut = QShortcut(QKeySequence(key), parent)
        shortcut.setContext(context)
        shortcut.activated.connect(slot)
        made.append(shortcut)
    return made
