"""Every problem a protocol can have, in the sentence a teacher reads and at its JSON path.

Each case breaks one thing in a small mixed protocol and checks `problems()` (all of them, in
document order) and that `validate_document` refuses with the first.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from observe_app.protocols import loader
from observe_app.protocols.loader import ProtocolFileError, ProtocolProblem
from observe_app.protocols.sentences import ordinal


def protocol() -> dict[str, Any]:
    return {
        "format": 1, "id": "our-walk", "name": "Our walk", "version": 1, "description": "",
        "license": "CC0-1.0", "source": "Written for the tests of Observe.",
        "sections": [
            {"key": "teaching", "title": "Teaching", "items": [
                {"key": "intentions", "kind": "rubric", "label": "Clear learning intentions",
                 "levels": [{"level": 1, "name": "Beginning", "descriptor": "Not shared."},
                            {"level": 2, "name": "Developing", "descriptor": "Shared."}]},
                {"key": "explain", "kind": "lookfor", "label": "Students explain their thinking"},
                {"key": "questions", "kind": "tally", "label": "Open questions"},
                {"key": "wait", "kind": "timer", "label": "Wait time"}]},
            {"key": "scan", "title": "Engagement", "items": [
                {"key": "engagement", "kind": "interval", "label": "Engagement scan",
                 "period_seconds": 120,
                 "codes": [{"key": "on-task", "label": "On task", "group": "Students"},
                           {"key": "off-task", "label": "Off task"}]}]},
            {"key": "feedback", "title": "Feedback", "items": [
                {"key": "glow", "kind": "prompt", "label": "Glow", "prompt_kind": "glow"}]}],
    }


TEACHING = ("sections", 0)
RUBRIC = (*TEACHING, "items", 0)
LOOKFOR = (*TEACHING, "items", 1)
TALLY = (*TEACHING, "items", 2)
TIMER = (*TEACHING, "items", 3)
SCAN = ("sections", 1, "items", 0)
FEEDBACK = ("sections", 2)
PROMPT = (*FEEDBACK, "items", 0)

Edit = Callable[[dict[str, Any]], Any]


def put(path: tuple, value: Any) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        target = document
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
    return edit


def drop(path: tuple) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        target = document
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]
    return edit


def levels(*numbers: int) -> list[dict[str, Any]]:
    return [{"level": n, "name": f"Level {n}", "descriptor": f"What level {n} looks like."}
            for n in numbers]


def codes(*keys: str) -> list[dict[str, Any]]:
    return [{"key": key, "label": key.capitalize()} for key in keys]


KEY_RULE = ("is made of lowercase letters, digits, dashes and underscores (at most 63), "
            "starting with a letter or digit")
KINDS = ("Observe knows these kinds of item: rubric (rated on levels), lookfor (a look-for to "
         "tick), tally (a counter), timer (timed durations), interval (an interval scan), "
         "prompt (written feedback) and participation (who speaks, from which seat)")

MAP = (*FEEDBACK, "items", 1)


def mapped(change: Callable[[dict[str, Any]], Any]) -> Edit:
    """A participation map added after the glow, then changed by `change`."""
    def edit(document: dict[str, Any]) -> None:
        item = {"key": "voices", "kind": "participation", "label": "Who speaks",
                "talk_types": [{"key": "a", "label": "Answered"},
                               {"key": "q", "label": "Asked a question"}],
                "groups": ["Front tables"]}
        change(item)
        document["sections"][2]["items"].append(item)
    return edit


CASES: list[tuple[str, Edit, list[tuple[tuple, str]]]] = [
    # A participation map's talk types and groups.
    ("talk type key of two letters", mapped(lambda i: i["talk_types"][1].update(key="as")), [
        ((*MAP, "talk_types", 1, "key"), "A talk type's key is one lowercase letter, a to z "
         "(the key pressed during the lesson): “as” is not.")]),
    ("talk type with an empty key", mapped(lambda i: i["talk_types"][1].update(key="")), [
        ((*MAP, "talk_types", 1, "key"), "Every talk type needs a key, the one letter pressed "
         "for it: “Asked a question” in “Who speaks” has none.")]),
    ("talk type without a name", mapped(lambda i: i["talk_types"][1].pop("label")), [
        ((*MAP, "talk_types", 1, "label"),
         "Every talk type needs a name: the 2nd talk type of “Who speaks” has none.")]),
    ("talk type key twice", mapped(lambda i: i["talk_types"][1].update(key="a")), [
        ((*MAP, "talk_types", 1, "key"),
         "Talk types need different keys: “a” is used twice in “Who speaks”.")]),
    ("a group's name too long", mapped(lambda i: i["groups"].append("g" * 61)), [
        ((*MAP, "groups", 1), "A group's name is at most 60 characters; the 2nd group of "
         "“Who speaks” has 61.")]),

    # A rubric's levels.
    ("one level", put((*RUBRIC, "levels"), levels(1)), [
        ((*RUBRIC, "levels"),
         "A rubric needs at least two levels: “Clear learning intentions” has 1.")]),
    ("no levels", drop((*RUBRIC, "levels")), [
        ((*RUBRIC, "levels"),
         "A rubric needs at least two levels: “Clear learning intentions” has none.")]),
    ("eleven levels", put((*RUBRIC, "levels"), levels(*range(1, 11), 10)), [
        ((*RUBRIC, "levels"),
         "A rubric has at most 10 levels: “Clear learning intentions” has 11."),
        ((*RUBRIC, "levels", 10, "level"), "Level numbers in one rubric must be different: 10 "
         "is used twice in “Clear learning intentions”.")]),
    ("level number twice", put((*RUBRIC, "levels", 1, "level"), 1), [
        ((*RUBRIC, "levels", 1, "level"), "Level numbers in one rubric must be different: 1 is "
         "used twice in “Clear learning intentions”.")]),
    ("level number three times", put((*RUBRIC, "levels"), levels(2, 2, 2)), [
        ((*RUBRIC, "levels", 1, "level"), "Level numbers in one rubric must be different: 2 is "
         "used 3 times in “Clear learning intentions”."),
        ((*RUBRIC, "levels", 2, "level"), "Level numbers in one rubric must be different: 2 is "
         "used 3 times in “Clear learning intentions”.")]),
    ("level 0", put((*RUBRIC, "levels", 0, "level"), 0), [
        ((*RUBRIC, "levels", 0, "level"), "A level number is from 1 to 10: “Beginning” in "
         "“Clear learning intentions” has 0.")]),
    ("level 11", put((*RUBRIC, "levels", 1, "level"), 11), [
        ((*RUBRIC, "levels", 1, "level"), "A level number is from 1 to 10: “Developing” in "
         "“Clear learning intentions” has 11.")]),
    ("level without a descriptor", drop((*RUBRIC, "levels", 0, "descriptor")), [
        ((*RUBRIC, "levels", 0, "descriptor"), "Every level needs a descriptor, what it looks "
         "like in class: “Beginning” in “Clear learning intentions” has none.")]),
    ("level without a name", drop((*RUBRIC, "levels", 1, "name")), [
        ((*RUBRIC, "levels", 1, "name"), "Every level needs a name: the 2nd level of “Clear "
         "learning intentions” has none.")]),
    ("level without a number", drop((*RUBRIC, "levels", 1, "level")), [
        ((*RUBRIC, "levels", 1, "level"), "Every level needs a number: “Developing” in “Clear "
         "learning intentions” has none.")]),
    ("empty descriptor", put((*RUBRIC, "levels", 0, "descriptor"), ""), [
        ((*RUBRIC, "levels", 0, "descriptor"), "Every level needs a descriptor, what it looks "
         "like in class: “Beginning” in “Clear learning intentions” has none.")]),
    ("level not an object", put((*RUBRIC, "levels", 1), "Developing"), [
        ((*RUBRIC, "levels", 1), "A level is an object with a number, a name and a descriptor: "
         "the 2nd level of “Clear learning intentions” is the text “Developing”.")]),
    # An interval scan's period and codes.
    ("period 5", put((*SCAN, "period_seconds"), 5), [
        ((*SCAN, "period_seconds"),
         "An interval scan needs a period of at least 10 seconds: “Engagement scan” has 5.")]),
    ("period two hours", put((*SCAN, "period_seconds"), 7200), [
        ((*SCAN, "period_seconds"), "An interval scan needs a period of at most 3600 seconds "
         "(an hour): “Engagement scan” has 7200.")]),
    ("no period", drop((*SCAN, "period_seconds")), [
        ((*SCAN, "period_seconds"),
         "An interval scan needs a period, in seconds: “Engagement scan” has none.")]),
    ("a fraction of a period", put((*SCAN, "period_seconds"), 60.0), [
        ((*SCAN, "period_seconds"), "An interval scan's period is a whole number, not 60.0, "
         "in “Engagement scan”.")]),
    ("period as text", put((*SCAN, "period_seconds"), "two minutes"), [
        ((*SCAN, "period_seconds"), "An interval scan's period is a whole number, not the "
         "text “two minutes”, in “Engagement scan”.")]),
    ("no codes", put((*SCAN, "codes"), []), [
        ((*SCAN, "codes"),
         "An interval scan needs at least one code: “Engagement scan” has none.")]),
    ("codes missing", drop((*SCAN, "codes")), [
        ((*SCAN, "codes"),
         "An interval scan needs at least one code: “Engagement scan” has none.")]),
    ("41 codes", put((*SCAN, "codes"), codes(*(f"code-{n}" for n in range(41)))), [
        ((*SCAN, "codes"), "An interval scan has at most 40 codes: “Engagement scan” has 41.")]),
    ("code twice", put((*SCAN, "codes", 1, "key"), "on-task"), [
        ((*SCAN, "codes", 1, "key"), "Codes in one scan must be different: “on-task” is used "
         "twice in “Engagement scan”.")]),
    ("code without a label", drop((*SCAN, "codes", 1, "label")), [
        ((*SCAN, "codes", 1, "label"),
         "Every code needs a label: the 2nd code of “Engagement scan” has none.")]),
    ("code without a key", drop((*SCAN, "codes", 1, "key")), [
        ((*SCAN, "codes", 1, "key"),
         "Every code needs a key: “Off task” in “Engagement scan” has none.")]),
    ("code key with spaces", put((*SCAN, "codes", 0, "key"), "On Task"), [
        ((*SCAN, "codes", 0, "key"), f"A code key {KEY_RULE}: “On Task” is not.")]),
    ("empty code group", put((*SCAN, "codes", 0, "group"), ""), [
        ((*SCAN, "codes", 0, "group"), "A code group cannot be empty: the group of “On task” "
         "in “Engagement scan” is empty.")]),
    # Fields that belong to another kind of item.
    ("levels on a tally", put((*TALLY, "levels"), levels(1, 2)), [
        ((*TALLY, "levels"), "Only rubric items have levels: “Open questions” is a tally.")]),
    ("a period on a timer", put((*TIMER, "period_seconds"), 60), [
        ((*TIMER, "period_seconds"), "Only interval scans have a period: “Wait time” is a "
         "timer.")]),
    ("codes on a rubric", put((*RUBRIC, "codes"), codes("yes")), [
        ((*RUBRIC, "codes"), "Only interval scans have codes: “Clear learning intentions” is a "
         "rubric.")]),
    ("a prompt kind on a look-for", put((*LOOKFOR, "prompt_kind"), "glow"), [
        ((*LOOKFOR, "prompt_kind"), "Only prompts have a prompt kind: “Students explain their "
         "thinking” is a look-for.")]),
    # Items.
    ("item key twice", put((*LOOKFOR, "key"), "intentions"), [
        ((*LOOKFOR, "key"),
         "Item keys must be different across the protocol: “intentions” is used twice.")]),
    ("item key twice in two sections", put((*PROMPT, "key"), "engagement"), [
        ((*PROMPT, "key"),
         "Item keys must be different across the protocol: “engagement” is used twice.")]),
    ("item key with spaces", put((*LOOKFOR, "key"), "My Key"), [
        ((*LOOKFOR, "key"), f"An item key {KEY_RULE}: “My Key” is not.")]),
    ("item key with a line break", put((*LOOKFOR, "key"), "explain\n"), [
        ((*LOOKFOR, "key"), f"An item key {KEY_RULE}: “explain\\n” is not.")]),
    ("item without a key", drop((*LOOKFOR, "key")), [
        ((*LOOKFOR, "key"),
         "Every item needs a key: “Students explain their thinking” has none.")]),
    ("item without a label", drop((*LOOKFOR, "label")), [
        ((*LOOKFOR, "label"), "Every item needs a label.")]),
    ("item with an empty label", put((*LOOKFOR, "label"), ""), [
        ((*LOOKFOR, "label"), "Every item needs a label.")]),
    ("item label of spaces", put((*LOOKFOR, "label"), " \u200b\u00a0"), [
        ((*LOOKFOR, "label"), "An item label needs a letter, digit or sign that shows: the "
         "label of the 2nd item of “Teaching” has only spaces or invisible characters.")]),
    ("item label on two lines", put((*LOOKFOR, "label"), "Students\nexplain"), [
        ((*LOOKFOR, "label"), "An item label is plain text on one line: the label of the 2nd "
         "item of “Teaching” holds a line break (U+000A).")]),
    ("a bell in a description", put((*LOOKFOR, "description"), "Ring \x07"), [
        ((*LOOKFOR, "description"), "An item description is plain text: the description of "
         "“Students explain their thinking” holds the control character U+0007.")]),
    ("item label too long", put((*TALLY, "label"), "Open questions " * 21), [
        ((*TALLY, "label"), "An item label is at most 300 characters; the label of “Open "
         "questions Open questions Open questions Open questions…” has 315.")]),
    ("item label a list", put((*LOOKFOR, "label"), ["Students", "explain"]), [
        ((*LOOKFOR, "label"),
         "An item label is a text, not a list, in the 2nd item of “Teaching”.")]),
    ("item without a kind", drop((*LOOKFOR, "kind")), [
        ((*LOOKFOR, "kind"),
         "Every item needs a kind: “Students explain their thinking” has none.")]),
    ("unknown kind", put((*TALLY, "kind"), "stopwatch"), [
        ((*TALLY, "kind"), f"{KINDS}; “Open questions” has “stopwatch”.")]),
    ("unknown field on an item", put((*TALLY, "colour"), "red"), [
        ((*TALLY, "colour"),
         "The item “Open questions” has a field Observe does not know: “colour”.")]),
    ("item not an object", put((*FEEDBACK, "items", 0), 7), [
        ((*FEEDBACK, "items", 0), "An item is an object with a key, a kind and a label: the 1st "
         "item of “Feedback” is 7.")]),
    ("unknown prompt kind", put((*PROMPT, "prompt_kind"), "praise"), [
        ((*PROMPT, "prompt_kind"), "A prompt's kind is glow, grow, next_step or other: the "
         "prompt kind of “Glow” is “praise”.")]),
    # Sections.
    ("section without items", put((*FEEDBACK, "items"), []), [
        ((*FEEDBACK, "items"), "A section needs at least one item: “Feedback” has none.")]),
    ("section items missing", drop((*FEEDBACK, "items")), [
        ((*FEEDBACK, "items"), "A section needs at least one item: “Feedback” has none.")]),
    ("101 items", put((*FEEDBACK, "items"), [
        {"key": f"glow-{n}", "kind": "prompt", "label": "Glow"} for n in range(101)]), [
        ((*FEEDBACK, "items"), "A section has at most 100 items: “Feedback” has 101.")]),
    ("section without a title", drop((*FEEDBACK, "title")), [
        ((*FEEDBACK, "title"), "Every section needs a title.")]),
    ("section without a key", drop((*FEEDBACK, "key")), [
        ((*FEEDBACK, "key"), "Every section needs a key: “Feedback” has none.")]),
    ("section key twice", put((*FEEDBACK, "key"), "teaching"), [
        ((*FEEDBACK, "key"),
         "Section keys must be different across the protocol: “teaching” is used twice.")]),
    ("section key with capitals", put((*FEEDBACK, "key"), "Feedback"), [
        ((*FEEDBACK, "key"), f"A section key {KEY_RULE}: “Feedback” is not.")]),
    ("section not an object", put(("sections", 1), "Engagement"), [
        (("sections", 1), "A section is an object with a key, a title and items: the 2nd "
         "section is the text “Engagement”.")]),
    ("unknown field on a section", put((*FEEDBACK, "colour"), "red"), [
        ((*FEEDBACK, "colour"),
         "The section “Feedback” has a field Observe does not know: “colour”.")]),
    # The protocol itself.
    ("no name", drop(("name",)), [(("name",), "A protocol needs a name.")]),
    ("empty name", put(("name",), ""), [(("name",), "A protocol needs a name.")]),
    ("name too long", put(("name",), "n" * 250), [
        (("name",), "A protocol name is at most 200 characters; this one has 250.")]),
    ("name with a bell", put(("name",), "Walk\x07"), [
        (("name",), "A protocol name is plain text on one line: this one holds the control "
         "character U+0007.")]),
    ("description too long", put(("description",), "d" * 4001), [
        (("description",),
         "A protocol description is at most 4,000 characters; this one has 4,001.")]),
    ("no description", drop(("description",)), [
        (("description",), "A protocol needs a description, even an empty one.")]),
    ("no id", drop(("id",)), [
        (("id",), "A protocol needs an id: a short name of lowercase letters, digits and "
         "dashes, such as “peer-observation”.")]),
    ("id with spaces", put(("id",), "Learning Walk!"), [
        (("id",), "A protocol id is made of 3 to 64 lowercase letters, digits and dashes, "
         "starting and ending with a letter or digit: “Learning Walk!” is not.")]),
    ("no licence", drop(("license",)), [
        (("license",), "A protocol needs a licence: who may use it, and how.")]),
    ("empty licence", put(("license",), ""), [
        (("license",), "A protocol needs a licence: who may use it, and how.")]),
    ("no source", drop(("source",)), [
        (("source",), "A protocol needs a source: who wrote it, or where it comes from.")]),
    ("no version", drop(("version",)), [(("version",), "A protocol needs a version number.")]),
    ("version as text", put(("version",), "one"), [
        (("version",), "A protocol version is a whole number, not the text “one”.")]),
    ("version 0", put(("version",), 0), [
        (("version",), "A protocol version is at least 1: this one is 0.")]),
    ("version 2.0", put(("version",), 2.0), [
        (("version",), "A protocol version is a whole number, not 2.0.")]),
    ("version infinite", put(("version",), float("inf")), [
        (("version",), "A protocol version is a whole number, not an infinite number.")]),
    ("a lesson of 900 minutes", put(("duration_minutes",), 900), [
        (("duration_minutes",), "A protocol's length is 1 to 600 minutes: this one is 900.")]),
    ("format 2", put(("format",), 2), [
        (("format",), "This file says it is in protocol format 2, and Observe reads format 1: "
         "it may come from a newer Observe.")]),
    ("no sections", drop(("sections",)), [
        (("sections",), "A protocol needs at least one section.")]),
    ("empty sections", put(("sections",), []), [
        (("sections",), "A protocol needs at least one section.")]),
    ("sections an object", put(("sections",), {"teaching": []}), [
        (("sections",), "The sections of a protocol are a list, not an object.")]),
    ("51 sections", put(("sections",), [
        {"key": f"s{n}", "title": "S", "items": [{"key": f"i{n}", "kind": "tally",
                                                  "label": "Count"}]} for n in range(51)]), [
        (("sections",), "A protocol has at most 50 sections; this one has 51.")]),
    ("unknown field on the protocol", put(("author",), "Ana"), [
        (("author",), "This protocol has a field Observe does not know: “author”.")]),
]


@pytest.mark.parametrize(("edit", "expected"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_each_problem_is_one_sentence_at_its_path(
        edit: Edit, expected: list[tuple[tuple, str]]) -> None:
    document = protocol()
    edit(document)
    found = loader.problems(document)
    assert [(p.path, p.sentence) for p in found] == expected
    with pytest.raises(ProtocolFileError) as refused:
        loader.validate_document(document, "our-walk.json")
    path, sentence = expected[0]
    assert refused.value.sentence_text == sentence
    assert refused.value.json_path == loader.json_path(path)
    assert str(refused.value) == f"our-walk.json: {sentence} (at {loader.json_path(path)})"


def test_a_good_protocol_has_no_problems_and_every_built_in_neither() -> None:
    assert loader.problems(protocol()) == []
    assert loader.validate_document(protocol(), "our-walk.json") == protocol()
    for path in loader.builtin_files():
        assert loader.problems(json.loads(path.read_text("utf-8"))) == [], path.name


def test_a_document_that_is_not_an_object_has_no_path_in_its_refusal() -> None:
    assert loader.problems([1, 2]) == [ProtocolProblem(
        (), "A protocol file holds one JSON object, in braces { }: this file holds a list.")]
    with pytest.raises(ProtocolFileError) as refused:
        loader.validate_document([1, 2], "list.json")
    assert refused.value.json_path == ""
    assert str(refused.value) == ("list.json: A protocol file holds one JSON object, in braces "
                                  "{ }: this file holds a list.")


def test_every_problem_is_found_in_document_order() -> None:
    """The builder shows each problem beside its field: one check finds them all."""
    document = protocol()
    del document["name"]
    document["sections"][0]["items"][0]["levels"] = levels(1)
    document["sections"][0]["items"][1]["key"] = "intentions"
    document["sections"][1]["items"][0]["period_seconds"] = 5
    document["sections"][1]["items"][0]["codes"][1]["key"] = "on-task"
    document["sections"][2]["items"] = []
    found = loader.problems(document)
    assert [p.json_path for p in found] == [
        "$.name", "$.sections[0].items[0].levels", "$.sections[0].items[1].key",
        "$.sections[1].items[0].period_seconds", "$.sections[1].items[0].codes[1].key",
        "$.sections[2].items"]
    assert found[0].sentence == "A protocol needs a name."
    with pytest.raises(ProtocolFileError, match=r"^our-walk\.json: A protocol needs a name\. "
                                                r"\(at \$\.name\)$"):
        loader.validate_document(document, "our-walk.json")


def test_parts_without_a_usable_label_are_named_by_their_place() -> None:
    document = protocol()
    document["sections"][0]["title"] = "\u200b"
    document["sections"][0]["items"][0]["label"] = "\t"
    document["sections"][0]["items"][0]["levels"] = levels(1)
    found = {p.json_path: p.sentence for p in loader.problems(document)}
    assert found["$.sections[0].items[0].levels"] == (
        "A rubric needs at least two levels: the 1st item of the 1st section has 1.")
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st",
        "111th"]


def test_a_registered_kind_without_problems_of_its_own_may_return_none() -> None:
    """A kind's check returns its problems; one with no rules may return None or []."""
    from observe_app import kinds

    for kind in kinds.all_kinds():
        assert kind.check({"key": "k", "kind": kind.name, "label": "L"}, "“L”") == []


@pytest.mark.parametrize(("content", "sentence"), [
    (b"", "The file is empty: a protocol file holds a JSON document."),
    (b"\xef\xbb\xbf  \n", "The file is empty: a protocol file holds a JSON document."),
    ("{}".encode("utf-16"), "The file is saved as UTF-16 or UTF-32 text; save it as UTF-8 and "
     "try again."),
    ('{"name": "Walk"}'.encode("utf-16-le"), "The file is saved as UTF-16 or UTF-32 text; save "
     "it as UTF-8 and try again."),
    (b'{"a": "\x00"}', "The file holds NUL bytes, so it is not JSON text. Check it was saved "
     "from a protocol, not a spreadsheet or a web page."),
    ('{"name": "Caf\u00e9"}'.encode("latin-1"), "The file is not UTF-8 text: byte 13 is not "
     "UTF-8. Save it as UTF-8 and try again."),
    (b'{"id": "a", "id": "b"}', "The field “id” appears twice in one object of the file; "
     "write each field once."),
    (b'{"version": NaN}', "The file holds NaN, which is not a number JSON allows; write an "
     "ordinary number."),
    (b'{"version": -Infinity}', "The file holds -Infinity, which is not a number JSON allows; "
     "write an ordinary number."),
    (b'{"id": \n', "The file is not valid JSON: line 2, column 1 (Expecting value). Check it "
     "was saved from a protocol, not a spreadsheet or a web page."),
    (b"<html>not a protocol</html>", "The file is not valid JSON: line 1, column 1 (Expecting "
     "value). Check it was saved from a protocol, not a spreadsheet or a web page."),
    (b"[" * 100_000 + b"]" * 100_000, "The file is nested too deeply to be a protocol."),
    (b'{"version": ' + b"9" * 4400 + b"}", "A number in the file is far too long; a protocol "
     "holds ordinary whole numbers."),
    (b" " * 5 + b"{}" + b" " * loader.MAX_BYTES, "The file is too large for a protocol: "
     "1,000,007 bytes, and a protocol is at most 1,000,000."),
])
def test_a_file_that_holds_no_json_document_says_why(content: bytes, sentence: str) -> None:
    with pytest.raises(ProtocolFileError) as refused:
        loader.parse_bytes(content, "mine.json")
    assert refused.value.sentence_text == sentence
    assert refused.value.json_path == ""
    assert str(refused.value) == f"mine.json: {sentence}"


def test_a_missing_file_says_so(tmp_path: Any) -> None:
    with pytest.raises(ProtocolFileError) as refused:
        loader.read_document(tmp_path / "gone.json")
    assert str(refused.value) == f"{tmp_path / 'gone.json'}: There is no such file."


# ---- whatever it is given, problems() answers in sentences and never raises -----------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "name", "key", "kind", "label", "levels", "codes", "items",
                         "sections", "level", "period_seconds", "x"]) | st.text(max_size=4),
        inner, max_size=5),
    max_leaves=20)


def _places(value: Any, here: tuple = ()) -> list[tuple]:
    out = [here]
    if isinstance(value, dict):
        for key, inner in value.items():
            out += _places(inner, (*here, key))
    elif isinstance(value, list):
        for n, inner in enumerate(value):
            out += _places(inner, (*here, n))
    return out


def _check_answer(document: Any) -> None:
    found = loader.problems(document)
    assert len({p.path for p in found}) == len(found)  # one problem a place
    for problem in found:
        assert problem.sentence[:1].isupper() and problem.sentence.endswith("."), problem
        assert "\n" not in problem.sentence, problem
        assert problem.json_path.startswith("$")
        assert not problem.path or problem.json_path not in problem.sentence, problem
    if found:
        with pytest.raises(ProtocolFileError):
            loader.validate_document(document, "any.json")
    else:
        assert loader.validate_document(document, "any.json") is document


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=JSON)
def test_any_json_value_gets_sentences(document: Any) -> None:
    _check_answer(document)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_protocol_with_anything_put_anywhere_gets_sentences(data: st.DataObject) -> None:
    document = protocol()
    for _ in range(data.draw(st.integers(1, 4))):
        place = data.draw(st.sampled_from(_places(document)[1:]))
        changed = copy.deepcopy(document)
        put(place, data.draw(JSON))(changed)
        document = changed
    _check_answer(document)
