"""Which automatic backups are kept, and whether a new one is needed at all.

An automatic backup is `backups/observe-<UTC time>-<reason>.db`. The rotation keeps
(`backups_to_keep`, a pure function of the names, their times and the time now):

- the newest 10, whatever their age;
- the newest of each of the last 7 calendar days (today and the six before, local time);
- the newest of each of the last 8 calendar weeks (ISO weeks: this one and the seven before);
- for ever, the newest backup taken before each kind of step that replaces or rewrites the
  data: every reason that begins with `before-` — a restore (`before-restore`), a migration
  (`before-migration-<revision>`: all revisions are one kind), an import (`before-import…`),
  starting afresh over an emptied or damaged file. Kinds are the first two words of the
  reason, so `before-import-roster` and `before-import-protocol` are one kind.

Everything else in the folder is left alone: `damaged-*.db` files set aside by a restore, and
any file whose name is not an automatic backup's. So at most 10 + 7 + 8 backups plus one per
kind are kept, a day of many starts cannot push last week's backups out, and a teacher who
restores and then starts the app a hundred times still has what was there before the restore.

No new backup is made when the database holds exactly what the newest backup holds. A backup
is a page-for-page copy (SQLite's backup API), so the two files are compared page for page,
leaving out the header bytes that differ between copies of one content (journal mode, change
counter, schema cookie, the SQLite version that wrote it); file times are never used.
The copy is compared (`same_content`), never the live file: POSIX file locks belong to the
process, so closing any descriptor of the live file, even one only read, drops every lock the
process holds on it, SQLite's included, and another program's last connection then takes the
database for unused and deletes its -wal and -shm files from under the window (2026-12-02:
comparing the live file did that after every start; tests/storage/test_backup_rotation.py). A
backup for a `before-` step is skipped only when the newest backup is of the same kind, so
that the copy kept before a restore is always one the rotation protects.

Cost, on the 100,000-observation benchmark school (1.34 GB, benchmarks/scale_data.py): a
checked backup takes 52-83 s here (a 10-20 s copy, then a 35-56 s integrity check); finding
that nothing changed is the copy and one read of both files, with no integrity check.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path

KEEP_NEWEST = 10
KEEP_DAYS = 7
KEEP_WEEKS = 8
PROTECTED_PREFIX = "before-"

_STAMP = "%Y%m%dT%H%M%S%fZ"
_NAME = re.compile(r"^observe-(\d{8}T\d{12}Z)-(.+)\.db$")
# Database header bytes that differ between two copies of the same content: file format
# write/read versions (WAL or rollback journal), file change counter, schema cookie (the
# backup API sets the copy's to its own previous one plus one; a real schema change shows in
# the schema's pages as well), version-valid-for and the SQLite version that last wrote it.
_VOLATILE_HEADER = ((18, 20), (24, 28), (40, 44), (92, 100))
_HEADER = 100
_CHUNK = 1 << 20


def backup_name(when: dt.datetime, reason: str) -> str:
    return f"observe-{when.astimezone(dt.UTC).strftime(_STAMP)}-{reason}.db"


def parse_name(name: str) -> tuple[dt.datetime, str] | None:
    """The time and reason of an automatic backup's file name; None for any other name."""
    match = _NAME.match(name)
    if match is None:
        return None
    try:
        when = dt.datetime.strptime(match[1], _STAMP).replace(tzinfo=dt.UTC)
    except ValueError:
        return None
    return when, match[2]


def kind(reason: str) -> str | None:
    """The protected kind of a reason ('before-restore', 'before-migration'), else None."""
    if not reason.startswith(PROTECTED_PREFIX):
        return None
    return "-".join(reason.split("-")[:2])


def backups_to_keep(backups: Iterable[tuple[str, dt.datetime]], now: dt.datetime,
                    tz: dt.tzinfo | None = None, *, newest: int = KEEP_NEWEST) -> set[str]:
    """The names to keep of `backups` (name, aware time), by the rules in the module docstring.

    `tz` is the zone whose calendar days and weeks count (None: this computer's)."""
    entries = sorted(backups, key=lambda e: (e[1], e[0]), reverse=True)  # newest first
    keep = {name for name, _ in entries[:newest]}
    today = now.astimezone(tz).date()
    days = {today - dt.timedelta(days=k) for k in range(KEEP_DAYS)}
    monday = today - dt.timedelta(days=today.weekday())
    weeks = {(monday - dt.timedelta(weeks=k)).isocalendar()[:2] for k in range(KEEP_WEEKS)}
    seen_days: set[dt.date] = set()
    seen_weeks: set[tuple[int, int]] = set()
    seen_kinds: set[str] = set()
    for name, when in entries:
        day = when.astimezone(tz).date()
        week = day.isocalendar()[:2]
        parsed = parse_name(name)
        what = kind(parsed[1]) if parsed else None
        if day in days and day not in seen_days:
            seen_days.add(day)
            keep.add(name)
        if week in weeks and week not in seen_weeks:
            seen_weeks.add(week)
            keep.add(name)
        if what is not None and what not in seen_kinds:
            seen_kinds.add(what)
            keep.add(name)
    return keep


def newest_serving(backups_newest_first: list[Path], reason: str) -> Path | None:
    """The backup a new one for `reason` may be skipped in favour of, if the content is the
    same: the newest backup, but for a `before-` reason only if it is of the same kind."""
    if not backups_newest_first:
        return None
    newest = backups_newest_first[0]
    wanted = kind(reason)
    if wanted is None:
        return newest
    parsed = parse_name(newest.name)
    return newest if parsed is not None and kind(parsed[1]) == wanted else None


def _masked(header: bytes) -> bytes:
    out = bytearray(header)
    for start, end in _VOLATILE_HEADER:
        out[start:end] = bytes(end - start)
    return bytes(out)


def same_content(a: Path, b: Path) -> bool:
    """True if two database files hold the same pages (volatile header bytes aside).

    Both must be single files in rollback-journal mode, as every backup is: then the file is
    the whole database, and two copies of one database made with SQLite's backup API are
    equal page for page. Reads both in chunks; stops at the first difference."""
    try:
        if a.stat().st_size != b.stat().st_size:
            return False
        with a.open("rb") as fa, b.open("rb") as fb:
            if _masked(fa.read(_HEADER)) != _masked(fb.read(_HEADER)):
                return False
            while True:
                chunk = fa.read(_CHUNK)
                if chunk != fb.read(_CHUNK):
                    return False
                if not chunk:
                    return True
    except OSError:
        return False
