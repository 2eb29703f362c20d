"""The rules a protocol document must follow, each problem found as (path, sentence).

JSON Schema (resources/protocol.schema.json) first, then what it cannot say: fields only one
kind of item has, keys used twice, text the app cannot show, and each capture kind's own
check. Every rule copes with a document half made or of any shape: the builder checks as the
author types, and a file may hold anything.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from observe_app.assets import resource_path
from observe_app.domain.plain_text import bad_character, has_visible
from observe_app.protocols import sentences
from observe_app.protocols.sentences import Place

if TYPE_CHECKING:
    import jsonschema

Problem = tuple[Place, str]


def found_in(document: Any) -> Iterator[Problem]:
    """Every problem, rule after rule (not yet in document order; a place may come twice)."""
    yield from _kind_fields(document)
    yield from _schema_problems(document)
    yield from _text_problems(document)
    yield from _key_problems(document)


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


class DocumentOrder:
    """Where a path falls in the document: a field that is missing sorts before the fields its
    object has (a missing name comes before the sections' problems)."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self._places: dict[int, dict[Any, int]] = {}

    def place(self, path: Place) -> list[int]:
        out: list[int] = []
        node = self.document
        for step in path:
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


def _schema_problems(document: Any) -> Iterator[Problem]:
    for error in _validator().iter_errors(document):
        yield from _from_schema(document, error)


def _from_schema(document: Any, error: jsonschema.ValidationError) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    rule, limit, found = error.validator, error.validator_value, error.instance
    if rule == "required":
        for field in limit:
            if isinstance(found, dict) and field not in found:
                yield (*path, field), sentences.missing(document, path, field)
    elif rule == "additionalProperties":
        known = error.schema.get("properties", {})
        for field in found if isinstance(found, dict) else ():
            if field not in known:
                yield (*path, str(field)), sentences.unknown_field(document, path, str(field))
    else:
        yield path, _one_rule(document, path, str(rule), limit, found)


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
_NAMED_LISTS = ("groups",)  # lists of names (a participation map's groups)
# Codes: JSON Schema's `$` also matches before a final newline, which a code must not have.
_CODES = ("id", "key")


def _parts(document: Any) -> Iterator[tuple[Place, dict[str, Any]]]:
    """The protocol's objects (itself, sections, items, levels, codes, talk types) with their
    paths,
    skipping whatever is not an object (the schema's problems say so)."""
    if not isinstance(document, dict):
        return
    yield (), document
    for s, section in _entries(document, "sections"):
        yield ("sections", s), section
        for i, item in _entries(section, "items"):
            yield ("sections", s, "items", i), item
            for field in ("levels", "codes", "talk_types"):
                for n, inner in _entries(item, field):
                    yield ("sections", s, "items", i, field, n), inner


def _items(document: Any) -> Iterator[tuple[Place, dict[str, Any]]]:
    return ((path, part) for path, part in _parts(document) if len(path) == 4)


def _entries(part: dict[str, Any], field: str) -> Iterator[tuple[int, dict[str, Any]]]:
    value = part.get(field)
    for n, entry in enumerate(value if isinstance(value, list) else ()):
        if isinstance(entry, dict):
            yield n, entry


def _text_problems(document: Any) -> Iterator[Problem]:
    """What JSON Schema lets through and the app cannot use: control characters (terminal
    escapes, bells), lone surrogates, fractions where whole numbers belong (every number in
    the format is one: 60.0 broke the live scan on every tick), codes with a line break,
    names with nothing visible in them or spread over several lines."""
    for here, part in _parts(document):
        for field, value in part.items():
            where = (*here, str(field))
            if isinstance(value, float):
                yield where, sentences.wrong_type(document, where, "integer", value)
            elif field in _NAMED_LISTS and isinstance(value, list):
                for n, name in enumerate(value):
                    if not isinstance(name, str):
                        continue
                    bad = bad_character(name, lines=False)
                    if bad is not None:
                        yield (*where, n), sentences.not_plain(document, (*where, n), bad,
                                                               one_line=True)
                    elif not has_visible(name):
                        yield (*where, n), sentences.invisible(document, (*where, n))
            elif isinstance(value, str):
                bad = bad_character(value, lines=field not in _NAMES)
                if bad is not None:
                    yield where, sentences.not_plain(document, where, bad,
                                                     one_line=field in _NAMES)
                elif field in _CODES and value != value.strip():
                    yield where, sentences.not_a_key(document, where, value)
                elif field in _NAMES and not has_visible(value):
                    yield where, sentences.invisible(document, where)


def _kind_fields(document: Any) -> Iterator[Problem]:
    """Fields that belong to one kind of item: elsewhere they would be shown and never used."""
    from observe_app import kinds

    own_fields = {field: kind.name for kind in kinds.all_kinds() for field in kind.own_fields}
    for here, item in _items(document):
        for field in item:
            owner = own_fields.get(field)
            if owner is not None and item.get("kind") != owner:
                yield (*here, field), sentences.not_its_field(
                    document, here, field, owner, item.get("kind"))


def _key_problems(document: Any) -> Iterator[Problem]:
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
                    yield (*path, "key"), sentences.used_again(what, key, counts[key])
                seen.add(key)
    registered = set(kinds.names())
    for path, item in items:
        kind = item.get("kind")
        if isinstance(kind, str) and kind in registered:
            own = kinds.get(kind).check(item, sentences.called(document, path))
            for inner, sentence in own or ():
                yield (*path, *inner), sentence
