"""What a capture kind declares: every part each place of the app asks a kind for."""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from observe_app.protocols.sentences import times

# A part of the PDF: a function of the report (and, for growth charts, the reader's time zone)
# giving flowables. Typed loosely here: this package is imported before ReportLab is.
Story = list[Any]

# The kinds of record a live visit keeps for an item; a kind names those it writes, and the
# write services refuse an item whose kind does not keep that record.
RECORDS = frozenset({"checked", "count", "text", "timer_runs", "intervals", "rating",
                     "contributions"})

# What a kind's check finds in one item: (the path inside the item, a sentence), e.g.
# (("codes", 3, "key"), "Codes in one scan must be different: …").
Problems = list[tuple[tuple[str | int, ...], str]]


def later(target: str) -> Callable[..., Any]:
    """`module:function`, imported on the first call: the registry is read at first paint,
    before SQLAlchemy and ReportLab may be imported."""
    module, _, name = target.partition(":")

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__qualname__ = call.__name__ = name
    call.target = target  # type: ignore[attr-defined]  # the registry test resolves it
    return call


def repeats(entries: Sequence[tuple[int, Any]], kind: type) -> list[tuple[int, Any, str]]:
    """Each entry whose value (of `kind`: others are the schema's problem) an earlier entry has
    already: (its place, the value, how often the value is used: "twice", "3 times")."""
    values = [(n, v) for n, v in entries if isinstance(v, kind) and not isinstance(v, bool)]
    counts = Counter(v for _n, v in values)
    seen: set[Any] = set()
    out = []
    for n, v in values:
        if v in seen:
            out.append((n, v, times(counts[v])))
        seen.add(v)
    return out


def nothing(*_args: Any, **_kwargs: Any) -> list[Any]:
    """A part a kind declares it does not have (e.g. no growth series for prompts)."""
    return []


@dataclass(frozen=True)
class CaptureKind:
    """One kind of protocol item and, in one place, how every part of the app handles it."""

    name: str  # as written in protocol files: "tally"
    plan_words: str  # how the PDF's plan names it: "(tally)"
    # Validation: the protocol fields only this kind may have, and the rules for one item
    # that JSON Schema cannot express: check(item, called) gives the item's problems, each a
    # path inside the item and a sentence naming the item as `called` ("“Engagement scan”").
    # The item may be half made (the builder checks as the author types): never raise.
    own_fields: tuple[str, ...]
    check: Callable[[dict[str, Any], str], Problems]
    records: frozenset[str]  # what a visit records for it (RECORDS)
    taggable: bool  # notes are tagged to it, with the tag keys
    # The PDF: its section among the results (sections shared by kinds are shown once, where
    # the first of them stands) or inside the feedback section.
    pdf_section: Callable[[Any], Story]
    pdf_place: str  # "results" or "feedback"
    # Growth: the series of one teacher (services over a Session; given the teacher's cycles
    # when the caller has read them), and the PDF's chart of it.
    growth_points: Callable[[Any, str, Any], Sequence[Any]]
    growth_chart: Callable[[Any, Any], Story]
    # The demo school: what an observer records for one item in one visit.
    demo: Callable[[Any, str, Any, int, float], None]
    # The school's picture: the kind's anonymised patterns across many teachers' visits
    # (services/school_patterns.py; a Session and a Reading give Patterns). Never a name,
    # a class, a room or free text.
    school_patterns: Callable[[Any, Any], Sequence[Any]]


PARTS = ("plan_words", "own_fields", "check", "records", "taggable", "pdf_section", "pdf_place",
         "growth_points", "growth_chart", "demo", "school_patterns")
