"""Read and check protocol files: every problem in a sentence a teacher understands, with the
JSON path where it is as the detail; a refusal names the file."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from observe_app.assets import resource_path
from observe_app.domain.plain_text import bad_character, escaped, has_visible, quoted
from observe_app.errors import BadInputError
from observe_app.protocols import sentences
from observe_app.protocols.sentences import Place

if TYPE_CHECKING:
    import jsonschema

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
        found = [*_kind_fields(document), *_schema_problems(document),
                 *_text_problems(document), *_key_problems(document)]
    except RecursionError:
        return [ProtocolProblem((), TOO_DEEP)]
    first: dict[tuple[str | int, ...], ProtocolProblem] = {}
    for problem in found:  # one problem a place: the first rule that found it says it
        first.setdefault(problem.path, problem)
    return sorted(first.values(), key=_DocumentOrder(document).place)


def validate_document(document: Any, source: str) -> dict[str, Any]:
    """The document, when it can be used as a protocol; else ProtocolFileError with the first
    of its problems."""
    found = problems(document)
    if found:
        first = found[0]
        raise ProtocolFileError(source, first.json_path if first.path else "", first.sentence)
    return document  # type: ignore[no-any-return]  # checked: a protocol's object


TOO_DEEP = "The file is nested too deeply to be a protocol."


class _DocumentOrder:
    """Where a path falls in the document: a field that is missing sorts before the fields its
    object has (a missing name comes before the sections' problems)."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self._places: dict[int, dict[Any, int]] = {}

    def place(self, problem: ProtocolProblem) -> list[int]:
        out: list[int] = []
        node = self.document
        for step in problem.path:
            if isinstance(node, dict):
                places = self._places.get(id(node))
                if places is None:
                    places = self._places[id(node)] = {k: n for n, k in enumerate(node)}
                out.append(places.get(step, -1))
                node = node.get(step)
            elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
                out.append(step)
                node = node[step]
            else:
                out.append(-1)
                node = None
        return out


def _schema_problems(document: Any) -> Iterator[ProtocolProblem]:
    for error in _validator().iter_errors(document):
        yield from _from_schema(document, error)


def _from_schema(document: Any, error: jsonschema.ValidationError) -> Iterator[ProtocolProblem]:
    path = tuple(error.absolute_path)
    rule, limit, found = error.validator, error.validator_value, error.instance
    if rule == "required":
        for field in limit:
            if isinstance(found, dict) and field not in found:
                yield ProtocolProblem((*path, field), sentences.missing(document, path, field))
    elif rule == "additionalProperties":
        known = error.schema.get("properties", {})
        for field in found if isinstance(found, dict) else ():
            if field not in known:
                yield ProtocolProblem((*path, str(field)),
                                      sentences.unknown_field(document, path, str(field)))
    else:
        yield ProtocolProblem(path, _one_rule(document, path, str(rule), limit, found))


def _one_rule(document: Any, path: Place, rule: str, limit: Any, found: Any) -> str:
    """The sentence for one JSON Schema rule `found` breaks."""
    size = len(found) if isinstance(found, str | list | dict) else 0
    if rule == "type":
        return sentences.wrong_type(document, path, str(limit), found)
    if rule == "enum":
        return sentences.not_one_of(document, path, list(limit), found)
    if rule == "const":
        return sentences.wrong_format(found, limit) if path == ("format",) else \
            sentences.not_one_of(document, path, [limit], found)
    if rule == "pattern":
        return sentences.not_a_key(document, path, str(found))
    if rule == "minLength":
        return sentences.too_short_text(document, path, size)
    if rule == "maxLength":
        return sentences.too_long_text(document, path, int(limit), size)
    if rule == "minItems":
        return sentences.too_few(document, path, int(limit), size)
    if rule == "maxItems":
        return sentences.too_many(document, path, int(limit), size)
    if rule == "minimum":
        return sentences.out_of_range(document, path, limit, None, found)
    if rule == "maximum":
        return sentences.out_of_range(document, path, None, limit, found)
    return sentences.does_not_fit(document, path)  # a rule the schema may gain one day


# Fields that name something a teacher reads: blank or invisible-only text is refused.
_NAMES = ("name", "title", "label")
# Codes: JSON Schema's `$` also matches before a final newline, which a code must not have.
_CODES = ("id", "key")


def _parts(document: Any) -> Iterator[tuple[Place, dict[str, Any]]]:
    """The protocol's objects (itself, sections, items, levels, codes) with their paths,
    skipping whatever is not an object (the schema's problems say so)."""
    if not isinstance(document, dict):
        return
    yield (), document
    for s, section in _entries(document, "sections"):
        yield ("sections", s), section
        for i, item in _entries(section, "items"):
            yield ("sections", s, "items", i), item
            for field in ("levels", "codes"):
                for n, inner in _entries(item, field):
                    yield ("sections", s, "items", i, field, n), inner


def _items(document: Any) -> Iterator[tuple[Place, dict[str, Any]]]:
    return ((path, part) for path, part in _parts(document) if len(path) == 4)


def _entries(part: dict[str, Any], field: str) -> Iterator[tuple[int, dict[str, Any]]]:
    value = part.get(field)
    for n, entry in enumerate(value if isinstance(value, list) else ()):
        if isinstance(entry, dict):
            yield n, entry


def _text_problems(document: Any) -> Iterator[ProtocolProblem]:
    """What JSON Schema lets through and the app cannot use: control characters (terminal
    escapes, bells), lone surrogates, fractions where whole numbers belong (every number in
    the format is one: 60.0 broke the live scan on every tick), codes with a line break,
    names with nothing visible in them or spread over several lines."""
    for here, part in _parts(document):
        for field, value in part.items():
            where = (*here, str(field))
            if isinstance(value, float):
                yield ProtocolProblem(where, sentences.wrong_type(document, where, "integer",
                                                                  value))
            elif isinstance(value, str):
                bad = bad_character(value, lines=field not in _NAMES)
                if bad is not None:
                    yield ProtocolProblem(where, sentences.not_plain(
                        document, where, bad, one_line=field in _NAMES))
                elif field in _CODES and value != value.strip():
                    yield ProtocolProblem(where, sentences.not_a_key(document, where, value))
                elif field in _NAMES and not has_visible(value):
                    yield ProtocolProblem(where, sentences.invisible(document, where))


def _kind_fields(document: Any) -> Iterator[ProtocolProblem]:
    """Fields that belong to one kind of item: elsewhere they would be shown and never used."""
    from observe_app import kinds

    own_fields = {field: kind.name for kind in kinds.all_kinds() for field in kind.own_fields}
    for here, item in _items(document):
        for field in item:
            owner = own_fields.get(field)
            if owner is not None and item.get("kind") != owner:
                yield ProtocolProblem((*here, field), sentences.not_its_field(
                    document, here, field, owner, item.get("kind")))


def _key_problems(document: Any) -> Iterator[ProtocolProblem]:
    """Keys used twice, and each kind's own rules for its items."""
    from observe_app import kinds

    sections = [(path, part) for path, part in _parts(document) if len(path) == 2]
    items = list(_items(document))
    for what, parts in (("Section", sections), ("Item", items)):
        keys = [part.get("key") for _path, part in parts]
        counts = Counter(key for key in keys if isinstance(key, str))
        seen: set[str] = set()
        for (path, _part), key in zip(parts, keys, strict=True):
            if isinstance(key, str):
                if key in seen:
                    yield ProtocolProblem((*path, "key"),
                                          sentences.used_again(what, key, counts[key]))
                seen.add(key)
    registered = set(kinds.names())
    for path, item in items:
        kind = item.get("kind")
        if isinstance(kind, str) and kind in registered:
            own = kinds.get(kind).check(item, sentences.called(document, path))
            for inner, sentence in own or ():
                yield ProtocolProblem((*path, *inner), sentence)


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
