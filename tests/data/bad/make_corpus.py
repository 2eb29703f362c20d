"""Rebuild the bad-input corpus: broken protocol files, roster CSVs and backup files.

Run from the repository root: `python tests/data/bad/make_corpus.py`. The files are committed
(git compresses the big ones to a few kilobytes), so tests do not depend on this script; it
documents how each file was made and lets the corpus be regenerated after a schema change.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))

GOOD_PROTOCOL = (ROOT / "resources" / "protocols" / "learning-walk.json").read_text("utf-8")
GOOD_ROSTER_HEAD = "name,email,role,subject,start_date\n"


def protocol(**changes: object) -> dict:
    doc = json.loads(GOOD_PROTOCOL)
    doc["id"] = "corpus-walk"
    doc.update(changes)
    return doc


def one_item(title: str, item: dict) -> bytes:
    """The protocol with one section holding one item."""
    return json.dumps(protocol(sections=[{"key": "a", "title": title, "items": [item]}])).encode()


def protocols(folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    good = json.dumps(protocol(name="Évaluation walk", description="Élèves, café, naïve"),
                      ensure_ascii=False, indent=2)
    w = {
        "empty.json": b"",
        "whitespace-only.json": b"   \n\t \n",
        "bom-only.json": b"\xef\xbb\xbf",
        "truncated.json": good.encode()[: len(good) // 2],
        "not-json.json": b"This is a Word document about the learning walk, not JSON.\n",
        "utf16-bom.json": good.encode("utf-16"),
        "utf16le-no-bom.json": good.encode("utf-16-le"),
        "utf32.json": good.encode("utf-32"),
        "latin1.json": good.encode("latin-1"),
        "nul-bytes.json": good.encode()[:200] + b"\x00\x00" + good.encode()[200:],
        "zip-renamed.json": b"PK\x03\x04" + bytes(random.Random(4).randrange(256)
                                                  for _ in range(300)),
        "nested-100k-arrays.json": b"[" * 100_000 + b"]" * 100_000,
        "nested-100k-objects.json": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        "nested-900-in-field.json": json.dumps(protocol()).encode()[:-1]
        + b', "extra": ' + b"[" * 900 + b"]" * 900 + b"}",
        "huge-2mb.json": json.dumps(protocol(description="x" * 2_100_000)).encode(),
        "huge-value-under-limit.json": json.dumps(
            protocol(sections=[{"key": "a", "title": "A", "items": [
                {"key": "k", "kind": "z" * 600_000, "label": "L"}]}])).encode(),
        "top-level-array.json": b"[1, 2, 3]",
        "top-level-string.json": b'"learning walk"',
        "null.json": b"null",
        "missing-name.json": json.dumps({k: v for k, v in protocol().items()
                                         if k != "name"}).encode(),
        "wrong-kind.json": json.dumps(protocol(sections=[{"key": "a", "title": "A", "items": [
            {"key": "k", "kind": "essay", "label": "Write an essay"}]}])).encode(),
        "version-not-a-number.json": json.dumps(protocol(version="one")).encode(),
        "version-nan.json": json.dumps(protocol()).replace('"version": 1', '"version": NaN')
        .encode(),
        "version-infinity.json": json.dumps(protocol()).replace('"version": 1',
                                                                '"version": 1e999').encode(),
        "no-sections.json": json.dumps(protocol(sections=[])).encode(),
        "bad-id-pattern.json": json.dumps(protocol(id="Learning Walk!")).encode(),
        "duplicate-item-keys.json": json.dumps(protocol(sections=[{"key": "a", "title": "A",
            "items": [{"key": "k", "kind": "lookfor", "label": "One"},
                      {"key": "k", "kind": "lookfor", "label": "Two"}]}])).encode(),
        "duplicate-json-keys.json": ('{"id": "corpus-walk", "id": "other-walk", '
                                     + json.dumps(protocol())[1:].replace('"id": "corpus-walk", ',
                                                                           "")).encode(),
        "control-chars-in-name.json": json.dumps(protocol(name="Walk\u0007\u001b[31m")).encode(),
        # What a school writing its own protocol gets wrong: each refused in a sentence.
        "rubric-one-level.json": one_item("Teaching", {
            "key": "intentions", "kind": "rubric", "label": "Clear learning intentions",
            "levels": [{"level": 1, "name": "Beginning", "descriptor": "Not shared."}]}),
        "scan-every-5-seconds.json": one_item("Scan", {
            "key": "scan", "kind": "interval", "label": "Engagement scan", "period_seconds": 5,
            "codes": [{"key": "on-task", "label": "On task"}]}),
        "scan-code-twice.json": one_item("Scan", {
            "key": "scan", "kind": "interval", "label": "Engagement scan", "period_seconds": 120,
            "codes": [{"key": "on-task", "label": "On task"},
                      {"key": "on-task", "label": "Busy"}]}),
        "levels-on-a-tally.json": one_item("Count", {
            "key": "questions", "kind": "tally", "label": "Open questions",
            "levels": [{"level": 1, "name": "Few", "descriptor": "Few."},
                       {"level": 2, "name": "Many", "descriptor": "Many."}]}),
    }
    for name, data in w.items():
        (folder / name).write_bytes(data)


def rosters(folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    rng = random.Random(7)
    ok_line = "Ana Lima,ana@school.example,teacher,Maths,2021-09-01\n"
    big = GOOD_ROSTER_HEAD + "".join(
        f"Teacher {i},t{i}@school.example,teacher,Maths,2020-09-01\n" for i in range(110_000))
    w = {
        "empty.csv": b"",
        "header-only.csv": GOOD_ROSTER_HEAD.encode(),
        "bom-only.csv": b"\xef\xbb\xbf",
        "missing-columns.csv": b"name,email\nAna Lima,ana@school.example\n",
        "no-header.csv": ok_line.encode(),
        "bad-date.csv": (GOOD_ROSTER_HEAD + "Ana Lima,ana@school.example,teacher,Maths,"
                         "31/12/2020\n").encode(),
        "impossible-date.csv": (GOOD_ROSTER_HEAD + "Ana Lima,ana@school.example,teacher,Maths,"
                                "2021-02-30\n").encode(),
        "bad-email.csv": (GOOD_ROSTER_HEAD + "Ana Lima,not an email,teacher,Maths,\n").encode(),
        "bad-role.csv": (GOOD_ROSTER_HEAD + "Ana Lima,ana@school.example,headmaster,,\n")
        .encode(),
        "empty-name.csv": (GOOD_ROSTER_HEAD + ",ana@school.example,teacher,Maths,\n").encode(),
        "long-name.csv": (GOOD_ROSTER_HEAD + "A" * 5000 + ",a@school.example,teacher,,\n")
        .encode(),
        "duplicate-emails.csv": (GOOD_ROSTER_HEAD + ok_line
                                 + "Ana Lima-Souza,ANA@school.example,mentor,Maths,\n").encode(),
        "latin1.csv": (GOOD_ROSTER_HEAD + "José Núñez,jose@school.example,teacher,Français,\n")
        .encode("latin-1"),
        "utf16.csv": (GOOD_ROSTER_HEAD + ok_line).encode("utf-16"),
        "nul-bytes.csv": (GOOD_ROSTER_HEAD + "Ana\x00 Lima,ana@school.example,teacher,,\n")
        .encode(),
        "random-bytes.csv": bytes(rng.randrange(1, 256) for _ in range(4096)),
        "huge-6mb.csv": big.encode(),
        "huge-field.csv": (GOOD_ROSTER_HEAD + '"' + "x" * 200_000 + '",a@school.example,,,\n')
        .encode(),
        "unterminated-quote.csv": (GOOD_ROSTER_HEAD + '"Ana Lima,ana@school.example,teacher,'
                                   "Maths,2021-09-01\nBo Chen,bo@school.example,teacher,,\n")
        .encode(),
        "xlsx-renamed.csv": b"PK\x03\x04\x14\x00\x06\x00" + bytes(rng.randrange(256)
                                                                 for _ in range(2000)),
    }
    for name, data in w.items():
        (folder / name).write_bytes(data)


def _real_database(folder: Path) -> Path:
    from observe_app.services import protocols as protocol_service
    from observe_app.storage.opening import open_database

    with open_database(folder) as db, db.transaction() as s:
        protocol_service.install_builtins(s)
    conn = sqlite3.connect(folder / "observe.db")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("VACUUM")
    conn.close()
    return folder / "observe.db"


def backups(folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        real = _real_database(Path(tmp))
        data = real.read_bytes()
        (folder / "truncated.db").write_bytes(data[: len(data) // 2])
        (folder / "header-only.db").write_bytes(data[:100])
        (folder / "magic-then-garbage.db").write_bytes(
            data[:16] + bytes(rng.randrange(256) for _ in range(8192)))
        page = 4096
        middle = (len(data) // page // 2) * page
        while data[middle] not in (2, 5, 10, 13):
            middle += page
        damaged = bytearray(data)
        damaged[middle:middle + 64] = bytes(rng.randrange(256) for _ in range(64))
        (folder / "damaged-page.db").write_bytes(bytes(damaged))

        newer = folder / "newer-schema.db"
        shutil.copyfile(real, newer)
        conn = sqlite3.connect(newer)
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
        conn.commit()
        conn.close()

        head = sqlite3.connect(real).execute("SELECT version_num FROM alembic_version")
        revision = head.fetchone()[0]
    (folder / "empty.db").write_bytes(b"")
    (folder / "random.db").write_bytes(bytes(rng.randrange(256) for _ in range(65536)))
    (folder / "text.db").write_text("name,email\nAna,ana@school.example\n", encoding="utf-8")
    for name, sql in (
        ("not-observe.db", "CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('x');"),
        ("alembic-table-only.db", "CREATE TABLE alembic_version (version_num VARCHAR(32));"
                                  f"INSERT INTO alembic_version VALUES ('{revision}');"),
    ):
        target = folder / name
        target.unlink(missing_ok=True)
        conn = sqlite3.connect(target)
        conn.executescript(sql)
        conn.close()


def main() -> None:
    protocols(HERE / "protocols")
    rosters(HERE / "rosters")
    backups(HERE / "backups")
    print(f"corpus written to {HERE}")


if __name__ == "__main__":
    main()
