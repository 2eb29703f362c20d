"""Read and validate protocol files; refusals name the file, the JSON path and the expectation."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from observe_app.assets import resource_path
from observe_app.domain.plain_text import (
    bad_character,
    describe_character,
    has_visible,
    shown,
)
from observe_app.errors import BadInputError

if TYPE_CHECKING:
    import jsonschema

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


def schema_kinds() -> list[str]:
    """The item kinds the published schema file lists (the registry test holds it to them)."""
    schema = json.loads(resource_path("protocol.schema.json").read_text(encoding="utf-8"))
    return list(schema["$defs"]["item"]["properties"]["kind"]["enum"])


def _validator() -> jsonschema.Draft202012Validator:
    from observe_app import kinds

    return _validator_for(kinds.names())


@cache
def _validator_for(kind_names: tuple[str, ...]) -> jsonschema.Draft202012Validator:
    """The schema, accepting exactly the registered capture kinds."""
    import jsonschema  # a tenth of a second to import: only when a file is really checked

    schema = json.loads(resource_path("protocol.schema.json").read_text(encoding="utf-8"))
    schema["$defs"]["item"]["properties"]["kind"]["enum"] = list(kind_names)
    return jsonschema.Draft202012Validator(_inline_refs(schema, schema.get("$defs", {})))


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    """The schema with each `#/$defs/...` reference replaced by what it names (the schema has
    no recursion): jsonschema then validates about twice as fast, with the same errors."""
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/") and len(node) == 1:
            return _inline_refs(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline_refs(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline_refs(v, defs) for v in node]
    return node


def json_path(parts: Any) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


_short = shown  # a value quoted in a message: cut inside its quotes, never the reason


_JSON_TYPES = {"dict": "an object", "list": "a list", "str": "a text", "int": "a whole number",
               "float": "a number with a fraction", "bool": "true or false",
               "NoneType": "null"}
_EXPECTED_TYPES = {"object": "an object", "array": "a list", "string": "a text",
                   "integer": "a whole number", "number": "a number", "boolean": "true or false",
                   "null": "null"}


def _describe(error: jsonschema.ValidationError) -> str:
    """What is wrong, as a whole clause: values quoted in it are shortened, the reason never
    (jsonschema's own messages start with the value, so cutting them cut off the reason)."""
    validator, expected, found = error.validator, error.validator_value, error.instance
    count = len(found) if isinstance(found, str | list | dict) else 0
    if validator == "required":
        missing = [name for name in expected if isinstance(found, dict) and name not in found]
        return f"expected the field {_short(missing[0] if missing else expected[0])}, which is " \
               "missing"
    if validator == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        extra = sorted((k for k in found if k not in known), key=str) if isinstance(
            found, dict) else []
        more = f" (and {len(extra) - 1} more)" if len(extra) > 1 else ""
        allowed = ", ".join(sorted(known))
        return (f"found the unknown field {_short(extra[0] if extra else '?', 40)}{more}; "
                f"expected only these fields: {allowed}")
    if validator == "enum":
        allowed = ", ".join(repr(v) for v in expected)
        return f"expected one of {allowed}, found {_short(found)}"
    if validator == "const":
        return f"expected {_short(expected)}, found {_short(found)}"
    if validator == "type":
        wanted = _EXPECTED_TYPES.get(str(expected), str(expected))
        return f"expected {wanted}, found {_JSON_TYPES.get(type(found).__name__, 'a value')}"
    if validator == "pattern":
        return (f"expected lowercase letters, digits and dashes (pattern "
                f"{expected}), found {_short(found)}")
    if validator == "minLength":
        return (f"expected at least {expected} character{'s' if expected != 1 else ''}, "
                f"found {'an empty text' if not count else _short(found)}")
    if validator == "maxLength":
        return f"expected at most {expected:,} characters, found {count:,}"
    if validator == "minItems":
        return (f"expected at least {expected} {'entry' if expected == 1 else 'entries'}, "
                f"found {count}")
    if validator == "maxItems":
        return f"expected at most {expected} entries, found {count:,}"
    if validator == "minimum":
        return f"expected a number of at least {expected}, found {_short(found)}"
    if validator == "maximum":
        return f"expected a number of at most {expected}, found {_short(found)}"
    # Any other rule: jsonschema's message with the value in it shortened.
    message = error.message.replace(repr(found), _short(found)) if count else error.message
    return f"expected {message}"


def validate_document(document: Any, source: str) -> dict[str, Any]:
    """Check a parsed document against the schema and the rules JSON Schema cannot express."""
    try:
        errors = sorted(_validator().iter_errors(document),
                        key=lambda e: [str(p) for p in e.absolute_path])
    except RecursionError:
        raise ProtocolFileError(source, "", "the JSON is nested too deeply; "
                                "expected a protocol document") from None
    if errors:
        from jsonschema.exceptions import best_match

        best = best_match(errors)
        assert best is not None
        raise ProtocolFileError(source, json_path(best.absolute_path), _describe(best))
    _check_unique_keys(document, source)
    _check_text(document, source, "$")
    return document


# Fields that name something a teacher reads: blank or invisible-only text is refused.
_NAMES = ("name", "title", "label")
# Codes: JSON Schema's `$` also matches before a final newline, which a code must not have.
_CODES = ("id", "key")


def _check_text(value: Any, source: str, where: str, field: str = "") -> None:
    """What JSON Schema lets through and the app cannot use: control characters (terminal
    escapes, bells), lone surrogates, fractions where whole numbers belong (every number in
    the format is one: 60.0 broke the live scan on every tick), codes with a line break,
    names with nothing visible in them or spread over several lines."""
    if isinstance(value, float):
        raise ProtocolFileError(source, where, f"expected a whole number, found {_short(value)}")
    if isinstance(value, str):
        bad = bad_character(value, lines=field not in _NAMES)
        if bad is not None:
            kind = "plain text on one line" if field in _NAMES else "plain text"
            raise ProtocolFileError(source, where, f"expected {kind}, found "
                                    f"{describe_character(bad)}")
        if field in _CODES and value != value.strip():
            raise ProtocolFileError(source, where, "expected lowercase letters, digits and "
                                    f"dashes, found {_short(value)}")
        if field in _NAMES and not has_visible(value):
            raise ProtocolFileError(source, where, "expected a name with visible letters, "
                                    f"found {_short(value)}")
    elif isinstance(value, dict):
        for key, inner in value.items():
            _check_text(inner, source, f"{where}.{key}", key)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            _check_text(inner, source, f"{where}[{index}]")


def _check_unique_keys(document: dict[str, Any], source: str) -> None:
    from observe_app import kinds

    # Fields that belong to one kind of item: elsewhere they would be shown and never used.
    own_fields = {field: kind.name for kind in kinds.all_kinds() for field in kind.own_fields}
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
            for field, owner in own_fields.items():
                if field in item and item["kind"] != owner:
                    raise ProtocolFileError(
                        source, f"{where}.{field}", f"expected no {field} on an item of kind "
                        f"{item['kind']!r}; only {owner} items have {field}")
            kinds.get(item["kind"]).check(item, source, where)


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


def parse_bytes(raw: bytes, source: str) -> dict[str, Any]:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ProtocolFileError(source, "", "the file is saved as UTF-16 or UTF-32; expected "
                                "UTF-8 JSON text (save the file as UTF-8)")
    if not raw.removeprefix(b"\xef\xbb\xbf").strip():
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
        document = json.loads(text, object_pairs_hook=_refuse_duplicates,
                              parse_constant=_refuse_constant)
    except _DuplicateKey as exc:
        raise ProtocolFileError(source, "", f"the key {_short(exc.key)} appears twice in one "
                                "object; expected each key once") from None
    except _BadConstant as exc:
        raise ProtocolFileError(source, "", f"{exc.name} is not a JSON number; expected a "
                                "number") from None
    except json.JSONDecodeError as exc:
        raise ProtocolFileError(source, "", f"not valid JSON at line {exc.lineno} column "
                                f"{exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise ProtocolFileError(source, "", "the JSON is nested too deeply; "
                                "expected a protocol document") from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise ProtocolFileError(source, "", "a number in the file is far too long; expected "
                                "ordinary whole numbers") from None
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
