"""`export-pdf` and `exchange export` with --replace-names LIST, run as a user would: the
PDF's text and the package's contents name no student of the list; an unknown list is one
`error:` line and nothing written."""

from __future__ import annotations

from pathlib import Path

from observe_app.services import notes, protocols, redaction
from observe_app.storage.opening import open_database
from tests.cli.conftest import run_cli
from tests.exchange.package_files import members
from tests.reports.pdf_helpers import pdf_text
from tests.services.helpers import T0, cycle_with_visit

NAMES = ("Nguyễn Thị Hương", "Дмитрий Соколов")


def _folder(tmp_path: Path) -> tuple[Path, str]:
    folder = tmp_path / "data"
    db = open_database(folder)
    try:
        with db.transaction() as s:
            protocols.install_builtins(s)
            _t, cycle, visit, _v = cycle_with_visit(s, "peer-observation")
            notes.add_note(s, visit.id, "NGUYỄN THỊ HƯƠNG asked дмитрий соколов why",
                           wall_time=T0, elapsed_ms=60_000)
            redaction.create_class_list(s, "8C", "\n".join(NAMES))
        return folder, cycle.id
    finally:
        db.close()


def test_the_pdf_and_the_package_carry_labels_not_names(tmp_path: Path) -> None:
    folder, cycle = _folder(tmp_path)
    pdf, package = tmp_path / "summary.pdf", tmp_path / "cycle.observe"
    made = run_cli("export-pdf", "--cycle", cycle, "--out", pdf, "--replace-names", "8C",
                   data_dir=folder)
    assert made.code == 0, made.err
    text = " ".join(pdf_text(pdf))
    assert "Student A asked Student B why" in " ".join(text.split())
    sent = run_cli("exchange", "export", "--cycle", cycle, "--out", package,
                   "--replace-names", "8C", data_dir=folder)
    assert sent.code == 0, sent.err
    assert "student names from '8C' replaced" in sent.out
    carried = b"\n".join(members(package).values()).decode("utf-8").casefold()
    for name in (*NAMES, "Hương", "Соколов"):
        assert name.casefold() not in text.casefold() and name.casefold() not in carried
    assert "student a" in carried


def test_an_unknown_list_is_one_error_line_and_nothing_written(tmp_path: Path) -> None:
    folder, cycle = _folder(tmp_path)
    for args, out in ((("export-pdf", "--cycle", cycle), tmp_path / "x.pdf"),
                      (("exchange", "export", "--cycle", cycle), tmp_path / "x.observe")):
        result = run_cli(*args, "--out", out, "--replace-names", "9Z", data_dir=folder)
        assert result.code != 0
        [line] = result.err.splitlines()
        assert line.startswith("error: ") and "9Z" in line
        assert not out.exists()
