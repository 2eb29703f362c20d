"""Merge a package into this database, field by field, the same whatever the order.

Rules (learnt from KeePassXC's Merger, Anki's .apkg import and Zotero's conflicts):
- rows match by id; a row the package has and this laptop lacks is added;
- each field keeps the value with the newer stamp (hybrid logical clock; equal times are
  ordered by replica id, so the result never depends on who received what first); the value
  that lost is kept in `sync_history`;
- a delete travels as a record with its own stamp, and loses to a later edit of the row;
- a row is shown when it is alive and everything it belongs to is; a row another shown row
  refers to (a cycle's teacher) is kept shown;
- the same person made on two laptops (the same e-mail; or the same name, when the user says
  so) becomes one: the package's id is recorded as an alias of the one here, and so for a
  rating or a tally made twice for the same item.
Everything happens in the caller's transaction; the triggers stand aside (`applying`) while
the merge writes its own stamps.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import uuid
from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from observe_app.domain.types import utc_from_db
from observe_app.errors import BadInputError
from observe_app.exchange.package import Package
from observe_app.exchange.preview import TABLE_WORDS, FieldChange, Preview, SamePerson
from observe_app.exchange.redact import REDACTED_STAMP
from observe_app.exchange.state import NEVER, RowState, archived_rows, states_by_id
from observe_app.exchange.tables import (
    RECEIVED,
    SYNCED,
    SyncedTable,
    children_of,
    kept_by_reference,
    synced_tables,
)
from observe_app.protocols import ids, loader
from observe_app.storage.paths import database_of

MAX_LISTED_CHANGES = 500  # the preview lists this many changed fields; the counts cover all


def claim_replica(session: Session) -> None:
    """A database copied to another computer or folder takes a replica id of its own there
    (two laptops stamping edits with one id could not tell them apart). Called before a
    package is sent or received, the moments the id reaches anyone else."""
    path = database_of(session)
    if path is None:
        return
    home = f"{platform.node()}|{path.resolve()}"
    conn = session.connection()
    stored = conn.exec_driver_sql("SELECT home FROM sync_replica").scalar()
    if stored == home:
        return
    try:
        with session.begin_nested():
            if stored is None:  # the first time: the id drawn by the migration is ours
                conn.exec_driver_sql("UPDATE sync_replica SET home = ?", (home,))
            else:
                conn.exec_driver_sql("UPDATE sync_replica SET home = ?, replica_id = ?",
                                     (home, uuid.uuid4().hex))
    except OperationalError:  # a database opened read-only: it stamps nothing either
        pass


def replica_id(session: Session) -> str:
    return str(session.connection().exec_driver_sql(
        "SELECT replica_id FROM sync_replica").scalar_one())


def clock_now(session: Session) -> str:
    return str(session.connection().exec_driver_sql(
        "SELECT printf('%013d.%08d.%s', wall, counter, replica_id) FROM sync_replica"
    ).scalar_one())


def already_received(session: Session, package_id: str) -> dt.datetime | None:
    when = session.connection().exec_driver_sql(
        "SELECT received_at FROM sync_received WHERE package_id = ?", (package_id,)).scalar()
    return utc_from_db(when) if when is not None else None


def merge_package(session: Session, package: Package, *, merge_people: Collection[str] = (),
                  received_at: dt.datetime | None = None) -> Preview:
    """Merge `package` (received_at None: only to see what it would do; the caller undoes)."""
    preview = Preview(package.package_id, package.sender, package.sent_at, package.title)
    preview.already_received = already_received(session, package.package_id)
    if preview.already_received is not None:
        return preview
    claim_replica(session)
    conn = session.connection()
    conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    conn.exec_driver_sql("UPDATE sync_replica SET applying = 1")
    try:
        _add_protocols(conn, package, preview)
        _Merge(conn, preview, package.package_id, set(merge_people)).run(package.rows)
        _advance_clock(conn, [package.clock, *(s for r in package.rows
                                                for s in _stamps_of(r))])
        if received_at is not None:
            conn.exec_driver_sql(
                "INSERT INTO sync_received (package_id, sender, sender_replica, sent_at, "
                "received_at, summary_json) VALUES (?, ?, ?, ?, ?, ?)",
                (package.package_id, package.sender, package.replica,
                 _db_time(package.sent_at), _db_time(received_at),
                 json.dumps(preview.as_json()["tables"])))
        conn.exec_driver_sql("UPDATE sync_replica SET applying = 0")
        # Keys are checked now, not at commit: a refusal must come before anything is kept.
        if conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
            raise BadInputError(f"{package.title}: the package refers to rows that are neither "
                                "in it nor on this laptop; nothing was received (ask the "
                                "sender to send it again)")
    except IntegrityError:
        raise BadInputError(f"{package.title}: the package contradicts itself or this "
                            "laptop's data (two rows where only one may be); nothing was "
                            "received") from None
    return preview


def _db_time(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _stamps_of(row: RowState) -> Iterable[str]:
    yield from row.stamps.values()
    if row.deleted is not None:
        yield row.deleted[1]


def _advance_clock(conn: Connection, stamps: Iterable[str]) -> None:
    """After receiving, this laptop's next edit is newer than anything it has seen, even if
    its own clock is behind the sender's."""
    newest = max((s for s in stamps if s), default=NEVER)
    if not newest:
        return
    wall, counter = int(newest[:13]), int(newest[14:22])
    conn.exec_driver_sql(
        "UPDATE sync_replica SET wall = ?, counter = ? WHERE wall < ? OR (wall = ? AND "
        "counter < ?)", (wall, counter, wall, wall, counter))


def _add_protocols(conn: Connection, package: Package, preview: Preview) -> None:
    """Protocol versions the rows use and this laptop lacks, with their content ids."""
    for entry in package.protocols:
        vid, document = entry["version_id"], entry["document"]
        if conn.exec_driver_sql("SELECT 1 FROM protocol_versions WHERE id = ?",
                                (vid,)).first():
            continue
        slug = document["id"]
        found = conn.exec_driver_sql("SELECT id, builtin FROM protocols WHERE slug = ?",
                                     (slug,)).first()
        if found is None:
            protocol_id = ids.version_id(f"protocol:{slug}")  # any fresh id will do
            conn.exec_driver_sql(
                "INSERT INTO protocols (id, slug, name, builtin, created_at) "
                "VALUES (?, ?, ?, ?, ?)", (protocol_id, slug, document["name"],
                                            int(entry["builtin"]),
                                            _db_time(dt.datetime.now(dt.UTC))))
        else:
            protocol_id = found[0]
        number = int(conn.exec_driver_sql(
            "SELECT coalesce(max(number), 0) + 1 FROM protocol_versions WHERE protocol_id = ?",
            (protocol_id,)).scalar_one())
        stored = dict(document, version=number)
        conn.exec_driver_sql(
            "INSERT INTO protocol_versions (id, protocol_id, number, document, content_hash, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (vid, protocol_id, number, json.dumps(stored), loader.content_hash(document),
             _db_time(dt.datetime.now(dt.UTC))))
        for flat in loader.flat_items(document):
            config = {k: v for k, v in flat.data.items() if k not in ("key", "kind", "label")}
            conn.exec_driver_sql(
                "INSERT INTO protocol_items (id, version_id, key, section, kind, label, "
                "position, config) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (ids.item_id(vid, flat.data["key"]), vid, flat.data["key"], flat.section,
                 flat.data["kind"], flat.data["label"], flat.position, json.dumps(config)))
        preview.new_protocols.append(f"{document['name']} (version {number})")


def _newer(mine: tuple[object, str], theirs: tuple[object, str]) -> bool:
    """Does `theirs` (value, stamp) win over `mine`? Equal stamps (a value never edited since
    it was made, on both laptops) are ordered by the value, so both laptops pick the same. A
    value with student names replaced never wins over one a laptop has (exchange/redact.py)."""
    if theirs[1] == REDACTED_STAMP:
        return False
    if theirs[1] != mine[1]:
        return theirs[1] > mine[1]
    return _order(theirs[0]) > _order(mine[0])


def _same_laptop(mine: str, theirs: str) -> bool:
    """Two stamps of one laptop: its edits are in order, the newer made over the older."""
    return bool(mine) and bool(theirs) and mine[23:] == theirs[23:]


def _order(value: object) -> str:
    return json.dumps(value, sort_keys=True)


# Link tables whose rows tie a note to what it is evidence for: (column, table of that row).
EVIDENCE_LINKS = {"rating_evidence": ("rating_id", "ratings"),
                  "feedback_evidence": ("feedback_id", "feedback_items")}

class _Merge:
    def __init__(self, conn: Connection, preview: Preview, package_id: str,
                 merge_people: set[str]) -> None:
        self.conn = conn
        self.preview = preview
        self.package_id = package_id
        self.merge_people = merge_people
        self.aliases: dict[str, dict[str, str]] = {}
        self.local: dict[str, dict[str, RowState]] = {}
        self.live: dict[str, set[str]] = {}
        self.merged: dict[str, dict[str, RowState]] = {}
        self.visible: dict[tuple[str, str], bool] = {}
        self.changed_fields: dict[tuple[str, str], list[str]] = {}
        # Rows matched to a row here under another id (the same person's e-mail): the row
        # here -> the package's id, for the fields neither side edited (`_smallest_id`).
        self.twins: dict[tuple[str, str], str] = {}
        self.protocol_rows: dict[tuple[str, str], bool] = {}
        self.item_versions: dict[tuple[str, str], str | None] = {}

    # -- ids ----------------------------------------------------------------------------

    def run(self, rows: list[RowState]) -> None:
        by_table: dict[str, list[RowState]] = {}
        for row in rows:
            by_table.setdefault(row.table, []).append(row)
        self._load_aliases()
        for name in SYNCED:  # parents first: a child's references are already translated
            incoming = [self._translated(r) for r in by_table.get(name, [])]
            self._load_local(name, (r.row_id for r in incoming))
            incoming = self._match_twins(name, incoming)
            merged = self.merged.setdefault(name, {})
            for row in incoming:
                row_id = row.row_id
                if row_id in merged:  # the same row twice in one package
                    raise BadInputError(f"{self.preview.title}: the package holds one row twice; "
                                        "nothing was received")
                merged[row_id] = self._merge_row(row)
        self._check_references()
        self._decide_visibility()
        self._apply()

    def _load_aliases(self) -> None:
        for table, alias, row_id in self.conn.exec_driver_sql(
                "SELECT tbl, alias_id, row_id FROM sync_aliases"):
            self.aliases.setdefault(table, {})[alias] = row_id

    def _translated(self, row: RowState) -> RowState:
        """The row with ids known here under another id replaced by that id."""
        spec = row.spec
        values = dict(row.values)
        for ref in spec.references:
            target = values.get(ref.column)
            if target is not None and target in self.aliases.get(ref.table, {}):
                values[ref.column] = self.aliases[ref.table][target]
        if len(spec.key) == 1 and values[spec.key[0]] in self.aliases.get(spec.name, {}):
            values[spec.key[0]] = self.aliases[spec.name][values[spec.key[0]]]
        return RowState(row.table, values, dict(row.stamps), row.deleted, dict(row.bases))

    def _load_local(self, table: str, row_ids: Iterable[str]) -> None:
        found, live = states_by_id(self.conn, table, row_ids)
        self.local.setdefault(table, {}).update(found)
        self.live.setdefault(table, set()).update(live)

    def _match_twins(self, table: str, incoming: list[RowState]) -> list[RowState]:
        """Rows new here that are the same thing as a row here under another id: the same
        e-mail (or name, when asked) of a person; a rating or response for the same item."""
        spec = synced_tables()[table]
        local = self.local[table]
        out = []
        for row in incoming:
            twin = None if row.row_id in local else self._twin(spec, row)
            if twin is not None and twin != row.row_id:
                self.aliases.setdefault(table, {})[row.row_id] = twin
                self.conn.exec_driver_sql(
                    "INSERT OR REPLACE INTO sync_aliases (tbl, alias_id, row_id) "
                    "VALUES (?, ?, ?)", (table, row.row_id, twin))
                self.twins[(table, twin)] = row.row_id
                values = dict(row.values, id=twin)
                row = RowState(table, values, dict(row.stamps), row.deleted, dict(row.bases))
                self._load_local(table, [twin])
            out.append(row)
        return out

    def _twin(self, spec: SyncedTable, row: RowState) -> str | None:
        for columns in spec.unique:
            values = [row.values[c] for c in columns]
            if any(v is None for v in values):
                continue
            # An e-mail is the same whatever its case (as the roster import treats it).
            where = " AND ".join(f"lower({c}) = lower(?)" if c == "email" else f"{c} = ?"
                                 for c in columns)
            found = self.conn.exec_driver_sql(f"SELECT id FROM {spec.name} WHERE {where}",
                                              tuple(values)).scalar()
            if found is not None:
                if spec.name == "people":
                    self._same_person(row, str(found), "the same e-mail", merged=True)
                return str(found)
        if spec.name == "people":
            found_row = self.conn.exec_driver_sql(
                "SELECT id FROM people WHERE lower(trim(name)) = lower(trim(?)) ORDER BY id",
                (row.values["name"],)).first()
            if found_row is not None:
                merged = row.values["id"] in self.merge_people
                self._same_person(row, str(found_row[0]), "the same name", merged=merged)
                return str(found_row[0]) if merged else None
        return None

    def _same_person(self, row: RowState, local_id: str, reason: str, *, merged: bool) -> None:
        name = self.conn.exec_driver_sql("SELECT name FROM people WHERE id = ?",
                                         (local_id,)).scalar()
        self.preview.people.append(SamePerson(row.values["id"], row.values["name"], local_id,
                                              str(name), reason, merged))

    # -- values -------------------------------------------------------------------------

    def _merge_row(self, theirs: RowState) -> RowState:
        mine = self.local[theirs.table].get(theirs.row_id)
        if mine is None:
            return theirs
        values, stamps, bases = dict(mine.values), dict(mine.stamps), dict(mine.bases)
        twin_of = self.twins.get((theirs.table, theirs.row_id))
        changed = []
        for name in theirs.spec.fields:
            ours = (mine.values[name], mine.stamp(name))
            their = (theirs.values[name], theirs.stamp(name))
            if ours == their:
                continue
            if twin_of is not None and ours[1] == their[1]:
                # Made apart, never edited since on either laptop: every laptop keeps the
                # values of the twin with the smallest id, whichever arrived first.
                wins = twin_of < self._smallest_id(theirs.table, theirs.row_id)
            else:
                wins = _newer(ours, their)
            if wins:
                values[name] = their[0]
                if their[1]:
                    stamps[name] = their[1]
                    bases[name] = theirs.bases.get(name, NEVER)
                if ours[0] != their[0]:
                    changed.append(name)
                    if not _same_laptop(ours[1], their[1]):  # else its own later edit
                        # Made over this laptop's value: an update; made apart: a conflict.
                        apart = bool(ours[1]) and theirs.bases.get(name, NEVER) != ours[1]
                        self._keep(theirs, name, ours, conflict=apart, replaced_here=True)
            elif ours[0] != their[0] and their[1] not in ("", REDACTED_STAMP) \
                    and not _same_laptop(ours[1], their[1]) \
                    and mine.bases.get(name, NEVER) != their[1]:
                # An edit made apart from the one here, and older: kept, and a conflict.
                self._keep(theirs, name, their, conflict=True, replaced_here=False)
        deleted = mine.deleted
        if theirs.deleted is not None and (deleted is None or theirs.deleted[1] > deleted[1]):
            deleted = theirs.deleted
        merged = RowState(theirs.table, values, stamps, deleted, bases)
        if changed:
            self.changed_fields[(theirs.table, merged.row_id)] = changed
        return merged

    def _smallest_id(self, table: str, row_id: str) -> str:
        """The smallest id the row here has had (its own, or of twins merged into it)."""
        return min([row_id, *(alias for alias, target in self.aliases.get(table, {}).items()
                              if target == row_id and alias != self.twins.get((table, row_id)))])

    def _keep(self, row: RowState, name: str, lost: tuple[object, str], *,
              conflict: bool, replaced_here: bool) -> None:
        """The value that lost, in the history, and a conflict counted: once, however often
        the package (or another with the same edits) comes."""
        if self.conn.exec_driver_sql(
                "SELECT 1 FROM sync_history WHERE tbl = ? AND row_id = ? AND field = ? AND "
                "stamp = ? AND value_json = ?",
                (row.table, row.row_id, name, lost[1], json.dumps(lost[0]))).first():
            return
        self.conn.exec_driver_sql(
            "INSERT INTO sync_history (tbl, row_id, field, value_json, stamp, kept_at, "
            "package_id, replaced_here) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (row.table, row.row_id, name, json.dumps(lost[0]), lost[1],
             _db_time(dt.datetime.now(dt.UTC)), self.package_id, int(replaced_here)))
        if conflict:
            self.preview.counts_for(row.table).conflicts += 1

    # -- rows ---------------------------------------------------------------------------

    def _state(self, table: str, row_id: str) -> RowState | None:
        return self.merged.get(table, {}).get(row_id) or self.local.get(table, {}).get(row_id)

    def _exists_here(self, table: str, row_id: str) -> bool:
        if self._state(table, row_id) is not None:
            return True
        self._load_local(table, [row_id])
        return row_id in self.local[table]

    def _check_references(self) -> None:
        for table, rows in self.merged.items():
            spec = synced_tables()[table]
            for row in rows.values():
                for ref in spec.references:
                    target = row.values.get(ref.column)
                    if target is None:
                        continue
                    if ref.table in SYNCED:
                        known = self._exists_here(ref.table, target)
                    else:
                        known = self._protocol_row(ref.table, target)
                    if not known:
                        what = TABLE_WORDS.get(table, "rows")
                        target_words = TABLE_WORDS.get(ref.table, "protocols")
                        raise BadInputError(
                            f"{self.preview.title}: the package's {what} refer to "
                            f"{target_words} that are neither in the package nor on this "
                            "laptop; nothing was received (ask the sender to send it again, "
                            "made with the newest Observe)")
        self._check_evidence_links()
        self._check_items_of_own_protocol()

    def _check_items_of_own_protocol(self) -> None:
        """A response, tag, rating or contribution is for an item of the protocol version its
        cycle uses: one naming another protocol's item would show under the wrong look-for,
        or under none, on every page and in the PDF."""
        for table, rows in self.merged.items():
            columns = [ref.column for ref in synced_tables()[table].references
                       if ref.table == "protocol_items"]
            for row in rows.values() if columns else ():
                cycle = self._cycle_of_row(table, row.values)
                uses = (self._state("cycles", cycle)
                        if cycle is not None and self._exists_here("cycles", cycle) else None)
                version = None if uses is None else uses.values.get("protocol_version_id")
                for column in columns:
                    item = row.values.get(column)
                    if item is not None and self._version_of_item(str(item)) != version:
                        raise BadInputError(
                            f"{self.preview.title}: the package records "
                            f"{TABLE_WORDS.get(table, 'rows')} against a look-for or item "
                            "of another protocol than the cycle's; nothing was received (ask "
                            "the sender to send it again, made with the newest Observe)")

    def _cycle_of_row(self, table: str, values: dict[str, Any]) -> str | None:
        if "cycle_id" in values:
            return None if values["cycle_id"] is None else str(values["cycle_id"])
        if "observation_id" in values:
            return self._cycle_of("observations", str(values["observation_id"]))
        if "note_id" in values:
            return self._cycle_of("notes", str(values["note_id"]))
        return None

    def _version_of_item(self, item_id: str) -> str | None:
        key = ("protocol_items:version", item_id)
        if key not in self.item_versions:
            found = self.conn.exec_driver_sql(
                "SELECT version_id FROM protocol_items WHERE id = ?", (item_id,)).first()
            self.item_versions[key] = None if found is None else str(found[0])
        return self.item_versions[key]

    def _check_evidence_links(self) -> None:
        """Evidence is a note of the same cycle as the rating or feedback it backs: a link to
        another cycle's note would show (and send on) that cycle's notes under this one."""
        for table, (column, owner) in EVIDENCE_LINKS.items():
            for row in self.merged.get(table, {}).values():
                backed = self._cycle_of(owner, str(row.values[column]))
                if backed is None or backed != self._cycle_of("notes",
                                                              str(row.values["note_id"])):
                    raise BadInputError(
                        f"{self.preview.title}: the package ties evidence to a note from "
                        "another cycle; nothing was received (ask the sender to send it "
                        "again, made with the newest Observe)")

    def _cycle_of(self, table: str, row_id: str) -> str | None:
        if not self._exists_here(table, row_id):
            return None
        state = self._state(table, row_id)
        if state is None:
            return None
        if table == "notes":
            return self._cycle_of("observations", str(state.values["observation_id"]))
        cycle = state.values.get("cycle_id")
        return None if cycle is None else str(cycle)

    def _protocol_row(self, table: str, row_id: str) -> bool:
        """Is this protocol version or item here? (Asked once per id: a package's notes tag
        the same few items thousands of times.)"""
        key = (table, row_id)
        if key not in self.protocol_rows:
            self.protocol_rows[key] = self.conn.exec_driver_sql(
                f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)).first() is not None
        return self.protocol_rows[key]

    def _is_visible(self, table: str, row_id: str) -> bool:
        key = (table, row_id)
        if key in self.visible:
            return self.visible[key]
        merged = self.merged.get(table, {}).get(row_id)
        if merged is None:  # not in the package: as it is here
            self._load_local(table, [row_id])
            shown = row_id in self.live.get(table, set())
        else:
            shown = merged.alive() and all(
                self._is_visible(ref.table, merged.values[ref.column])
                for ref in merged.spec.owners if merged.values[ref.column] is not None)
        self.visible[key] = shown
        return shown

    def _decide_visibility(self) -> None:
        for table, rows in self.merged.items():
            for row_id in rows:
                self._is_visible(table, row_id)
        # A row kept shown keeps what it refers to shown (a cycle its teacher and observer).
        changed = True
        while changed:
            changed = False
            for (table, row_id), shown in list(self.visible.items()):
                if not shown:
                    continue
                row = self._state(table, row_id)
                assert row is not None
                for ref in row.spec.references:
                    target = row.values.get(ref.column)
                    if ref.table in SYNCED and target is not None \
                            and not self._is_visible(ref.table, target):
                        self.visible[(ref.table, target)] = True
                        changed = True
            for (table, row_id), shown in list(self.visible.items()):
                if shown or table not in kept_by_reference():
                    continue
                if self._referred_to_here(table, row_id):
                    self.visible[(table, row_id)] = True
                    changed = True

    def _referred_to_here(self, table: str, row_id: str) -> bool:
        """Does a row here that stays shown (and is not in the package) refer to this one?"""
        for spec in synced_tables().values():
            for ref in spec.references:
                if ref.table != table or ref.owner:
                    continue
                for (other,) in self.conn.exec_driver_sql(
                        f"SELECT {spec.key_sql(spec.name)} FROM {spec.name} "
                        f"WHERE {ref.column} = ?", (row_id,)):
                    if self.visible.get((spec.name, other), other not in
                                        self.merged.get(spec.name, {})):
                        return True
        return False

    # -- writing ------------------------------------------------------------------------

    def _apply(self) -> None:
        # Gone first (parents first: their rows go with them), then added and changed.
        for table in SYNCED:
            for row_id, row in self.merged.get(table, {}).items():
                if not self.visible[(table, row_id)] and row_id in self.live[table]:
                    self._delete(row)
                    self.preview.counts_for(table).deleted += 1
        for table in SYNCED:
            counts = self.preview.counts_for(table)
            added: list[RowState] = []
            restored: list[str] = []
            for row_id, row in self.merged.get(table, {}).items():
                mine = self.local[table].get(row_id)
                if self.visible[(table, row_id)]:
                    if row_id in self.live[table]:
                        fields = self.changed_fields.get((table, row_id), [])
                        if fields:
                            self._update(row, fields)
                            counts.changed += 1
                            self._list_changes(row, mine, fields)
                    else:
                        added.append(row)
                        if mine is None:
                            counts.added += 1
                            if table == "cycles":
                                self.preview.new_cycles.append(self._cycle_label(row))
                        else:  # only a row this laptop had can have rows of its own archived
                            counts.restored += 1
                            restored.append(row_id)
                else:
                    self.conn.exec_driver_sql(
                        "INSERT OR REPLACE INTO sync_archive (tbl, row_id, row_json) "
                        "VALUES (?, ?, ?)", (table, row_id, json.dumps(row.values)))
            self._insert_all(table, added)
            for row_id in restored:
                self._bring_back_children(table, row_id)
            self._write_stamps(table)

    def _where(self, spec: SyncedTable) -> str:
        return " AND ".join(f"{k} = ?" for k in spec.key)

    def _key_values(self, row: RowState) -> tuple[Any, ...]:
        return tuple(row.values[k] for k in row.spec.key)

    def _delete(self, row: RowState) -> None:
        self.conn.exec_driver_sql(f"DELETE FROM {row.table} WHERE {self._where(row.spec)}",
                                  self._key_values(row))
        self.live[row.table].discard(row.row_id)

    def _insert(self, row: RowState) -> None:
        self._insert_all(row.table, [row])

    def _insert_all(self, table: str, rows: list[RowState]) -> None:
        if not rows:
            return
        columns = synced_tables()[table].columns
        received = RECEIVED.get(table, {})
        names = (*columns, *received)
        self.conn.exec_driver_sql(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES "
            f"({', '.join('?' * len(names))})",
            [(*(row.values[c] for c in columns), *received.values()) for row in rows])
        self.live[table].update(row.row_id for row in rows)

    def _update(self, row: RowState, fields: list[str]) -> None:
        sets = ", ".join(f"{f} = ?" for f in fields)
        self.conn.exec_driver_sql(
            f"UPDATE {row.table} SET {sets} WHERE {self._where(row.spec)}",
            (*(row.values[f] for f in fields), *self._key_values(row)))

    def _write_stamps(self, table: str) -> None:
        """The merged stamps and delete records of a table's rows, where they changed."""
        stamps, deleted = [], []
        for row_id, row in self.merged.get(table, {}).items():
            mine = self.local[table].get(row_id)
            before = mine.stamps if mine is not None else {}
            stamps += [(table, row_id, name, stamp, row.bases.get(name, NEVER))
                       for name, stamp in row.stamps.items() if before.get(name) != stamp]
            if row.deleted is not None and (mine is None or mine.deleted != row.deleted):
                deleted.append((table, row_id, *row.deleted))
        if stamps:
            self.conn.exec_driver_sql(
                "INSERT OR REPLACE INTO sync_stamps (tbl, row_id, field, stamp, base) "
                "VALUES (?, ?, ?, ?, ?)", stamps)
        if deleted:
            self.conn.exec_driver_sql(
                "INSERT OR REPLACE INTO sync_deleted (tbl, row_id, alive, stamp) "
                "VALUES (?, ?, ?, ?)", deleted)

    def _bring_back_children(self, table: str, row_id: str) -> None:
        """A row shown again brings back what belonged to it and was not deleted itself."""
        for spec, ref in children_of(table):
            for values in archived_rows(self.conn, spec, ref.column, [row_id]):
                child = RowState(spec.name, values)
                child_id = child.row_id
                if child_id in self.merged.get(spec.name, {}):
                    continue  # the package says what becomes of it
                found, _ = states_by_id(self.conn, spec.name, [child_id])
                state = found.get(child_id)
                if state is None or not state.alive():
                    continue
                if not all(self._owner_shown(state, r) for r in spec.owners):
                    continue
                self._insert(state)
                self.live.setdefault(spec.name, set()).add(child_id)
                self.preview.counts_for(spec.name).restored += 1
                self._bring_back_children(spec.name, child_id)

    def _owner_shown(self, row: RowState, ref: Any) -> bool:
        target = row.values[ref.column]
        return self.conn.exec_driver_sql(f"SELECT 1 FROM {ref.table} WHERE id = ?",
                                         (target,)).first() is not None

    # -- words --------------------------------------------------------------------------

    def _person(self, person_id: str | None) -> str:
        if person_id is None:
            return "nobody"
        row = self._state("people", person_id)
        if row is None:
            self._load_local("people", [person_id])
            row = self._state("people", person_id)
        return str(row.values["name"]) if row is not None else "someone"

    def _cycle_label(self, row: RowState) -> str:
        focus = str(row.values["focus"] or "").strip().splitlines()
        planned = row.values["planned_date"] or str(row.values["created_at"])[:10]
        label = f"{self._person(row.values['teacher_id'])}, {planned}"
        return label + (f": {focus[0][:60]}" if focus else "")

    def _describe(self, row: RowState) -> str:
        if row.table == "cycles":
            return f"the cycle of {self._person(row.values['teacher_id'])}"
        if row.table == "people":
            return str(row.values["name"])
        if "cycle_id" in row.values:
            return f"{row.table.replace('_', ' ')} of a cycle of " + self._person(
                self._cycle_teacher(row.values["cycle_id"]))
        return row.table.replace("_", " ")

    def _cycle_teacher(self, cycle_id: str) -> str | None:
        row = self._state("cycles", cycle_id)
        return str(row.values["teacher_id"]) if row is not None else None

    def _list_changes(self, row: RowState, mine: RowState | None, fields: list[str]) -> None:
        if mine is None or len(self.preview.changes) >= MAX_LISTED_CHANGES:
            return
        for name in fields:
            self.preview.changes.append(FieldChange(
                row.table, row.row_id, self._describe(row), name, mine.values[name],
                row.values[name], conflict=bool(mine.stamp(name))
                and row.bases.get(name, NEVER) != mine.stamp(name)))
