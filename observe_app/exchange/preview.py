"""What receiving a package will do (or did): the read model the window and the CLI show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# The words a teacher reads for each kind of row.
TABLE_WORDS = {
    "people": "people", "cycles": "cycles", "goals": "goals",
    "feedback_items": "glows, grows and next steps", "observations": "visits",
    "pauses": "pauses", "notes": "notes", "note_tags": "note tags",
    "item_responses": "ticks, tallies and prompts", "timer_runs": "timer runs",
    "interval_records": "interval scans", "ratings": "ratings",
    "rating_evidence": "evidence links", "feedback_evidence": "feedback's evidence links",
    "goal_cycles": "goal progress", "visit_seatings": "visits' seats",
    "contributions": "contributions heard",
}

# The words a teacher reads for a field (others: the column's name with spaces).
FIELD_WORDS = {
    "acknowledged_at": "acknowledged on", "archived_at": "archived on",
    "career_stage": "career stage", "closed_at": "closed on", "created_at": "made on",
    "due_date": "due date", "duration_ms": "length", "elapsed_ms": "time into the visit",
    "ended_at": "ended", "evidence_to_collect": "evidence to collect", "item_id": "item",
    "interval_index": "interval", "mentor_id": "mentor", "not_observed": "not observed",
    "observation_at": "observation reached on", "observer_id": "observer",
    "paused_at": "paused at", "paused_ms": "paused at (time into the visit)",
    "planned_date": "planned date", "post_conference_at": "post-conference reached on",
    "post_conference_notes": "post-conference notes",
    "pre_conference_at": "pre-conference reached on",
    "pre_conference_notes": "pre-conference notes", "protocol_version_id": "protocol",
    "recorded_at": "recorded at", "reflection_at": "reflection reached on",
    "resumed_at": "resumed at", "set_in_cycle_id": "set in cycle",
    "start_date": "start date", "started_at": "started", "started_ms": "started at",
    "teacher_id": "teacher", "updated_at": "last changed", "wall_time": "time",
    "talk_type": "talk type", "lookfor_id": "look-for",
}


def field_words(field: str) -> str:
    """'post_conference_notes' → 'post-conference notes'."""
    return FIELD_WORDS.get(field, field.replace("_", " "))


@dataclass
class TableCounts:
    added: int = 0
    changed: int = 0  # rows with at least one field taken from the package
    conflicts: int = 0  # fields edited on both laptops (the older edit kept in history)
    deleted: int = 0
    restored: int = 0

    def any(self) -> bool:
        return bool(self.added or self.changed or self.conflicts or self.deleted
                    or self.restored)


@dataclass(frozen=True)
class FieldChange:
    table: str
    row_id: str
    what: str  # "the cycle of Ana Silva (focus: questioning)"
    field: str
    before: object
    after: object
    conflict: bool  # edited here too: `before` is kept in the history


@dataclass(frozen=True)
class SamePerson:
    """Someone in the package who looks like someone here."""

    incoming_id: str
    incoming_name: str
    local_id: str
    local_name: str
    reason: str  # "the same e-mail" (merged) or "the same name" (merged only when asked)
    merged: bool


@dataclass
class Preview:
    package_id: str
    sender: str
    sent_at: dt.datetime
    title: str  # what the sender chose: "the cycle of Ana Silva, 3 March 2026"
    counts: dict[str, TableCounts] = field(default_factory=dict)
    new_cycles: list[str] = field(default_factory=list)
    changes: list[FieldChange] = field(default_factory=list)
    people: list[SamePerson] = field(default_factory=list)
    new_protocols: list[str] = field(default_factory=list)
    already_received: dt.datetime | None = None  # then nothing is done again
    applied: bool = False
    backup: str | None = None  # the checked backup taken before applying

    def counts_for(self, table: str) -> TableCounts:
        return self.counts.setdefault(table, TableCounts())

    @property
    def nothing_to_do(self) -> bool:
        return self.already_received is not None or not any(
            c.any() for c in self.counts.values())

    def as_json(self) -> dict[str, object]:
        return {
            "package": self.package_id, "sender": self.sender,
            "sent_at": self.sent_at.isoformat(), "title": self.title,
            "already_received": (self.already_received.isoformat()
                                 if self.already_received else None),
            "applied": self.applied, "backup": self.backup,
            "tables": {t: vars(c) for t, c in sorted(self.counts.items()) if c.any()},
            "new_cycles": self.new_cycles, "new_protocols": self.new_protocols,
            "changes": [{"table": c.table, "id": c.row_id, "what": c.what, "field": c.field,
                         "before": c.before, "after": c.after, "conflict": c.conflict}
                        for c in self.changes],
            "same_people": [vars(p) for p in self.people],
        }
