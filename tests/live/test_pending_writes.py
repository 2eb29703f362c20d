"""The pending-writes queue of a live visit, without Qt: order, faults, refusals, coalescing."""

from __future__ import annotations

import pytest

from observe_app.errors import BadInputError, DatabaseLockedError, DiskFullError
from observe_app.live.pending_writes import PendingWrites, State, Write


class Disk:
    """Stands for the database: saves in order, or fails with the fault it is given."""

    def __init__(self) -> None:
        self.rows: list[str] = []
        self.fault: Exception | None = None

    def write(self, what: str, value: str, **kw) -> Write:
        def save() -> str:
            if self.fault is not None:
                raise self.fault
            if value.startswith("too long"):
                raise BadInputError("a note can hold at most 20,000 characters")
            self.rows.append(value)
            return value.upper()
        return Write(what, save, **kw)


def test_a_write_with_nothing_waiting_is_saved_at_once_and_told() -> None:
    disk, told = Disk(), []
    pending = PendingWrites()
    assert pending.submit(disk.write("note", "a", saved=told.append))
    assert disk.rows == ["a"] and told == ["A"] and pending.state is State.SAVED


def test_a_fault_holds_that_write_and_every_later_one_untried_until_a_retry_saves_all() -> None:
    disk, changes = Disk(), []
    pending = PendingWrites(lambda: changes.append(pending.state))
    disk.fault = DatabaseLockedError("the database is locked by another program")
    assert not pending.submit(disk.write("note", "a"))
    assert pending.state is State.WAITING and isinstance(pending.fault, DatabaseLockedError)
    tries = []
    later = disk.write("tally", "b")
    real = later.save
    later.save = lambda: tries.append(1) or real()
    assert not pending.submit(later)  # behind the first: not even tried, so nothing waits
    assert tries == [] and pending.counts() == {"note": 1, "tally": 1}
    assert not pending.retry() and disk.rows == []  # still locked
    disk.fault = None
    assert pending.retry()
    assert disk.rows == ["a", "b"] and pending.state is State.SAVED and pending.fault is None
    assert changes[0] is State.WAITING and changes[-1] is State.SAVED


def test_a_newer_write_of_the_same_thing_replaces_one_that_waits() -> None:
    disk = Disk()
    pending = PendingWrites()
    disk.fault = DiskFullError("the disk is full")
    pending.submit(disk.write("prompt", "gl", replaces=("prompt", "glow")))
    pending.submit(disk.write("tally", "+1"))
    pending.submit(disk.write("prompt", "glow text", replaces=("prompt", "glow")))
    disk.fault = None
    pending.retry()
    assert disk.rows == ["+1", "glow text"]


def test_a_refusal_is_raised_at_once_and_handed_back_if_it_had_waited() -> None:
    disk = Disk()
    pending = PendingWrites()
    with pytest.raises(BadInputError):
        pending.submit(disk.write("note", "too long 1"))
    assert pending.state is State.SAVED and pending.waiting == []

    disk.fault = DiskFullError("the disk is full")
    refused: list[str] = []
    pending.submit(disk.write("note", "too long 2", refused=lambda e: refused.append(str(e))))
    pending.submit(disk.write("note", "fine"))
    disk.fault = None
    assert pending.retry()
    assert refused == ["a note can hold at most 20,000 characters"] and disk.rows == ["fine"]
