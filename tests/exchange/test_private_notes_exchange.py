"""Private notes never leave the laptop in a package: not their text, not their id, not their
tags, not the evidence links to them, whether the note is live or deleted (a deleted row
travels as its archived values) and whatever is sent (a cycle, a teacher, everything)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from observe_app.domain.enums import FeedbackKind
from observe_app.services import cycles, exchange, notes, ratings
from observe_app.storage.engine import Database
from tests.exchange.package_files import members
from tests.exchange.replicas import Laptops, snapshot
from tests.services.helpers import T0, cycle_with_visit

SHARED = "Pairs explain their method to each other"
KEPT = "Ravi was upset after the quiz"
KEPT_AND_DELETED = "Mia mentioned trouble at home"
KEPT_UNTAGGED = "Remember to ask Sam about the trip"


def _record(db: Database) -> dict[str, str]:
    """A visit with a shared note and three private ones: one tagged and rated on, one whose
    tag was taken off (an archived tag row), one deleted. The ids by what they are."""
    with db.transaction() as s:
        teacher, cycle, visit, version = cycle_with_visit(s)
        rubric = [i.id for i in version.items if i.kind == "rubric"]

        def add(text: str, minute: int, tags: list[str]) -> str:
            return notes.add_note(s, visit.id, text, wall_time=T0 + dt.timedelta(minutes=minute),
                                  elapsed_ms=minute * 60_000, item_ids=tags).id

        shared = add(SHARED, 3, [rubric[0]])
        kept = add(KEPT, 9, [rubric[0], rubric[1]])
        untagged = add(KEPT_UNTAGGED, 12, [rubric[2]])
        deleted = add(KEPT_AND_DELETED, 15, [rubric[0]])
        for note_id in (kept, untagged, deleted):
            notes.set_private(s, note_id, True)
        notes.set_tags(s, untagged, [])
        ratings.rate(s, cycle.id, rubric[0], 3)
        for note_id in (shared, kept, deleted):
            ratings.link_evidence(s, cycle.id, rubric[0], note_id)
        cycles.add_feedback(s, cycle.id, FeedbackKind.GLOW, "Students explained their steps",
                            evidence_note_ids=[shared, kept, deleted])
        notes.delete_note(s, deleted)
        return {"cycle": cycle.id, "teacher": teacher.id, "shared": shared, "kept": kept,
                "untagged": untagged, "deleted": deleted}


def _sent(laptops: Laptops, db: Database, send: Callable[..., object]) -> bytes:
    out = laptops.folder / f"sent-{laptops.sent}.observe"
    laptops.sent += 1
    with db.transaction() as s:
        send(s, out)
    return b"\n".join(members(out).values())


@pytest.mark.parametrize("what", ["cycle", "teacher", "everything"])
def test_no_package_holds_a_private_note_or_anything_of_it(laptops: Laptops, what: str) -> None:
    db = laptops.new("mine")
    ids = _record(db)
    senders: dict[str, Callable[..., object]] = {
        "cycle": lambda s, out: exchange.send_cycle(s, ids["cycle"], out, sender="Anna"),
        "teacher": lambda s, out: exchange.send_teacher(s, ids["teacher"], out, sender="Anna"),
        "everything": lambda s, out: exchange.send_everything(s, out, sender="Anna"),
    }
    sent = _sent(laptops, db, senders[what])
    assert SHARED.encode() in sent and ids["shared"].encode() in sent
    for text in (KEPT, KEPT_AND_DELETED, KEPT_UNTAGGED):
        assert text.encode() not in sent
    for key in ("kept", "untagged", "deleted"):
        assert ids[key].encode() not in sent  # no note row, tag, evidence link or stamp


def test_what_arrives_holds_the_shared_note_with_its_links_and_nothing_private(
        laptops: Laptops) -> None:
    mine, theirs = laptops.new("mine"), laptops.new("theirs")
    ids = _record(mine)
    laptops.receive(theirs, laptops.send(mine))
    arrived = snapshot(theirs)
    assert [row[4] for row in arrived["notes"]] == [SHARED]
    assert {row[0] for row in arrived["note_tags"]} == {ids["shared"]}
    assert [row[1] for row in arrived["rating_evidence"]] == [ids["shared"]]
    assert [row[1] for row in arrived["feedback_evidence"]] == [ids["shared"]]


def test_a_note_shared_again_travels(laptops: Laptops) -> None:
    db = laptops.new("mine")
    ids = _record(db)
    with db.transaction() as s:
        notes.set_private(s, ids["kept"], False)
    sent = _sent(laptops, db, lambda s, out: exchange.send_everything(s, out, sender="Anna"))
    assert KEPT.encode() in sent
    assert KEPT_AND_DELETED.encode() not in sent
