"""Protocol problems in a teacher's words: what is wrong, naming the part by its label.

A problem's place is a path into the document (`("sections", 0, "items", 2, "levels")`); the
sentence names the part there as a teacher knows it (“Clear learning intentions”), or by its
place when it has no usable label (the 3rd item of “Feedback”). Plain Python, light: the
capture kinds' checks use it at first paint.
"""

from __future__ import annotations

import math
from typing import Any

from observe_app.domain.plain_text import (
    bad_character,
    describe_character,
    has_visible,
    quoted,
    shown,
)

Place = tuple[str | int, ...]  # a path into the document: ("sections", 0, "items", 2)

# The parts of a protocol, each inside a list field of the part above it.
_CHILDREN = {("protocol", "sections"): "section", ("section", "items"): "item",
             ("item", "levels"): "level", ("item", "codes"): "code",
             ("item", "talk_types"): "talk_type"}
_OWN_NAME = {"protocol": "name", "section": "title", "item": "label", "level": "name",
             "code": "label", "talk_type": "label"}
_PART_WORDS = {"talk_type": "talk type"}  # a part as a sentence names it (else its kind)

# What a field is called in a sentence: (the noun with its article, a short word for "the
# <word> of …"); plural nouns take "are".
_FIELDS: dict[tuple[str, str], tuple[str, str]] = {
    ("protocol", "format"): ("the format", "format"),
    ("protocol", "id"): ("a protocol id", "id"),
    ("protocol", "name"): ("a protocol name", "name"),
    ("protocol", "version"): ("a protocol version", "version"),
    ("protocol", "description"): ("a protocol description", "description"),
    ("protocol", "license"): ("a licence", "licence"),
    ("protocol", "source"): ("a source", "source"),
    ("protocol", "duration_minutes"): ("a protocol's length in minutes", "length"),
    ("protocol", "sections"): ("the sections of a protocol", "sections"),
    ("section", "key"): ("a section key", "key"),
    ("section", "title"): ("a section title", "title"),
    ("section", "description"): ("a section description", "description"),
    ("section", "items"): ("the items of a section", "items"),
    ("item", "key"): ("an item key", "key"),
    ("item", "kind"): ("an item kind", "kind"),
    ("item", "label"): ("an item label", "label"),
    ("item", "description"): ("an item description", "description"),
    ("item", "levels"): ("the levels of a rubric", "levels"),
    ("item", "period_seconds"): ("an interval scan's period", "period"),
    ("item", "codes"): ("the codes of an interval scan", "codes"),
    ("item", "prompt_kind"): ("a prompt's kind", "prompt kind"),
    ("item", "talk_types"): ("the talk types of a participation map", "talk types"),
    ("item", "groups"): ("the groups of a participation map", "groups"),
    ("talk_type", "key"): ("a talk type's key", "key"),
    ("talk_type", "label"): ("a talk type's name", "name"),
    ("level", "level"): ("a level number", "number"),
    ("level", "name"): ("a level name", "name"),
    ("level", "descriptor"): ("a level descriptor", "descriptor"),
    ("code", "key"): ("a code key", "key"),
    ("code", "label"): ("a code label", "label"),
    ("code", "group"): ("a code group", "group"),
}
_PLURAL = {"sections", "items", "levels", "codes", "talk_types", "groups"}

# A field that is missing, or empty where it needs text: `{name}` is the part that lacks it.
_MISSING = {
    ("protocol", "id"): "A protocol needs an id: a short name of lowercase letters, digits and "
                        "dashes, such as “peer-observation”.",
    ("protocol", "name"): "A protocol needs a name.",
    ("protocol", "version"): "A protocol needs a version number.",
    ("protocol", "description"): "A protocol needs a description, even an empty one.",
    ("protocol", "license"): "A protocol needs a licence: who may use it, and how.",
    ("protocol", "source"): "A protocol needs a source: who wrote it, or where it comes from.",
    ("protocol", "sections"): "A protocol needs at least one section.",
    ("section", "key"): "Every section needs a key: {name} has none.",
    ("section", "title"): "Every section needs a title.",
    ("section", "items"): "A section needs at least one item: {name} has none.",
    ("item", "key"): "Every item needs a key: {name} has none.",
    ("item", "kind"): "Every item needs a kind: {name} has none.",
    ("item", "label"): "Every item needs a label.",
    ("item", "levels"): "A rubric needs at least two levels: {name} has none.",
    ("item", "period_seconds"): "An interval scan needs a period, in seconds: {name} has none.",
    ("item", "codes"): "An interval scan needs at least one code: {name} has none.",
    ("item", "talk_types"): "A participation map needs at least one talk type: {name} has "
                            "none.",
    ("talk_type", "key"): "Every talk type needs a key, the one letter pressed for it: {name} "
                          "has none.",
    ("talk_type", "label"): "Every talk type needs a name: {name} has none.",
    ("level", "level"): "Every level needs a number: {name} has none.",
    ("level", "name"): "Every level needs a name: {name} has none.",
    ("level", "descriptor"): "Every level needs a descriptor, what it looks like in class: "
                             "{name} has none.",
    ("code", "key"): "Every code needs a key: {name} has none.",
    ("code", "label"): "Every code needs a label: {name} has none.",
}

# Too few or too many entries in a list: (the rule, the count's part as `{name}`).
_AT_LEAST = {
    ("protocol", "sections"): "A protocol needs at least one section.",
    ("section", "items"): "A section needs at least one item: {name} has {count}.",
    ("item", "levels"): "A rubric needs at least two levels: {name} has {count}.",
    ("item", "codes"): "An interval scan needs at least one code: {name} has {count}.",
    ("item", "talk_types"): "A participation map needs at least one talk type: {name} has "
                            "{count}.",
}
_AT_MOST = {
    ("protocol", "sections"): "A protocol has at most {limit} sections; this one has {count}.",
    ("section", "items"): "A section has at most {limit} items: {name} has {count}.",
    ("item", "levels"): "A rubric has at most {limit} levels: {name} has {count}.",
    ("item", "codes"): "An interval scan has at most {limit} codes: {name} has {count}.",
    ("item", "talk_types"): "A participation map has at most {limit} talk types (one key "
                            "each): {name} has {count}.",
    ("item", "groups"): "A participation map has at most {limit} groups: {name} has {count}.",
}

# What a part is, for a part that is not an object at all.
_SHAPES = {"section": "A section is an object with a key, a title and items",
           "item": "An item is an object with a key, a kind and a label",
           "level": "A level is an object with a number, a name and a descriptor",
           "code": "A code is an object with a key and a label",
           "talk_type": "A talk type is an object with a key (one letter) and a label"}

# The capture kinds in words: (one of them, several of them).
KIND_WORDS = {"rubric": ("a rubric", "rubric items"), "lookfor": ("a look-for", "look-fors"),
              "tally": ("a tally", "tallies"), "timer": ("a timer", "timers"),
              "interval": ("an interval scan", "interval scans"),
              "prompt": ("a prompt", "prompts"),
              "participation": ("a participation map", "participation maps")}
_KIND_HINTS = {"rubric": "rated on levels", "lookfor": "a look-for to tick",
               "tally": "a counter", "timer": "timed durations", "interval": "an interval scan",
               "prompt": "written feedback", "participation": "who speaks, from which seat"}
_OWN_FIELD_WORDS = {"levels": "levels", "period_seconds": "a period", "codes": "codes",
                    "prompt_kind": "a prompt kind", "talk_types": "talk types",
                    "groups": "groups"}

_TYPES = {"object": "an object", "array": "a list", "string": "a text",
          "integer": "a whole number", "number": "a number", "boolean": "true or false",
          "null": "null"}

KEY_RULE = ("is made of lowercase letters, digits, dashes and underscores (at most 63), "
            "starting with a letter or digit")
TALK_KEY_RULE = "is one lowercase letter, a to z (the key pressed during the lesson)"
ID_RULE = ("is made of 3 to 64 lowercase letters, digits and dashes, starting and ending with "
           "a letter or digit")


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def times(count: int) -> str:
    return "twice" if count == 2 else f"{count} times"


def ordinal(n: int) -> str:
    tail = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{tail}"


def value(found: Any, limit: int = 40) -> str:
    """A value found in the file, as a sentence names it: the text “one”, 60.5, a list."""
    if isinstance(found, str):
        return f"the text {quoted(found, limit)}" if found else "an empty text"
    if isinstance(found, float) and not math.isfinite(found):
        return "not a number" if math.isnan(found) else "an infinite number"
    if isinstance(found, list):
        return "a list"
    if isinstance(found, dict):
        return "an object"
    return shown(found, limit)


def usable_name(text: Any) -> str | None:
    """A label that can name its part in a sentence: a text that shows something, on one line."""
    if isinstance(text, str) and has_visible(text) and bad_character(text) is None:
        return quoted(text.strip())
    return None


def part_of(path: Place) -> tuple[str, Place, Place]:
    """The kind of part a path is in, that part's path and the rest (the field, if any)."""
    kind, end = "protocol", 0
    while end + 1 < len(path) and isinstance(path[end + 1], int):
        child = _CHILDREN.get((kind, str(path[end])))
        if child is None:
            break
        kind, end = child, end + 2
    return kind, path[:end], path[end:]


def at(document: Any, path: Place) -> Any:
    """What the document holds at `path`, or None when nothing is there."""
    node = document
    for step in path:
        in_object = isinstance(node, dict) and not isinstance(step, int) and step in node
        in_list = isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
        if not (in_object or in_list):
            return None
        node = node[step]
    return node


def called(document: Any, path: Place, *, article: bool = False) -> str:
    """The part at `path` as a sentence names it: “its label”, or by its place: the 3rd item
    of “Feedback”. With `article`: the item “…”, the section “…”."""
    kind, part, _rest = part_of(path)
    if kind == "protocol":
        return "this protocol"
    parent = called(document, part[:-2])
    own = usable_name(at(document, (*part, _OWN_NAME[kind])))
    word = _PART_WORDS.get(kind, kind)
    if own is not None:
        inside = f" in {parent}" if kind in ("level", "code", "talk_type") else ""
        return f"the {word} {own}{inside}" if article else f"{own}{inside}"
    of = "" if parent == "this protocol" else f" of {parent}"
    position = part[-1] + 1 if isinstance(part[-1], int) else 0
    return f"the {ordinal(position)} {word}{of}"


def field_noun(path: Place) -> tuple[str, str]:
    """The field at `path` (the last step): its noun with an article, and its short word."""
    kind, _part, rest = part_of(path)
    field = str(rest[0]) if rest else ""
    if (kind, field) == ("item", "groups") and len(rest) > 1 and isinstance(rest[1], int):
        return "a group's name", f"{ordinal(rest[1] + 1)} group"  # one name of the list
    return _FIELDS.get((kind, field), (f"the field {quoted(field, 40)}", quoted(field, 40)))


def whose(document: Any, path: Place) -> str:
    """Whose value a sentence means: "this one" for the protocol's own fields, else "the label
    of the 3rd item of “Feedback”"."""
    kind, part, _rest = part_of(path)
    noun, word = field_noun(path)
    if kind == "protocol":
        return "these" if word in _PLURAL else "this one"
    return f"the {word} of {called(document, part)}"


def _is(path: Place) -> str:
    return "are" if field_noun(path)[1] in _PLURAL else "is"


# ---- one sentence for each kind of problem ----------------------------------------------------

def missing(document: Any, part: Place, field: str) -> str:
    kind, _, _ = part_of(part)
    template = _MISSING.get((kind, field))
    if template is None:
        return f"{capital(called(document, part, article=True))} needs the field " \
               f"{quoted(field, 40)}."
    return template.format(name=called(document, part))


def empty(document: Any, path: Place) -> str:
    kind, part, rest = part_of(path)
    field = str(rest[0]) if rest else ""
    if (kind, field) in _MISSING:
        return missing(document, part, field)
    noun, _word = field_noun(path)
    return f"{capital(noun)} cannot be empty: {whose(document, path)} is empty."


def wrong_type(document: Any, path: Place, wanted: str, found: Any) -> str:
    kind, part, rest = part_of(path)
    what = value(found)
    if not rest:
        if kind == "protocol":
            return "A protocol file holds one JSON object, in braces { }: this file holds " \
                   f"{what}."
        return f"{_SHAPES[kind]}: {called(document, part)} is {what}."
    noun, _word = field_noun(path)
    where = "" if kind == "protocol" else f", in {called(document, part)}"
    return f"{capital(noun)} {_is(path)} {_TYPES.get(wanted, wanted)}, not {what}{where}."


def too_short_text(document: Any, path: Place, count: int) -> str:
    return empty(document, path) if count == 0 else \
        f"{capital(field_noun(path)[0])} needs at least one character."


def too_long_text(document: Any, path: Place, limit: int, count: int) -> str:
    noun, _word = field_noun(path)
    return f"{capital(noun)} is at most {limit:,} characters; {whose(document, path)} has " \
           f"{count:,}."


def too_few(document: Any, path: Place, limit: int, count: int) -> str:
    kind, part, rest = part_of(path)
    field = str(rest[0]) if rest else ""
    template = _AT_LEAST.get((kind, field))
    shown_count = "none" if count == 0 else str(count)
    if template is None:
        return f"{capital(field_noun(path)[0])} need at least {limit}: " \
               f"{whose(document, path)} has {shown_count}."
    return template.format(name=called(document, part), count=shown_count)


def too_many(document: Any, path: Place, limit: int, count: int) -> str:
    kind, part, rest = part_of(path)
    field = str(rest[0]) if rest else ""
    template = _AT_MOST.get((kind, field))
    if template is None:
        return f"{capital(field_noun(path)[0])} are at most {limit}: " \
               f"{whose(document, path)} has {count:,}."
    return template.format(name=called(document, part), limit=limit, count=f"{count:,}")


def out_of_range(document: Any, path: Place, low: int | None, high: int | None,
                 found: Any) -> str:
    """A number below its minimum (`low`) or above its maximum (`high`)."""
    kind, part, rest = part_of(path)
    field = str(rest[0]) if rest else ""
    what = value(found)
    if (kind, field) == ("item", "period_seconds"):
        rule = f"at least {low} seconds" if low is not None else \
            f"at most {high} seconds (an hour)" if high == 3600 else f"at most {high} seconds"
        return f"An interval scan needs a period of {rule}: {called(document, part)} has {what}."
    if (kind, field) == ("protocol", "duration_minutes"):
        return f"A protocol's length is 1 to 600 minutes: this one is {what}."
    if (kind, field) == ("level", "level"):
        return f"A level number is from 1 to 10: {called(document, part)} has {what}."
    noun, _word = field_noun(path)
    rule = f"at least {low}" if low is not None else f"at most {high}"
    return f"{capital(noun)} is {rule}: {whose(document, path)} is {what}."


def not_a_key(document: Any, path: Place, found: str) -> str:
    if not found:
        return empty(document, path)
    kind, _part, rest = part_of(path)
    noun, _word = field_noun(path)
    rule = ID_RULE if (kind, rest[:1]) == ("protocol", ("id",)) else \
        TALK_KEY_RULE if kind == "talk_type" else KEY_RULE
    return f"{capital(noun)} {rule}: {quoted(found, 40)} is not."


def not_one_of(document: Any, path: Place, allowed: list[Any], found: Any) -> str:
    kind, part, rest = part_of(path)
    field = str(rest[0]) if rest else ""
    what = quoted(found, 40) if isinstance(found, str) else value(found)
    if (kind, field) == ("item", "kind"):
        words = [f"{name} ({_KIND_HINTS[name]})" if name in _KIND_HINTS else str(name)
                 for name in allowed]
        listed = ", ".join(words[:-1]) + f" and {words[-1]}" if len(words) > 1 else words[0]
        return f"Observe knows these kinds of item: {listed}; {called(document, part)} has " \
               f"{what}."
    names = [str(v) for v in allowed]
    listed = ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]
    noun, _word = field_noun(path)
    return f"{capital(noun)} is {listed}: {whose(document, path)} is {what}."


def wrong_format(found: Any, expected: Any) -> str:
    what = quoted(found, 20) if isinstance(found, str) else value(found, 20)
    return f"This file says it is in protocol format {what}, and Observe reads format " \
           f"{expected}: it may come from a newer Observe."


def unknown_field(document: Any, part: Place, field: str) -> str:
    return f"{capital(called(document, part, article=True))} has a field Observe does not " \
           f"know: {quoted(field, 40)}."


def not_its_field(document: Any, item: Place, field: str, owner: str, kind: Any) -> str:
    """A field only another kind of item has (levels on a tally)."""
    owners = KIND_WORDS.get(owner, (owner, f"{owner} items"))[1]
    is_a = KIND_WORDS[kind][0] if isinstance(kind, str) and kind in KIND_WORDS else \
        f"of the kind {quoted(kind, 40)}" if isinstance(kind, str) else "of no known kind"
    return f"Only {owners} have {_OWN_FIELD_WORDS.get(field, field)}: " \
           f"{called(document, item)} is {is_a}."


def used_again(what: str, key: str, count: int) -> str:
    """Section or item keys, which must differ across the protocol."""
    return f"{what} keys must be different across the protocol: {quoted(key, 40)} is used " \
           f"{times(count)}."


def not_plain(document: Any, path: Place, character: str, one_line: bool) -> str:
    noun, _word = field_noun(path)
    kind = "plain text on one line" if one_line else "plain text"
    return f"{capital(noun)} is {kind}: {whose(document, path)} holds " \
           f"{describe_character(character)}."


def invisible(document: Any, path: Place) -> str:
    noun, _word = field_noun(path)
    return f"{capital(noun)} needs a letter, digit or sign that shows: {whose(document, path)} " \
           "has only spaces or invisible characters."


def does_not_fit(document: Any, path: Place) -> str:
    noun, _word = field_noun(path)
    return f"{capital(noun)} does not fit the protocol format: {whose(document, path)} does not."
