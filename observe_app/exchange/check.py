"""Every row and protocol a package brings, checked before the database sees it.

A row must name a table that travels, hold exactly that table's columns, each value one the
app can read (the same rules as a restored backup, storage/value_check), and well-formed
stamps. A protocol must be a valid protocol document whose ids are the ones its content
gives. The first problem refuses the whole package, with where it is.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable
from typing import Any

from observe_app.domain.seats import MOST_SEATS
from observe_app.errors import BadInputError
from observe_app.exchange.state import RowState
from observe_app.exchange.tables import synced_tables
from observe_app.protocols import ids, loader
from observe_app.storage.value_check import Rule, model_rules

STAMP = re.compile(r"\d{13}\.\d{8}\.[0-9a-f]{32}")
TALK_TYPE = re.compile(r"[a-z]")  # resources/protocol.schema.json: a talk type's key
# A change dated further ahead than this is refused: a laptop receiving it would stamp its own
# later edits after it, so one wrong clock would decide every merge for good.
AHEAD_MS = 24 * 60 * 60 * 1000


def stamp_problem(stamp: object) -> str | None:
    """What is wrong with a change stamp from outside, or None."""
    if not isinstance(stamp, str) or not STAMP.fullmatch(stamp):
        return "has change stamps Observe did not write"
    if int(stamp[:13]) > time.time() * 1000 + AHEAD_MS:
        when = dt.datetime.fromtimestamp(min(int(stamp[:13]) / 1000, 253402300799), dt.UTC)
        return (f"has changes dated {when:%Y-%m-%d}, ahead of this laptop's clock (check the "
                "date and time on both laptops")
    return None


def _refusal(source: str, where: str, what: str) -> BadInputError:
    return BadInputError(f"{source}: {where} {what}; nothing was received (ask the sender to "
                         "send the package again)")


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "flag"  # JSON true/false: Observe writes 0 and 1
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "real"
    if isinstance(value, str):
        return "text"
    return "other"


def _value_problem(rule: Rule, value: object) -> str | None:
    kind = _kind(value)
    if kind not in rule.types:
        return f"holds {value!r:.40} where Observe keeps {rule.expected}"
    if isinstance(value, int) and not -2 ** 63 <= value < 2 ** 63:
        return "holds a number too large for Observe"
    if isinstance(value, str) and "\x00" in value:
        return "holds text with a NUL character in it"
    if kind == "null" or rule.check is None:
        return None
    return rule.check(value)


def _seat_number(value: object) -> str | None:
    if isinstance(value, int) and 1 <= value <= MOST_SEATS:
        return None
    return f"holds {value!r:.40}, which is not a seat (seats are numbered 1 to {MOST_SEATS})"


def _talk_type(value: object) -> str | None:
    if isinstance(value, str) and TALK_TYPE.fullmatch(value):
        return None
    return f"holds {value!r:.40}, which is not a talk type's key (one letter)"


def _not_negative(value: object) -> str | None:
    return None if isinstance(value, int) and value >= 0 else "holds a time before the lesson"


# Values a column's type allows but Observe never writes, refused as they arrive: a
# contribution comes from a seat of a chart, with a talk type's one-letter key (as the
# protocol schema has it), at a time in the lesson.
RECEIVED_RULES: dict[tuple[str, str], Callable[[object], str | None]] = {
    ("contributions", "seat"): _seat_number,
    ("contributions", "talk_type"): _talk_type,
    ("contributions", "elapsed_ms"): _not_negative,
    ("contributions", "duration_ms"): _not_negative,
}


def check_row(record: Any, source: str, line: int) -> RowState:
    where = f"line {line} of the rows"
    if not isinstance(record, dict) or not isinstance(record.get("t"), str):
        raise _refusal(source, where, "is not a row")
    spec = synced_tables().get(record["t"])
    if spec is None:
        raise _refusal(source, where, f"is in a table Observe does not receive ({record['t']:.40})")
    if set(record) - {"t", "v", "s", "d", "b"}:
        raise _refusal(source, where, "holds more than a row")
    values, stamps, deleted = record.get("v"), record.get("s", {}), record.get("d")
    bases = record.get("b", {})
    if not isinstance(values, dict) or set(values) != set(spec.columns):
        raise _refusal(source, where, f"does not have the columns of {spec.name}")
    rules = {r.column: r for r in model_rules()[spec.name]}
    for column in spec.columns:
        problem = _value_problem(rules[column], values[column])
        extra = RECEIVED_RULES.get((spec.name, column))
        if problem is None and extra is not None and values[column] is not None:
            problem = extra(values[column])
        if column in spec.key and values[column] is None:
            problem = "is empty"
        if problem:
            raise _refusal(source, where, f"({spec.name}.{column}) {problem}")
    if not isinstance(stamps, dict) or not all(f in spec.fields for f in stamps) \
            or not isinstance(bases, dict) or not all(
                f in stamps and isinstance(b, str) and b < stamps[f] for f, b in bases.items()):
        raise _refusal(source, where, "has change stamps Observe did not write")
    if deleted is not None and not (
            isinstance(deleted, list) and len(deleted) == 2 and deleted[0] in (0, 1)
            and not isinstance(deleted[0], bool)
            and isinstance(deleted[1], str) and STAMP.fullmatch(deleted[1])):
        raise _refusal(source, where, "has a delete record Observe did not write")
    for stamp in (*stamps.values(), *bases.values(), *([deleted[1]] if deleted else [])):
        problem = stamp_problem(stamp)
        if problem:
            raise _refusal(source, where, problem)
    return RowState(spec.name, dict(values), dict(stamps),
                    (deleted[0], deleted[1]) if deleted is not None else None, dict(bases))


def check_protocol(record: Any, source: str, line: int) -> dict[str, Any]:
    where = f"protocol {line} of the package"
    if not isinstance(record, dict) or set(record) != {"version_id", "builtin", "document"} \
            or not isinstance(record["builtin"], bool) \
            or not isinstance(record["version_id"], str):
        raise _refusal(source, where, "is not a protocol as Observe sends it")
    document = loader.validate_document(record["document"], f"{source} ({where})")
    digest = loader.content_hash(document)
    number = document.get("version")
    allowed = {ids.version_id(digest)}
    if isinstance(number, int):
        allowed.add(ids.version_id(digest, number))
    if record["version_id"] not in allowed:
        raise _refusal(source, where, "does not have the id its content gives")
    return {"version_id": record["version_id"], "builtin": record["builtin"],
            "document": document}
