"""The command line: no arguments opens the window; subcommands work headless (no Qt)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import shlex
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from observe_app import __version__
from observe_app.domain.formats import counted
from observe_app.errors import BadInputError, ObserveError

log = logging.getLogger(__name__)

Handler = Callable[[argparse.Namespace], int]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="observe-app",
        description="Observe: offline classroom peer observation. "
                    "With no command, opens the window.")
    parser.add_argument("--version", action="version", version=f"observe-app {__version__}")
    parser.add_argument("--healthcheck", action="store_true",
                        help="check this installation on a temporary data folder and exit")
    parser.add_argument("--data-dir", metavar="DIR",
                        help="folder holding the database (default: $OBSERVE_APP_DATA_DIR, "
                             "then the platform's app-data folder)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("demo", help="fill an empty data folder with a realistic demo school")

    proto = commands.add_parser("protocols", help="list, import, export or check protocols")
    proto_cmd = proto.add_subparsers(dest="action", metavar="ACTION", required=True)
    proto_cmd.add_parser("list", help="list the protocols").add_argument(
        "--json", action="store_true", help="print JSON")
    p_import = proto_cmd.add_parser("import", help="import a protocol file (JSON)")
    p_import.add_argument("file", type=Path)
    p_import.add_argument("--as-copy", action="store_true",
                          help="import it as a new protocol with an id of its own (for a "
                               "changed built-in protocol, or to keep an existing one as it is)")
    p_export = proto_cmd.add_parser("export", help="write a protocol to a JSON file")
    p_export.add_argument("protocol", help="protocol id or short name (e.g. peer-observation)")
    p_export.add_argument("file", type=Path)
    p_check = proto_cmd.add_parser(
        "validate", help="check a protocol file and list every problem in it (no data folder "
                         "is used)")
    p_check.add_argument("file", type=Path)

    ppl = commands.add_parser("people", help="list people or import a staff roster")
    ppl_cmd = ppl.add_subparsers(dest="action", metavar="ACTION", required=True)
    p_list = ppl_cmd.add_parser("list", help="list people")
    p_list.add_argument("--json", action="store_true", help="print JSON")
    p_list.add_argument("--archived", action="store_true", help="also list archived people")
    r_import = ppl_cmd.add_parser(
        "import", help="import a roster CSV with columns name,email,role,subject,start_date")
    r_import.add_argument("file", type=Path)

    cyc = commands.add_parser("cycles", help="list observation cycles")
    cyc_cmd = cyc.add_subparsers(dest="action", metavar="ACTION", required=True)
    c_list = cyc_cmd.add_parser("list", help="list cycles")
    c_list.add_argument("--json", action="store_true", help="print JSON")
    c_list.add_argument("--teacher", metavar="ID", help="only this teacher's cycles")
    c_list.add_argument("--archived", action="store_true", help="also list archived cycles")
    c_show = cyc_cmd.add_parser("show", help="show one cycle as JSON")
    c_show.add_argument("cycle", metavar="ID")

    pdf = commands.add_parser(
        "export-pdf", help="write PDF feedback summaries of cycles",
        description="Write the PDF feedback summary of one cycle to a file, or of every cycle "
                    "(or one teacher's) into a folder, named 'date teacher - protocol.pdf'.")
    which = pdf.add_mutually_exclusive_group(required=True)
    which.add_argument("--cycle", metavar="ID", help="one cycle (ids: `observe-app cycles list`)")
    which.add_argument("--all", action="store_true", help="every cycle")
    which.add_argument("--teacher", metavar="ID", help="every cycle of one teacher")
    pdf.add_argument("--out", type=Path, required=True, metavar="FILE|DIR",
                     help="the PDF file (with --cycle; a folder also works) or the folder "
                          "for --all and --teacher (created if missing)")
    pdf.add_argument("--page-size", choices=("a4", "letter"),
                     help="the paper (default: this computer's locale's, else A4)")
    pdf.add_argument("--evidence", choices=("full", "appendix", "none"), default="appendix",
                     help="the timestamped evidence log in the summary, as an appendix at the "
                          "end (default), or left out")
    pdf.add_argument("--password-file", type=Path, metavar="F",
                     help="protect the PDF (AES-256) with the password on this file's first "
                          "line; it is needed to open the file")
    pdf.add_argument("--seat-labels", action="store_true",
                     help="show the seat labels (initials) on participation maps; they are "
                          "kept on this laptop and left out unless asked for")
    pdf.add_argument("--replace-names", metavar="LIST",
                     help="replace the student names of this class list (Data > Student "
                          "names... in the window) with Student A, Student B, ...")

    bak = commands.add_parser("backup", help="write a checked copy of the database")
    bak.add_argument("--out", type=Path, required=True, metavar="FILE")
    res = commands.add_parser("restore", help="replace the database with a backup "
                                              "(the current one is backed up first)")
    res.add_argument("file", type=Path)
    commands.add_parser("check", help="check the database's integrity and schema")

    exc = commands.add_parser("exchange", help="send and receive observation packages "
                              "(.observe files) to and from a colleague's laptop")
    exc_cmd = exc.add_subparsers(dest="action", required=True, metavar="ACTION")
    x_out = exc_cmd.add_parser("export", help="write a package: one cycle, one teacher's "
                               "cycles and goals, or everything")
    chosen = x_out.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--cycle", metavar="ID", help="the cycle to send")
    chosen.add_argument("--teacher", metavar="ID", help="send everything about this teacher")
    chosen.add_argument("--all", action="store_true", help="send everything")
    x_out.add_argument("--out", type=Path, required=True, metavar="FILE",
                       help="the package to write (.observe)")
    x_out.add_argument("--from", dest="sender", metavar="NAME",
                       help="your name, as the package shows it (default: your login name)")
    x_out.add_argument("--passphrase-file", type=Path, metavar="F",
                       help="protect the package with the passphrase on this file's first line")
    x_out.add_argument("--replace-names", metavar="LIST",
                       help="replace the student names of this class list with Student A, "
                            "Student B, ... in every text the package carries")
    x_in = exc_cmd.add_parser("import", help="receive a package: check it, back up, merge")
    x_in.add_argument("file", type=Path, metavar="FILE")
    x_in.add_argument("--dry-run", action="store_true",
                      help="show what it would add, change and delete; change nothing")
    x_in.add_argument("--json", action="store_true", help="print the summary as JSON")
    x_in.add_argument("--passphrase-file", type=Path, metavar="F",
                      help="the passphrase, on this file's first line")
    x_in.add_argument("--merge-people", action="store_true",
                      help="treat a person with the same name as someone here as that person")
    cal = commands.add_parser(
        "calibration", help="how far the observers of co-observed lessons agree",
        description="The agreement of the observers of one co-observed lesson, or of one "
        "observer with the others across their co-observed lessons (oldest first, so drift "
        "shows). A lesson counts once every observer has handed in their visit.")
    cal_which = cal.add_mutually_exclusive_group(required=True)
    cal_which.add_argument("--cycle", metavar="ID", help="one co-observed lesson")
    cal_which.add_argument("--observer", metavar="ID", help="one observer, over time")
    cal.add_argument("--json", action="store_true",
                     help="print every figure and the paired values it was computed from")
    cal.add_argument("--out", type=Path, metavar="FILE.pdf",
                     help="also write the calibration PDF to this file (or into this folder)")
    _school_parser(commands)
    ics = commands.add_parser(
        "calendar", help="write the open cycles' visits and conferences as a calendar (.ics)",
        description="Write every open cycle's planned visit, conferences and follow-up visit "
        "as calendar events. Each event keeps its UID from one export to the next, so a "
        "calendar that imports the file again updates its events instead of adding copies.")
    ics.add_argument("--out", type=Path, required=True, metavar="FILE.ics",
                     help="the calendar file to write (replaced if it exists)")
    ics.add_argument("--teacher", metavar="ID",
                     help="only cycles where this person is the teacher, observer or "
                          "co-observer (ids: `observe-app people list`)")
    return parser


def _school_parser(commands) -> None:  # type: ignore[no-untyped-def]
    sch = commands.add_parser("school", help="the school's picture: the programme, practice "
                              "patterns (anonymised) and impact over time")
    sch_cmd = sch.add_subparsers(dest="action", required=True, metavar="ACTION")
    rep = sch_cmd.add_parser(
        "report", help="the school's picture over a period, or the PLC data review (PDF, CSV)",
        description="The school's picture over a period (default: the school year containing "
        "today) against the period before. Patterns from fewer than the minimum of visits or "
        "3 teachers are withheld. --out writes the PLC data review: a PDF, or its anonymised "
        "figures as CSV; no teacher's name, class or room is in either.")
    rep.add_argument("--from", dest="start", metavar="DATE", help="the first day (YYYY-MM-DD)")
    rep.add_argument("--to", dest="end", metavar="DATE", help="the last day (YYYY-MM-DD)")
    rep.add_argument("--term", metavar="DATE", help="the term containing this day")
    rep.add_argument("--subject", default="", metavar="S",
                     help="only the visits of teachers of this subject")
    rep.add_argument("--grade", default="", metavar="G", help="only the visits to this grade")
    rep.add_argument("--json", action="store_true",
                     help="print the whole picture as JSON (coverage names people)")
    rep.add_argument("--out", type=Path, metavar="FILE.pdf|FILE.csv",
                     help="write the PLC data review (.pdf) or its figures (.csv)")


def _folder_lock(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """This command's hold on the data folder: shared from the first `_open` (exclusive for a
    restore or a schema change) until the command ends (`_main` lets go)."""
    from observe_app.storage.folder_lock import FolderLock
    from observe_app.storage.paths import resolve_data_dir

    if getattr(args, "folder_lock", None) is None:
        action = getattr(args, "action", None)
        command = f"observe-app {args.command}" + (f" {action}" if action else "")
        args.folder_lock = FolderLock(resolve_data_dir(args.data_dir), command)
    return args.folder_lock


def _open(args: argparse.Namespace, *, reading: bool = False):  # type: ignore[no-untyped-def]
    """The database, checked first. A command that only `reading` checks the file's header,
    length and schema, at a cost that does not grow with the file (SQLite's quick_check
    reads every page: seconds at 2,000,000 notes); damage its reads meet is diagnosed in
    full then (see `_diagnosed`). Commands that write keep the quick_check, and `check` and
    the window's start-up the thorough ones."""
    from observe_app.storage.opening import open_database
    from observe_app.storage.paths import resolve_data_dir

    return open_database(resolve_data_dir(args.data_dir), lock=_folder_lock(args),
                         integrity="header" if reading else "quick_check")


def _diagnosed(args: argparse.Namespace, exc: ObserveError) -> ObserveError:
    """Damage a read met (SQLite said "malformed"), told as the start-up check tells it: what
    is wrong and the newest good backup to restore."""
    from observe_app.errors import DamagedDatabaseError

    if not isinstance(exc, DamagedDatabaseError) or exc.__cause__ is None:
        return exc  # not met by a read (the check before it already said it in full)
    return _damage_or(args, exc)


def _damage_or(args: argparse.Namespace, exc: ObserveError) -> ObserveError:
    """The damage the start-up check finds, with the way back, if it finds any; else `exc`."""
    from observe_app.storage import startup
    from observe_app.storage.paths import resolve_data_dir

    status = startup.check_database(resolve_data_dir(args.data_dir))
    return status.error() if status.state is startup.DatabaseState.DAMAGED else exc


def _write(args: argparse.Namespace, db, work: Callable):  # type: ignore[no-untyped-def,type-arg]
    """`work(session)` in one transaction, run once more if another command's rows, committed
    while it ran, made it fail (two imports of one roster at once: the second finds the
    people it was adding already there). On the second run it sees those rows, so it does
    what it would have done after that command: demo refuses a folder with people in it, an
    import updates the people it finds. A write lock held past SQLite's wait by another
    Observe user of the folder is refused naming that user, not "another program"."""
    from sqlalchemy import exc as sa_exc

    for attempt in (1, 2):
        try:
            with db.transaction() as s:
                return work(s)
        except (sa_exc.IntegrityError, sa_exc.OperationalError) as exc:
            code = getattr(exc.orig, "sqlite_errorcode", 0) or 0
            if attempt == 1 and (isinstance(exc, sa_exc.IntegrityError) or code == 517):
                log.info("a write met another command's rows (%s); running it again",
                         type(exc.orig).__name__)  # 517: SQLITE_BUSY_SNAPSHOT
                continue
            busy = _folder_lock(args).busy_error() if code & 0xFF == 5 else None  # BUSY
            if busy is not None:
                raise busy from exc
            raise
    raise AssertionError("unreachable")


def _demo(args: argparse.Namespace) -> int:
    from observe_app.services import demo

    with _open(args) as db:
        summary = _write(args, db, demo.build_demo)
    print(f"Demo school ready in {db.path.parent}: {counted(summary.people, 'person', 'people')}, "
          f"{counted(summary.cycles, 'cycle')}, {counted(summary.observations, 'observation')}, "
          f"{counted(summary.notes, 'note')}.")
    return 0


def _protocols(args: argparse.Namespace) -> int:
    from observe_app.errors import BuiltinProtocolError
    from observe_app.protocols import loader
    from observe_app.services import protocols

    # A file is checked whole before the database is opened: nothing is half-imported.
    try:
        document = loader.load_file(args.file) if args.action == "import" else None
    except loader.ProtocolFileError as exc:
        raise loader.ProtocolFileError(exc.source, exc.json_path,
                                       f"{exc.sentence_text} Nothing was imported.") from None
    with _open(args) as db:
        _write(args, db, protocols.install_builtins)
        if document is not None:
            try:
                result = _write(args, db, lambda s: protocols.import_document(
                    s, document, as_copy=args.as_copy, source=args.file.name))
            except BuiltinProtocolError as exc:
                raise BuiltinProtocolError(f"{exc}: observe-app protocols import "
                                           f"{shlex.quote(str(args.file))} --as-copy") from None
            p = result.protocol
            what = f"version {p.latest_version}" if result.created_version else "unchanged"
            copy = f" as a copy with the id {p.slug}" if args.as_copy and \
                p.slug != document["id"] else f" ({p.slug})"
            print(f"Imported {p.name}{copy}, {what}, {counted(p.item_count, 'item')}.")
        elif args.action == "export":
            with db.transaction() as s:
                path = protocols.export_file(s, args.protocol, args.file)
            print(f"Wrote {path}")
        else:
            with db.transaction() as s:
                rows = protocols.list_protocols(s)
            if args.json:
                print(json.dumps([{"id": p.id, "slug": p.slug, "name": p.name,
                                   "version": p.latest_version, "items": p.item_count,
                                   "builtin": p.builtin} for p in rows],
                                 ensure_ascii=False, indent=2))
            else:
                width = max([28, *(len(p.slug) for p in rows)])  # the columns stay in line
                for p in rows:
                    kind = "built-in" if p.builtin else "imported"
                    items = "item " if p.item_count == 1 else "items"
                    print(f"{p.slug:<{width}} v{p.latest_version:<3} {p.item_count:>3} {items}  "
                          f"{kind:<9} {p.name}")
    return 0


def _validate_protocol(args: argparse.Namespace) -> int:
    """Every problem of a protocol file, one `error:` line each (exit 1), or what it holds."""
    from observe_app.protocols import loader

    source = args.file.name
    try:
        document = loader.read_document(args.file)
    except loader.ProtocolFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    found = loader.problems(document)
    for problem in found:
        refusal = loader.ProtocolFileError(source, problem.json_path if problem.path else "",
                                           problem.sentence)
        print(f"error: {refusal}", file=sys.stderr)
    if found:
        return 1
    sections = document["sections"]
    items = sum(len(section["items"]) for section in sections)
    print(f"{source} is a valid protocol: {document['name']}, "
          f"{counted(len(sections), 'section')}, {counted(items, 'item')}.")
    return 0


def _people(args: argparse.Namespace) -> int:
    from observe_app.services import people

    if args.action == "import":
        # The whole file is checked before the database is opened: its write lock is held
        # only while the checked rows are stored.
        roster = people.parse_roster(people.read_roster(args.file), source=args.file.name)
        with _open(args) as db:
            # A roster updates the people it knows: the folder keeps the state before it (the
            # rotation keeps the newest such copy for ever; none is taken if one holds it).
            from observe_app.storage import backup
            from observe_app.storage.paths import backup_dir

            if not db.read_only:  # read-only (a full disk, say): the write below says why
                backup.take_backup(db.path, backup_dir(db.path.parent),
                                   reason="before-import-roster")
            added = _write(args, db, lambda s: people.store_roster(s, roster))
        print(f"Imported {counted(len(added), 'person', 'people')} from {args.file.name}.")
        return 0
    with _open(args, reading=True) as db, db.transaction() as s:
        rows = people.list_people(s, include_archived=args.archived)
    if args.json:
        print(json.dumps([{"id": p.id, "name": p.name, "email": p.email, "role": p.role.value,
                           "subject": p.subject, "career_stage": p.career_stage.value,
                           "start_date": p.start_date.isoformat() if p.start_date else None,
                           "mentor": p.mentor_name, "cycles": p.cycle_count,
                           "archived": p.archived} for p in rows],
                         ensure_ascii=False, indent=2))
    else:
        for p in rows:
            print(f"{p.id}  {p.name:<28} {p.role.value:<8} {p.subject}"
                  + ("  (archived)" if p.archived else ""))
    return 0


def _cycle_json(c) -> dict:  # type: ignore[no-untyped-def]
    return {"id": c.id, "teacher": c.teacher_name, "teacher_id": c.teacher_id,
            "observer": c.observer_name, "protocol": c.protocol_name,
            "protocol_version": c.protocol_version, "stage": c.stage.value, "focus": c.focus,
            "date": c.date.astimezone().date().isoformat(), "observations": c.observation_count,
            "archived": c.archived}


def _plain_cycle_list(args: argparse.Namespace) -> list | None:  # type: ignore[type-arg]
    """`cycles list` read with plain sqlite3 (SQLAlchemy's import alone costs more than the
    command's budget), behind the same lock and header check; None where the normal path
    must decide (no database yet, a schema to bring up to date, a folder that cannot be
    written, damage: it says or does what each needs)."""
    from observe_app.services import plain_cycles
    from observe_app.storage.paths import resolve_data_dir
    from observe_app.storage.plain_reads import open_for_reading

    conn = open_for_reading(resolve_data_dir(args.data_dir), _folder_lock(args))
    if conn is None:
        return None
    try:
        return plain_cycles.list_cycles(conn, teacher_id=args.teacher,
                                        include_archived=args.archived)
    finally:
        conn.close()


def _cycles(args: argparse.Namespace) -> int:
    rows = _plain_cycle_list(args) if args.action == "list" else None
    if rows is None:
        rows = _cycles_through_orm(args)
        if rows is None:
            return 0
    if args.json:
        print(json.dumps([_cycle_json(c) for c in rows], ensure_ascii=False, indent=2))
    else:
        for c in rows:
            print(f"{c.id}  {c.date.astimezone().date()}  {c.stage.label:<16} {c.teacher_name:<22} "
                  f"{c.protocol_name}" + ("  (archived)" if c.archived else ""))
    return 0


def _cycles_through_orm(args: argparse.Namespace) -> list | None:  # type: ignore[type-arg]
    """The cycles listed, or None once `cycles show` has printed its cycle."""
    from observe_app.services import cycles

    with _open(args, reading=True) as db, db.transaction() as s:
        if args.action == "show":
            detail = cycles.get_cycle(s, args.cycle)
            out = _cycle_json(detail.summary) | {
                "evidence_to_collect": detail.evidence_to_collect,
                "reflection": detail.reflection,
                "next_visit": (detail.next_visit_date.isoformat()
                               if detail.next_visit_date else None),
                "feedback": [{"kind": f.kind.value, "text": f.text,
                              "due": f.due_date.isoformat() if f.due_date else None,
                              "owner": f.owner, "support": f.support,
                              "success_measure": f.success_measure,
                              "evidence_note_ids": list(f.evidence_note_ids)}
                             for f in detail.feedback]}
            print(json.dumps(out, ensure_ascii=False, indent=2))
            return None
        return cycles.list_cycles(s, teacher_id=args.teacher, include_archived=args.archived)


def _calibration(args: argparse.Namespace) -> int:
    """The figures as text or JSON; with --out, the PDF too (its line on stderr under --json,
    so that stdout stays JSON)."""
    from observe_app.reports import calibration_pdf
    from observe_app.services import calibration, calibration_words

    with _open(args, reading=True) as db:
        with db.transaction() as s:
            if args.cycle:
                lesson = calibration.lesson_agreement(s, args.cycle)
                out = calibration.lesson_json(lesson)
                text = calibration_words.lesson_lines(lesson)
            else:
                found = calibration.observer_agreement(s, args.observer)
                out = calibration.observer_json(found)
                text = calibration_words.observer_lines(found)
        written = None
        if args.out is not None:
            export = calibration_pdf.export_lesson if args.cycle else \
                calibration_pdf.export_observer
            written = export(db, args.cycle or args.observer, args.out)
    print(json.dumps(out, ensure_ascii=False, indent=2) if args.json else "\n".join(text))
    if written is not None:
        print(f"Wrote {written.path} ({counted(written.pages, 'page')}).",
              file=sys.stderr if args.json else sys.stdout)
    return 0


def _school(args: argparse.Namespace) -> int:
    """`school report`: the picture as text or JSON, or the review written to --out (its line
    on stderr under --json). The options are checked before the data folder is opened."""
    from observe_app.reports import school_csv, school_pdf
    from observe_app.services import school_json
    from observe_app.services.school_period import Scope

    period = _school_period(args)
    out = _school_out(args.out)
    scope = Scope(subject=args.subject.strip(), grade=args.grade.strip())
    with _open(args, reading=True) as db:
        if scope.subject:
            _known_subject(db, scope.subject)
        picture = school_pdf.read_picture(db, period, scope)
        wrote = ""
        if out is not None and out.suffix.lower() == ".pdf":
            review = school_pdf.export_review(db, picture, out)
            wrote = f"Wrote {review.path} ({counted(review.pages, 'page')})."
        elif out is not None:
            table = school_csv.export_csv(db, picture, out)
            wrote = f"Wrote {table.path} ({counted(table.rows, 'row')})."
    if args.json:
        print(json.dumps(school_json.picture_json(picture), ensure_ascii=False, indent=2))
    elif out is None:
        print("\n".join(school_json.picture_lines(picture)))
    if wrote:
        print(wrote, file=sys.stderr if args.json else sys.stdout)
    return 0


def _school_period(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    import datetime as dt

    from observe_app.services import school_period

    def day(value: str, option: str) -> dt.date:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise BadInputError(f"{option} {value!r} is not a date; write it as YYYY-MM-DD, "
                                "e.g. 2026-01-31") from None

    if (args.start is None) != (args.end is None):
        raise BadInputError("give both --from and --to, or neither (then the report covers "
                            "the school year containing today)")
    if args.term is not None and args.start is not None:
        raise BadInputError("give either --term or --from and --to, not both")
    if args.start is not None:
        return school_period.dates(day(args.start, "--from"), day(args.end, "--to"))
    if args.term is not None:
        return school_period.term_of(day(args.term, "--term"))
    return school_period.school_year_of(dt.date.today())


def _school_out(out: Path | None) -> Path | None:
    """The file to write, refused before any work when it cannot be one."""
    if out is None:
        return None
    out = out.expanduser()
    if out.is_dir():
        raise BadInputError(f"{out} is a folder; give a file name ending in .pdf or .csv")
    if out.suffix.lower() not in (".pdf", ".csv"):
        raise BadInputError(f"--out {out} must end in .pdf (the PLC data review) or .csv "
                            "(its figures)")
    if not out.parent.is_dir():
        raise BadInputError(f"folder {out.parent} does not exist; create it or choose another")
    return out


def _known_subject(db, subject: str) -> None:  # type: ignore[no-untyped-def]
    from observe_app.services import people

    with db.transaction() as s:
        subjects = sorted({p.subject for p in people.list_people(s, include_archived=True)
                           if p.subject}, key=str.casefold)
    if subject not in subjects:
        known = ", ".join(subjects) if subjects else "none is recorded yet"
        raise BadInputError(f"no teacher's subject is {subject!r}; the subjects here: {known}")


def _calendar(args: argparse.Namespace) -> int:
    from observe_app.services import calendar_export

    with _open(args) as db:  # the SEQUENCEs are recorded: committed only once written
        written = _write(args, db, lambda s: calendar_export.export_calendar(
            s, args.out, teacher_id=args.teacher))
    print(f"Wrote {counted(written.events, 'event')} to {written.path} "
          f"({written.new} new, {written.changed} changed).")
    return 0


def _export_pdf(args: argparse.Namespace) -> int:
    from observe_app import reports
    from observe_app.reports.options import (
        EvidencePlace,
        PageSize,
        PdfOptions,
        default_page_size,
    )

    password = _passphrase(args.password_file, "password")
    page = PageSize(args.page_size) if args.page_size else default_page_size()
    options = PdfOptions(page_size=page, evidence=EvidencePlace(args.evidence),
                         seat_labels=args.seat_labels)
    protected = ", protected with the password" if password else ""
    with _open(args, reading=True) as db:
        redactor = _redactor(db, args.replace_names)
        if args.cycle:
            result = reports.export_cycle(db, args.cycle, args.out, options=options,
                                          password=password, redactor=redactor)
            print(f"Wrote {result.path} ({result.pages} pages{protected}).")
            return 0
        summaries = reports.cycles_to_export(db, teacher_id=args.teacher)
        if not summaries:
            print("No cycles to export.", file=sys.stderr)
            return 0
        failures: list = []
        results = reports.export_cycles(db, summaries, args.out, options=options,
                                        password=password, redactor=redactor,
                                        progress=_progress,
                                        failed=failures.append)
    print(f"Wrote {counted(len(results), 'PDF')} to {args.out}{protected}.")
    for f in failures:
        reason = " ".join(f.reason.splitlines())[:300]
        print(f"error: cycle {f.cycle_id} was not exported ({f.path.name}): {reason}",
              file=sys.stderr)
    if failures:
        print(f"error: {len(failures)} of {len(summaries)} cycles failed; details are in the "
              "log file", file=sys.stderr)
        return 1
    return 0


def _redactor(db, list_name: str | None):  # type: ignore[no-untyped-def]
    """The named class list's redactor, or None; an unknown list is a BadInputError."""
    if list_name is None:
        return None
    from observe_app.services import redaction

    with db.transaction() as session:
        return redaction.Redactor(redaction.find_class_list(session, list_name).names)


def _progress(done: int, total: int, result) -> None:  # type: ignore[no-untyped-def]
    """One line per file on stderr; on a terminal, one line rewritten in place."""
    width = len(str(total))
    line = f"[{done:>{width}}/{total}] {result.path.name}"
    if sys.stderr.isatty():
        end = "\n" if done == total else ""
        print(f"\r\x1b[K{line}", end=end, file=sys.stderr, flush=True)
    else:
        print(line, file=sys.stderr, flush=True)


def _backup(args: argparse.Namespace) -> int:
    from observe_app.errors import StorageError
    from observe_app.storage import backup

    with _open(args, reading=True) as db:  # the copy is checked in full
        try:
            path = backup.backup_to(db.path, args.out.expanduser().resolve())
        except StorageError as exc:  # a copy that fails its check: the database is damaged?
            raise _damage_or(args, exc) from exc
    print(f"Backup written to {path} and checked.")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from observe_app.storage import backup, migrate
    from observe_app.storage.folder_lock import RESTORE
    from observe_app.storage.paths import backup_dir, database_path, resolve_data_dir

    data_dir = resolve_data_dir(args.data_dir)
    known = migrate.known_revisions()
    # Refuse a bad file before touching anything in the data folder.
    backup.validate_backup_file(args.file, known)
    # The folder alone: no window (its next notes would be lost), no other command (what it
    # writes after the database as it was is kept would be lost), no other program writing.
    with _folder_lock(args).exclusive(RESTORE):
        safety = backup.restore_from(args.file, database_path(data_dir), backup_dir(data_dir),
                                     known)
        with _open(args) as db:  # up to the current schema, and back in WAL mode now, not
            db.engine.connect().close()  # at the window's first start (under its check)
    if safety == database_path(data_dir):
        print(f"Restored {args.file}. There was no database here before.")
    else:
        print(f"Restored {args.file}. The database as it was before is kept in {safety}.")
    return 0


def _check(args: argparse.Namespace) -> int:
    from observe_app.errors import FolderInUseError, StorageError
    from observe_app.storage import backup, migrate, startup
    from observe_app.storage.opening import open_database
    from observe_app.storage.paths import resolve_data_dir

    data_dir = resolve_data_dir(args.data_dir)
    lock = _folder_lock(args)
    try:
        lock.share()  # a restore is not half-way through what we read
    except FolderInUseError:
        raise
    except StorageError:
        pass  # a folder that cannot be written: the check below says so
    # The thorough check (integrity and foreign keys) before anything opens the file to write.
    status = startup.check_database(data_dir, integrity="integrity_check")
    if not status.ok:  # damaged, emptied, locked, read-only, disk full, ...: each says which
        print(f"error: {' '.join(status.message.splitlines())}", file=sys.stderr)
        return status.exit_code
    with open_database(data_dir, check=False, lock=lock) as db:  # made, or brought up to date
        revision = backup.schema_revision(db.path)
    print(f"{db.path}: integrity ok, schema {revision} (current {migrate.head_revision()}).")
    return 0


def _passphrase(path: Path | None, what: str = "passphrase") -> str | None:
    """The first line of a file (a passphrase or password never goes on the command line,
    where other users of the computer can read it)."""
    if path is None:
        return None
    try:
        text = path.expanduser().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(f"the {what} file {path} cannot be read ({exc.__class__.__name__})"
                            f"; write the {what} on its first line") from None
    first = text.splitlines()[0] if text.strip() else ""
    if not first:
        raise BadInputError(f"the {what} file {path} is empty; write the {what} on its "
                            "first line")
    return first


def _exchange(args: argparse.Namespace) -> int:
    from observe_app.services import exchange

    if args.action == "export":
        import getpass

        secret = _passphrase(args.passphrase_file)
        sender = args.sender or getpass.getuser()
        with _open(args, reading=True) as db:
            redactor = _redactor(db, args.replace_names)
            with db.transaction() as s:
                if args.cycle:
                    sent = exchange.send_cycle(s, args.cycle, args.out, sender=sender,
                                               passphrase=secret, redactor=redactor)
                elif args.teacher:
                    sent = exchange.send_teacher(s, args.teacher, args.out, sender=sender,
                                                 passphrase=secret, redactor=redactor)
                else:
                    sent = exchange.send_everything(s, args.out, sender=sender,
                                                    passphrase=secret, redactor=redactor)
        sealed = ", protected with the passphrase" if sent.sealed else ""
        if redactor:
            sealed += f", student names from {args.replace_names!r} replaced"
        print(f"Wrote {sent.path}: {sent.title}, {counted(sent.cycles, 'cycle')}, "
              f"{counted(sent.notes, 'note')}{sealed}.")
        return 0
    # Everything in the file is checked before the database is opened.
    try:
        opened = exchange.open_package(args.file, _passphrase(args.passphrase_file))
    except exchange.PassphraseNeeded as needed:
        raise BadInputError(f"{args.file.name} is protected with a passphrase: write the "
                            f"passphrase {needed.sender} gave you on the first line of a file "
                            "and give that file with --passphrase-file FILE; nothing was "
                            "received") from None
    with _open(args, reading=args.dry_run) as db:
        if args.dry_run:
            # Rolled back, not committed: a write transaction committed with nothing in it
            # still changes the file's header, and a dry run leaves the file as it was.
            with db.session() as s:
                preview = exchange.preview_package(s, opened, merge_people=_same_names(
                    args, s, opened))
                s.rollback()
        else:
            preview = _write(args, db, lambda s: exchange.receive_package(
                s, opened, merge_people=_same_names(args, s, opened)))
    if args.json:
        print(json.dumps(preview.as_json(), ensure_ascii=False, indent=2, default=str))
    else:
        _print_preview(preview, dry_run=args.dry_run)
    return 0


def _same_names(args: argparse.Namespace, session, opened) -> list[str]:  # type: ignore[no-untyped-def]
    """With --merge-people, every person the package offers as the same as someone here."""
    if not args.merge_people:
        return []
    from observe_app.services import exchange

    offered = exchange.preview_package(session, opened).people
    return [p.incoming_id for p in offered]


def _print_preview(preview, *, dry_run: bool) -> None:  # type: ignore[no-untyped-def]
    from observe_app.exchange.preview import TABLE_WORDS
    from observe_app.exchange.tables import SYNCED

    when = preview.sent_at.astimezone().strftime("%Y-%m-%d %H:%M")
    print(f"Package from {preview.sender}, sent {when}: {preview.title}.")
    if preview.already_received is not None:
        print(f"Already received on {preview.already_received.astimezone():%Y-%m-%d %H:%M}: "
              "nothing to do.")
        return
    if preview.nothing_to_do:
        print("This laptop already has everything in it: nothing to change.")
    for table in SYNCED:  # people, cycles, then what belongs to them
        c = preview.counts_for(table)
        if c.any():
            parts = [f"{n} {w}" for n, w in ((c.added, "added"), (c.changed, "changed"),
                                             (c.conflicts, "edited on both laptops"),
                                             (c.deleted, "deleted"), (c.restored, "restored"))
                     if n]
            print(f"  {TABLE_WORDS.get(table, table)}: {', '.join(parts)}")
    for label in preview.new_cycles:
        print(f"  new cycle: {label}")
    for person in preview.people:
        done = "merged" if person.merged else "kept apart (--merge-people merges them)"
        print(f"  {person.incoming_name} looks like {person.local_name} here ({person.reason}): "
              f"{done}")
    for change in preview.changes:
        if change.conflict:
            print(f"  edited on both laptops: {change.what}, {change.field}: the newer edit is "
                  "kept, the other is in the history")
    if dry_run:
        print("Nothing was changed (--dry-run).")
    elif preview.backup:
        print(f"Received. The database as it was before is kept in {preview.backup}.")
    else:
        print("Received.")


HANDLERS: dict[str, Handler] = {
    "demo": _demo, "protocols": _protocols, "people": _people, "cycles": _cycles,
    "exchange": _exchange, "backup": _backup, "restore": _restore, "check": _check,
    "export-pdf": _export_pdf, "calibration": _calibration, "school": _school,
    "calendar": _calendar,
}


def _window_check(data_dir: Path) -> str:
    """The window half of the healthcheck (a Qt that cannot load fails the check)."""
    from observe_app.gui.selfcheck import window_check

    return window_check(data_dir)


def main(argv: Sequence[str] | None = None) -> int:
    """The entry point; output cut short by a reader that went away (`| head`) ends quietly."""
    try:
        code = _main(argv)
        sys.stdout.flush()  # a pipe's buffer is written here, inside the try
        return code
    except BrokenPipeError:
        # The reader has gone: send whatever is still buffered nowhere, so that the flush at
        # interpreter exit does not raise again, and exit as a program killed by SIGPIPE does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return 128 + 13


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    if args.healthcheck:
        from observe_app import healthcheck

        return healthcheck.run(window_check=_window_check)
    if args.command is None:
        from observe_app.app import run

        return run(args.data_dir)
    if (args.command, getattr(args, "action", None)) == ("protocols", "validate"):
        return _validate_protocol(args)  # a file alone: no data folder, no log in one
    from observe_app.logging_setup import setup_logging
    from observe_app.storage.paths import resolve_data_dir

    # Records go to the data folder's log file; stderr keeps its one `error:` line for users.
    setup_logging(resolve_data_dir(args.data_dir))
    log.info("observe-app %s: %s %s", __version__, args.command, getattr(args, "action", "") or "")
    from observe_app.storage.faults import storage_faults

    try:
        with storage_faults(what=None):  # disk full, read-only, locked: a message, no traceback
            return HANDLERS[args.command](args)
    except ObserveError as caught:
        exc = _diagnosed(args, caught)
        log.info("refused: %s", type(exc).__name__)
        one_line = " ".join(str(exc).splitlines())  # stderr carries exactly one line
        print(f"error: {one_line}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    finally:
        if getattr(args, "folder_lock", None) is not None:
            args.folder_lock.release()


if __name__ == "__main__":
    sys.exit(main())
