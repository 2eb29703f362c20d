"""Hostile `.observe` files for tests: a real package taken apart, changed and put together.

`Members` is a package's files by name; `write` zips them again, with the manifest's
checksums made right (`fix=True`, so only the change under test is wrong) or left as they
were. `seal` wraps members the way Observe seals them, with envelope fields of the test's
choosing.
"""

from __future__ import annotations

import hashlib
import io
import json
import secrets
import sqlite3
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from observe_app.exchange import package

Members = dict[str, bytes]


def members(path: Path) -> Members:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def zip_bytes(entries: list[tuple[str, bytes]]) -> bytes:
    """A zip of `entries` in order; the same name twice makes two members of that name."""
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            warnings.simplefilter("ignore", UserWarning)  # "Duplicate name": meant here
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def manifest(found: Members) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(found[package.MANIFEST])
    return result


def with_manifest(found: Members, edit: Callable[[dict[str, Any]], None]) -> Members:
    changed = manifest(found)
    edit(changed)
    return {**found, package.MANIFEST: json.dumps(changed).encode("utf-8")}


def fix_checksums(found: Members) -> Members:
    """The manifest rewritten to match the members as they now are."""
    def fix(data: dict[str, Any]) -> None:
        for name in (package.ROWS, package.PROTOCOLS):
            if name in found:
                data["members"][name] = {"size": len(found[name]),
                                         "lines": found[name].count(b"\n"),
                                         "sha256": hashlib.sha256(found[name]).hexdigest()}
    return with_manifest(found, fix)


def write(out: Path, found: Members, *, fix: bool = True) -> Path:
    out.write_bytes(zip_bytes(list((fix_checksums(found) if fix else found).items())))
    return out


def records(found: Members, name: str = package.ROWS) -> list[dict[str, Any]]:
    return [json.loads(line) for line in found[name].splitlines() if line.strip()]


def with_records(found: Members, rows: list[dict[str, Any]],
                 name: str = package.ROWS) -> Members:
    data = b"".join(json.dumps(r, ensure_ascii=False).encode("utf-8") + b"\n" for r in rows)
    return {**found, name: data}


def edit_first(found: Members, table: str,
               edit: Callable[[dict[str, Any]], None]) -> Members:
    """The first row of `table` changed by `edit` (which gets the whole record)."""
    rows = records(found)
    edit(next(r for r in rows if r["t"] == table))
    return with_records(found, rows)


def seal(found: Members, passphrase: str, *, n: int = 2 ** 14, r: int = 8, p: int = 1,
         envelope_edit: Callable[[dict[str, Any]], None] | None = None,
         derive: bool = True) -> bytes:
    """`found` sealed as Observe seals it (cheaper scrypt by default); `envelope_edit`
    changes the envelope before sealing, `derive=False` skips the key (parameters too large
    to derive here: the ciphertext is then random bytes)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    envelope: dict[str, Any] = {
        "format": package.FORMAT, "format_version": package.FORMAT_VERSION,
        "sealed": "AES-256-GCM",
        "kdf": {"name": "scrypt", "n": n, "r": r, "p": p, "salt": salt.hex()},
        "nonce": nonce.hex(), "sender": "Test", "sent_at": "2026-01-01T00:00:00+00:00"}
    if envelope_edit is not None:
        envelope_edit(envelope)
    head = json.dumps(envelope).encode("utf-8")
    inner = zip_bytes(list(found.items()))
    if derive:
        key = package._key(passphrase, salt, n, r, p)
        body = AESGCM(key).encrypt(nonce, inner, head)
    else:
        body = secrets.token_bytes(len(inner) + 16)
    return zip_bytes([(package.ENVELOPE, head), (package.SEALED, body)])


def zip_bomb(expanded: int) -> bytes:
    """A zip whose rows member is `expanded` bytes of zeros (deflate makes it ~1000x smaller);
    built in memory in chunks, never kept on disk longer than the test."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(package.MANIFEST, b"{}")
        with archive.open(package.ROWS, "w", force_zip64=True) as handle:
            chunk = bytes(1024 * 1024)
            for _ in range(expanded // len(chunk)):
                handle.write(chunk)
        archive.writestr(package.PROTOCOLS, b"")
    return buffer.getvalue()


def folder_state(data_dir: Path) -> tuple[Any, ...]:
    """The database's bytes (and its log's), its rows, and the backups folder's files: what a
    refused package must leave exactly as it was."""
    # A missing log and an empty one are the same (reading the rows below leaves one).
    files = tuple(hashlib.sha256(p.read_bytes() if p.exists() else b"").hexdigest()
                  for p in (data_dir / "observe.db", data_dir / "observe.db-wal"))
    conn = sqlite3.connect(f"file:{data_dir / 'observe.db'}?mode=ro", uri=True)
    try:
        dump = list(conn.iterdump())
    finally:
        conn.close()
    backups = sorted(p.name for p in (data_dir / "backups").glob("*")) \
        if (data_dir / "backups").is_dir() else []
    return files, dump, backups
