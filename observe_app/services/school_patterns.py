"""Practice patterns across the school, anonymised: how often each look-for was seen, scan
codes' shares, tally and timer means, rubric levels per domain, participation — each against
the period before, and withheld when too few visits or teachers stand behind it.

Each capture kind names its reader here in its `school_patterns` part (kinds/); a reader gets
the visits of the period and the one before as one SQL table `v` and gives raw figures, which
`pattern` turns into what may be shown. No reader returns a name, a class or a room.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from observe_app.services.school_period import Period, Scope, scope_params, scope_sql

MINIMUM_TEACHERS = 3  # fixed: a figure from two teachers tells each about the other
MINIMUM_VISITS = 5  # the default of the setting (services/school.py)


@dataclass(frozen=True)
class Reading:
    """What the readers are asked about: the period, the one before it, whose visits, and
    the fewest visits a figure may stand on."""

    period: Period
    before: Period
    scope: Scope
    minimum_visits: int = MINIMUM_VISITS

    def visits_sql(self) -> str:
        """`WITH v(oid, cid, tid, pvid, now_)`: the visits of both periods; now_ is 1 for the
        period itself and 0 for the one before."""
        return ("WITH v AS (SELECT o.id AS oid, o.cycle_id AS cid, c.teacher_id AS tid, "
                "c.protocol_version_id AS pvid, o.started_at >= :now_from AS now_ "
                "FROM observations o JOIN cycles c ON c.id = o.cycle_id "
                "JOIN people t ON t.id = c.teacher_id "
                "WHERE o.started_at >= :from_ AND o.started_at < :to_ AND "
                f"{scope_sql(self.scope)}) ")

    def params(self) -> dict[str, Any]:
        now_from, to_ = self.period.bounds()
        from_, _ = self.before.bounds()
        return {"now_from": now_from, "from_": from_, "to_": to_, **scope_params(self.scope)}

    def rows(self, session: Session, sql: str) -> list[Any]:
        return list(session.execute(text(self.visits_sql() + sql), self.params()))


@dataclass(frozen=True)
class Figure:
    """One figure of one period: its value, or why it is withheld, and what it stands on."""

    value: float | None  # None: withheld or nothing recorded
    visits: int
    teachers: int
    withheld: str  # "" when shown; else the reason, in a sentence

    @property
    def shown(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Pattern:
    """One figure of the school's practice in the period and the period before."""

    kind: str  # the capture kind: "lookfor", "interval", "tally", "timer", "rubric", …
    protocol: str
    group: str  # the scan's, the tally's or the rubric domain's name; "" for look-fors
    label: str  # the look-for, code, tally, timer or level
    measure: str  # what the value is: "share of visits", "mean per visit", …
    now: Figure
    before: Figure

    @property
    def change(self) -> float | None:
        if self.now.value is None or self.before.value is None:
            return None
        return self.now.value - self.before.value


def withheld_because(visits: int, teachers: int, minimum_visits: int,
                     what: str = "visit") -> str:
    if visits == 0:
        return "nothing was recorded"
    if visits < minimum_visits:
        return (f"withheld: it comes from {visits} {what}{'s' if visits != 1 else ''}, fewer "
                f"than {minimum_visits}")
    if teachers < MINIMUM_TEACHERS:
        return (f"withheld: it comes from {teachers} teacher{'s' if teachers != 1 else ''}, "
                f"fewer than {MINIMUM_TEACHERS}, so a teacher could be picked out")
    return ""


def figure(value: float | None, visits: int, teachers: int, minimum_visits: int,
           what: str = "visit") -> Figure:
    """`visits`: how many visits (or cycles, or goals: `what`) the value stands on."""
    why = withheld_because(visits, teachers, minimum_visits, what)
    return Figure(None if why or value is None else value, visits, teachers, why)


# -- the readers, one per capture kind -----------------------------------------------------

_ITEM = ("JOIN protocol_items i ON i.version_id = v.pvid AND i.kind = '{kind}' "
         "JOIN protocol_versions pv ON pv.id = i.version_id "
         "JOIN protocols p ON p.id = pv.protocol_id ")


def lookfor_patterns(session: Session, reading: Reading) -> list[Pattern]:
    """Per look-for: the share of visits that used it in which it was seen (ticked, or
    evidence tagged to it: the one rule of services/responses.lookfor_seen)."""
    # The tags are read in one pass over the notes of the visits that have look-fors (`t`),
    # in that order (CROSS JOIN): asked look-for by look-for, every note of a visit was read
    # again for each of its look-fors, and left to choose, SQLite reads every tag ever made.
    rows = reading.rows(session, (
        ", t AS (SELECT DISTINCT n.observation_id AS oid, nt.item_id AS iid FROM v "
        "CROSS JOIN notes n ON n.observation_id = v.oid "
        "CROSS JOIN note_tags nt ON nt.note_id = n.id "
        "WHERE v.pvid IN (SELECT version_id FROM protocol_items WHERE kind = 'lookfor')) "
        "SELECT v.now_, p.name, i.key, max(i.label), count(DISTINCT v.oid), "
        "count(DISTINCT v.tid), sum(CASE WHEN r.checked = 1 OR t.oid IS NOT NULL THEN 1 "
        "ELSE 0 END) FROM v " + _ITEM.format(kind="lookfor") +
        "LEFT JOIN item_responses r ON r.observation_id = v.oid AND r.item_id = i.id "
        "LEFT JOIN t ON t.oid = v.oid AND t.iid = i.id "
        "GROUP BY v.now_, p.name, i.key"))
    return _patterns(reading, "lookfor", "share of visits in which it was seen", (
        ((protocol, "", key), label, now_, (seen or 0) / visits, visits, teachers)
        for now_, protocol, key, label, visits, teachers, seen in rows))


def interval_patterns(session: Session, reading: Reading) -> list[Pattern]:
    """Per scan code: the share of recorded (not missed) intervals in which it was ticked."""
    totals = {(now_, protocol, key): (label, visits, teachers, config)
              for now_, protocol, key, label, visits, teachers, config in reading.rows(
                  session,
                  "SELECT v.now_, p.name, i.key, max(i.label), count(DISTINCT v.oid), "
                  "count(DISTINCT v.tid), max(i.config) FROM v " + _ITEM.format(kind="interval")
                  + "WHERE EXISTS (SELECT 1 FROM interval_records r WHERE r.observation_id = "
                  "v.oid AND r.item_id = i.id AND r.missed = 0) GROUP BY v.now_, p.name, i.key")}
    # The intervals are counted by the codes ticked together (a scan's few combinations) and
    # each combination's codes counted here: one read of the intervals, not one to count them
    # and another expanding every interval's codes in SQL.
    recorded: dict[tuple[int, str, str], int] = defaultdict(int)
    ticks: dict[tuple[int, str, str, Any], int] = defaultdict(int)
    for now_, protocol, key, codes, n in reading.rows(session, (
            "SELECT v.now_, p.name, i.key, r.codes, count(*) FROM v "
            + _ITEM.format(kind="interval")
            + "JOIN interval_records r ON r.observation_id = v.oid AND r.item_id = i.id "
            "AND r.missed = 0 GROUP BY v.now_, p.name, i.key, r.codes")):
        recorded[(now_, protocol, key)] += n
        for code in _json_each(codes):
            ticks[(now_, protocol, key, code)] += n
    names: dict[tuple[str, str], dict[str, str]] = {}
    for (_now, protocol, key), (*_rest, config) in totals.items():
        names.setdefault((protocol, key), _code_labels(config))
    return _patterns(reading, "interval", "share of intervals in which it was seen", (
        ((protocol, totals[(now_, protocol, key)][0], f"{key}\x1f{code}"),
         names[(protocol, key)].get(code, code), now_, n / recorded[(now_, protocol, key)],
         totals[(now_, protocol, key)][1], totals[(now_, protocol, key)][2])
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
    rows = reading.rows(session, (
        "SELECT v.now_, p.name, i.key, max(i.label), count(DISTINCT v.oid), "
        "count(DISTINCT v.tid), avg(r.count) FROM v " + _ITEM.format(kind="tally") +
        "JOIN item_responses r ON r.observation_id = v.oid AND r.item_id = i.id "
        "AND r.count IS NOT NULL GROUP BY v.now_, p.name, i.key"))
    return _patterns(reading, "tally", "mean count per visit", (
        ((protocol, "Tallies", key), label, now_, float(mean), visits, teachers)
        for now_, protocol, key, label, visits, teachers, mean in rows))


def timer_patterns(session: Session, reading: Reading) -> list[Pattern]:
    """Per timer: the mean length of a run, in seconds (e.g. wait time)."""
    rows = reading.rows(session, (
        "SELECT v.now_, p.name, i.key, max(i.label), count(DISTINCT v.oid), "
        "count(DISTINCT v.tid), avg(r.duration_ms) FROM v " + _ITEM.format(kind="timer") +
        "JOIN timer_runs r ON r.observation_id = v.oid AND r.item_id = i.id "
        "GROUP BY v.now_, p.name, i.key"))
    return _patterns(reading, "timer", "mean seconds per run", (
        ((protocol, "Timers", key), label, now_, float(mean) / 1000, visits, teachers)
        for now_, protocol, key, label, visits, teachers, mean in rows))


def rubric_patterns(session: Session, reading: Reading) -> list[Pattern]:
    """Per rubric domain (a protocol's section): the share of its ratings at each level, from
    the cycles with a visit in the period."""
    # The ratings are read once (`rr`, used twice: SQLite materialises it) and counted twice:
    # per level, and per domain for the cycles and teachers behind it (counted per level they
    # would overlap). A domain's row has no level.
    rows = reading.rows(session, (
        ", rr AS (SELECT c.now_ AS now_, p.name AS protocol, i.section AS section, "
        "r.level AS level, c.cid AS cid, c.tid AS tid, i.config AS config "
        # A cycle's ratings belong to the period of its last visit, not to both periods.
        "FROM (SELECT cid, tid, max(now_) AS now_ FROM v GROUP BY cid, tid) c "
        "JOIN ratings r ON r.cycle_id = c.cid "
        "JOIN protocol_items i ON i.id = r.item_id AND i.kind = 'rubric' "
        "JOIN protocol_versions pv ON pv.id = i.version_id "
        "JOIN protocols p ON p.id = pv.protocol_id WHERE r.level IS NOT NULL) "
        "SELECT now_, protocol, section, level, count(*), max(config) FROM rr "
        "GROUP BY now_, protocol, section, level "
        "UNION ALL SELECT now_, protocol, section, NULL, count(DISTINCT cid), "
        "count(DISTINCT tid) FROM rr GROUP BY now_, protocol, section"))
    rated = [row for row in rows if row[3] is not None]
    spread = {(now_, protocol, section): (cycles, teachers)
              for now_, protocol, section, level, cycles, teachers in rows if level is None}
    in_domain: dict[tuple[int, str, str], int] = defaultdict(int)
    for now_, protocol, section, _level, n, _config in rated:
        in_domain[(now_, protocol, section)] += n
    # A level no rating reached in a period the domain was rated in is 0 %, not "nothing".
    counts = {(now_, protocol, section, level): n
              for now_, protocol, section, level, n, _config in rated}
    levels = {(protocol, section, level): _level_name(config, level)
              for _now, protocol, section, level, _n, config in rated}
    return _patterns(reading, "rubric", "share of ratings at this level", what="cycle", raw=(
        ((protocol, section, f"{level:04d}"), name, now_,
         counts.get((now_, protocol, section, level), 0) / in_domain[(now_, protocol, section)],
         *spread[(now_, protocol, section)])
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
    rows = reading.rows(session, (
        "SELECT v.now_, p.name, i.key, max(i.label), count(DISTINCT v.oid), "
        "count(DISTINCT v.tid), avg(CAST((SELECT count(DISTINCT k.seat) FROM contributions k "
        "WHERE k.observation_id = v.oid AND k.item_id = i.id) AS REAL) "
        "/ json_array_length(s.seats)) FROM v " + _ITEM.format(kind="participation") +
        "JOIN visit_seatings s ON s.observation_id = v.oid AND s.item_id = i.id "
        "WHERE json_array_length(s.seats) > 0 AND EXISTS (SELECT 1 FROM contributions k "
        "WHERE k.observation_id = v.oid AND k.item_id = i.id) "
        "GROUP BY v.now_, p.name, i.key"))
    return _patterns(reading, "participation", "mean share of students who spoke", (
        ((protocol, "Participation", key), label, now_, float(share), visits, teachers)
        for now_, protocol, key, label, visits, teachers, share in rows))


def _patterns(reading: Reading, kind: str, measure: str,
              raw: Iterable[tuple[tuple[str, str, str], str, int, float, int, int]],
              what: str = "visit") -> list[Pattern]:
    """Raw figures ((protocol, group, key), label, now_, value, visits, teachers) of both
    periods, paired and anonymised; `what` the figures count (a rubric's: cycles)."""
    both: dict[tuple[str, str, str], dict[int, tuple[str, float, int, int]]] = defaultdict(dict)
    for where, label, now_, value, visits, teachers in raw:
        both[where][int(now_)] = (label, value, visits, teachers)
    out = []
    for (protocol, group, _key), periods in sorted(both.items()):
        label = (periods.get(1) or periods[0])[0]
        out.append(Pattern(kind, protocol, group, label, measure,
                           _figure(periods.get(1), reading.minimum_visits, what),
                           _figure(periods.get(0), reading.minimum_visits, what)))
    return out


def _figure(found: tuple[str, float, int, int] | None, minimum_visits: int,
            what: str) -> Figure:
    if found is None:
        return figure(None, 0, 0, minimum_visits, what)
    _label, value, visits, teachers = found
    return figure(value, visits, teachers, minimum_visits, what)
