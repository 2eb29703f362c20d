"""Privacy: the command line opens no network socket, and the log never holds note text,
people's names or emails, nor the names of exported files (they carry a teacher's name)."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import event

from observe_app.errors import DiskFullError
from observe_app.logging_setup import log_file, setup_logging
from observe_app.services import notes
from observe_app.storage import faults
from observe_app.storage.engine import Database

# Runs CLI commands in one process under an audit hook that kills the process (exit 97, no
# chance to catch it) on any attempt to make a socket or resolve a host name.
GUARDED = textwrap.dedent("""
    import os, sys
    FORBIDDEN = {"socket.__new__", "socket.connect", "socket.bind", "socket.getaddrinfo",
                 "socket.sendto", "socket.sendmsg", "http.client.connect", "urllib.Request"}
    def hook(event, args):
        if event in FORBIDDEN:
            os.write(2, f"network: {event} {args!r}\\n".encode())
            os._exit(97)
    sys.addaudithook(hook)
    import json
    from observe_app import cli
    for argv in json.loads(sys.argv[1]):
        code = cli.main(argv)
        if code != 0:
            sys.exit(f"{argv} exited {code}")
    print("done")
""")


def _run_guarded(commands: list[list[str]]) -> subprocess.CompletedProcess[str]:
    import json

    return subprocess.run([sys.executable, "-c", GUARDED, json.dumps(commands)],
                          capture_output=True, text=True, timeout=300)


def _names_and_emails(db_path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT name, email FROM people").fetchall()
    finally:
        conn.close()
    return [v for row in rows for v in row if v]


ROSTER = ("name,email,role,subject,start_date\n"
          "Quentin Okonkwo-Lindqvist,q.okonkwo@school.example,teacher,History,2025-09-01\n"
          "Saoirse Ní Bhraonáin,saoirse.nb@school.example,mentor,Irish,\n")


def _typed_texts(db_path: Path) -> list[str]:
    """Everything a teacher typed that the demo school holds: notes, drafts, feedback."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        texts = [r[0] for r in conn.execute("SELECT text FROM notes")]
        texts += [r[0] for r in conn.execute("SELECT text FROM note_drafts")]
        texts += [r[0] for r in conn.execute("SELECT text FROM feedback_items")]
    finally:
        conn.close()
    return [t for t in texts if len(t) >= 12]


def test_the_audit_hook_does_catch_a_socket() -> None:
    probe = GUARDED.replace("import json\n", "import json, socket\nsocket.socket()\n", 1)
    result = subprocess.run([sys.executable, "-c", probe, "[]"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 97 and "socket.__new__" in result.stderr


@pytest.mark.slow
def test_demo_export_backup_and_check_open_no_socket_and_log_no_note_text(
        tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    soak = Path(__file__).parent / "data" / "soak-protocol.json"
    commands = [
        ["--data-dir", data, "demo"],
        ["--data-dir", data, "people", "import", str(tmp_path / "roster.csv")],
        ["--data-dir", data, "protocols", "import", str(soak)],
        ["--data-dir", data, "cycles", "list", "--json"],
        ["--data-dir", data, "people", "list", "--json"],
        ["--data-dir", data, "protocols", "export", "peer-observation",
         str(out / "peer.json")],
        ["--data-dir", data, "export-pdf", "--all", "--out", str(out)],
        ["--data-dir", data, "backup", "--out", str(out / "copy.db")],
        ["--data-dir", data, "check"],
        ["--data-dir", data, "restore", str(out / "copy.db")],
    ]
    result = _run_guarded(commands)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("done")

    log = log_file(Path(data))
    text = "".join(p.read_text(encoding="utf-8") for p in log.parent.glob("observe.log*"))
    assert "observe-app" in text and "demo" in text  # the log is really written
    typed = _typed_texts(Path(data) / "observe.db")
    assert len(typed) > 50
    leaked = [t for t in typed if t in text or t[:24] in text]
    assert leaked == []
    names = _names_and_emails(Path(data) / "observe.db")
    assert "Quentin Okonkwo-Lindqvist" in names and len(names) > 15
    assert [n for n in names if n in text] == []
    pdfs = [p.stem for p in out.glob("*.pdf")]
    assert len(pdfs) > 5 and [p for p in pdfs if p in text] == []


def test_a_fault_is_logged_without_the_note(db: Database, tmp_path: Path,
                                            observation: tuple[str, list[str]]) -> None:
    obs_id, _ = observation
    path = setup_logging(tmp_path / "logdir")
    assert path is not None
    secret = "Priya said her mum is ill again; keep this between us. " * 100

    def no_room(conn, _record) -> None:  # type: ignore[no-untyped-def]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count={pages}")

    db.engine.dispose()
    event.listen(db.engine, "connect", no_room)
    try:
        with pytest.raises(DiskFullError) as caught:
            faults.write(db, lambda s: notes.add_note(s, obs_id, secret,
                                                      wall_time=dt.datetime.now(dt.UTC),
                                                      elapsed_ms=5))
        # Even a careless caller logging the whole exception chain leaks nothing.
        logging.getLogger("test").error("save failed", exc_info=caught.value)
    finally:
        event.remove(db.engine, "connect", no_room)
        db.engine.dispose()
        setup_logging(None)
    text = path.read_text(encoding="utf-8")
    assert "storage fault: DiskFullError" in text
    assert "Priya" not in text


def test_the_formatter_cuts_sql_parameters_that_reach_a_record(tmp_path: Path) -> None:
    path = setup_logging(tmp_path)
    assert path is not None
    try:
        logging.getLogger("test").warning(
            "(sqlite3.OperationalError) boom\n[SQL: INSERT INTO notes VALUES (?)]\n"
            "[parameters: ('Jonah cried in class after the test',)]\n"
            "(Background on this error at: https://sqlalche.me/e/20/e3q8)")
    finally:
        setup_logging(None)
    text = path.read_text(encoding="utf-8")
    assert "Jonah" not in text and "[parameters hidden]" in text


def test_a_summary_that_cannot_be_made_is_logged_without_its_words(
        db: Database, tmp_path: Path, observation: tuple[str, list[str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """ReportLab's layout errors quote the paragraph they could not place: a note, a name."""
    from observe_app.reports import export
    from observe_app.services import cycles

    secret = "Zoë Παπαδοπούλου cried after the test"

    def cannot_lay_out(*_args: object) -> int:
        raise ValueError(f"Flowable <Paragraph '{secret}'> too large on page 3")

    monkeypatch.setattr(export, "render", cannot_lay_out)
    path = setup_logging(tmp_path / "logdir")
    assert path is not None
    failures: list[export.ExportFailure] = []
    try:
        with db.transaction() as s:
            summaries = cycles.list_cycles(s)
        export.export_cycles(db, summaries, tmp_path / "out", failed=failures.append)
    finally:
        setup_logging(None)
    assert len(failures) == 1
    text = path.read_text(encoding="utf-8")
    assert f"could not export cycle {summaries[0].id}: ValueError" in text
    assert "Traceback" in text and "cannot_lay_out" in text  # still worth a bug report
    assert "Zoë" not in text and "cried" not in text and "Παπαδοπούλου" not in text


def test_a_file_name_in_an_os_error_stays_out_of_the_log(tmp_path: Path) -> None:
    path = setup_logging(tmp_path)
    assert path is not None
    target = tmp_path / "nowhere" / f"2026-02-11 {'Aino Mäkelä'} - Peer observation.pdf"
    try:
        try:
            open(target, "rb")  # noqa: SIM115 (it fails)
        except OSError as exc:
            logging.getLogger("test").error("export failed", exc_info=exc)
    finally:
        setup_logging(None)
    text = path.read_text(encoding="utf-8")
    assert "FileNotFoundError" in text and "'<file>'" in text
    assert "Aino" not in text
