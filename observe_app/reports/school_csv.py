"""The PLC data review's anonymised aggregates as CSV, for a spreadsheet: the programme's
counts, one row per pattern figure and one per impact point. No name, class or room: the
same figures, withheld by the same rules, as the PDF."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.orm import Session

from observe_app.reports.export import write_atomically
from observe_app.services.school import OVERDUE_AFTER_DAYS, SchoolPicture
from observe_app.services.school_impact import Line
from observe_app.storage.engine import Database
from observe_app.storage.paths import database_of, refuse_own_file

log = logging.getLogger(__name__)

COLUMNS = ("section", "protocol", "group", "label", "measure", "period", "value", "n",
           "n_counts", "teachers", "withheld", "previous_period", "previous_value",
           "previous_n", "previous_withheld", "change")


@dataclass(frozen=True)
class CsvResult:
    path: Path
    rows: int


def _number(value: float | None) -> str:
    """Empty when withheld or not recorded; else at most four decimals ('0.25', '17.3333')."""
    if value is None:
        return ""
    rounded = round(value, 4)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


def rows(picture: SchoolPicture) -> Iterator[dict[str, str]]:
    """Every row of the CSV, as COLUMNS name them."""
    period = picture.period.name
    c = picture.coverage
    total = len(c.teachers)
    # A grade is the visit's: its teachers are those visited in it, none "not yet observed".
    counts = [("teachers whose lessons in this grade were visited", total)] \
        if picture.scope.grade else [
            ("teachers in this scope", total),
            ("teachers observed at least once", total - len(c.never_observed)),
            ("teachers not yet observed", len(c.never_observed))]
    counts += [("teachers who observed a colleague", total - len(c.never_observing)),
              ("teachers not yet observing a colleague", len(c.never_observing)),
              ("visits to colleagues' lessons", sum(p.visits for p in c.pairs))]
    counts += [(f"cycles at the {stage.label.lower()} stage", n) for stage, n in c.stages]
    counts.append((f"post-conferences overdue (over {OVERDUE_AFTER_DAYS} days after the "
                   "visit)", len(c.overdue)))
    for label, n in counts:
        yield {"section": "programme", "label": label, "measure": "count", "period": period,
               "value": str(n)}
    for p in picture.patterns:
        counted = "cycles" if p.kind == "rubric" else "visits"
        yield {"section": "pattern", "protocol": p.protocol, "group": p.group,
               "label": p.label, "measure": p.measure, "period": period,
               "value": _number(p.now.value), "n": str(p.now.visits), "n_counts": counted,
               "teachers": str(p.now.teachers), "withheld": p.now.withheld,
               "previous_period": picture.before.name,
               "previous_value": _number(p.before.value), "previous_n": str(p.before.visits),
               "previous_withheld": p.before.withheld, "change": _number(p.change)}
    found = picture.impact
    yield from _impact("goals met", "share of goals reviewed in the term that were met",
                       "goals", [found.goals_met])
    yield from _impact("mean level, teachers in their first two years",
                       "mean rubric level in the domain", "cycles", found.new_teachers)
    yield from _impact("mean level, everyone", "mean rubric level in the domain", "cycles",
                       found.school)


def _impact(group: str, measure: str, counted: str,
            lines: tuple[Line, ...] | list[Line]) -> Iterator[dict[str, str]]:
    for line in lines:
        for term, figure in line.points:
            yield {"section": "impact", "group": group, "label": line.label,
                   "measure": measure, "period": term.name, "value": _number(figure.value),
                   "n": str(figure.visits), "n_counts": counted,
                   "teachers": str(figure.teachers), "withheld": figure.withheld}


def write(picture: SchoolPicture, out: BinaryIO) -> int:
    """The CSV in UTF-8 with a byte-order mark (so a spreadsheet reads accented labels);
    returns the number of rows under the header."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    try:
        writer = csv.DictWriter(text, fieldnames=COLUMNS, restval="")
        writer.writeheader()
        count = 0
        for row in rows(picture):
            writer.writerow(row)
            count += 1
        text.flush()
    finally:
        text.detach()  # the caller owns `out`
    return count


def export_csv(source: Database | Session, picture: SchoolPicture,
               path: Path | str) -> CsvResult:
    """Write the picture's anonymised aggregates to the CSV file `path`, whole or not at all."""
    target = Path(path).expanduser()
    refuse_own_file(database_of(source), target, "CSV")
    count = write_atomically(target, lambda out: write(picture, out))
    log.info("exported the PLC data review's figures (%d rows)", count)
    return CsvResult(target, count)
