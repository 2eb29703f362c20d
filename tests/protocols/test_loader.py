"""The protocol loader: built-ins validate; a bad file is refused with its name, the reason in a
sentence, and the JSON path as the detail."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from observe_app.protocols import loader
from observe_app.protocols.loader import ProtocolFileError


@pytest.fixture
def good() -> dict:
    return loader.load_file(loader.resource_path("protocols", "peer-observation.json"))


def _write(tmp_path: Path, content: bytes, name: str = "mine.json") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_eight_builtins_validate_with_license_and_source() -> None:
    files = loader.builtin_files()
    assert {f.stem for f in files} == {
        "peer-observation",
        "learning-walk",
        "new-teacher-growth",
        "engagement-interval-scan",
        "questioning-wait-time",
        "classroom-discourse-scan",
        "questioning-wait-time-engagement",
        "participation-and-talk",
    }
    for f in files:
        doc = loader.load_file(f)
        assert doc["license"] and doc["source"]


def test_growth_rubric_has_five_domains_with_four_levels() -> None:
    doc = loader.load_file(loader.resource_path("protocols", "new-teacher-growth.json"))
    domains = [s for s in doc["sections"] if all(i["kind"] == "rubric" for i in s["items"])]
    assert len(domains) == 5
    for domain in domains:
        assert 3 <= len(domain["items"]) <= 4
        for item in domain["items"]:
            assert [lv["level"] for lv in item["levels"]] == [1, 2, 3, 4]


def test_interval_scan_prompts_every_two_minutes() -> None:
    doc = loader.load_file(loader.resource_path("protocols", "engagement-interval-scan.json"))
    scan = doc["sections"][0]["items"][0]
    assert scan["period_seconds"] == 120
    labels = {c["label"] for c in scan["codes"]}
    assert {"Listening", "Group work", "Questioning", "Waiting"} <= labels


def test_discourse_scan_cites_copus_and_codes_students_and_the_teacher() -> None:
    doc = loader.load_file(loader.resource_path("protocols", "classroom-discourse-scan.json"))
    [scan] = [i for s in doc["sections"] for i in s["items"] if i["kind"] == "interval"]
    assert scan["period_seconds"] == 120
    assert {c["group"] for c in scan["codes"]} == {"Students", "Teacher"}
    # Every code is explained, in the item's description, by its label.
    assert all(f"{c['label']}:" in scan["description"] for c in scan["codes"])
    assert doc["source"].startswith("Smith, M. K., Jones, F. H. M., Gilbert, S. L., & "
                                    "Wieman, C. E. (2013).")
    assert "CBE—Life Sciences Education, 12(4), 618–627" in doc["source"]
    assert "Observe's own wording, inspired by COPUS" in doc["description"]
    assert doc["license"] == "CC BY 4.0, written for Observe"
    prompts = [i["prompt_kind"] for s in doc["sections"] for i in s["items"]
               if i["kind"] == "prompt"]
    assert prompts == ["glow", "grow", "next_step"]


def test_the_mixed_protocol_records_five_kinds_in_one_visit() -> None:
    doc = loader.load_file(loader.resource_path("protocols",
                                                "questioning-wait-time-engagement.json"))
    kinds = [i["kind"] for s in doc["sections"] for i in s["items"]]
    assert set(kinds) == {"lookfor", "tally", "timer", "interval", "prompt"}
    [scan] = [i for s in doc["sections"] for i in s["items"] if i["kind"] == "interval"]
    assert scan["period_seconds"] == 180


def test_schema_failure_names_file_path_and_expectation(tmp_path: Path, good: dict) -> None:
    bad = copy.deepcopy(good)
    del bad["sections"][0]["items"][1]["label"]
    path = _write(tmp_path, json.dumps(bad).encode())
    with pytest.raises(ProtocolFileError) as info:
        loader.load_file(path)
    err = info.value
    assert err.source == "mine.json"
    assert err.json_path == "$.sections[0].items[1].label"
    assert err.sentence_text == "Every item needs a label."
    assert str(err) == "mine.json: Every item needs a label. (at $.sections[0].items[1].label)"
    assert err.sentence() == str(err)  # the window shows it as it is, the path as the detail


def test_wrong_kind_says_which_kinds_are_allowed(tmp_path: Path, good: dict) -> None:
    bad = copy.deepcopy(good)
    bad["sections"][0]["items"][0]["kind"] = "stopwatch"
    with pytest.raises(ProtocolFileError) as refused:
        loader.load_file(_write(tmp_path, json.dumps(bad).encode()))
    assert refused.value.json_path == "$.sections[0].items[0].kind"
    assert refused.value.sentence_text.startswith(
        "Observe knows these kinds of item: rubric (rated on levels), lookfor (a look-for to "
        "tick), tally (a counter), timer (timed durations), interval (an interval scan), "
        "prompt (written feedback) and participation (who speaks, from which seat); “")
    assert refused.value.sentence_text.endswith("” has “stopwatch”.")


def test_rubric_without_levels_is_refused(tmp_path: Path, good: dict) -> None:
    bad = copy.deepcopy(good)
    bad["sections"][0]["items"][0]["kind"] = "rubric"
    bad["sections"][0]["items"][0].pop("levels", None)
    with pytest.raises(ProtocolFileError, match="levels"):
        loader.load_file(_write(tmp_path, json.dumps(bad).encode()))


def test_duplicate_item_keys_are_refused(tmp_path: Path, good: dict) -> None:
    bad = copy.deepcopy(good)
    items = bad["sections"][0]["items"]
    items[1]["key"] = items[0]["key"]
    with pytest.raises(ProtocolFileError, match="used twice"):
        loader.load_file(_write(tmp_path, json.dumps(bad).encode()))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b'{"id": ', "not valid JSON: line 1, column 8"),
        (b"[1, 2, 3]", "holds one JSON object, in braces { }: this file holds a list"),
        ('{"name": "Caf\u00e9"}'.encode("latin-1"), "not UTF-8"),
        ("{}".encode("utf-16"), "saved as UTF-16"),
        (b'{"a": "\x00"}', "NUL bytes"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_broken_files_are_refused_with_the_reason(
    tmp_path: Path, content: bytes, message: str
) -> None:
    with pytest.raises(ProtocolFileError, match=message) as info:
        loader.load_file(_write(tmp_path, content))
    assert "mine.json" in str(info.value)


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = _write(tmp_path, b" " * (loader.MAX_BYTES + 1))
    with pytest.raises(ProtocolFileError, match="too large"):
        loader.load_file(path)


def test_utf8_bom_is_accepted(tmp_path: Path, good: dict) -> None:
    path = _write(tmp_path, b"\xef\xbb\xbf" + json.dumps(good).encode())
    assert loader.load_file(path)["id"] == good["id"]


def test_content_hash_ignores_version_and_key_order(good: dict) -> None:
    reordered = dict(reversed(list(good.items())))
    assert loader.content_hash(reordered) == loader.content_hash(good | {"version": 7})
    assert loader.content_hash(good | {"name": "Other"}) != loader.content_hash(good)


def _scan() -> dict:
    return json.loads(loader.resource_path("protocols/engagement-interval-scan.json")
                      .read_text(encoding="utf-8"))


def _set(document: dict, path: tuple, value: object) -> dict:
    target = document
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return document


ITEM = ("sections", 0, "items", 0)


@pytest.mark.parametrize(("path", "value", "expected"), [
    # A fraction where a whole number belongs broke the live scan on every tick.
    ((*ITEM, "period_seconds"), 60.0, "An interval scan's period is a whole number, not 60.0"),
    (("version",), 2.0, "A protocol version is a whole number, not 2.0."),
    # JSON Schema's `$` matches before a final newline.
    (("id",), "my-scan\n", "A protocol id is made of 3 to 64 lowercase letters, digits and "
     "dashes, starting and ending with a letter or digit: “my-scan\\n” is not."),
    ((*ITEM, "key"), "scan\n", "An item key is made of lowercase letters, digits, dashes and "
     "underscores (at most 63), starting with a letter or digit: “scan\\n” is not."),
    (("name",), " \u200b\u00a0", "A protocol name needs a letter, digit or sign that shows: "
     "this one has only spaces or invisible characters."),
    ((*ITEM, "label"), "\t", "An item label needs a letter, digit or sign that shows: the "
     "label of the 1st item of “Interval scan” has only spaces or invisible characters."),
    (("sections", 0, "title"), "\ud800 scan", "half of a character (U+D800)"),
])
def test_what_the_schema_lets_through_and_the_app_cannot_use_is_refused(
        tmp_path: Path, path: tuple, value: object, expected: str) -> None:
    document = _set(_scan(), path, value)
    raw = json.dumps(document).encode()  # json.dumps escapes a lone surrogate as \ud800
    with pytest.raises(ProtocolFileError) as refused:
        loader.load_file(_write(tmp_path, raw))
    assert expected in str(refused.value)
    assert refused.value.json_path == loader.json_path(path)


def test_a_number_of_thousands_of_digits_is_refused_without_a_traceback(tmp_path: Path) -> None:
    raw = json.dumps(_scan()).replace('"version": 1', '"version": ' + "9" * 4400).encode()
    with pytest.raises(ProtocolFileError, match="far too long"):
        loader.load_file(_write(tmp_path, raw))


@pytest.mark.parametrize(("path", "value", "expected"), [
    # jsonschema starts its messages with the value: a long one pushed the reason past the cut.
    (("name",), "Walk " * 100, "A protocol name is at most 200 characters; this one has 500. "
     "(at $.name)"),
    ((*ITEM, "kind"), "interval " * 40, "which seat); “Every 2 minutes: what are students "
     "and the teacher doing?” has “interval interval interval interval int…”. "
     "(at $.sections[0].items[0].kind)"),
    (("sections", 0, "items"), [], "A section needs at least one item: “Interval scan” has "
     "none. (at $.sections[0].items)"),
    ((*ITEM, "period_seconds"), 10 ** 80, "An interval scan needs a period of at most 3600 "
     "seconds (an hour): “Every 2 minutes: what are students and the teacher doing?” has a "
     "number of more than 60 digits. (at $.sections[0].items[0].period_seconds)"),
    (("x" * 500,), 1, "This protocol has a field Observe does not know: “xxxxxxxx"),
])
def test_a_long_value_is_shortened_and_the_reason_kept_whole(
        tmp_path: Path, path: tuple, value: object, expected: str) -> None:
    document = _set(_scan(), path, value)
    with pytest.raises(ProtocolFileError) as refused:
        loader.load_file(_write(tmp_path, json.dumps(document).encode()))
    message = str(refused.value)
    assert expected in message
    assert "..." not in message and len(message) < 400
    assert message.endswith(")") and message.count(" (at $") == 1
