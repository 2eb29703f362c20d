"""Read and validate protocol files; refusals name the file, the JSON path and the expectation."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from observe_app.assets import resource_path
from observe_app.errors import BadInputError

MAX_BYTES = 1_000_000


class ProtocolFileError(BadInputError):
    def __init__(self, source: str, json_path: str, expected: str) -> None:
        self.source = source
        self.json_path = json_path
        self.expected = expected
        where = f"{source}: {json_path}" if json_path else source
        super().__init__(f"{where}: {expected}")


@dataclass(frozen=True)
class FlatItem:
    """One item of a protocol with the section it sits in and its place in the whole."""

    section: str
    position: int
    data: dict[str, Any]


@cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(resource_path("protocol.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def json_path(parts: Any) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _describe(error: jsonschema.ValidationError) -> str:
    validator = error.validator
    if validator == "required":
        return f"expected {error.message}"
    if validator == "additionalProperties":
        return f"unexpected field ({error.message})"
    if validator == "enum":
        allowed = ", ".join(repr(v) for v in error.validator_value)
        return f"expected one of {allowed}, found {error.instance!r}"
    if validator == "type":
        return f"expected {error.validator_value}, found {type(error.instance).__name__}"
    if validator == "pattern":
        return (f"expected lowercase letters, digits and dashes (pattern "
                f"{error.validator_value}), found {error.instance!r}")
    return f"expected {error.message}"


def validate_document(document: Any, source: str) -> dict[str, Any]:
    """Check a parsed document against the schema and the rules JSON Schema cannot express."""
    errors = sorted(_validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        best = jsonschema.exceptions.best_match(errors)
        assert best is not None
        raise ProtocolFileError(source, json_path(best.absolute_path), _describe(best))
    _check_unique_keys(document, source)
    return document


def _check_unique_keys(document: dict[str, Any], source: str) -> None:
    seen_sections: set[str] = set()
    seen_items: set[str] = set()
    for s, section in enumerate(document["sections"]):
        if section["key"] in seen_sections:
            raise ProtocolFileError(
                source, f"$.sections[{s}].key",
                f"expected a unique section key, {section['key']!r} is used twice")
        seen_sections.add(section["key"])
        for i, item in enumerate(section["items"]):
            where = f"$.sections[{s}].items[{i}]"
            if item["key"] in seen_items:
                raise ProtocolFileError(
                    source, f"{where}.key",
                    f"expected a unique item key, {item['key']!r} is used twice")
            seen_items.add(item["key"])
            levels = [lv["level"] for lv in item.get("levels", [])]
            if len(set(levels)) != len(levels):
                raise ProtocolFileError(source, f"{where}.levels",
                                        "expected each level number once")
            codes = [c["key"] for c in item.get("codes", [])]
            if len(set(codes)) != len(codes):
                raise ProtocolFileError(source, f"{where}.codes", "expected each code key once")


def parse_bytes(raw: bytes, source: str) -> dict[str, Any]:
    if not raw.strip():
        raise ProtocolFileError(source, "", "the file is empty; expected a JSON protocol")
    if len(raw) > MAX_BYTES:
        raise ProtocolFileError(source, "", f"the file is too large ({len(raw):,} bytes); "
                                f"expected a protocol of at most {MAX_BYTES:,} bytes")
    if b"\x00" in raw:
        raise ProtocolFileError(source, "", "the file holds NUL bytes; expected UTF-8 JSON text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProtocolFileError(
            source, "", f"byte {exc.start} is not UTF-8; expected UTF-8 JSON text "
            "(save the file as UTF-8)") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProtocolFileError(source, "", f"not valid JSON at line {exc.lineno} column "
                                f"{exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise ProtocolFileError(source, "", "the JSON is nested too deeply; "
                                "expected a protocol document") from None
    return validate_document(document, source)


def load_file(path: Path) -> dict[str, Any]:
    """Read, parse and validate a protocol file, or raise ProtocolFileError."""
    source = path.name
    if not path.is_file():
        raise ProtocolFileError(str(path), "", "no such file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ProtocolFileError(source, "", f"the file is too large ({size:,} bytes); "
                                f"expected a protocol of at most {MAX_BYTES:,} bytes")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ProtocolFileError(str(path), "", f"cannot be read ({exc.strerror})") from None
    return parse_bytes(raw, source)


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
