"""what observation packages need: change stamps, tombstones, history; protocol ids from content

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Rows made on two laptops are merged field by field, the newer edit winning. Triggers stamp
every changed field with a hybrid logical clock (milliseconds, a counter, this database's
replica id: ordered as text), keep a deleted row's values (`sync_archive`) and record the
delete (`sync_deleted`), for every writer, the window, the command line or plain SQL. A row
never changed after it was made has no stamps (it is the same everywhere it travels to).
Each stamp keeps the other laptop's stamp the edit was made over (`base`; this laptop's own
earlier edits pass theirs on), so a merge can tell an edit made over the other laptop's
value (an update) from two edits made apart (a conflict).
Protocol versions and items are given ids made from their content, so a built-in protocol
has the same ids on every laptop. People and cycles can be archived (hidden from lists).
"""

import json
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Frozen here (a later migration that adds a column to one of these tables must recreate its
# triggers): table -> (key, fields, owners: (column, table) whose delete takes the row along).
TABLES = {
    "people": (("id",), ("name", "email", "role", "subject", "career_stage", "start_date",
                         "mentor_id", "created_at", "archived_at"), ()),
    "cycles": (("id",), ("teacher_id", "observer_id", "protocol_version_id", "stage", "focus",
                         "evidence_to_collect", "planned_date", "post_conference_notes",
                         "reflection", "acknowledged_at", "pre_conference_at", "observation_at",
                         "post_conference_at", "reflection_at", "closed_at", "created_at",
                         "archived_at"), ()),
    "goals": (("id",), ("teacher_id", "text", "status", "set_in_cycle_id", "created_at",
                        "updated_at"), (("teacher_id", "people"),)),
    "feedback_items": (("id",), ("cycle_id", "kind", "text", "due_date", "position"),
                       (("cycle_id", "cycles"),)),
    "observations": (("id",), ("cycle_id", "subject", "grade", "room", "students", "started_at",
                               "ended_at", "duration_ms"), (("cycle_id", "cycles"),)),
    "pauses": (("id",), ("observation_id", "paused_ms", "paused_at", "resumed_at"),
               (("observation_id", "observations"),)),
    "notes": (("id",), ("observation_id", "wall_time", "elapsed_ms", "text", "created_at",
                        "updated_at"), (("observation_id", "observations"),)),
    "note_tags": (("note_id", "item_id"), (), (("note_id", "notes"),)),
    "item_responses": (("id",), ("observation_id", "item_id", "checked", "count", "text",
                                 "updated_at"), (("observation_id", "observations"),)),
    "timer_runs": (("id",), ("observation_id", "item_id", "started_ms", "duration_ms"),
                   (("observation_id", "observations"),)),
    "interval_records": (("id",), ("observation_id", "item_id", "interval_index", "codes",
                                   "missed", "recorded_at"),
                         (("observation_id", "observations"),)),
    "ratings": (("id",), ("cycle_id", "item_id", "level", "not_observed", "comment",
                          "updated_at"), (("cycle_id", "cycles"),)),
    "rating_evidence": (("rating_id", "note_id"), (), (("note_id", "notes"),
                                                       ("rating_id", "ratings"))),
    "goal_cycles": (("goal_id", "cycle_id"), ("status", "comment"),
                    (("cycle_id", "cycles"), ("goal_id", "goals"))),
}

_NOW_MS = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
# The counter has eight digits: at its last value the clock moves on a millisecond instead.
_TICK = (f"UPDATE sync_replica SET "
         f"wall = CASE WHEN {_NOW_MS} > wall THEN {_NOW_MS} "
         f"WHEN counter >= 99999999 THEN wall + 1 ELSE wall END, "
         f"counter = CASE WHEN {_NOW_MS} > wall OR counter >= 99999999 THEN 0 "
         f"ELSE counter + 1 END")
_STAMP = "printf('%013d.%08d.%s', r.wall, r.counter, r.replica_id)"
_OWN = "(SELECT applying FROM sync_replica) = 0"
# Ids of protocol versions and items, from their content (also services.protocols).
NAMESPACE = uuid.UUID("5b0c3a52-6f8e-4f4a-9d4e-0b5e2c7f9a10")


def _stamp_row(name: str, key: str, field: str, when: str) -> str:
    """Stamp one field: the new stamp, and the other laptop's stamp it was made over."""
    base = (f"coalesce((SELECT CASE WHEN substr(x.stamp, 24) = r.replica_id THEN x.base "
            f"ELSE x.stamp END FROM sync_stamps x WHERE x.tbl = '{name}' AND x.row_id = {key} "
            f"AND x.field = '{field}'), '')")
    return (f"INSERT OR REPLACE INTO sync_stamps(tbl, row_id, field, stamp, base) "
            f"SELECT '{name}', {key}, '{field}', {_STAMP}, {base} FROM sync_replica r "
            f"WHERE {when}; ")


def _key(key: tuple[str, ...], alias: str) -> str:
    return " || '|' || ".join(f"{alias}.{k}" for k in key)


def triggers(name: str, tables: dict | None = None) -> dict[str, str]:
    """The stamping triggers of one table; a later migration passes its own `tables`."""
    key, fields, owners = (tables or TABLES)[name]
    new, old = _key(key, "new"), _key(key, "old")
    made: dict[str, str] = {}
    if fields:
        changed = " OR ".join(f"old.{f} IS NOT new.{f}" for f in fields)
        stamps = "".join(_stamp_row(name, new, f, f"old.{f} IS NOT new.{f}") for f in fields)
        made[f"sync_{name}_au"] = (f"AFTER UPDATE ON {name} WHEN {_OWN} AND ({changed}) "
                                   f"BEGIN {_TICK}; {stamps}END")
    # Made again after a delete here: the values it is made with beat the delete.
    revived = (f"{_OWN} AND EXISTS (SELECT 1 FROM sync_deleted WHERE tbl = '{name}' "
               f"AND row_id = {new} AND alive = 0)")
    revive_stamps = "".join(_stamp_row(name, new, f, revived) for f in fields)
    made[f"sync_{name}_ai"] = (
        f"AFTER INSERT ON {name} BEGIN "
        f"DELETE FROM sync_archive WHERE tbl = '{name}' AND row_id = {new}; "
        f"{_TICK} WHERE {revived}; {revive_stamps}"
        f"UPDATE sync_deleted SET alive = 1, stamp = (SELECT {_STAMP} FROM sync_replica r) "
        f"WHERE tbl = '{name}' AND row_id = {new} AND alive = 0 AND {_OWN}; END")
    # Deleted itself (its owners are still there), not taken along by its cycle's delete.
    own = " AND ".join([_OWN] + [f"EXISTS (SELECT 1 FROM {table} WHERE id = old.{column})"
                                 for column, table in owners])
    values = ", ".join(f"'{c}', old.{c}" for c in key + fields)
    made[f"sync_{name}_ad"] = (
        f"AFTER DELETE ON {name} BEGIN "
        f"INSERT OR REPLACE INTO sync_archive(tbl, row_id, row_json) "
        f"VALUES ('{name}', {old}, json_object({values})); "
        f"{_TICK} WHERE {own}; "
        f"INSERT OR REPLACE INTO sync_deleted(tbl, row_id, alive, stamp) "
        f"SELECT '{name}', {old}, 0, {_STAMP} FROM sync_replica r WHERE {own}; END")
    return made


def _rekey_protocols(conn: sa.Connection) -> None:
    """Give versions and items their content ids, and point every reference at them."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for vid, digest, number in conn.exec_driver_sql(
            "SELECT id, content_hash, number FROM protocol_versions ORDER BY number"):
        new = str(uuid.uuid5(NAMESPACE, f"version:{digest}"))
        if new in taken:  # the same content stored twice in one protocol (reverted edits)
            new = str(uuid.uuid5(NAMESPACE, f"version:{digest}:{number}"))
        taken.add(new)
        mapping[vid] = new
    if not mapping:
        return
    items = list(conn.exec_driver_sql("SELECT id, version_id, key FROM protocol_items"))
    for iid, vid, key in items:
        mapping[iid] = str(uuid.uuid5(NAMESPACE, f"item:{mapping[vid]}:{key}"))
    conn.exec_driver_sql("CREATE TEMP TABLE rekey (old TEXT PRIMARY KEY, new TEXT)")
    conn.exec_driver_sql("INSERT INTO rekey VALUES (?, ?)", list(mapping.items()))
    for table, column in (("protocol_versions", "id"), ("protocol_items", "id"),
                          ("protocol_items", "version_id"), ("cycles", "protocol_version_id"),
                          ("note_tags", "item_id"), ("item_responses", "item_id"),
                          ("timer_runs", "item_id"), ("interval_records", "item_id"),
                          ("ratings", "item_id")):
        conn.exec_driver_sql(
            f"UPDATE {table} SET {column} = (SELECT new FROM rekey WHERE old = {column}) "
            f"WHERE {column} IN (SELECT old FROM rekey)")
    for observation_id, item_ids in list(conn.exec_driver_sql(
            "SELECT observation_id, item_ids FROM note_drafts WHERE item_ids != '[]'")):
        ids = [mapping.get(i, i) for i in json.loads(item_ids)]
        conn.exec_driver_sql("UPDATE note_drafts SET item_ids = ? WHERE observation_id = ?",
                             (json.dumps(ids), observation_id))
    conn.exec_driver_sql("DROP TABLE temp.rekey")


def upgrade() -> None:
    op.add_column("people", sa.Column("archived_at", sa.DateTime(), nullable=True))
    op.add_column("cycles", sa.Column("archived_at", sa.DateTime(), nullable=True))
    op.create_table(
        "sync_replica",
        sa.Column("one", sa.Integer(), nullable=False),
        sa.Column("replica_id", sa.String(length=32), nullable=False),
        sa.Column("home", sa.Text(), nullable=True),
        sa.Column("wall", sa.Integer(), nullable=False),
        sa.Column("counter", sa.Integer(), nullable=False),
        sa.Column("applying", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("one", name=op.f("pk_sync_replica")))
    def keyed(name: str, *columns: sa.Column, key: tuple[str, ...] = ("tbl", "row_id")) -> None:
        op.create_table(name, sa.Column("tbl", sa.String(length=40), nullable=False),
                        sa.Column("row_id", sa.String(length=80), nullable=False), *columns,
                        sa.PrimaryKeyConstraint(*key, name=op.f(f"pk_{name}")))

    keyed("sync_stamps", sa.Column("field", sa.String(length=60), nullable=False),
          sa.Column("stamp", sa.String(length=80), nullable=False),
          sa.Column("base", sa.String(length=80), nullable=False),
          key=("tbl", "row_id", "field"))
    keyed("sync_deleted", sa.Column("alive", sa.Integer(), nullable=False),
          sa.Column("stamp", sa.String(length=80), nullable=False))
    keyed("sync_archive", sa.Column("row_json", sa.Text(), nullable=False))
    op.create_table(
        "sync_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tbl", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.String(length=80), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("value_json", sa.Text(), nullable=False),
        sa.Column("stamp", sa.String(length=80), nullable=False),
        sa.Column("kept_at", sa.DateTime(), nullable=False),
        sa.Column("package_id", sa.String(length=36), nullable=False),
        sa.Column("replaced_here", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_history")))
    op.create_index("ix_sync_history_row", "sync_history", ["tbl", "row_id"])
    op.create_table(
        "sync_aliases",
        sa.Column("tbl", sa.String(length=40), nullable=False),
        sa.Column("alias_id", sa.String(length=80), nullable=False),
        sa.Column("row_id", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("tbl", "alias_id", name=op.f("pk_sync_aliases")))
    op.create_table(
        "sync_received",
        sa.Column("package_id", sa.String(length=36), nullable=False),
        sa.Column("sender", sa.Text(), nullable=False),
        sa.Column("sender_replica", sa.String(length=32), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("summary_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("package_id", name=op.f("pk_sync_received")))
    conn = op.get_bind()
    conn.exec_driver_sql(
        "INSERT INTO sync_replica (one, replica_id, home, wall, counter, applying) "
        "VALUES (1, ?, NULL, 0, 0, 0)", (uuid.uuid4().hex,))
    _rekey_protocols(conn)
    for name in TABLES:
        for trigger, body in triggers(name).items():
            op.execute(f"CREATE TRIGGER {trigger} {body}")


def downgrade() -> None:
    for name in TABLES:
        for trigger in triggers(name):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for table in ("sync_received", "sync_aliases", "sync_history", "sync_archive",
                  "sync_deleted", "sync_stamps", "sync_replica"):
        op.drop_table(table)
    # SQLite's own DROP COLUMN keeps the rows' rowids, which the search index points at.
    op.execute("ALTER TABLE cycles DROP COLUMN archived_at")
    op.execute("ALTER TABLE people DROP COLUMN archived_at")
