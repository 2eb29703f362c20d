"""Send and receive observation packages: what the window and the command line call.

Sending reads the chosen cycles with everything they hold and writes one `.observe` file.
Receiving opens the file (refusing anything hostile before the database is touched), shows
what it will do (`preview_package`, which changes nothing), then takes a checked backup and
applies everything in the caller's one transaction (`receive_package`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from observe_app.domain.models import Cycle, Person
from observe_app.errors import BadInputError
from observe_app.exchange import merge, package, selection
from observe_app.exchange.package import Package, PassphraseNeeded
from observe_app.exchange.preview import Preview
from observe_app.exchange.redact import redacted_rows, row_texts
from observe_app.services.common import get_or_fail
from observe_app.services.redaction import Redactor, Replacement, preview
from observe_app.storage import backup
from observe_app.storage.paths import database_of

__all__ = ["Package", "PassphraseNeeded", "Preview", "SentPackage", "claim_replica",
           "open_package", "preview_package", "preview_redaction", "receive_package",
           "send_cycle", "send_cycles", "send_everything", "send_teacher"]


@dataclass(frozen=True)
class SentPackage:
    path: Path
    title: str
    cycles: int
    notes: int
    rows: int
    size: int  # bytes
    sealed: bool  # protected with a passphrase


def send_cycle(session: Session, cycle_id: str, out: Path, *, sender: str,
               passphrase: str | None = None, redactor: Redactor | None = None
               ) -> SentPackage:
    """One cycle with its visits, notes, tags, responses, ratings, feedback and goals."""
    cycle = get_or_fail(session, Cycle, cycle_id, "cycle")
    title = f"the cycle of {cycle.teacher.name}"
    return _send(session, selection.of_cycles(session, [cycle_id]), "cycle", [cycle_id], title,
                 out, sender, passphrase, redactor)


def send_cycles(session: Session, cycle_ids: Collection[str], out: Path, *, sender: str,
                title: str = "", passphrase: str | None = None,
                redactor: Redactor | None = None) -> SentPackage:
    """Several cycles in one package (an observer's planned cycles of a round), each with
    everything it holds, as send_cycle sends one."""
    ids = list(dict.fromkeys(cycle_ids))
    if not ids:
        raise BadInputError("there are no cycles to send; choose at least one")
    names = list(dict.fromkeys(get_or_fail(session, Cycle, cid, "cycle").teacher.name
                               for cid in ids))
    title = title or (f"the cycles of {', '.join(names)}" if len(ids) > 1
                      else f"the cycle of {names[0]}")
    return _send(session, selection.of_cycles(session, ids), "cycle", ids, title, out, sender,
                 passphrase, redactor)


def send_teacher(session: Session, teacher_id: str, out: Path, *, sender: str,
                 passphrase: str | None = None, redactor: Redactor | None = None
                 ) -> SentPackage:
    """Everything about one teacher: their cycles (as teacher) and their goals."""
    person = get_or_fail(session, Person, teacher_id, "person")
    return _send(session, selection.of_teacher(session, teacher_id), "teacher", [teacher_id],
                 f"everything about {person.name}", out, sender, passphrase, redactor)


def send_everything(session: Session, out: Path, *, sender: str,
                    passphrase: str | None = None, redactor: Redactor | None = None
                    ) -> SentPackage:
    return _send(session, selection.everything(session), "all", [],
                 "everything in the data folder", out, sender, passphrase, redactor)


def _send(session: Session, chosen: selection.Chosen, what: str, ids: list[str], title: str,
          out: Path, sender: str, passphrase: str | None,
          redactor: Redactor | None = None) -> SentPackage:
    """A `redactor` replaces student names in every free text of the rows (labels start
    afresh in each package)."""
    merge.claim_replica(session)
    rows = selection.read_states(session, chosen)
    if redactor:
        rows = redacted_rows(rows, redactor.fresh())
    documents = selection.protocol_documents(session, rows)
    written = package.write_package(
        out, rows=rows, protocols=documents, sender=sender.strip() or "someone",
        replica=merge.replica_id(session), what=what, ids=ids, title=title,
        clock=merge.clock_now(session), passphrase=passphrase)
    return SentPackage(written, title, sum(r.table == "cycles" for r in rows),
                       sum(r.table == "notes" for r in rows), len(rows),
                       written.stat().st_size, passphrase is not None)


def _chosen(session: Session, what: str, ids: Collection[str]) -> selection.Chosen:
    if what == "cycle":
        for cycle_id in ids:
            get_or_fail(session, Cycle, cycle_id, "cycle")
        return selection.of_cycles(session, list(dict.fromkeys(ids)))
    if what == "teacher":
        (teacher_id,) = ids
        get_or_fail(session, Person, teacher_id, "person")
        return selection.of_teacher(session, teacher_id)
    return selection.everything(session)


def preview_redaction(session: Session, what: str, ids: Collection[str],
                      redactor: Redactor) -> list[Replacement]:
    """What sending (`what`: cycle, teacher or all, with their ids) with `redactor` would
    replace: each name found, its label and how often; nothing is written."""
    rows = selection.read_states(session, _chosen(session, what, ids))
    return preview(redactor, row_texts(rows))


def claim_replica(session: Session) -> None:
    """A database copied here from another computer or folder takes its own replica id (the
    window does this when it opens the data folder; sending and receiving do it too)."""
    merge.claim_replica(session)


def open_package(path: Path, passphrase: str | None = None) -> Package:
    """Read and check a package file; raises BadInputError (with what to do) if it is refused,
    PassphraseNeeded if it is protected and no passphrase was given."""
    return package.read_package(path, passphrase)


def preview_package(session: Session, opened: Package, *,
                    merge_people: Collection[str] = ()) -> Preview:
    """What receiving would add, change and delete; the database is left as it was."""
    with session.begin_nested() as dry:
        preview = merge.merge_package(session, opened, merge_people=merge_people)
        dry.rollback()
    session.expire_all()
    return preview


def receive_package(session: Session, opened: Package, *,
                    merge_people: Collection[str] = (), take_backup: bool = True) -> Preview:
    """Apply the package in this session's transaction, after a checked backup.

    `merge_people`: ids of people in the package to merge with the person here who has the
    same name (the preview offers them; the same e-mail is always the same person).
    """
    taken, fresh = None, False
    if take_backup and merge.already_received(session, opened.package_id) is None:
        db_path = database_of(session)
        if db_path is not None:
            folder = db_path.parent / "backups"
            before = set(folder.glob("*")) if folder.is_dir() else set()
            # Pruned only once the package is accepted: a refused one costs no old backup.
            taken = backup.take_backup(db_path, folder, reason="before-receiving",
                                       prune_now=False)
            fresh = taken not in before
    try:
        preview = merge.merge_package(session, opened, merge_people=merge_people,
                                      received_at=dt.datetime.now(dt.UTC))
    except BaseException:
        if fresh and taken is not None:  # refused (or stopped): nothing to come back to
            taken.unlink(missing_ok=True)
        raise
    if fresh and taken is not None:
        backup.prune(taken.parent, just_taken=taken)
    preview.applied = preview.already_received is None
    preview.backup = str(taken) if taken else None
    return preview
