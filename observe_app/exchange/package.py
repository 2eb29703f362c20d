"""The `.observe` file: a zip of a manifest and JSON lines, optionally sealed with a passphrase.

Layout (format 1):
  manifest.json    format, schema revision, package id, sender, when, what, and for each
                   other member its size, line count and SHA-256
  rows.jsonl       one row per line: {"t": table, "v": values, "s": field stamps,
                   "d": [alive, stamp] when it was deleted or brought back}
  protocols.jsonl  the protocol versions the rows use, as documents

Sealed: `envelope.json` (format, who and when, scrypt parameters, salt, nonce) and
`sealed.bin`, the unsealed zip's bytes under AES-256-GCM with the envelope as associated
data, so nothing in either can be changed unnoticed.

Everything read is hostile until checked: the zip's size, names, count and expanded sizes
are limited before anything is decompressed, every member is read with a byte cap, the
checksums and the manifest are checked, and every row is checked against the models
(`check`). A refusal is a BadInputError whose sentence says what to do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import secrets
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from observe_app.errors import BadInputError
from observe_app.exchange.check import check_protocol, check_row, stamp_problem
from observe_app.exchange.state import RowState

FORMAT = "observe-package"
FORMAT_VERSION = 1
SCHEMA = "0006"  # the migration whose tables the rows follow
SUFFIX = ".observe"
MANIFEST, ROWS, PROTOCOLS = "manifest.json", "rows.jsonl", "protocols.jsonl"
ENVELOPE, SEALED = "envelope.json", "sealed.bin"
PLAIN_MEMBERS = (MANIFEST, ROWS, PROTOCOLS)

MAX_FILE_BYTES = 512 * 1024 * 1024
# Expanded: a 10,000-note package is about 6 MB, a school of 100,000 notes about 60 MB.
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_MANIFEST_BYTES = 1024 * 1024
MAX_RATIO = 200  # expanded/compressed: text compresses ~10x; a bomb compresses ~1000x
# scrypt: 64 MiB and about a quarter of a second to try one passphrase.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 16, 8, 1
MAX_SCRYPT_N = 2 ** 17  # a file may ask for twice what Observe writes, no more (memory, time)


class PassphraseNeeded(BadInputError):
    """The package is sealed: ask for the passphrase and open it again."""

    def __init__(self, message: str, sender: str = "someone") -> None:
        super().__init__(message)
        self.sender = sender  # who to ask for it


@dataclass
class Package:
    package_id: str
    sender: str
    replica: str
    sent_at: dt.datetime
    what: str  # cycle, teacher or all
    ids: list[str]
    title: str
    clock: str  # the newest stamp the sender had issued
    rows: list[RowState] = field(default_factory=list)
    protocols: list[dict[str, Any]] = field(default_factory=list)
    sealed: bool = False


# Writing ---------------------------------------------------------------------------------

# One encoder for every line: json.dumps with options makes a new one per call.
_LINE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _jsonl(records: list[Any]) -> bytes:
    return "".join(_LINE.encode(r) + "\n" for r in records).encode("utf-8")


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def _key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def write_package(out: Path, *, rows: list[RowState], protocols: list[dict[str, Any]],
                  sender: str, replica: str, what: str, ids: list[str], title: str,
                  clock: str, passphrase: str | None = None,
                  now: dt.datetime | None = None) -> Path:
    """Write the package next to `out` and move it into place: a half-written file is never
    left under the name a colleague will open."""
    if out.suffix != SUFFIX:
        out = out.with_name(out.name + SUFFIX)
    sent_at = (now or dt.datetime.now(dt.UTC)).isoformat()
    members = {ROWS: _jsonl([r.as_json() for r in rows]),
               PROTOCOLS: _jsonl(protocols)}
    if len(members[ROWS]) > MAX_MEMBER_BYTES:  # no Observe would receive it
        raise BadInputError(f"{title} is more than one package can hold; send it one teacher "
                            "at a time")
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "schema": SCHEMA,
        "package_id": str(uuid.uuid4()), "sender": sender, "replica": replica,
        "sent_at": sent_at, "what": what, "ids": ids, "title": title, "clock": clock,
        "members": {name: {"size": len(data), "lines": data.count(b"\n"),
                           "sha256": hashlib.sha256(data).hexdigest()}
                    for name, data in members.items()},
    }
    inner = _zip({MANIFEST: json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"),
                  **members})
    if passphrase is not None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
        envelope = json.dumps({
            "format": FORMAT, "format_version": FORMAT_VERSION, "sealed": "AES-256-GCM",
            "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
                    "salt": salt.hex()},
            "nonce": nonce.hex(), "sender": sender, "sent_at": sent_at,
        }, ensure_ascii=False, indent=1).encode("utf-8")
        key = _key(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
        inner = _zip({ENVELOPE: envelope,
                      SEALED: AESGCM(key).encrypt(nonce, inner, envelope)})
    partial = out.with_name(f".{out.name}.{os.getpid()}.partial")
    try:
        with open(partial, "wb") as handle:
            handle.write(inner)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return out


# Reading ---------------------------------------------------------------------------------

def _refuse(source: str, what: str, todo: str = "ask the sender to send it again") -> BadInputError:
    return BadInputError(f"{source}: {what}; nothing was received ({todo})")


def _open_zip(data: bytes, source: str, allowed: tuple[str, ...]) -> dict[str, bytes]:
    """The members of a zip, each read whole within its limits, or a refusal."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise _refuse(source, "this is not an Observe package (not a zip file, or a damaged "
                      "or cut-short one)") from None
    names = [i.filename for i in infos]
    if len(names) != len(set(names)):
        raise _refuse(source, "the package holds two files of the same name, which Observe "
                      "never writes")
    for name in names:
        if name not in allowed:
            shown = name if len(name) < 80 else name[:77] + "..."
            raise _refuse(source, f"the package holds a file Observe does not write ({shown!r})")
    members: dict[str, bytes] = {}
    for info in infos:
        limit = MAX_MANIFEST_BYTES if info.filename in (MANIFEST, ENVELOPE) else MAX_MEMBER_BYTES
        if info.file_size > limit or info.file_size > MAX_RATIO * max(info.compress_size, 1024):
            raise _refuse(source, f"{info.filename} would expand to more than Observe accepts "
                          "(a damaged or deliberately oversized file)")
        try:
            with archive.open(info) as handle:
                data_read = handle.read(limit + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError,
                RuntimeError):
            raise _refuse(source, f"{info.filename} in the package is damaged") from None
        if len(data_read) > limit or len(data_read) != info.file_size:
            raise _refuse(source, f"{info.filename} is not the size the package says")
        members[info.filename] = data_read
    return members


def _json(data: bytes, source: str, what: str) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _refuse(source, f"{what} in the package is not readable") from None


def _newer(source: str) -> BadInputError:
    return _refuse(source, "the package was made by a newer version of Observe",
                   "update Observe on this laptop, then receive it again")


def _unseal(members: dict[str, bytes], source: str, passphrase: str | None) -> bytes:
    envelope = _json(members[ENVELOPE], source, "the envelope")
    if not isinstance(envelope, dict) or envelope.get("format") != FORMAT:
        raise _refuse(source, "this is not an Observe package")
    if not isinstance(envelope.get("format_version"), int) \
            or envelope["format_version"] > FORMAT_VERSION:
        raise _newer(source)
    if passphrase is None:
        sender = str(envelope["sender"]) if isinstance(envelope.get("sender"), str) \
            else "someone"
        raise PassphraseNeeded(f"{source} is protected with a passphrase: type the passphrase "
                               f"{sender[:200]} gave you", sender[:200])
    try:
        kdf = envelope["kdf"]
        n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
        salt, nonce = bytes.fromhex(kdf["salt"]), bytes.fromhex(envelope["nonce"])
        if kdf["name"] != "scrypt" or envelope["sealed"] != "AES-256-GCM":
            raise ValueError
    except (KeyError, TypeError, ValueError):
        raise _refuse(source, "the package's protection is not one Observe knows") from None
    if not (2 ** 14 <= n <= MAX_SCRYPT_N and n & (n - 1) == 0 and r == SCRYPT_R
            and p == SCRYPT_P and 16 <= len(salt) <= 64 and len(nonce) == 12):
        raise _refuse(source, "the package's protection asks for more than Observe allows")
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(_key(passphrase, salt, n, r, p)).decrypt(
            nonce, members[SEALED], members[ENVELOPE])
    except InvalidTag:
        raise BadInputError(f"{source}: that passphrase does not open this package (or the file "
                            "was changed after it was sent); check the passphrase with the "
                            "sender and try again. Nothing was received") from None


def _text(value: object, limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise ValueError
    return value


def read_package(path: Path, passphrase: str | None = None) -> Package:
    source = path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _refuse(source, "the file is larger than any package Observe makes")
        data = path.read_bytes()
    except FileNotFoundError:
        raise BadInputError(f"{path} does not exist; choose the package file again") from None
    except IsADirectoryError:
        raise BadInputError(f"{path} is a folder; choose the package file inside it") from None
    except PermissionError:
        raise BadInputError(f"{path} cannot be read (no permission); copy it somewhere you "
                            "can read, then receive it from there") from None
    members = _open_zip(data, source, PLAIN_MEMBERS + (ENVELOPE, SEALED))
    sealed = ENVELOPE in members or SEALED in members
    if sealed:
        if set(members) != {ENVELOPE, SEALED}:
            raise _refuse(source, "the package is not one Observe made")
        members = _open_zip(_unseal(members, source, passphrase), source, PLAIN_MEMBERS)
    if set(members) != set(PLAIN_MEMBERS):
        raise _refuse(source, "the package is incomplete (a part of it is missing)")
    manifest = _json(members[MANIFEST], source, "the manifest")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refuse(source, "this is not an Observe package")
    if not isinstance(manifest.get("format_version"), int) \
            or manifest["format_version"] > FORMAT_VERSION \
            or not isinstance(manifest.get("schema"), str) or manifest["schema"] > SCHEMA:
        raise _newer(source)
    try:
        listed = manifest["members"]
        for name in (ROWS, PROTOCOLS):
            entry = listed[name]
            if hashlib.sha256(members[name]).hexdigest() != entry["sha256"] \
                    or len(members[name]) != entry["size"]:
                raise _refuse(source, f"{name} does not match its checksum: the file was "
                              "changed or damaged on the way")
        opened = Package(
            package_id=str(uuid.UUID(_text(manifest["package_id"], 36))),
            sender=_text(manifest["sender"], 200), replica=_text(manifest["replica"], 32),
            sent_at=dt.datetime.fromisoformat(_text(manifest["sent_at"], 40)),
            what=_text(manifest["what"], 10), ids=[_text(i, 36) for i in manifest["ids"]],
            title=_text(manifest["title"], 400), clock=_text(manifest["clock"], 80),
            sealed=sealed)
        if opened.sent_at.tzinfo is None or opened.what not in ("cycle", "teacher", "all"):
            raise ValueError
        problem = stamp_problem(opened.clock)
        if problem:
            raise _refuse(source, f"the package {problem}")
    except BadInputError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError):
        raise _refuse(source, "the package's manifest is not one Observe wrote") from None
    # Each line checked as it is read: a bad row refuses the file before the rest is parsed.
    opened.protocols = [check_protocol(d, source, n)
                        for n, d in _lines(members[PROTOCOLS], source, PROTOCOLS)]
    opened.rows = [check_row(r, source, n) for n, r in _lines(members[ROWS], source, ROWS)]
    return opened


def _lines(data: bytes, source: str, name: str) -> Iterator[tuple[int, Any]]:
    start, number = 0, 0
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        line = data[start:end]
        start, number = end + 1, number + 1
        if line.strip():
            yield number, _json(line, source, f"line {number} of {name}")
