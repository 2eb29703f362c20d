"""Practice patterns across the school, anonymised: how often each look-for was seen, scan
codes' shares, tally and timer means, rubric levels per domain, participation — each against
the period before, and withheld when too few visits or teachers stand behind it.

Each capture kind names its reader here in its `school_patterns` part (kinds/); a reader gets
the visits of the period and the one before as one SQL table `v` and gives raw figures, which
`_patterns` turns into what may be shown (services/school_figures.py). No reader returns a
name, a class or a room.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from observe_app.services.school_figures import MINIMUM_VISITS, Figure, Pattern, figure
from observe_app.services.school_period import Period, Scope, scope_params, scope_sql

VISITS_TABLE = "school_visits"


@dataclass(frozen=True)
class Reading:
    """What the readers are asked about: the period, the one before it, whose visits, and
    the fewest visits a figure may stand on."""

    period: Period
    before: Period
    scope: Scope
    minimum_visits: int = MINIMUM_VISITS

    # Set by `read_once`: the visits are in this laptop's temporary table for the readers.
    in_table: bool = False

    def visits_sql(self) -> str:
        """`WITH v(oid, cid, tid, pvid, now_)`: the visits of both periods; now_ is 1 for the
        period itself and 0 for the one before."""
        if self.in_table:
            return f"WITH v AS (SELECT * FROM temp.{VISITS_TABLE}) "
        # MATERIALIZED: read once per query, not again for each record joined to it.
        return f"WITH v AS MATERIALIZED ({self._visits_select()}) "

    def _visits_select(self) -> str:
        return ("SELECT o.id AS oid, o.cycle_id AS cid, c.teacher_id AS tid, "
                "c.protocol_version_id AS pvid, o.started_at >= :now_from AS now_ "
                "FROM observations o JOIN cycles c ON c.id = o.cycle_id "
                "JOIN people t ON t.id = c.teacher_id "
                "WHERE o.started_at >= :from_ AND o.started_at < :to_ AND "
                f"{scope_sql(self.scope)}")

    def params(self) -> dict[str, Any]:
        now_from, to_ = self.period.bounds()
        from_, _ = self.before.bounds()
        return {"now_from": now_from, "from_": from_, "to_": to_, **scope_params(self.scope)}

    def rows(self, session: Session, sql: str) -> list[Any]:
        return list(session.execute(text(self.visits_sql() + sql), self.params()))

    @contextmanager
    def read_once(self, session: Session) -> Iterator[Reading]:
        """The visits read once for every reader: into a temporary table of this connection
        (finding them is a tenth to a fifth of each reader's time), or, where SQLite refuses
        even a temporary table (a connection that may only read, a full disk), by each."""
        try:
            with session.begin_nested():  # refused: as if never tried
                session.execute(text(
                    f"CREATE TEMP TABLE {VISITS_TABLE} (oid TEXT PRIMARY KEY, cid TEXT, "
                    "tid TEXT, pvid TEXT, now_ INTEGER) WITHOUT ROWID"))
                session.execute(text(
                    f"INSERT INTO temp.{VISITS_TABLE} {self._visits_select()}"), self.params())
        except OperationalError:
            yield self
            return
        try:
            yield replace(self, in_table=True)
        finally:
            session.execute(text(f"DROP TABLE temp.{VISITS_TABLE}"))


# -- the readers, one per capture kind -----------------------------------------------------
#
# Each reads the records of `v`'s visits visit by visit (CROSS JOIN keeps that order: left to
# choose, SQLite reads a whole table of records against the visits) and counts them per period,
# protocol version, item and teacher; `_gather` puts a protocol's versions together in Python,
# where an item's visits add up and its teachers are counted once.


@dataclass(frozen=True)
class Item:
    """A protocol item as the patterns name it: never more than the protocol says."""

    version_id: str
    protocol: str
    key: str
    label: str
    section: str
    config: Any


def items_of_kind(session: Session, kind: str) -> dict[str, Item]:
    return {row[0]: Item(*row[1:]) for row in session.execute(text(
        "SELECT i.id, i.version_id, p.name, i.key, i.label, i.section, i.config "
        "FROM protocol_items i JOIN protocol_versions pv ON pv.id = i.version_id "
        "JOIN protocols p ON p.id = pv.protocol_id WHERE i.kind = :kind"), {"kind": kind})}


@dataclass
class Stand:
    """What one item's figure of one period stands on, over its protocol's versions."""

    label: str = ""
    visits: int = 0
    teachers: set[str] = field(default_factory=set)
    sums: list[float] = field(default_factory=list)

    def add(self, label: str, visits: int, teachers: Iterable[str],
            values: Iterable[float]) -> None:
        self.label = max(self.label, label)
        self.visits += visits
        self.teachers.update(teachers)
        values = [float(x or 0) for x in values]
        self.sums = [a + b for a, b in zip(self.sums, values, strict=True)] if self.sums \
            else values


def _gather(items: dict[str, Item], rows: Iterable[Any]) -> dict[tuple[str, str, int], Stand]:
    """Rows (now_, version, item, teacher, visits, *sums) as (protocol, key, now_) → Stand;
    a record of an item of another version than its visit's counts nowhere."""
    out: dict[tuple[str, str, int], Stand] = defaultdict(Stand)
    for now_, pvid, item_id, tid, visits, *sums in rows:
        item = items.get(item_id)
        if item is not None and item.version_id == pvid:
            out[(item.protocol, item.key, int(now_))].add(item.label, visits, (tid,), sums)
    return out


def lookfor_patterns(session: Session, reading: Reading) -> list[Pattern]:
    """Per look-for: the share of visits that used it in which it was seen (ticked, or
    evidence tagged to it: the one rule of services/responses.lookfor_seen)."""
    items = items_of_kind(session, "lookfor")
    visits: dict[tuple[int, str], tuple[int, set[str]]] = {}
    for now_, pvid, tid, n in reading.rows(
            session, "SELECT now_, pvid, tid, count(*) FROM v GROUP BY now_, pvid, tid"):
        count, teachers = visits.get((now_, pvid), (0, set()))
        visits[(now_, pvid)] = (count + n, teachers | {tid})
    # A visit's ticks and its tags (migration 0012 keeps them by visit), each look-for once;
    # a private note's tag is this laptop's alone, as in the cycle's PDF (reports/data.py).
    seen = {(now_, pvid, iid): n for now_, pvid, iid, n in reading.rows(session, (
        "SELECT now_, pvid, iid, count(*) FROM (SELECT v.now_ AS now_, v.pvid AS pvid, "
        "v.oid AS oid, r.item_id AS iid FROM v CROSS JOIN item_responses r "
        "ON r.observation_id = v.oid WHERE r.checked = 1 UNION SELECT v.now_, v.pvid, v.oid, "
        "t.item_id FROM v CROSS JOIN visit_note_tags t ON t.observation_id = v.oid "
        "WHERE t.note_id NOT IN (SELECT note_id FROM private_notes)) "
        "GROUP BY now_, pvid, iid"))}
    stands: dict[tuple[str, str, int], Stand] = defaultdict(Stand)
    for item_id, item in items.items():
        for now_ in (0, 1):
            if (now_, item.version_id) in visits:
                n, teachers = visits[(now_, item.version_id)]
                stands[(item.protocol, item.key, now_)].add(
                    item.label, n, teachers, (seen.get((now_, item.version_id, item_id), 0),))
    return _patterns(reading, "lookfor", "share of visits in which it was seen", (
        ((protocol, "", key), s.label, now_, s.sums[0] / s.visits, s.visits, len(s.teachers))
        for (protocol, key, now_), s in stands.items()))


def interval_patterns(session: Session, reading: Reading) -> list[Pattern]:
    """Per scan code: the share of recorded (not missed) intervals in which it was ticked."""
    items = items_of_kind(session, "interval")
    # The visits in which the scan recorded an interval: the first one found is enough.
    stands = _gather(items, reading.rows(session, (
        "SELECT v.now_, v.pvid, i.id, v.tid, count(*) FROM v CROSS JOIN protocol_items i "
        "ON i.version_id = v.pvid AND i.kind = 'interval' WHERE EXISTS (SELECT 1 FROM "
        "interval_records r WHERE r.observation_id = v.oid AND r.item_id = i.id "
        "AND r.missed = 0) GROUP BY v.now_, v.pvid, i.id, v.tid")))
    # The intervals are counted by the codes ticked together (a scan's few combinations) and
    # each combination's codes counted here: one read of the intervals, not one to count them
    # and another expanding every interval's codes in SQL.
    recorded: dict[tuple[int, str, str], int] = defaultdict(int)
    ticks: dict[tuple[int, str, str, Any], int] = defaultdict(int)
    for now_, pvid, item_id, codes, n in reading.rows(session, (
            "SELECT v.now_, v.pvid, r.item_id, r.codes, count(*) FROM v "
            "CROSS JOIN interval_records r ON r.observation_id = v.oid AND r.missed = 0 "
            "GROUP BY v.now_, v.pvid, r.item_id, r.codes")):
        item = items.get(item_id)
        if item is None or item.version_id != pvid:
            continue
        recorded[(now_, item.protocol, item.key)] += n
        for code in _json_each(codes):
            ticks[(now_, item.protocol, item.key, code)] += n
    names: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for item in items.values():  # a code of any of the scan's versions
        names[(item.protocol, item.key)].update(_code_labels(item.config))
    return _patterns(reading, "interval", "share of intervals in which it was seen", (
        ((protocol, stands[(protocol, key, now_)].label, f"{key}\x1f{code}"),
         names[(protocol, key)].get(code, code), now_, n / recorded[(now_, protocol, key)],
         stands[(protocol, key, now_)].visits, len(stands[(protocol, key, now_)].teachers))
        for (now_, protocol, key, code), n in ticks.items()
        # Only the scan's own codes: a code arrived in a package is text from elsewhere.
        if code in names[(protocol, key)]))


def _json_each(raw: Any) -> list[Any]:
    """The values SQLite's json_each gives for a stored JSON text: an array's elements, an
    object's values, else the value itself; nested ones as minified JSON, true as 1."""
    import json

    value = json.loads(raw) if isinstance(raw, str) else raw
    values = value if isinstance(value, list) else (
        list(value.values()) if isinstance(value, dict) else [value])
    return [json.dumps(v, separators=(",", ":"), ensure_ascii=False)
            if isinstance(v, list | dict) else int(v) if isinstance(v, bool) else v
            for v in values]


def _code_labels(config: Any) -> dict[str, str]:
    import json

    if isinstance(config, str):
        config = json.loads(config)
    codes = config.get("codes", []) if isinstance(config, dict) else []
    return {str(c.get("key")): str(c.get("label", c.get("key"))) for c in codes
            if isinstance(c, dict)}


def tally_patterns(session: Session, reading: Reading) -> list[Pattern]:
    """Per tally: its mean count per visit."""
    stands = _gather(items_of_kind(session, "tally"), reading.rows(session, (
        "SELECT v.now_, v.pvid, r.item_id, v.tid, count(*), sum(r.count) FROM v "
        "CROSS JOIN item_responses r ON r.observation_id = v.oid AND r.count IS NOT NULL "
        "GROUP BY v.now_, v.pvid, r.item_id, v.tid")))
    return _patterns(reading, "tally", "mean count per visit", (
        ((protocol, "Tallies", key), s.label, now_, s.sums[0] / s.visits, s.visits,
         len(s.teachers)) for (protocol, key, now_), s in stands.items()))


def timer_patterns(session: Session, reading: Reading) -> list[Pattern]:
    """Per timer: the mean length of a run, in seconds (e.g. wait time)."""
    stands = _gather(items_of_kind(session, "timer"), reading.rows(session, (
        "SELECT v.now_, v.pvid, r.item_id, v.tid, count(DISTINCT v.oid), count(*), "
        "sum(r.duration_ms) FROM v CROSS JOIN timer_runs r ON r.observation_id = v.oid "
        "GROUP BY v.now_, v.pvid, r.item_id, v.tid")))
    return _patterns(reading, "timer", "mean seconds per run", (
        ((protocol, "Timers", key), s.label, now_, s.sums[1] / s.sums[0] / 1000, s.visits,
         len(s.teachers)) for (protocol, key, now_), s in stands.items()))


def rubric_patterns(session: Session, reading: Reading) -> list[Pattern]:
    """Per rubric domain (a protocol's section): the share of its ratings at each level, from
    the cycles with a visit in the period."""
    items = items_of_kind(session, "rubric")
    # A cycle's ratings belong to the period of its last visit, not to both periods; its
    # protocol version is its visits'. Counted per level, and per domain for the cycles and
    # teachers behind it (counted per level, they would overlap).
    cycles = ("FROM (SELECT cid, tid, pvid, max(now_) AS now_ FROM v GROUP BY cid) c "
              "CROSS JOIN ratings r ON r.cycle_id = c.cid ")
    counts: dict[tuple[int, str, str, int], int] = defaultdict(int)
    levels: dict[tuple[str, str, int], str] = {}
    for now_, pvid, item_id, level, n in reading.rows(session, (
            f"SELECT c.now_, c.pvid, r.item_id, r.level, count(*) {cycles}"
            "WHERE r.level IS NOT NULL GROUP BY c.now_, c.pvid, r.item_id, r.level")):
        item = items.get(item_id)
        if item is not None and item.version_id == pvid:
            counts[(now_, item.protocol, item.section, level)] += n
            levels.setdefault((item.protocol, item.section, level),
                              _level_name(item.config, level))
    protocol_of = {item.version_id: item.protocol for item in items.values()}
    spread: dict[tuple[int, str, str], Stand] = defaultdict(Stand)
    for now_, pvid, section, tid, n in reading.rows(session, (
            f"SELECT c.now_, c.pvid, i.section, c.tid, count(DISTINCT c.cid) {cycles}"
            "CROSS JOIN protocol_items i ON i.id = r.item_id AND i.version_id = c.pvid "
            "AND i.kind = 'rubric' WHERE r.level IS NOT NULL "
            "GROUP BY c.now_, c.pvid, i.section, c.tid")):
        spread[(now_, protocol_of[pvid], section)].add("", n, (tid,), ())
    in_domain: dict[tuple[int, str, str], int] = defaultdict(int)
    for (now_, protocol, section, _level), n in counts.items():
        in_domain[(now_, protocol, section)] += n
    # A level no rating reached in a period the domain was rated in is 0 %, not "nothing".
    return _patterns(reading, "rubric", "share of ratings at this level", what="cycle", raw=(
        ((protocol, section, f"{section}\x1f{level:04d}"), name, now_,
         counts.get((now_, protocol, section, level), 0) / in_domain[(now_, protocol, section)],
         spread[(now_, protocol, section)].visits,
         len(spread[(now_, protocol, section)].teachers))
        for (protocol, section, level), name in levels.items() for now_ in (0, 1)
        if (now_, protocol, section) in spread))


def _level_name(config: Any, level: int) -> str:
    import json

    if isinstance(config, str):
        config = json.loads(config)
    for entry in (config.get("levels", []) if isinstance(config, dict) else []):
        if isinstance(entry, dict) and entry.get("level") == level and entry.get("name"):
            return f"{level} {entry['name']}"
    return str(level)


def participation_patterns(session: Session, reading: Reading) -> list[Pattern]:
    """Per participation map: the mean share of students who spoke at least once."""
    stands = _gather(items_of_kind(session, "participation"), reading.rows(session, (
        "SELECT v.now_, v.pvid, s.item_id, v.tid, count(*), sum(CAST((SELECT count(DISTINCT "
        "k.seat) FROM contributions k WHERE k.observation_id = v.oid AND k.item_id = s.item_id)"
        " AS REAL) / json_array_length(s.seats)) FROM v CROSS JOIN visit_seatings s "
        "ON s.observation_id = v.oid WHERE json_array_length(s.seats) > 0 AND EXISTS (SELECT 1 "
        "FROM contributions k WHERE k.observation_id = v.oid AND k.item_id = s.item_id) "
        "GROUP BY v.now_, v.pvid, s.item_id, v.tid")))
    return _patterns(reading, "participation", "mean share of students who spoke", (
        ((protocol, "Participation", key), s.label, now_, s.sums[0] / s.visits, s.visits,
         len(s.teachers)) for (protocol, key, now_), s in stands.items()))


def _patterns(reading: Reading, kind: str, measure: str,
              raw: Iterable[tuple[tuple[str, str, str], str, int, float, int, int]],
              what: str = "visit") -> list[Pattern]:
    """Raw figures ((protocol, group, key), label, now_, value, visits, teachers) of both
    periods, paired and anonymised; `what` the figures count (a rubric's: cycles)."""
    both: dict[tuple[str, str, str], dict[int, tuple[str, float, int, int]]] = defaultdict(dict)
    for where, label, now_, value, visits, teachers in raw:
        both[where][int(now_)] = (label, value, visits, teachers)
    out = []
    for (protocol, group, key), periods in sorted(both.items()):
        label = (periods.get(1) or periods[0])[0]
        out.append(Pattern(kind, protocol, group, label, measure,
                           _figure(periods.get(1), reading.minimum_visits, what),
                           _figure(periods.get(0), reading.minimum_visits, what), key))
    return out


def _figure(found: tuple[str, float, int, int] | None, minimum_visits: int,
            what: str) -> Figure:
    if found is None:
        return figure(None, 0, 0, minimum_visits, what)
    _label, value, visits, teachers = found
    return figure(value, visits, teachers, minimum_visits, what)
