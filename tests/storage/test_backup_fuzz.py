"""A fixed-seed corpus of hostile backups, each given to `observe-app restore` as a user would.

The corpus is made in the test from a checked backup of the demo school, by mutating copies:
files that are not databases, cut short, padded, flipped; schemas with a table, column, index
or search index dropped, triggers (one deletes every other note when a note is saved), views,
extra tables and redefined columns; wrong schema revisions; values the app cannot read
(unknown enum values, broken JSON, blobs, NUL characters, invalid UTF-8, impossible dates,
things that are not ids, broken protocol documents); and harmless changes that must still
restore (older schemas, other page sizes, WAL mode, statistics, a stale search index, bytes
flipped in free pages).

Each case is refused with one `error:` line and the database byte-identical, or (harmless,
or a random flip that every check lets through) restored, after which the database opens and
everything the app reads (people, cycles, each cycle, search) reads, and `check` passes.
No traceback, no hang, nothing written beside the file.
"""

from __future__ import annotations

import collections
import faulthandler
import hashlib
import os
import random
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from observe_app import cli
from observe_app.storage import backup, migrate
from observe_app.storage.engine import Database
from observe_app.storage.opening import open_database
from tests.storage.db_files import changed_copy, dropping_column

SEED = 11
CASE_SECONDS = 60  # a case still running after this is a hang: dump the stacks and stop


@dataclass(frozen=True)
class Case:
    name: str
    family: str
    expect: str  # "refuse", "accept" or "either" (random damage: refused unless harmless)
    path: Path
    make: Callable[[Path], None]  # writes the file at `path`


class Corpus:
    """Describes the cases; each is written into `folder` (from a copy of `base`) only when
    made. Every random choice is drawn when a case is described, so a case is the same file
    whichever others are made."""

    def __init__(self, base: Path, folder: Path, seed: int) -> None:
        self.base, self.folder = base, folder
        self.rng = random.Random(seed)
        self.cases: list[Case] = []
        with sqlite3.connect(f"file:{base}?mode=ro", uri=True) as conn:
            self.columns = {
                t: [(r[1], r[2], r[3], r[5]) for r in conn.execute(f"PRAGMA table_info({t})")]
                for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND "
                                         "name NOT LIKE '%fts%' AND name != 'alembic_version'")}
            self.indexes = [r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='index' AND sql IS NOT NULL")]
            self.page_size = conn.execute("PRAGMA page_size").fetchone()[0]
            # SQLite refuses to drop a column an index names: no case to make of it.
            self.indexed = set(conn.execute(
                "SELECT m.tbl_name, i.name FROM sqlite_master AS m, pragma_index_info(m.name) "
                "AS i WHERE m.type = 'index'"))
            # A value changed in a table without rows changes nothing: no case to make.
            self.empty = {t for t in self.columns
                          if conn.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone() is None}
        conn.close()

    def made(self, name: str, family: str, expect: str, make: Callable[[Path], None],
             suffix: str = ".db") -> None:
        path = self.folder / f"{len(self.cases):03d}-{name}{suffix}"
        self.cases.append(Case(name, family, expect, path, make))

    def sql(self, name: str, family: str, expect: str, *statements: str) -> None:
        def make(target: Path) -> None:
            changed_copy(self.base, target, *statements)
        self.made(name, family, expect, make)

    def raw(self, name: str, family: str, expect: str,
            change: Callable[[bytes, random.Random], bytes]) -> None:
        seed = self.rng.getrandbits(64)
        self.made(name, family, expect, lambda target: target.write_bytes(
            change(self.base.read_bytes(), random.Random(seed))))

    # -- helpers for raw mutations ---------------------------------------------------------

    def flip(self, data: bytes, rng: random.Random, pages: list[int], flips: int) -> bytes:
        out = bytearray(data)
        for _ in range(flips):
            page = rng.choice(pages)
            at = (page - 1) * self.page_size + rng.randrange(self.page_size)
            out[at] ^= rng.randrange(1, 256)
        return bytes(out)

    def free_leaves(self) -> list[int]:
        data = self.base.read_bytes()
        trunk, leaves = int.from_bytes(data[32:36], "big"), []
        while trunk:
            at = (trunk - 1) * self.page_size
            count = int.from_bytes(data[at + 4:at + 8], "big")
            leaves += [int.from_bytes(data[at + 8 + 4 * i:at + 12 + 4 * i], "big")
                       for i in range(count)]
            trunk = int.from_bytes(data[at:at + 4], "big")
        return leaves


def _downgraded(base: Path, revision: str) -> Callable[[Path], None]:
    from alembic import command

    def make(target: Path) -> None:
        shutil.copyfile(base, target)
        db = Database(target)
        try:
            migrate.run_migrations(db, command.downgrade, revision)
        finally:
            db.close()
        _single_file(target)
    return make


def _single_file(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()


def _vacuumed(base: Path, page_size: int | None) -> Callable[[Path], None]:
    def make(target: Path) -> None:
        shutil.copyfile(base, target)
        conn = sqlite3.connect(target, isolation_level=None)
        if page_size:
            conn.execute(f"PRAGMA page_size={page_size}")
        conn.execute("VACUUM")
        conn.close()
    return make


def _utf16(target: Path) -> None:
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA encoding='UTF-16le'")
    conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    conn.execute("INSERT INTO alembic_version VALUES ('0004')")
    conn.close()


def _first(table: str) -> str:
    return f"rowid = (SELECT min(rowid) FROM {table})"


def _last(table: str) -> str:
    return f"rowid = (SELECT max(rowid) FROM {table})"


def build_corpus(base: Path, folder: Path, seed: int = SEED) -> list[Case]:
    """At least 200 hostile (and some harmless) backups of the demo school, always the same."""
    c = Corpus(base, folder, seed)
    rng = c.rng
    data = base.read_bytes()
    pages = len(data) // c.page_size

    # -- not a database at all, or not a whole one ---------------------------------------------
    c.raw("zero-bytes", "file", "refuse", lambda d, r: b"")
    c.raw("shopping-list", "file", "refuse", lambda d, r: b"eggs, milk, chalk\n" * 300)
    c.raw("magic-only", "file", "refuse", lambda d, r: d[:16])
    c.raw("header-only", "file", "refuse", lambda d, r: d[:100])
    c.raw("first-page-only", "file", "refuse", lambda d, r: d[:c.page_size])
    c.raw("all-zero-pages", "file", "refuse", lambda d, r: bytes(len(d)))
    for n in range(4):
        c.raw(f"random-{n}", "file", "refuse", lambda d, r: r.randbytes(len(d) // 4))
        c.raw(f"magic-then-random-{n}", "file", "refuse",
              lambda d, r: d[:100] + r.randbytes(c.page_size * 8 - 100))
    for n in range(10):
        cut = rng.randrange(2, pages) * c.page_size
        c.raw(f"truncated-{n}-at-page-{cut // c.page_size}", "file", "refuse",
              lambda d, r, cut=cut: d[:cut])
    for n in range(5):
        cut = rng.randrange(c.page_size, len(data))
        c.raw(f"truncated-mid-page-{n}", "file", "refuse", lambda d, r, cut=cut: d[:cut])
    c.raw("padded-half-page", "file", "refuse", lambda d, r: d + bytes(c.page_size // 2))
    c.raw("padded-1000-pages", "file", "refuse", lambda d, r: d + bytes(c.page_size * 1000))
    c.raw("header-claims-2g-pages", "file", "refuse",
          lambda d, r: d[:28] + (2**31 - 1).to_bytes(4, "big") + d[32:])
    c.raw("page-size-3000", "file", "refuse",
          lambda d, r: d[:16] + (3000).to_bytes(2, "big") + d[18:])
    c.raw("header-zeroed", "file", "refuse", lambda d, r: d[:16] + bytes(84) + d[100:])
    c.made("a-folder", "file", "refuse", lambda p: p.mkdir(), suffix=".db")
    if hasattr(os, "mkfifo"):  # opened, it would wait forever for a writer
        c.made("a-pipe", "file", "refuse", lambda p: os.mkfifo(p))
    c.made("dangling-link", "file", "refuse", lambda p: p.symlink_to(p.with_name("nowhere")))
    c.made("utf16", "file", "refuse", _utf16)

    # -- random damage: refused, unless it is harmless and every check passes --------------------
    for n in range(40):
        flips = rng.choice((1, 1, 2, 4, 16))
        c.raw(f"flipped-{flips}-bytes-{n}", "flip", "either",
              lambda d, r, f=flips: c.flip(d, r, list(range(2, pages + 1)), f))
    for n in range(6):
        c.raw(f"flipped-first-page-{n}", "flip", "either", lambda d, r: c.flip(d, r, [1], 1))
    leaves = c.free_leaves()
    for n in range(6):
        c.raw(f"flipped-free-page-{n}", "harmless", "accept",
              lambda d, r: c.flip(d, r, leaves, 8))
    for n in range(4):
        page = rng.randrange(2, pages + 1)
        c.raw(f"zeroed-{n}-page-{page}", "flip", "either",
              lambda d, r, p=page: d[:(p - 1) * c.page_size] + bytes(c.page_size)
              + d[p * c.page_size:])

    # -- the schema is not the app's -------------------------------------------------------------
    for table in sorted(c.columns):
        c.sql(f"dropped-table-{table}", "schema", "refuse", f"DROP TABLE {table}")
    for fts in ("notes_fts", "feedback_fts", "cycles_fts"):
        c.sql(f"dropped-search-index-{fts}", "schema", "refuse", f"DROP TABLE {fts}")
    c.sql("dropped-search-shadow", "schema", "refuse", "DROP TABLE notes_fts_docsize")
    droppable = [(t, col) for t, cols in sorted(c.columns.items())
                 for col, _type, _nn, pk in cols if not pk and not col.endswith("_id")
                 and (t, col) not in c.indexed
                 and not t.startswith("sync_")  # the stamping triggers use their columns
                 and col not in ("email", "slug", "key", "number", "search_indexed",
                                 "elapsed_ms", "started_at", "interval_index", "text",
                                 "focus", "post_conference_notes", "reflection",
                                 "created_at", "planned_date", "filed_at")]  # 0005 uses them
    for table, column in rng.sample(droppable, 12):
        c.sql(f"dropped-column-{table}-{column}", "schema", "refuse",
              *dropping_column(table, column))
    for table in rng.sample(sorted(c.columns), 5):
        c.sql(f"added-column-{table}", "schema", "refuse",
              f"ALTER TABLE {table} ADD COLUMN extra TEXT")
    for index in c.indexes:
        c.sql(f"dropped-index-{index}", "schema", "refuse", f"DROP INDEX {index}")
    c.sql("added-index", "schema", "refuse", "CREATE INDEX ix_sneaky ON notes (text)")
    c.sql("added-unique-index", "schema", "refuse",
          "CREATE UNIQUE INDEX ix_one_note ON notes (observation_id, id)")
    c.sql("wipe-trigger", "schema", "refuse",
          "CREATE TRIGGER keep_tidy AFTER INSERT ON notes BEGIN "
          "DELETE FROM notes WHERE rowid % 2 = 0 AND id <> new.id; END")
    for table in rng.sample(sorted(c.columns), 8):
        when = rng.choice(("BEFORE INSERT", "AFTER INSERT", "AFTER UPDATE", "BEFORE DELETE"))
        c.sql(f"trigger-{when.replace(' ', '-').lower()}-{table}", "schema", "refuse",
              f"CREATE TRIGGER t_{table} {when} ON {table} BEGIN SELECT 1; END")
    c.sql("search-trigger-rewritten", "schema", "refuse", "DROP TRIGGER notes_fts_ad",
          "CREATE TRIGGER notes_fts_ad AFTER DELETE ON notes BEGIN DELETE FROM people; END")
    c.sql("search-trigger-dropped", "schema", "refuse", "DROP TRIGGER cycles_fts_au")
    c.sql("view", "schema", "refuse", "CREATE VIEW everything AS SELECT * FROM notes")
    c.sql("temp-looking-view", "schema", "refuse",
          "CREATE VIEW v AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
          "SELECT n FROM r")
    c.sql("extra-table", "schema", "refuse", "CREATE TABLE secrets (x)")
    c.sql("renamed-table", "schema", "refuse", "ALTER TABLE goals RENAME TO aims")
    c.sql("renamed-column", "schema", "refuse", "ALTER TABLE notes RENAME COLUMN text TO body")
    for name, old, new in [
            ("text-as-blob", "text TEXT NOT NULL", "text BLOB NOT NULL"),
            ("text-nullable", "text TEXT NOT NULL", "text TEXT"),
            ("check-constraint", "CONSTRAINT pk_notes", "CHECK (length(text) < 5), CONSTRAINT "
                                                        "pk_notes"),
            ("no-cascade", "ON DELETE CASCADE\n)", ")")]:
        c.sql(f"redefined-{name}", "schema", "refuse", "PRAGMA writable_schema=ON",
              f"UPDATE sqlite_master SET sql = replace(sql, '{old}', '{new}') "
              "WHERE name = 'notes'", "PRAGMA writable_schema=OFF")

    # -- the schema revision is wrong ------------------------------------------------------------
    for label, value in [("older-label", "'0003'"), ("first-label", "'0001'"),
                         ("newer", "'0099'"), ("empty", "''"), ("nul", "'00' || char(0)"),
                         ("number", "4"), ("blob", "x'30303034'"), ("long", "hex(zeroblob(500))")]:
        c.sql(f"revision-{label}", "revision", "refuse",
              f"UPDATE alembic_version SET version_num = {value}")
    c.sql("revision-two-rows", "revision", "refuse",
          "INSERT INTO alembic_version VALUES ('0003')")
    c.sql("revision-no-rows", "revision", "refuse", "DELETE FROM alembic_version")
    c.sql("revision-table-dropped", "revision", "refuse", "DROP TABLE alembic_version")

    # -- values the app cannot read --------------------------------------------------------------
    for table, column in [("people", "role"), ("people", "career_stage"), ("cycles", "stage"),
                          ("protocol_items", "kind"), ("feedback_items", "kind"),
                          ("goals", "status"), ("goal_cycles", "status")]:
        c.sql(f"enum-{table}-{column}", "values", "refuse",
              f"UPDATE {table} SET {column} = 'Wizard' WHERE {_last(table)}")
        c.sql(f"enum-case-{table}-{column}", "values", "refuse",
              f"UPDATE {table} SET {column} = upper({column}) WHERE {_first(table)}")
    for table, column in [("protocol_versions", "document"), ("protocol_items", "config"),
                          ("interval_records", "codes"), ("visit_seatings", "seats"),
                          ("seating_charts", "seats")]:
        c.sql(f"json-broken-{table}", "values", "refuse",
              f"UPDATE {table} SET {column} = '{{\"a\": ' WHERE {_first(table)}")
        c.sql(f"json-wrong-shape-{table}", "values", "refuse",
              f"UPDATE {table} SET {column} = '\"just text\"' WHERE {_first(table)}")
        c.sql(f"json-number-{table}", "values", "refuse",
              f"UPDATE {table} SET {column} = 42 WHERE {_first(table)}")
    c.sql("json-codes-not-text", "values", "refuse",
          "UPDATE interval_records SET codes = '[1, 2]' WHERE rowid = "
          "(SELECT max(rowid) FROM interval_records)")
    c.sql("json-two-seats-on-one-cell", "values", "refuse",
          "UPDATE visit_seatings SET seats = json_set(seats, '$[1].x', json_extract(seats, "
          "'$[0].x'), '$[1].y', json_extract(seats, '$[0].y')) WHERE " + _last("visit_seatings"))
    c.sql("json-seat-numbered-as-text", "values", "refuse",
          "UPDATE seating_charts SET seats = json_set(seats, '$[0].n', 'one') WHERE "
          + _first("seating_charts"))
    text_columns = [(t, col) for t, cols in sorted(c.columns.items())
                    for col, type_, _nn, _pk in cols
                    if type_ in ("TEXT", "VARCHAR(200)", "VARCHAR(50)", "VARCHAR(500)",
                                 "VARCHAR(100)") and t not in c.empty
                    and not t.startswith("sync_")]
    for table, column in rng.sample(text_columns, 14):
        c.sql(f"blob-{table}-{column}", "values", "refuse",
              f"UPDATE {table} SET {column} = x'cafe' WHERE {_first(table)}")
    for table, column in rng.sample(text_columns, 10):
        c.sql(f"nul-{table}-{column}", "values", "refuse",
              f"UPDATE {table} SET {column} = coalesce({column}, '') || char(0) || 'hidden' "
              f"WHERE {_first(table)}")
    for table, column in rng.sample(text_columns, 6):
        c.sql(f"invalid-utf8-{table}-{column}", "values", "refuse",
              f"UPDATE {table} SET {column} = CAST(x'41ff42' AS TEXT) WHERE {_first(table)}")
    for table, column, value in [
            ("people", "start_date", "'31/08/2025'"), ("people", "start_date", "'2025-02-30'"),
            ("cycles", "planned_date", "'soon'"), ("feedback_items", "due_date", "20251001"),
            ("notes", "wall_time", "'yesterday'"), ("notes", "wall_time", "'2025-13-01 10:00:00'"),
            ("notes", "created_at", "1700000000"), ("observations", "started_at", "'2025-10-08'"),
            ("people", "created_at", "x'00'"), ("goals", "updated_at", "'2025-10-08T10:00:00Z'")]:
        c.sql(f"date-{table}-{column}-{len(c.cases)}", "values", "refuse",
              f"UPDATE {table} SET {column} = {value} WHERE {_last(table)}")
    for table, column, value in [("notes", "search_indexed", "2"), ("ratings", "not_observed",
                                 "'yes'"), ("protocols", "builtin", "-1"),
                                 ("notes", "elapsed_ms", "'a minute'"),
                                 ("observations", "students", "24.5"),
                                 ("protocol_items", "position", "'first'"),
                                 ("timer_runs", "duration_ms", "x'01'")]:
        c.sql(f"number-{table}-{column}", "values", "refuse",
              f"UPDATE {table} SET {column} = {value} WHERE {_last(table)}")
    for table in ("people", "cycles", "notes", "protocols"):
        c.sql(f"id-not-an-id-{table}", "values", "refuse",
              f"UPDATE {table} SET id = 'robert''); DROP TABLE x;--' WHERE {_last(table)}")
    c.sql("id-uppercase", "values", "refuse",
          f"UPDATE goals SET id = upper(id) WHERE {_first('goals')}")
    c.sql("foreign-key-broken", "values", "refuse",
          "UPDATE notes SET observation_id = '00000000-0000-4000-8000-000000000000' "
          f"WHERE {_last('notes')}")
    c.sql("foreign-key-orphan-tag", "values", "refuse", "DELETE FROM protocol_items "
          "WHERE id = (SELECT item_id FROM note_tags LIMIT 1)")
    c.sql("draft-item-ids-not-ids", "values", "refuse",
          "INSERT INTO note_drafts SELECT id, 'draft', started_at, 0, '[\"x\"]', started_at "
          "FROM observations LIMIT 1")
    c.sql("protocol-without-sections", "values", "refuse",
          "UPDATE protocol_versions SET document = json_remove(document, '$.sections') "
          f"WHERE {_first('protocol_versions')}")
    c.sql("protocol-name-empty", "values", "refuse",
          "UPDATE protocol_versions SET document = json_set(document, '$.name', '') "
          f"WHERE {_last('protocol_versions')}")
    c.sql("protocol-item-config-tampered", "values", "refuse",
          "UPDATE protocol_items SET config = '{\"levels\": [{}]}' WHERE rowid = "
          "(SELECT min(rowid) FROM protocol_items WHERE kind = 'rubric')")
    c.sql("protocol-item-label-changed", "values", "refuse",
          f"UPDATE protocol_items SET label = 'Something else' WHERE {_last('protocol_items')}")

    # -- harmless: must restore ------------------------------------------------------------------
    c.made("as-is", "harmless", "accept", lambda p: shutil.copyfile(base, p))
    for revision in ("0001", "0002", "0003"):
        c.made(f"older-schema-{revision}", "harmless", "accept", _downgraded(base, revision))
    for size in (None, 1024, 8192, 65536):
        c.made(f"vacuumed-page-size-{size or 'same'}", "harmless", "accept", _vacuumed(base, size))
    c.sql("wal-mode", "harmless", "accept", "PRAGMA journal_mode=WAL")
    c.sql("analyzed", "harmless", "accept", "ANALYZE")
    # SQLite 3.44 and later also check FTS5 indexes in integrity_check: then either will do.
    stale = "accept" if sqlite3.sqlite_version_info < (3, 44) else "either"
    c.sql("search-index-emptied", "harmless", stale,
          "INSERT INTO notes_fts(notes_fts) VALUES ('delete-all')")
    c.sql("search-index-garbage", "harmless", stale,
          "UPDATE notes_fts_data SET block = zeroblob(length(block)) WHERE id > 10")
    c.sql("notes-not-yet-indexed", "harmless", stale,
          "UPDATE notes SET search_indexed = 0 WHERE rowid % 3 = 0")
    c.sql("user-version-set", "harmless", "accept", "PRAGMA user_version = 7")
    c.sql("unicode-edits", "harmless", "accept",
          "UPDATE notes SET text = text || ' — Ελένη, 学生, 🙂' WHERE rowid % 7 = 0")
    return c.cases


def _live_state(data_dir: Path) -> tuple[str, str]:
    db = data_dir / "observe.db"
    wal = data_dir / "observe.db-wal"
    return (hashlib.sha256(db.read_bytes()).hexdigest(),
            hashlib.sha256(wal.read_bytes()).hexdigest() if wal.exists() else "")


def _read_everything(data_dir: Path) -> None:
    """What the window reads: people, cycles, each cycle, a search; then `check`."""
    from observe_app.services import cycles, people, search

    with open_database(data_dir) as db, db.transaction() as s:
        assert people.list_people(s)
        listed = cycles.list_cycles(s)
        for summary in listed:
            cycles.get_cycle(s, summary.id)
        assert any(hit.kind == "note" for hit in search.search(s, "students"))


def _category(message: str) -> str:
    for needle, category in [("not an Observe backup", "not a database"),
                             ("is empty", "not a database"), ("folder", "not a database"),
                             ("regular file", "not a database"), ("no such file", "missing"),
                             ("UTF-16", "not a database"), ("damaged", "damaged"),
                             ("newer version", "revision"), ("schema version", "revision"),
                             ("Observe did not make", "schema"), ("is missing", "schema"),
                             ("has no column", "schema"), ("not as Observe made", "schema"),
                             ("not defined as", "schema"), ("points at a missing", "values"),
                             ("protocol", "values"), (" holds ", "values"),
                             ("brought up to this version", "migration")]:
        if needle in message:
            return category
    return "other"


@pytest.fixture(scope="module")
def base(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A checked backup of the demo school, as `observe-app backup` writes it (from a copy:
    reading the shared template would leave its -wal and -shm beside it for other tests)."""
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(demo_template, folder / "school")
    # A school's file has free pages once things were deleted (the "free page" cases damage
    # them); a demo built in one go may have none, so some are made here.
    conn = sqlite3.connect(folder / "school" / "observe.db")
    with conn:
        conn.execute("CREATE TABLE scratch (filler BLOB)")
        conn.executemany("INSERT INTO scratch VALUES (?)", [(bytes(3000),)] * 40)
    with conn:
        conn.execute("DROP TABLE scratch")
    conn.close()
    return backup.backup_to(folder / "school" / "observe.db", folder / "base.db")


def test_the_corpus_is_large_varied_and_always_the_same(base: Path, tmp_path: Path) -> None:
    cases = build_corpus(base, tmp_path)
    assert len(cases) >= 200 and len({c.name for c in cases}) == len(cases)
    families = collections.Counter(c.family for c in cases)
    assert min(families.values()) >= 10 and len(families) == 6, families
    again = build_corpus(base, tmp_path)
    assert [c.name for c in again] == [c.name for c in cases]
    random_ones = [n for n, c in enumerate(cases) if c.name.startswith(("flipped", "random"))]
    for n in random_ones[::7]:  # the same bytes, from another description, made in another order
        contents = []
        for case in (cases[n], again[n]):
            case.make(case.path)
            contents.append(case.path.read_bytes())
            case.path.unlink()
        assert contents[0] == contents[1] != base.read_bytes()


SHARDS = 3  # about 90 cases each: under xdist they run side by side


@pytest.mark.slow
@pytest.mark.parametrize("shard", range(SHARDS))
def test_hostile_backups_are_refused_and_harmless_ones_restored(
        shard: int, base: Path, demo_template: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    started = time.perf_counter()
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    cases = build_corpus(base, corpus_dir)[shard::SHARDS]
    for case in cases:
        case.make(case.path)
    made = time.perf_counter() - started
    data = tmp_path / "data"
    shutil.copytree(demo_template, data)
    listing = sorted(p.name for p in corpus_dir.iterdir())

    refused: collections.Counter[str] = collections.Counter()
    accepted: list[str] = []
    failures: list[str] = []
    slowest = (0.0, "")
    for case in cases:
        before = _live_state(data)
        capsys.readouterr()
        faulthandler.dump_traceback_later(CASE_SECONDS, exit=True, file=sys.__stderr__)
        t0 = time.perf_counter()
        try:
            code = cli.main(["--data-dir", str(data), "restore", str(case.path)])
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # a traceback: the one thing that must never happen
            failures.append(f"{case.name}: {type(exc).__name__}: {exc}")
            continue
        finally:
            faulthandler.cancel_dump_traceback_later()
            slowest = max(slowest, (time.perf_counter() - t0, case.name))
        out, err = capsys.readouterr()
        if code == 0:
            accepted.append(case.name)
            if case.expect == "refuse":
                failures.append(f"{case.name}: accepted, but the app cannot use it")
            try:
                _read_everything(data)
                assert cli.main(["--data-dir", str(data), "check"]) == 0
            except Exception as exc:
                failures.append(f"{case.name}: accepted, then {type(exc).__name__}: {exc}")
            capsys.readouterr()
        else:
            lines = err.splitlines()
            if case.expect == "accept":
                failures.append(f"{case.name}: refused, but it is harmless: {err.strip()}")
            elif len(lines) != 1 or not lines[0].startswith("error: ") or out:
                failures.append(f"{case.name}: not one error line: {err!r} {out!r}")
            elif case.path.name not in lines[0]:
                failures.append(f"{case.name}: the message does not name the file: {lines[0]}")
            elif _live_state(data) != before:
                failures.append(f"{case.name}: refused, but the database changed")
            refused[_category(lines[0]) if lines else "none"] += 1
        if sorted(p.name for p in corpus_dir.iterdir()) != listing:
            failures.append(f"{case.name}: files appeared or went beside the backups")
            listing = sorted(p.name for p in corpus_dir.iterdir())
        if list(data.glob("observe.db.restoring*")):
            failures.append(f"{case.name}: the staged copy was left behind")

    total = time.perf_counter() - started
    print(f"\nshard {shard}: {len(cases)} cases (made in {made:.1f} s), refused "
          f"{sum(refused.values())} {dict(sorted(refused.items()))}, accepted {len(accepted)}, "
          f"{total:.1f} s in all, slowest case {slowest[0]:.2f} s ({slowest[1]})")
    by_family = collections.Counter((c.family, c.name in accepted) for c in cases)
    print("by family (family, accepted): ", dict(sorted(by_family.items())))
    assert failures == []
    assert refused["other"] == 0
    assert {c.name for c in cases if c.expect == "accept"} <= set(accepted)
