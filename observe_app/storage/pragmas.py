"""SQLite settings every connection shares, with no SQLAlchemy: plain-sqlite3 reads use them too."""

from __future__ import annotations

BUSY_TIMEOUT_MS = 5000
SQLITE_MAGIC = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database
# Pages the write-ahead log may hold before a commit copies them back into the database
# (SQLite's default is 1000). A checkpoint makes that one commit several times slower, so
# with 4000 a whole lesson's notes are saved without one; Database.checkpoint() runs it at
# quiet moments instead (an observation ends, the window closes).
WAL_AUTOCHECKPOINT_PAGES = 4000
