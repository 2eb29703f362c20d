"""Every value of a backup as the app will read it: the first one it could not use, named.

The rules come from the models (domain/models.py) for the columns the backup's revision has:
text is valid UTF-8 without NUL characters (never a blob), a whole number is an integer, a
flag is 0 or 1, an enum holds one of its values, a date or time is written as the app writes
it, JSON parses to the shape the model declares, ids look like the app's ids. Protocol
versions must be valid protocol documents with the items their documents describe, as when
they were imported.

Each rule is written twice: as SQL that finds a suspect row without leaving SQLite (a school
of two million notes is read in seconds), and in Python, which has the last word on a suspect
row and says what is wrong with it. UTF-8 is checked by decoding every text value in C
(fetchmany); JSON is parsed in Python, as the app parses it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import typing
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Enum, Integer, String, Table
from sqlalchemy.types import TypeDecorator

from observe_app.domain.seats import seats_problem
from observe_app.storage.schema_check import Schema

ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?")
_HEX = "[0-9a-f]"
ID_GLOB = "-".join(_HEX * n for n in (8, 4, 4, 4, 12))
# A value SQLite's date functions give back unchanged (after normalising it with a no-op
# modifier: 2025-02-30 becomes 2025-03-02) is a real day; year 0 is not one to Python.
DAY_SQL = "NOT (length({c}) = 10 AND date({c}, '+0 days') IS {c} AND {c} >= '0001')"
TIME_SQL = ("NOT (datetime(substr({c}, 1, 19), '+0 seconds') IS substr({c}, 1, 19) "
            "AND {c} >= '0001' AND (length({c}) = 19 OR (length({c}) = 26 "
            "AND substr({c}, 20, 1) = '.' AND substr({c}, 21) GLOB '" + "[0-9]" * 6 + "')))")

Check = Callable[[object], "str | None"]


@dataclass(frozen=True)
class Rule:
    """What one column may hold: SQLite storage classes, then a check of the value, in SQL
    (`suspect`, true for a value to look at; {c} is the column) and in Python (`check`)."""

    column: str
    types: frozenset[str]
    expected: str
    check: Check | None = None
    suspect: str = ""
    is_json: bool = False

    def sql(self) -> str:
        """True for a row whose value in this column may break a rule."""
        c = f'"{self.column}"'
        types = ", ".join(f"'{t}'" for t in sorted(self.types))
        bad = [f"typeof({c}) NOT IN ({types})"]
        if "text" in self.types:
            bad.append(f"(typeof({c}) = 'text' AND instr({c}, char(0)) > 0)")
        if self.suspect:
            bad.append(f"(typeof({c}) != 'null' AND {self.suspect.format(c=c)})")
        return " OR ".join(bad)


def _shown(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    text = "".join(c if c.isprintable() else "?" for c in text)
    return repr(text[:30] + ("…" if len(text) > 30 else ""))


def _enum_check(values: tuple[str, ...]) -> Check:
    def check(value: object) -> str | None:
        if value in values:
            return None
        return f"holds {_shown(value)}, which is not one of its values ({', '.join(values)})"
    return check


def _flag(value: object) -> str | None:
    return None if value in (0, 1) else f"holds {_shown(value)} where Observe keeps 0 or 1"


def _time_check(pattern: re.Pattern[str], parse: Callable[[str], object], what: str) -> Check:
    def check(value: object) -> str | None:
        try:
            if isinstance(value, str) and pattern.fullmatch(value):
                parse(value)
                return None
        except ValueError:
            pass
        return f"holds {_shown(value)}, which is not {what}"
    return check


def _id(value: object) -> str | None:
    if isinstance(value, str) and ID.fullmatch(value):
        return None
    return f"holds {_shown(value)}, which is not an Observe id"


def _json_check(shape: type, column: str) -> Check:
    def check(value: object) -> str | None:
        try:
            parsed = json.loads(str(value))
        except (ValueError, RecursionError):
            return "holds text that is not JSON"
        if not isinstance(parsed, shape):
            return f"holds JSON {type(parsed).__name__} where Observe keeps a JSON {shape.__name__}"
        if isinstance(parsed, list):
            item_ids = column.endswith("_ids")
            for element in parsed:
                if not isinstance(element, str):
                    return "holds a JSON list with something other than text in it"
                if item_ids and not ID.fullmatch(element):
                    return f"holds {_shown(element)} in its list of ids, which is not an id"
        return None
    return check


def _seats_check(value: object) -> str | None:
    """A participation map's seats: the rules the window lays them out by (domain/seats)."""
    try:
        parsed = json.loads(str(value))
    except (ValueError, RecursionError):
        return "holds text that is not JSON"
    problem = seats_problem(parsed)
    return f"holds seats Observe cannot lay out ({problem})" if problem else None


def rule_for(column: Column[typing.Any], shape: type | None) -> Rule:
    """What the app can read from `column` (a column of a model)."""
    type_ = column.type
    base = type_.impl_instance if isinstance(type_, TypeDecorator) else type_
    null = {"null"} if column.nullable else set()
    text = frozenset({"text", *null})
    name = column.name
    if isinstance(base, Enum) or column.info.get("one_of") == "capture kinds":
        values = tuple(base.enums) if isinstance(base, Enum) else _capture_kinds()
        listed = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
        return Rule(name, text, "text", _enum_check(values), f"{{c}} NOT IN ({listed})")
    if isinstance(base, Boolean):
        return Rule(name, frozenset({"integer", *null}), "0 or 1", _flag, "{c} NOT IN (0, 1)")
    if isinstance(base, Integer):
        return Rule(name, frozenset({"integer", *null}), "a whole number")
    if isinstance(base, DateTime):
        return Rule(name, text, "a time", _time_check(
            TIME, dt.datetime.fromisoformat, "a time as Observe writes it"), TIME_SQL)
    if isinstance(base, Date):
        return Rule(name, text, "a date", _time_check(
            DAY, dt.date.fromisoformat, "a date (YYYY-MM-DD)"), DAY_SQL)
    if isinstance(base, JSON) and column.info.get("json") == "seats":
        return Rule(name, text, "seats", _seats_check, is_json=True)
    if isinstance(base, JSON):
        return Rule(name, text, "JSON", _json_check(shape or object, name), is_json=True)
    if isinstance(base, String):
        if column.primary_key and name == "id" or column.foreign_keys:
            return Rule(name, text, "text", _id, f"{{c}} NOT GLOB '{ID_GLOB}'")
        return Rule(name, text, "text")
    return Rule(name, frozenset({"text", "integer", "real", "blob", "null"}), "a value")


def _capture_kinds() -> tuple[str, ...]:
    """The item kinds the app can read: those registered (the registry is Qt- and ORM-free)."""
    from observe_app import kinds

    return kinds.names()


@cache
def model_rules() -> dict[str, tuple[Rule, ...]]:
    """Per table of the models, a rule for each of its columns."""
    from observe_app.domain.models import Base

    shapes: dict[tuple[str, str], type] = {}
    for mapper in Base.registry.mappers:
        hints = typing.get_type_hints(mapper.class_)
        table = typing.cast(Table, mapper.local_table)
        for attr in mapper.column_attrs:
            args = typing.get_args(hints.get(attr.key))
            if args and isinstance(args[0], type):
                shapes[(table.name, str(attr.columns[0].name))] = args[0]
    return {name: tuple(rule_for(c, shapes.get((name, c.name))) for c in table.columns)
            for name, table in Base.metadata.tables.items()}


STORAGE_NAMES = {"text": "text", "integer": "a number", "real": "a fraction", "blob": "a blob",
                 "null": "nothing (NULL)"}


def value_problem(conn: sqlite3.Connection, reference: Schema) -> str | None:
    """The first value of the database behind `conn` the app could not use, or None."""
    rules = model_rules()
    for table in reference.tables():
        if table not in rules:
            continue
        present = {c[0] for c in reference.columns[table]}
        problem = _table_problem(conn, table, [r for r in rules[table] if r.column in present])
        if problem:
            return problem
    return _protocol_problem(conn)


def _table_problem(conn: sqlite3.Connection, table: str, rules: list[Rule]) -> str | None:
    has_id = any(r.column == "id" for r in rules)
    suspects = " OR ".join(f"({r.sql()})" for r in rules)
    after = -(2**63)
    while True:  # SQL finds a suspect row; Python decides (and names the problem)
        row = conn.execute(f'SELECT rowid FROM "{table}" WHERE rowid > ? AND ({suspects}) '
                           "ORDER BY rowid LIMIT 1", (after,)).fetchone()
        if row is None:
            break
        after = row[0]
        problem = _rows_problem(conn, table, rules, has_id, f"rowid = {after}")
        if problem:
            return problem
    texts = [r.column for r in rules if "text" in r.types]
    if texts and not _decodes(conn, table, texts):
        return _rows_problem(conn, table, rules, has_id, "1")
    json_rules = [r for r in rules if r.is_json]
    if json_rules:
        return _rows_problem(conn, table, json_rules, has_id, "1")
    return None


def _decodes(conn: sqlite3.Connection, table: str, columns: list[str]) -> bool:
    """Whether every text value decodes as UTF-8 (decoded in C, one batch at a time)."""
    cursor = conn.execute(f'SELECT {", ".join(f"{chr(34)}{c}{chr(34)}" for c in columns)} '
                          f'FROM "{table}"')
    try:
        while cursor.fetchmany(4096):
            pass
    except sqlite3.OperationalError as exc:
        if "decode" in str(exc):
            return False
        raise
    return True


def _rows_problem(conn: sqlite3.Connection, table: str, rules: list[Rule], has_id: bool,
                  where: str) -> str | None:
    """The first broken value of the rows `where` picks, checked value by value in Python."""
    selected = ", ".join(f'typeof("{r.column}"), "{r.column}"' for r in rules)
    conn.text_factory = bytes  # text arrives as stored, to be checked before it is decoded
    try:
        rows = conn.execute(f'SELECT rowid, {"id" if has_id else "NULL"}, {selected} '
                            f'FROM "{table}" WHERE {where} ORDER BY rowid')
        for row in rows:
            for n, rule in enumerate(rules):
                kind, raw = row[2 + 2 * n].decode(), row[3 + 2 * n]
                problem = _value_problem(rule, kind, raw)
                if problem:
                    return f"{table}.{rule.column} in {_row(row[0], row[1])} {problem}"
    finally:
        conn.text_factory = str
    return None


def _value_problem(rule: Rule, kind: str, raw: object) -> str | None:
    if kind not in rule.types:
        return f"holds {STORAGE_NAMES.get(kind, kind)} where Observe keeps {rule.expected}"
    value = raw
    if kind == "text":
        assert isinstance(raw, bytes)
        if b"\x00" in raw:
            return "holds text with a NUL character in it"
        try:
            value = raw.decode("utf-8")
        except UnicodeDecodeError:
            return "holds text that is not valid UTF-8"
    if kind == "null" or rule.check is None:
        return None
    return rule.check(value)


def _row(rowid: int, key: object) -> str:
    if isinstance(key, bytes) and ID.fullmatch(key.decode("utf-8", "replace")):
        return f"row {key.decode()}"
    return f"row number {rowid}"


def _protocol_problem(conn: sqlite3.Connection) -> str | None:
    """Each protocol version is a protocol document, and its items are the ones it describes.

    Not the importer's rules: those are for files arriving now, and they grow stricter (a
    label on two lines, a period written 60.0 were let in once). A backup holds what this
    folder's own database held, and refusing that would leave no backup that can be restored.
    """
    from observe_app.protocols import loader

    items: dict[str, list[tuple[object, ...]]] = {}
    for row in conn.execute("SELECT version_id, key, section, kind, label, position, config "
                            "FROM protocol_items ORDER BY version_id, position"):
        items.setdefault(row[0], []).append((*row[1:6], json.loads(row[6])))
    for version_id, document in conn.execute("SELECT id, document FROM protocol_versions"):
        try:
            parsed = json.loads(document)
            if not (isinstance(parsed.get("id"), str) and isinstance(parsed.get("name"), str)
                    and parsed["name"].strip()):
                raise ValueError("a protocol needs an id and a name")
            expected = [(f.data["key"], f.section, f.data["kind"], f.data["label"], f.position,
                         {k: v for k, v in f.data.items() if k not in ("key", "kind", "label")})
                        for f in loader.flat_items(parsed)]
        except Exception:  # noqa: BLE001 (any shape the app could not read is refused)
            return f"the protocol document of version {version_id} is not one Observe can read"
        if items.get(version_id, []) != expected:
            return f"the items of protocol version {version_id} do not match its document"
    return None
