"""Everything captured during a visit, saved in the order it was made.

A write that a fault keeps from disk (another program holding the database, a full disk)
waits here, with every write after it, so the observer can go on: the window shows what is
not saved yet, tries again, and saves it all in order once the fault clears. A write refused
for what it holds (a note too long) is handed back instead: retrying cannot help it.

The states, and what moves between them:

    SAVED ──a save meets a fault──▶ WAITING ──retry() saves all that waits──▶ SAVED
      ▲  submit(): saved at once      │  submit(): joins the queue, untried
      └───────────────────────────────┘  retry() meets a fault: stays WAITING
"""

from __future__ import annotations

import enum
from collections import Counter, deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from observe_app.errors import ObserveError, StorageError


class State(enum.Enum):
    SAVED = "saved"  # nothing waits
    WAITING = "waiting"  # a fault holds writes back; they are tried again in order


@dataclass(eq=False)
class Write:
    """One thing to save: a note, a tick, a tally, a timer run, a scan, prompt text…"""

    what: str  # the kind of thing, for "2 notes and 1 tally are not saved yet"
    save: Callable[[], Any]  # raises a StorageError on a fault, BadInputError on a refusal
    saved: Callable[[Any], None] | None = None  # with what `save` returned
    refused: Callable[[ObserveError], None] | None = None
    # A newer write with the same key makes an unsaved older one moot (prompt text, a tick).
    replaces: Hashable | None = None
    text: str = ""  # what the person typed, if any: said before closing loses it
    about: Hashable | None = None  # the thing it records (an item), for waits_about()


class PendingWrites:
    """The queue of one visit's writes, and whether a fault holds them back."""

    def __init__(self, on_change: Callable[[], None] | None = None) -> None:
        self.state = State.SAVED
        self.fault: StorageError | None = None
        self._waiting: deque[Write] = deque()
        self._on_change = on_change or (lambda: None)

    def submit(self, write: Write) -> bool:
        """Save now, unless writes are waiting (then it waits behind them, untried, so the
        order holds and no save waits on a lock). True when it was saved now. A refusal is
        raised to the caller, who still has what was typed."""
        if self._waiting:
            self._enqueue(write)
            self._on_change()
            return False
        try:
            result = write.save()
        except StorageError as fault:
            self._enqueue(write)
            self._hold(fault)
            return False
        if write.saved is not None:
            write.saved(result)
        return True

    def retry(self) -> bool:
        """Save what waits, oldest first, until all is saved (True) or a fault stops it."""
        while self._waiting:
            write = self._waiting[0]
            try:
                result = write.save()
            except StorageError as fault:
                self._hold(fault)
                return False
            except ObserveError as refusal:  # refused for what it holds: handed back
                self._waiting.popleft()
                if write.refused is not None:
                    write.refused(refusal)
                continue
            self._waiting.popleft()
            if write.saved is not None:
                write.saved(result)
        self.state = State.SAVED
        self.fault = None
        self._on_change()
        return True

    @property
    def waiting(self) -> list[Write]:
        return list(self._waiting)

    def waits_about(self, about: Hashable) -> bool:
        """Whether a write about `about` (say, one tally's item) still waits."""
        return any(w.about == about for w in self._waiting)

    def counts(self) -> Counter[str]:
        """How many of each kind of thing wait: {"note": 2, "tally": 1}."""
        return Counter(w.what for w in self._waiting)

    def _enqueue(self, write: Write) -> None:
        if write.replaces is not None:
            for older in [w for w in self._waiting if w.replaces == write.replaces]:
                self._waiting.remove(older)
        self._waiting.append(write)

    def _hold(self, fault: StorageError) -> None:
        self.state = State.WAITING
        self.fault = fault
        self._on_change()

