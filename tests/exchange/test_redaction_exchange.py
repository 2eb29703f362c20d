"""A package sent with a class list carries no student name in any free text, and what it
carries never overwrites the real text: not on a laptop that has it, not on the sender's own
when the package comes back."""

from __future__ import annotations

import re
from pathlib import Path

from observe_app.domain.enums import FeedbackKind
from observe_app.exchange.redact import free_text_columns
from observe_app.services import cycles, exchange, goals, notes, ratings, redaction, responses
from observe_app.storage.engine import Database
from tests.exchange.package_files import members
from tests.exchange.replicas import Laptops, snapshot
from tests.services.helpers import T0, cycle_with_visit

NAMES = ("José Muñoz", "Nguyễn Thị Hương", "Σοφία", "Дмитрий Соколов")
WRITTEN = ("JOSÉ MUÑOZ", "nguyễn thị hương", "ΣΟΦΙΑ", "ДМИТРИЙ СОКОЛОВ")


def _record(db: Database) -> str:
    """A cycle whose every kind of free text names students; its id."""
    with db.transaction() as s:
        teacher, cycle, visit, version = cycle_with_visit(s, "peer-observation")
        one, two, three, four = WRITTEN
        cycles.update_pre_conference(s, cycle.id, focus=f"How {one} explains",
                                     evidence_to_collect=f"What {two} says",
                                     planned_date=None)
        note = notes.add_note(s, visit.id, f"{three} asked {four} why", wall_time=T0,
                              elapsed_ms=60_000)
        prompt = next(i for i in version.items if i.kind == "prompt")
        responses.set_text(s, visit.id, prompt.id, f"{one} and {three} led the group")
        cycles.add_feedback(s, cycle.id, FeedbackKind.GLOW, f"{two} was heard",
                            evidence_note_ids=[note.id])
        cycles.set_post_conference_notes(s, cycle.id, f"We talked about {four}")
        cycles.set_reflection(s, cycle.id, f"I will ask {one} first")
        goals.set_goal(s, teacher.id, f"Hear {three} every lesson", cycle_id=cycle.id)
        rubric = next((i for i in version.items if i.kind == "rubric"), None)
        if rubric is not None:
            ratings.rate(s, cycle.id, rubric.id, 3, f"{two} explained")
        return cycle.id


def _sent_text(path: Path) -> str:
    return b"\n".join(members(path).values()).decode("utf-8").casefold()


def _list(db: Database) -> redaction.Redactor:
    with db.transaction() as s:
        made = redaction.create_class_list(s, "7B", "\n".join(NAMES))
        found = redaction.redactor_for(s, made.id)
    assert found is not None
    return found


def test_the_package_holds_labels_and_none_of_the_names(laptops: Laptops) -> None:
    db = laptops.new("mine")
    cycle_id = _record(db)
    plain, out = laptops.folder / "plain.observe", laptops.folder / "redacted.observe"
    with db.transaction() as s:
        exchange.send_cycle(s, cycle_id, plain, sender="Anna")
    assert all(w.casefold() in _sent_text(plain) for w in WRITTEN)
    redactor = _list(db)
    with db.transaction() as s:
        found = exchange.preview_redaction(s, "cycle", [cycle_id], redactor)
        exchange.send_cycle(s, cycle_id, out, sender="Anna", redactor=redactor)
    assert {f.name for f in found} == set(NAMES)
    assert sum(f.times for f in found) >= 10
    sent = _sent_text(out)
    for name in (*NAMES, *WRITTEN, "Muñoz", "Hương", "Σοφία", "Соколов"):
        assert name.casefold() not in sent, name
    assert "student a" in sent and "student d" in sent


def test_every_free_text_column_is_covered() -> None:
    covered = {f"{t}.{c}" for t, cs in free_text_columns().items() for c in cs}
    assert {"notes.text", "item_responses.text", "cycles.focus", "cycles.evidence_to_collect",
            "cycles.post_conference_notes", "cycles.reflection", "feedback_items.text",
            "feedback_items.support", "feedback_items.owner", "feedback_items.success_measure",
            "goals.text", "goal_cycles.comment", "ratings.comment"} <= covered


def test_redacted_text_never_overwrites_the_real_text(laptops: Laptops) -> None:
    mine, theirs = laptops.new("mine"), laptops.new("theirs")
    cycle_id = _record(mine)
    out = laptops.folder / "redacted.observe"
    with mine.transaction() as s:
        exchange.send_cycle(s, cycle_id, out, sender="Anna", redactor=_list(mine))
    laptops.receive(theirs, out)
    arrived = " ".join(map(repr, snapshot(theirs)["notes"]))
    assert re.search(r"Student [A-D] asked Student [A-D] why", arrived)
    before = snapshot(mine)
    laptops.receive(mine, laptops.send(theirs))  # it comes back, as everything they have
    assert snapshot(mine) == before


# -- a redacted value never replaces text a laptop has (scenarios from a review) -------------

def _anna(db: Database) -> tuple[str, str, str]:
    with db.transaction() as s:
        _t, cycle, visit, _v = cycle_with_visit(s, "peer-observation")
        note = notes.add_note(s, visit.id, "Anna asked why", wall_time=T0, elapsed_ms=60_000)
        made = redaction.create_class_list(s, "7C", "Anna Berg\nAnna")
        return cycle.id, note.id, made.id


def _note_text(db: Database, note_id: str) -> str:
    with db.transaction() as s:
        return notes.get_note(s, note_id).text


def _sent(laptops: Laptops, db: Database, cycle_id: str, list_id: str | None,
          name: str) -> Path:
    out = laptops.folder / name
    with db.transaction() as s:
        exchange.send_cycle(s, cycle_id, out, sender="Sam",
                            redactor=redaction.redactor_for(s, list_id) if list_id else None)
    return out


def test_a_laptop_with_the_real_text_keeps_it(laptops: Laptops) -> None:
    sender, receiver, third = laptops.new("s"), laptops.new("r"), laptops.new("t")
    cycle_id, note_id, list_id = _anna(sender)
    laptops.receive(receiver, _sent(laptops, sender, cycle_id, None, "plain.observe"))
    laptops.receive(third, _sent(laptops, sender, cycle_id, None, "plain2.observe"))
    laptops.receive(receiver, _sent(laptops, sender, cycle_id, list_id, "red.observe"))
    assert _note_text(receiver, note_id) == "Anna asked why"
    fresh = laptops.new("fresh")
    laptops.receive(fresh, _sent(laptops, sender, cycle_id, list_id, "red2.observe"))
    assert _note_text(fresh, note_id) == "Student A asked why"
    laptops.receive(third, laptops.send(fresh))  # passed on: still never over real text
    assert _note_text(third, note_id) == "Anna asked why"
    laptops.receive(sender, laptops.send(fresh))
    assert _note_text(sender, note_id) == "Anna asked why"


def test_sending_a_redacted_copy_changes_nothing_on_the_sender(laptops: Laptops) -> None:
    """A colleague's edit made before a redacted send still wins on the sender."""
    sender, colleague, receiver = laptops.new("s"), laptops.new("c"), laptops.new("r")
    cycle_id, note_id, list_id = _anna(sender)
    laptops.receive(colleague, _sent(laptops, sender, cycle_id, None, "plain.observe"))
    with colleague.transaction() as s:
        notes.edit_note(s, note_id, "Anna asked why twice")
    before = snapshot(sender)
    laptops.receive(receiver, _sent(laptops, sender, cycle_id, list_id, "red.observe"))
    assert snapshot(sender) == before
    laptops.receive(sender, laptops.send(colleague))
    assert _note_text(sender, note_id) == "Anna asked why twice"
