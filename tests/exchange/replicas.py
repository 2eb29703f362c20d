"""Laptops for merge tests: databases made from one template, each with its own replica id,
that send each other packages through real files."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from pathlib import Path

from observe_app.exchange.preview import Preview
from observe_app.exchange.tables import SYNCED, synced_tables
from observe_app.services import exchange, protocols
from observe_app.storage.engine import Database
from observe_app.storage.opening import open_database


class Laptops:
    """Databases in `folder`: `new(name)` makes one, `send`/`receive` move data between them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.template = folder / "template"
        self.template.mkdir(parents=True)
        with open_database(self.template) as db, db.transaction() as s:
            protocols.install_builtins(s)
        self.open: dict[str, Database] = {}
        self.sent = 0

    def _copy(self, source: Path, name: str, *, replica: str | None) -> Database:
        target = self.folder / name
        target.mkdir()
        src, dst = sqlite3.connect(source), sqlite3.connect(target / "observe.db")
        with dst:
            src.backup(dst)
        if replica is not None:
            dst.execute("UPDATE sync_replica SET replica_id = ?", (replica,))
            dst.commit()
        src.close()
        dst.close()
        db = Database(target / "observe.db")
        self.open[name] = db
        return db

    def new(self, name: str) -> Database:
        """An empty laptop (the built-in protocols only), with a replica id of its own."""
        return self._copy(self.template / "observe.db", name, replica=uuid.uuid4().hex)

    def copy(self, db: Database, name: str) -> Database:
        """The same laptop in another universe: its data and its replica id."""
        db.checkpoint()
        return self._copy(db.path, name, replica=None)

    def send(self, db: Database) -> Path:
        """Everything `db` has, as a package file."""
        self.sent += 1
        out = self.folder / f"package-{self.sent}.observe"
        with db.transaction() as s:
            exchange.send_everything(s, out, sender="test")
        return out

    def receive(self, db: Database, package: Path) -> Preview:
        opened = exchange.open_package(package)
        with db.transaction() as s:
            return exchange.receive_package(s, opened, take_backup=False)

    def close(self) -> None:
        for db in self.open.values():
            db.close()


def snapshot(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """What the user sees: every row of every table that travels."""
    conn = sqlite3.connect(db.path)
    try:
        return {name: sorted(conn.execute(
            f"SELECT {', '.join(synced_tables()[name].columns)} FROM {name}"), key=repr)
            for name in SYNCED}
    finally:
        conn.close()


def counts_total(preview: Preview) -> int:
    return sum(c.added + c.changed + c.conflicts + c.deleted + c.restored
               for c in preview.counts.values())


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
