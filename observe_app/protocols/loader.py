"""Read and check protocol files: every problem in a sentence a teacher understands, with the
JSON path where it is as the detail; a refusal names the file."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from observe_app.assets import resource_path
from observe_app.domain.plain_text import escaped, quoted
from observe_app.errors import BadInputError
from observe_app.protocols import rules
from observe_app.protocols.rules import schema_kinds as schema_kinds  # where tests look

MAX_BYTES = 1_000_000


class ProtocolFileError(BadInputError):
    """A protocol that cannot be used: the file, what is wrong in a sentence a teacher reads,
    and where in the file as the detail (a JSON path; "" for the file as a whole)."""

    def __init__(self, source: str, json_path: str, sentence_text: str) -> None:
        self.source = source
        self.json_path = json_path
        self.sentence_text = sentence_text
        detail = f" (at {json_path})" if json_path else ""
        super().__init__(f"{source}: {sentence_text}{detail}")

    def sentence(self) -> str:
        """Already a sentence, with the path after it as the detail."""
        return " ".join(str(self).split())


@dataclass(frozen=True)
class ProtocolProblem:
    """One thing that stops a document from being used as a protocol: where, and what."""

    path: tuple[str | int, ...]
    sentence: str

    @property
    def json_path(self) -> str:
        return json_path(self.path)


@dataclass(frozen=True)
class FlatItem:
    """One item of a protocol with the section it sits in and its place in the whole."""

    section: str
    position: int
    data: dict[str, Any]


def json_path(parts: Any) -> str:
    """`$.sections[0].items[2].levels`; a long field name cut inside (a file's own field may be
    any length)."""
    out = "$"
    for part in parts:
        text = escaped(str(part))
        out += f"[{part}]" if isinstance(part, int) else \
            f".{text if len(text) <= 40 else text[:39] + '…'}"
    return out


def problems(document: Any) -> list[ProtocolProblem]:
    """Everything that stops `document` from being used as a protocol, one sentence for each
    place, in the order of the document; empty when it can be used. Never raises, whatever it
    is given: the builder asks on every change, of a document half made."""
    try:
        found = list(rules.found_in(document))
    except RecursionError:
        return [ProtocolProblem((), TOO_DEEP)]
    first: dict[tuple[str | int, ...], str] = {}
    for path, sentence in found:  # one problem a place: the first rule that found it says it
        first.setdefault(path, sentence)
    order = rules.DocumentOrder(document)
    return [ProtocolProblem(path, sentence) for path, sentence
            in sorted(first.items(), key=lambda problem: order.place(problem[0]))]


def validate_document(document: Any, source: str) -> dict[str, Any]:
    """The document, when it can be used as a protocol; else ProtocolFileError with the first
    of its problems."""
    found = problems(document)
    if found:
        first = found[0]
        raise ProtocolFileError(source, first.json_path if first.path else "", first.sentence)
    return document  # type: ignore[no-any-return]  # checked: a protocol's object


TOO_DEEP = "The file is nested too deeply to be a protocol."


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class _BadConstant(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """JSON lets a key appear twice and keeps the last; a protocol must not be that ambiguous."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _refuse_constant(name: str) -> Any:
    raise _BadConstant(name)


_NOT_A_PROTOCOL = "Check it was saved from a protocol, not a spreadsheet or a web page."


def parse_json(raw: bytes, source: str) -> Any:
    """The JSON document in a file's bytes, or ProtocolFileError saying why there is none."""
    # With a byte-order mark, or without one: text in UTF-16 or UTF-32 has a NUL byte beside
    # each letter of plain English.
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or (
            len(raw) > 1 and (raw[:1] == b"\0") != (raw[1:2] == b"\0")):
        raise ProtocolFileError(source, "", "The file is saved as UTF-16 or UTF-32 text; save "
                                "it as UTF-8 and try again.")
    if not raw.removeprefix(b"\xef\xbb\xbf").strip():
        raise ProtocolFileError(source, "", "The file is empty: a protocol file holds a JSON "
                                "document.")
    if len(raw) > MAX_BYTES:
        raise ProtocolFileError(source, "", _too_large(len(raw)))
    if b"\x00" in raw:
        raise ProtocolFileError(source, "", f"The file holds NUL bytes, so it is not JSON "
                                f"text. {_NOT_A_PROTOCOL}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProtocolFileError(source, "", f"The file is not UTF-8 text: byte {exc.start:,} "
                                "is not UTF-8. Save it as UTF-8 and try again.") from None
    try:
        return json.loads(text, object_pairs_hook=_refuse_duplicates,
                          parse_constant=_refuse_constant)
    except _DuplicateKey as exc:
        raise ProtocolFileError(source, "", f"The field {quoted(exc.key, 40)} appears twice "
                                "in one object of the file; write each field once.") from None
    except _BadConstant as exc:
        raise ProtocolFileError(source, "", f"The file holds {exc.name}, which is not a "
                                "number JSON allows; write an ordinary number.") from None
    except json.JSONDecodeError as exc:
        raise ProtocolFileError(source, "", f"The file is not valid JSON: line {exc.lineno}, "
                                f"column {exc.colno} ({exc.msg}). {_NOT_A_PROTOCOL}") from None
    except RecursionError:
        raise ProtocolFileError(source, "", TOO_DEEP) from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise ProtocolFileError(source, "", "A number in the file is far too long; a protocol "
                                "holds ordinary whole numbers.") from None


def _too_large(size: int) -> str:
    return f"The file is too large for a protocol: {size:,} bytes, and a protocol is at most " \
           f"{MAX_BYTES:,}."


def parse_bytes(raw: bytes, source: str) -> dict[str, Any]:
    return validate_document(parse_json(raw, source), source)


def read_document(path: Path) -> Any:
    """Read and parse a file, not yet checked as a protocol; ProtocolFileError when it holds
    no JSON document."""
    source = path.name
    if not path.is_file():
        raise ProtocolFileError(str(path), "", "There is no such file.")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ProtocolFileError(source, "", _too_large(size))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ProtocolFileError(str(path), "", f"The file cannot be read ({exc.strerror}).") \
            from None
    return parse_json(raw, source)


def load_file(path: Path) -> dict[str, Any]:
    """Read, parse and validate a protocol file, or raise ProtocolFileError."""
    return validate_document(read_document(path), path.name)


def content_hash(document: dict[str, Any]) -> str:
    """A fingerprint of the content, ignoring the version number and key order."""
    body = {k: v for k, v in document.items() if k != "version"}
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def flat_items(document: dict[str, Any]) -> Iterator[FlatItem]:
    position = 0
    for section in document["sections"]:
        for item in section["items"]:
            yield FlatItem(section=section["title"], position=position, data=item)
            position += 1


def builtin_files() -> list[Path]:
    return sorted(resource_path("protocols").glob("*.json"))
