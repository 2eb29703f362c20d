"""The longest text each field accepts: the window, the services and the PDF all use these.

Chosen far above anything a teacher writes, yet small enough that every summary still
renders (the PDF splits long text across pages; tests/reports/test_pdf_long_text.py fills
every column at its limit). String(N) columns take N from the model.
"""

from __future__ import annotations

import datetime as dt

PERSON_NAME = 200
PERSON_EMAIL = 320
PERSON_SUBJECT = 200
CLASS_SUBJECT = 200
CLASS_GRADE = 50
CLASS_ROOM = 50
FOCUS = 2_000
EVIDENCE_TO_COLLECT = 5_000
RATING_COMMENT = 5_000
FEEDBACK = 5_000
GOAL = 2_000
NEXT_STEP_OWNER = 200
NEXT_STEP_DETAIL = 2_000  # the support offered; how success will be seen
GOAL_COMMENT = 2_000
NOTE = 20_000
PROMPT_TEXT = 20_000
POST_CONFERENCE_NOTES = 20_000
REFLECTION = 20_000

# Text columns ("table.column") without a length in the schema, and their limit.
TEXT_COLUMNS: dict[str, int] = {
    "cycles.focus": FOCUS,
    "cycles.evidence_to_collect": EVIDENCE_TO_COLLECT,
    "cycles.post_conference_notes": POST_CONFERENCE_NOTES,
    "cycles.reflection": REFLECTION,
    "feedback_items.text": FEEDBACK,
    "feedback_items.owner": NEXT_STEP_OWNER,
    "feedback_items.support": NEXT_STEP_DETAIL,
    "feedback_items.success_measure": NEXT_STEP_DETAIL,
    "notes.text": NOTE,
    "note_drafts.text": NOTE,
    "item_responses.text": PROMPT_TEXT,
    "ratings.comment": RATING_COMMENT,
    "goals.text": GOAL,
    "goal_cycles.comment": GOAL_COMMENT,
}


def too_long(text: str, limit: int, what: str) -> str | None:
    """The message for a text over its limit (None when it fits)."""
    if len(text) <= limit:
        return None
    return f"{what} can be at most {limit:,} characters ({len(text):,} given); shorten it"

# The years a teacher's start date may fall in: anything outside is a typo (1066, 9999).
FIRST_START = dt.date(1900, 1, 1)
LAST_START = dt.date(2100, 12, 31)
