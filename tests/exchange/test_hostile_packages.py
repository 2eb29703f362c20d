"""Hostile packages are refused as bad protocol files are: one `error:` line, a non-zero exit,
the receiving database byte for byte as it was, and no backup taken.

Each package is a real one (a demo cycle) taken apart, changed in one way and put together
again (tests/exchange/package_files.py), so only the change under test is wrong. Each goes
through the command line in this process (`cli.main`) and through the service the window
calls (`services.exchange.open_package`, then `receive_package` for what only the database
can tell).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from observe_app import cli
from observe_app.errors import BadInputError
from observe_app.exchange import package
from observe_app.services import exchange, protocols
from observe_app.storage.opening import open_database
from tests.exchange import package_files as pf

PASSPHRASE = "correct horse battery staple"


@dataclass(frozen=True)
class Sent:
    plain: Path
    sealed: Path
    members: pf.Members
    receiver: Path  # a migrated, empty data folder: it has none of the package's rows


@pytest.fixture(scope="module")
def sent(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Sent:
    folder = tmp_path_factory.mktemp("hostile")
    # A copy: the template is every test's demo school, and opening it (even to read) leaves
    # its log beside it, which every later copy would carry.
    sender = shutil.copytree(demo_template, folder / "sender")
    with open_database(sender) as db, db.transaction() as s:
        cycle_id = s.connection().exec_driver_sql(
            "SELECT c.id FROM cycles c JOIN observations o ON o.cycle_id = c.id "
            "JOIN notes n ON n.observation_id = o.id GROUP BY c.id ORDER BY c.id "
            "LIMIT 1").scalar_one()
        plain = exchange.send_cycle(s, cycle_id, folder / "cycle.observe", sender="Margaret")
        sealed = exchange.send_cycle(s, cycle_id, folder / "sealed.observe", sender="Margaret",
                                     passphrase=PASSPHRASE)
    receiver = folder / "receiver"
    open_database(receiver).close()
    return Sent(plain.path, sealed.path, pf.members(plain.path), receiver)


@pytest.fixture
def receiver(sent: Sent, tmp_path: Path) -> Path:
    return Path(shutil.copytree(sent.receiver, tmp_path / "receiver"))


_state = pf.folder_state


def _refused_by_cli(receiver: Path, path: Path, capsys: pytest.CaptureFixture[str],
                    *extra: str) -> str:
    """Run `exchange import` (for real, then as a dry run); both must refuse the same way and
    change nothing. The error line is returned."""
    before = _state(receiver)
    lines = []
    for dry in ([], ["--dry-run", "--json"]):
        capsys.readouterr()
        code = cli.main(["--data-dir", str(receiver), "exchange", "import", str(path),
                         *extra, *dry])
        out, err = capsys.readouterr()
        assert code != 0, (out, err)
        assert out == "", out
        assert err.count("\n") == 1 and err.startswith("error: "), err
        assert "Traceback" not in err
        assert _state(receiver) == before
        lines.append(err)
    assert lines[0] == lines[1]
    return lines[0]


def _refused_by_service(receiver: Path, path: Path, passphrase: str | None = None) -> str:
    """The window's path: open (and, if that passes, receive) must raise BadInputError."""
    before = _state(receiver)
    with pytest.raises(BadInputError) as refused:
        opened = exchange.open_package(path, passphrase)
        with open_database(receiver) as db, db.transaction() as s:
            exchange.receive_package(s, opened)
    assert _state(receiver) == before
    return str(refused.value)


def _both(receiver: Path, path: Path, capsys: pytest.CaptureFixture[str],
          passphrase: str | None = None) -> str:
    extra: list[str] = []
    if passphrase is not None:
        secret = path.with_name("passphrase.txt")
        secret.write_text(passphrase + "\n", encoding="utf-8")
        extra = ["--passphrase-file", str(secret)]
    line = _refused_by_cli(receiver, path, capsys, *extra)
    said = _refused_by_service(receiver, path, passphrase)
    assert " ".join(said.split()) in line
    return line


# The file itself ---------------------------------------------------------------------------

def test_a_package_that_is_not_a_zip_is_refused(receiver: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    for name, content in (("letter.observe", b"Dear colleague, here are my notes.\n"),
                          ("empty.observe", b""),
                          ("image.observe", b"\x89PNG\r\n\x1a\n" + bytes(200))):
        path = tmp_path / name
        path.write_bytes(content)
        assert "not an Observe package" in _both(receiver, path, capsys)


@pytest.mark.parametrize("fraction", [0.05, 0.3, 0.6, 0.95, "minus-1", "minus-30"])
def test_a_package_cut_short_is_refused(sent: Sent, receiver: Path, tmp_path: Path,
                                        fraction: float | str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    whole = sent.plain.read_bytes()
    keep = (len(whole) - int(fraction.split("-")[1]) if isinstance(fraction, str)
            else int(len(whole) * fraction))
    path = tmp_path / "cut.observe"
    path.write_bytes(whole[:keep])
    line = _both(receiver, path, capsys)
    assert "cut.observe" in line and "nothing was received" in line


def test_a_sealed_package_cut_short_is_refused(sent: Sent, receiver: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    whole = sent.sealed.read_bytes()
    path = tmp_path / "cut.observe"
    path.write_bytes(whole[:len(whole) // 2])
    _both(receiver, path, capsys, PASSPHRASE)


def test_a_zip_bomb_is_refused_before_it_is_expanded(receiver: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bomb.observe"
    path.write_bytes(pf.zip_bomb(64 * 1024 * 1024))  # 64 MB of zeros in ~64 kB
    assert path.stat().st_size < 1024 * 1024
    assert "would expand to more than Observe accepts" in _both(receiver, path, capsys)


def test_a_member_larger_than_the_limit_is_refused(
        sent: Sent, receiver: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Past the absolute limit, even with an ordinary compression ratio (the limit is
    lowered so the test need not write a gigabyte)."""
    monkeypatch.setattr(package, "MAX_MEMBER_BYTES", len(sent.members[package.ROWS]) // 2)
    path = pf.write(tmp_path / "big.observe", sent.members)
    assert "rows.jsonl would expand to more" in _both(receiver, path, capsys)


def test_a_member_that_expands_past_its_stated_size_is_refused(
        sent: Sent, receiver: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A header that lies: the zip says rows.jsonl is 100 bytes; it holds more."""
    data = bytearray(pf.zip_bytes(list(pf.fix_checksums(sent.members).items())))
    real = len(pf.fix_checksums(sent.members)[package.ROWS]).to_bytes(4, "little")
    # The local and the central record of rows.jsonl both carry its size: make each say 100.
    assert data.count(real) >= 2
    data[:] = data.replace(real, (100).to_bytes(4, "little"))
    path = tmp_path / "liar.observe"
    path.write_bytes(bytes(data))
    _both(receiver, path, capsys)


@pytest.mark.parametrize("name", ["../rows.jsonl", "/etc/observe.db", "..\\..\\evil.exe",
                                  "C:/Windows/evil.dll", "protocols/../../x", "rows.jsonl/"])
def test_member_names_that_climb_out_are_refused(sent: Sent, receiver: Path, tmp_path: Path,
                                                 name: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "climb.observe"
    path.write_bytes(pf.zip_bytes([*sent.members.items(), (name, b"{}\n")]))
    assert "a file Observe does not write" in _both(receiver, path, capsys)
    # Nothing was written outside, either.
    assert not (tmp_path.parent / "rows.jsonl").exists()


def test_a_renamed_member_is_refused(sent: Sent, receiver: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    entries = [("../" + k if k == package.ROWS else k, v) for k, v in sent.members.items()]
    path = tmp_path / "renamed.observe"
    path.write_bytes(pf.zip_bytes(entries))
    _both(receiver, path, capsys)


def test_duplicate_members_are_refused(sent: Sent, receiver: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    rows = sent.members[package.ROWS]
    path = tmp_path / "twice.observe"
    path.write_bytes(pf.zip_bytes([*sent.members.items(), (package.ROWS, rows)]))
    assert "two files of the same name" in _both(receiver, path, capsys)


def test_an_unknown_member_is_refused(sent: Sent, receiver: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = pf.write(tmp_path / "extra.observe", {**sent.members, "readme.txt": b"hello"})
    assert "'readme.txt'" in _both(receiver, path, capsys)


@pytest.mark.parametrize("missing", [package.MANIFEST, package.ROWS, package.PROTOCOLS])
def test_a_missing_member_is_refused(sent: Sent, receiver: Path, tmp_path: Path, missing: str,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    kept = {k: v for k, v in sent.members.items() if k != missing}
    path = tmp_path / "short.observe"
    path.write_bytes(pf.zip_bytes(list(kept.items())))
    assert "incomplete" in _both(receiver, path, capsys)


def test_a_changed_byte_fails_the_checksum(sent: Sent, receiver: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    rows = bytearray(sent.members[package.ROWS])
    at = rows.index(b'"text":"') + 8
    rows[at] = ord("X") if rows[at] != ord("X") else ord("Y")  # one letter of a note
    path = pf.write(tmp_path / "changed.observe", {**sent.members, package.ROWS: bytes(rows)},
                    fix=False)
    assert "rows.jsonl does not match its checksum" in _both(receiver, path, capsys)


def test_a_changed_protocol_fails_the_checksum(sent: Sent, receiver: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    protocols = sent.members[package.PROTOCOLS].replace(b'"name"', b'"name" ', 1)
    path = pf.write(tmp_path / "changed.observe",
                    {**sent.members, package.PROTOCOLS: protocols}, fix=False)
    assert "protocols.jsonl does not match its checksum" in _both(receiver, path, capsys)


# The manifest ------------------------------------------------------------------------------

@pytest.mark.parametrize(("key", "value"), [("format_version", package.FORMAT_VERSION + 1),
                                            ("schema", "9999")])
def test_a_package_from_a_newer_observe_says_to_update(
        sent: Sent, receiver: Path, tmp_path: Path, key: str, value: object,
        capsys: pytest.CaptureFixture[str]) -> None:
    changed = pf.with_manifest(sent.members, lambda m: m.update({key: value}))
    path = pf.write(tmp_path / "newer.observe", changed)
    line = _both(receiver, path, capsys)
    assert "newer version of Observe" in line and "update Observe" in line


def test_a_sealed_package_from_a_newer_observe_says_to_update(
        sent: Sent, receiver: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "newer.observe"
    path.write_bytes(pf.seal(sent.members, PASSPHRASE, envelope_edit=lambda e: e.update(
        format_version=package.FORMAT_VERSION + 1)))
    assert "update Observe" in _both(receiver, path, capsys, PASSPHRASE)


MANIFESTS: list[tuple[str, Callable[[dict[str, Any]], None]]] = [
    ("other format", lambda m: m.update(format="zip-of-notes")),
    ("no package id", lambda m: m.pop("package_id")),
    ("bad package id", lambda m: m.update(package_id="not-a-uuid")),
    ("sent with no time zone", lambda m: m.update(sent_at="2026-01-01T10:00:00")),
    ("sent on no day", lambda m: m.update(sent_at="yesterday")),
    ("unknown what", lambda m: m.update(what="school")),
    ("ids not a list", lambda m: m.update(ids=7)),
    ("long sender", lambda m: m.update(sender="x" * 10_000)),
    ("format version a string", lambda m: m.update(format_version="1")),
    ("members missing", lambda m: m.pop("members")),
]


@pytest.mark.parametrize("edit", [e for _, e in MANIFESTS], ids=[n for n, _ in MANIFESTS])
def test_a_manifest_observe_did_not_write_is_refused(
        sent: Sent, receiver: Path, tmp_path: Path, edit: Callable[[dict[str, Any]], None],
        capsys: pytest.CaptureFixture[str]) -> None:
    changed = pf.with_manifest(sent.members, edit)
    path = tmp_path / "manifest.observe"
    # Checksums as they were (fixing them would put `members` back).
    path.write_bytes(pf.zip_bytes(list(changed.items())))
    _both(receiver, path, capsys)


@pytest.mark.parametrize("content", [b"", b"not json", b"[1, 2]", b"\xff\xfe{}", b"[" * 100_000])
def test_an_unreadable_manifest_is_refused(sent: Sent, receiver: Path, tmp_path: Path,
                                           content: bytes,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "manifest.observe"
    path.write_bytes(pf.zip_bytes(list({**sent.members, package.MANIFEST: content}.items())))
    _both(receiver, path, capsys)


# Sealed packages ---------------------------------------------------------------------------

def test_a_wrong_passphrase_is_refused(sent: Sent, receiver: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    line = _both(receiver, sent.sealed, capsys, "correct horse battery stapler")
    assert "that passphrase does not open this package" in line


def test_a_sealed_package_without_a_passphrase_asks_for_one(
        sent: Sent, receiver: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = _refused_by_cli(receiver, sent.sealed, capsys)
    assert "protected with a passphrase" in line and "--passphrase-file" in line
    with pytest.raises(exchange.PassphraseNeeded, match="Margaret"):
        exchange.open_package(sent.sealed)


def test_the_right_passphrase_opens_it(sent: Sent) -> None:
    opened = exchange.open_package(sent.sealed, PASSPHRASE)
    assert opened.sealed and any(r.table == "notes" for r in opened.rows)


@pytest.mark.parametrize("edit", [
    lambda e: e.update(sender="Someone Else"),
    lambda e: e.update(sent_at="2030-01-01T00:00:00+00:00"),
    lambda e: e["kdf"].update(salt="00" * 16),
    lambda e: e.update(nonce="00" * 12),
], ids=["sender", "sent_at", "salt", "nonce"])
def test_an_edited_envelope_fails_authentication(sent: Sent, receiver: Path, tmp_path: Path,
                                                 edit: Callable[[dict[str, Any]], None],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    found = pf.members(sent.sealed)
    envelope = json.loads(found[package.ENVELOPE])
    edit(envelope)
    found[package.ENVELOPE] = json.dumps(envelope).encode("utf-8")
    path = tmp_path / "edited.observe"
    path.write_bytes(pf.zip_bytes(list(found.items())))
    assert "was changed after it was sent" in _both(receiver, path, capsys, PASSPHRASE)


def test_a_changed_sealed_body_fails_authentication(
        sent: Sent, receiver: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    found = pf.members(sent.sealed)
    body = bytearray(found[package.SEALED])
    body[len(body) // 2] ^= 1
    found[package.SEALED] = bytes(body)
    path = tmp_path / "edited.observe"
    path.write_bytes(pf.zip_bytes(list(found.items())))
    assert "was changed after it was sent" in _both(receiver, path, capsys, PASSPHRASE)


@pytest.mark.parametrize(("n", "r", "p"), [
    (2 ** 24, 8, 1), (2 ** 21, 8, 1), (2 ** 14, 1024, 1), (2 ** 14, 8, 64), (1000, 8, 1),
], ids=["n 2^24", "n 2^21", "r 1024", "p 64", "n not a power of two"])
def test_scrypt_parameters_that_ask_too_much_are_refused(
        sent: Sent, receiver: Path, tmp_path: Path, n: int, r: int, p: int,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "greedy.observe"
    path.write_bytes(pf.seal(sent.members, PASSPHRASE, n=n, r=r, p=p, derive=False))
    assert "asks for more than Observe allows" in _both(receiver, path, capsys, PASSPHRASE)


@pytest.mark.parametrize("edit", [
    lambda e: e["kdf"].update(name="pbkdf2"),
    lambda e: e.update(sealed="ROT13"),
    lambda e: e.pop("nonce"),
    lambda e: e["kdf"].update(salt="zz"),
    lambda e: e["kdf"].update(n="lots"),
    lambda e: e.update(kdf=[1, 2]),
], ids=["kdf", "cipher", "no nonce", "salt not hex", "n not a number", "kdf a list"])
def test_an_envelope_observe_did_not_write_is_refused(
        sent: Sent, receiver: Path, tmp_path: Path, edit: Callable[[dict[str, Any]], None],
        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "odd.observe"
    path.write_bytes(pf.seal(sent.members, PASSPHRASE, envelope_edit=edit, derive=False))
    _both(receiver, path, capsys, PASSPHRASE)


def test_a_sealed_package_with_plain_members_beside_is_refused(
        sent: Sent, receiver: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    found = pf.members(sent.sealed)
    path = tmp_path / "mixed.observe"
    path.write_bytes(pf.zip_bytes([*found.items(), (package.ROWS, b"")]))
    assert "not one Observe made" in _both(receiver, path, capsys, PASSPHRASE)


# Rows --------------------------------------------------------------------------------------

def _set_value(column: str, value: object) -> Callable[[dict[str, Any]], None]:
    return lambda r: r["v"].update({column: value})


ROWS: list[tuple[str, str, Callable[[dict[str, Any]], None], str]] = [
    ("unknown table", "notes", lambda r: r.update(t="sqlite_master"), "a table Observe does "
     "not receive"),
    ("a local table", "notes", lambda r: r.update(t="sync_replica"), "a table Observe does "
     "not receive"),
    ("extra column", "notes", _set_value("mood", "happy"), "does not have the columns"),
    ("missing column", "notes", lambda r: r["v"].pop("elapsed_ms"), "does not have the "
     "columns"),
    ("local column sent", "notes", _set_value("search_indexed", 1), "does not have the "
     "columns"),
    ("extra key", "notes", lambda r: r.update(x=1), "holds more than a row"),
    ("values a list", "notes", lambda r: r.update(v=[1, 2]), "does not have the columns"),
    ("not a row", "notes", lambda r: r.clear(), "is not a row"),
    ("text in an integer", "notes", _set_value("elapsed_ms", "two minutes"), "notes.elapsed_ms"),
    ("real in an integer", "notes", _set_value("elapsed_ms", 1.5), "notes.elapsed_ms"),
    ("huge integer", "notes", _set_value("elapsed_ms", 2 ** 70), "notes.elapsed_ms"),
    ("a bad date", "people", _set_value("start_date", "31/12/2024"), "people.start_date"),
    ("a bad time", "notes", _set_value("wall_time", "2025-13-45 99:00:00"), "notes.wall_time"),
    ("a bad enum", "cycles", _set_value("stage", "finished"), "cycles.stage"),
    ("a bad role", "people", _set_value("role", "headteacher"), "people.role"),
    ("a NUL character", "notes", _set_value("text", "before\x00after"), "NUL character"),
    ("a JSON boolean", "observations", _set_value("students", True), "observations.students"),
    ("a JSON object", "notes", _set_value("text", {"a": 1}), "notes.text"),
    ("an empty key", "notes", _set_value("id", None), "notes.id"),
    ("a text id that is no id", "notes", _set_value("id", "x" * 5000), "notes.id"),
    ("a stamp that is no stamp", "cycles", lambda r: r["s"].update(stage="yesterday"),
     "change stamps"),
    ("a stamp of the key", "cycles", lambda r: r["s"].update(id=next(iter(r["s"].values()))),
     "change stamps"),
    ("stamps a list", "cycles", lambda r: r.update(s=["x"]), "change stamps"),
    ("a stamp a number", "cycles", lambda r: r["s"].update(stage=1796102001423),
     "change stamps"),
    ("a delete record of three", "notes", lambda r: r.update(d=[0, "x", 1]), "delete record"),
    ("a delete record with a flag", "notes",
     lambda r: r.update(d=[False, "1796102001423.00000000." + "0" * 32]), "delete record"),
    ("a delete stamp that is no stamp", "notes", lambda r: r.update(d=[0, "now"]),
     "delete record"),
]


@pytest.mark.parametrize(("table", "edit", "expected"), [c[1:] for c in ROWS],
                         ids=[c[0] for c in ROWS])
def test_a_row_observe_did_not_write_is_refused(
        sent: Sent, receiver: Path, tmp_path: Path, table: str,
        edit: Callable[[dict[str, Any]], None], expected: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = pf.write(tmp_path / "row.observe", pf.edit_first(sent.members, table, edit))
    line = _both(receiver, path, capsys)
    assert "line " in line and expected in line, line


def test_a_row_line_that_is_not_json_is_refused(sent: Sent, receiver: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    rows = sent.members[package.ROWS] + b'{"t": "notes", "v": \n'
    path = pf.write(tmp_path / "json.observe", {**sent.members, package.ROWS: rows})
    assert "not readable" in _both(receiver, path, capsys)


def test_a_note_whose_visit_is_missing_is_refused(sent: Sent, receiver: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    rows = [r for r in pf.records(sent.members) if r["t"] != "observations"]
    path = pf.write(tmp_path / "orphans.observe", pf.with_records(sent.members, rows))
    assert "the package's notes refer to visits that are neither in the package nor on " \
        "this laptop" in _both(receiver, path, capsys)


def test_a_cycle_whose_teacher_is_missing_is_refused(sent: Sent, receiver: Path,
                                                     tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    rows = [r for r in pf.records(sent.members) if r["t"] != "people"]
    path = pf.write(tmp_path / "orphans.observe", pf.with_records(sent.members, rows))
    assert "the package's cycles refer to people that are neither" in _both(
        receiver, path, capsys)


def test_a_cycle_whose_protocol_version_is_not_included_is_refused(
        sent: Sent, receiver: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = pf.write(tmp_path / "no-protocol.observe",
                    {**sent.members, package.PROTOCOLS: b""})
    assert "cycles refer to protocols that are neither" in _both(receiver, path, capsys)


def _second_cycle(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], str]:
    """The package's rows plus a copy of its cycle, visit and first note under new ids;
    returns the rows and the copied note's id."""
    def copy(table: str, **changes: str) -> dict[str, Any]:
        first = next(r for r in rows if r["t"] == table)
        return {**first, "v": {**first["v"], **changes}}

    cycle = copy("cycles", id="0c0c0c0c-0000-4000-8000-000000000001")
    visit = copy("observations", id="0c0c0c0c-0000-4000-8000-000000000002",
                 cycle_id=cycle["v"]["id"])
    note = copy("notes", id="0c0c0c0c-0000-4000-8000-000000000003",
                observation_id=visit["v"]["id"])
    return rows + [cycle, visit, note], note["v"]["id"]


def test_evidence_tied_to_another_cycles_note_is_refused(
        sent: Sent, receiver: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A glow of one cycle shown with (and sent on with) another cycle's notes: refused."""
    rows, elsewhere = _second_cycle(pf.records(sent.members))
    link = next(r for r in rows if r["t"] == "feedback_evidence")
    link["v"] = {**link["v"], "note_id": elsewhere}
    path = pf.write(tmp_path / "cross.observe", pf.with_records(sent.members, rows))
    assert "ties evidence to a note from another cycle" in _both(receiver, path, capsys)


@pytest.mark.parametrize("table", ["note_tags", "item_responses"])
def test_a_record_against_another_protocol_s_item_is_refused(
        sent: Sent, receiver: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        table: str) -> None:
    """A tag or a tick naming a look-for of another protocol (one this laptop has) would show
    under no look-for of the visit, or under the wrong one: refused."""
    rows = pf.records(sent.members)
    version = next(r for r in rows if r["t"] == "cycles")["v"]["protocol_version_id"]
    with open_database(receiver) as db, db.transaction() as s:
        protocols.install_builtins(s)  # as the window does at its first start
        other = s.connection().exec_driver_sql(
            "SELECT id FROM protocol_items WHERE version_id != ? AND kind = 'lookfor' "
            "ORDER BY id LIMIT 1", (version,)).scalar_one()
    record = next(r for r in rows if r["t"] == table)
    record["v"] = {**record["v"], "item_id": other}
    path = pf.write(tmp_path / "other-item.observe", pf.with_records(sent.members, rows))
    assert "against a look-for or item of another protocol than the cycle's" in _both(
        receiver, path, capsys)


def test_a_second_cycle_without_crossed_evidence_is_received(
        sent: Sent, receiver: Path, tmp_path: Path) -> None:
    """The control for the test above: the copied cycle itself is a valid package."""
    rows, _note = _second_cycle(pf.records(sent.members))
    path = pf.write(tmp_path / "two.observe", pf.with_records(sent.members, rows))
    opened = exchange.open_package(path, None)
    with open_database(receiver) as db, db.transaction() as s:
        exchange.receive_package(s, opened)


def test_the_same_row_twice_is_refused(sent: Sent, receiver: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    rows = pf.records(sent.members)
    note = next(r for r in rows if r["t"] == "notes")
    path = pf.write(tmp_path / "twice.observe", pf.with_records(sent.members, [*rows, note]))
    assert "one row twice" in _both(receiver, path, capsys)


def test_the_same_row_twice_with_different_text_is_refused(
        sent: Sent, receiver: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = pf.records(sent.members)
    note = json.loads(json.dumps(next(r for r in rows if r["t"] == "notes")))
    note["v"]["text"] = "a different note with the same id"
    path = pf.write(tmp_path / "twice.observe", pf.with_records(sent.members, [*rows, note]))
    _both(receiver, path, capsys)


# A participation map's rows -----------------------------------------------------------------

@pytest.fixture(scope="module")
def mapped(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> pf.Members:
    """The members of a package of a demo cycle whose visit has seats and contributions."""
    folder = tmp_path_factory.mktemp("hostile-map")
    sender = shutil.copytree(demo_template, folder / "sender")
    with open_database(sender) as db, db.transaction() as s:
        cycle_id = s.connection().exec_driver_sql(
            "SELECT o.cycle_id FROM observations o JOIN contributions c "
            "ON c.observation_id = o.id ORDER BY o.cycle_id LIMIT 1").scalar_one()
        sent = exchange.send_cycle(s, cycle_id, folder / "map.observe", sender="Siobhán")
    return pf.members(sent.path)


MAPS: list[tuple[str, str, Callable[[dict[str, Any]], None], str]] = [
    ("seats that are no list", "visit_seatings",
     _set_value("seats", json.dumps({"n": 1, "x": 0, "y": 0})), "visit_seatings.seats"),
    ("seats as JSON, not text", "visit_seatings",
     _set_value("seats", [{"n": 1, "x": 0, "y": 0}]), "visit_seatings.seats"),
    ("two seats on one cell", "visit_seatings", _set_value("seats", json.dumps(
        [{"n": 1, "x": 0, "y": 0}, {"n": 2, "x": 0, "y": 0}])), "sits on another seat"),
    ("a seat numbered 0", "visit_seatings",
     _set_value("seats", json.dumps([{"n": 0, "x": 0, "y": 0}])), "seat numbers run from 1"),
    ("a seat's groups not names", "visit_seatings",
     _set_value("seats", json.dumps([{"n": 1, "x": 0, "y": 0, "groups": [7]}])),
     "visit_seatings.seats"),
    ("a contribution from seat -1", "contributions", _set_value("seat", -1),
     "contributions.seat"),
    ("a talk type of 10,000 letters", "contributions", _set_value("talk_type", "a" * 10_000),
     "contributions.talk_type"),
    ("a contribution before the lesson", "contributions", _set_value("elapsed_ms", -5),
     "contributions.elapsed_ms"),
]


@pytest.mark.parametrize(("table", "edit", "expected"), [c[1:] for c in MAPS],
                         ids=[c[0] for c in MAPS])
def test_a_participation_row_observe_did_not_write_is_refused(
        mapped: pf.Members, receiver: Path, tmp_path: Path, table: str,
        edit: Callable[[dict[str, Any]], None], expected: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = pf.write(tmp_path / "map.observe", pf.edit_first(mapped, table, edit))
    line = _both(receiver, path, capsys)
    assert "line " in line and expected in line, line


def test_the_untouched_participation_package_is_received(mapped: pf.Members, receiver: Path,
                                                         tmp_path: Path) -> None:
    """The control for the cases above: the map as it was sent is received whole."""
    path = pf.write(tmp_path / "map.observe", mapped)
    with open_database(receiver) as db, db.transaction() as s:
        preview = exchange.receive_package(s, exchange.open_package(path))
    assert preview.counts["visit_seatings"].added == 1
    assert preview.counts["contributions"].added >= 10


# Protocols ---------------------------------------------------------------------------------

def _edit_protocol(found: pf.Members, edit: Callable[[dict[str, Any]], None]) -> pf.Members:
    documents = pf.records(found, package.PROTOCOLS)
    edit(documents[0])
    return pf.with_records(found, documents, package.PROTOCOLS)


PROTOCOLS: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("not valid", lambda p: p["document"].pop("sections"), "sections"),
    ("an item of no kind", lambda p: p["document"]["sections"][0]["items"][0].update(
        kind="poll"), "kind"),
    ("content changed, id kept", lambda p: p["document"].update(name="Another protocol"),
     "does not have the id its content gives"),
    ("id changed", lambda p: p.update(version_id="00000000-0000-5000-8000-000000000000"),
     "does not have the id its content gives"),
    ("builtin not a flag", lambda p: p.update(builtin="yes"), "not a protocol as Observe "
     "sends it"),
    ("an extra key", lambda p: p.update(comment="hi"), "not a protocol as Observe sends it"),
    ("a document that is a list", lambda p: p.update(document=[]), ""),
]


@pytest.mark.parametrize(("edit", "expected"), [c[1:] for c in PROTOCOLS],
                         ids=[c[0] for c in PROTOCOLS])
def test_a_protocol_observe_did_not_write_is_refused(
        sent: Sent, receiver: Path, tmp_path: Path, edit: Callable[[dict[str, Any]], None],
        expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = pf.write(tmp_path / "protocol.observe", _edit_protocol(sent.members, edit))
    assert expected in _both(receiver, path, capsys)


# And the package as it was sent is received (so the refusals above are the edits' doing) ---

def test_the_untouched_package_is_received(sent: Sent, receiver: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = pf.write(tmp_path / "again.observe", sent.members)  # taken apart and put together
    assert cli.main(["--data-dir", str(receiver), "exchange", "import", str(path)]) == 0
    out, err = capsys.readouterr()
    assert err == "" and "Received." in out
    assert len(_state(receiver)[2]) == 1  # the backup taken before receiving


@pytest.fixture(autouse=True)
def _no_stray_files(tmp_path: Path) -> Iterator[None]:
    yield
    assert not list(tmp_path.glob(".*.partial"))
