"""Thousands of broken protocol files: each is refused in a whole sentence, or stored whole.

The corpus is made here, from fixed seeds, by mutating the built-in protocols and the test
protocol (wrong types, fractions, huge numbers, lone surrogates, line breaks in ids and keys,
invisible names, duplicate ids and keys, missing fields, deep nesting, long text, built-in ids,
unknown kinds, bad periods and codes, broken encodings and JSON, and mixtures of these).

Each file goes the way `observe-app protocols import FILE` takes it (`loader.load_file`, then
`import_document` in one transaction) and must end one of two ways:
- refused with an ObserveError whose message is whole: the file name, what is wrong in a
  sentence (with the line and column of broken JSON), then the JSON path as the detail, with
  values shortened inside their quotes and never the reason; the database and its WAL byte for
  byte as before;
- stored, and every value read back through the services is one the app can use.
No traceback and no hang (each case has a deadline). Four shards keep each test short.
"""

from __future__ import annotations

import copy
import json
import random
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from observe_app.domain.plain_text import bad_character, has_visible
from observe_app.errors import BuiltinProtocolError, ObserveError, as_sentence
from observe_app.protocols import loader
from observe_app.protocols.loader import ProtocolFileError
from observe_app.services import protocols
from observe_app.storage.engine import Database
from observe_app.storage.opening import open_database
from tests.fuzz_helpers import report, run_shard

SEED = 20261123
COUNT = 3200
SHARDS = 4
ROOT = Path(__file__).resolve().parent.parent
SOURCES = [*loader.builtin_files(), ROOT / "tests" / "data" / "soak-protocol.json"]
BUILTIN_IDS = [json.loads(p.read_text("utf-8"))["id"] for p in loader.builtin_files()]
ID = re.compile(r"[a-z0-9][a-z0-9-]{1,62}[a-z0-9]")
INVISIBLE = ["", " ", "\u200b", "\u200e\u200f", "\u00a0", "\t", "\u3000", "\ufeff", "\u202e",
             "\u2060", "\u0301", "\u200d\u200c", " \u2028 ", "\u180e", "\u115f"]
CONTROLS = ["\x00", "\x07", "\x1b[31m", "\x08", "\x7f", "\x85", "\x9b", "\r", "\n", "\x0b",
            "\u2028", "\u2029"]
JUNK = [None, True, False, 0, -1, "", "x", [], {}, [1], {"a": 1}, 1.5, "1", 10 ** 20]


# ---- the corpus -----------------------------------------------------------------------------

def _paths(value: Any, here: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    yield here, value
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, (*here, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _paths(inner, (*here, index))


def _set(document: Any, path: tuple, value: Any) -> None:
    target = document
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


def _pick(rng: random.Random, document: Any, test: Callable[[tuple, Any], bool]) -> tuple | None:
    found = [p for p, v in _paths(document) if p and test(p, v)]
    return rng.choice(found) if found else None


def _items(document: dict) -> list[dict]:
    return [i for s in document.get("sections", []) if isinstance(s, dict)
            for i in s.get("items", []) if isinstance(i, dict)]


def m_wrong_type(rng, d):
    path = _pick(rng, d, lambda p, v: True)
    if path:
        _set(d, path, copy.deepcopy(rng.choice(JUNK)))
    return d


def m_float(rng, d):
    path = _pick(rng, d, lambda p, v: isinstance(v, int) and not isinstance(v, bool))
    if path:
        _set(d, path, rng.choice([1.0, 2.5, 1e2, -0.0, 120.0000001, 1e308, 60.0, 0.5]))
    return d


def m_huge(rng, d):
    path = _pick(rng, d, lambda p, v: isinstance(v, int) and not isinstance(v, bool))
    if not path:
        return d
    digits = rng.choice([19, 20, 30, 300, 4000, 4299, 4301, 6000])
    sign = rng.choice(["", "-"])
    marker = "__HUGE__"
    _set(d, path, marker)
    text = json.dumps(d).replace(f'"{marker}"', sign + "9" * digits)
    return text.encode()


def m_surrogate(rng, d):
    path = _pick(rng, d, lambda p, v: isinstance(v, str))
    if path:
        value = rng.choice(["\ud800", "\udfff", "x\udc80y", "\udbff\ud800"])
        _set(d, path, value + "scan" if rng.random() < 0.5 else value)
    return d


def m_newline_in_code(rng, d):
    path = _pick(rng, d, lambda p, v: p[-1] in ("id", "key") and isinstance(v, str))
    if path:
        old = _get(d, path)
        cut = rng.randrange(len(old) + 1)
        _set(d, path, rng.choice([old + "\n", "\n" + old, old[:cut] + "\r\n" + old[cut:],
                                  old + " ", "\t" + old, old + "\u2028"]))
    return d


def _get(d: Any, path: tuple) -> Any:
    for part in path:
        d = d[part]
    return d


def m_invisible_name(rng, d):
    path = _pick(rng, d, lambda p, v: p[-1] in ("name", "title", "label") and isinstance(v, str))
    if path:
        _set(d, path, "".join(rng.choice(INVISIBLE) for _ in range(rng.randint(1, 4))))
    return d


def m_duplicate(rng, d):
    kind = rng.randrange(5)
    sections = d["sections"]
    items = _items(d)
    if kind == 0 and len(sections) > 1:
        sections[-1]["key"] = sections[0]["key"]
    elif kind == 1 and len(items) > 1:
        items[-1]["key"] = items[0]["key"]
    elif kind == 2:
        rubric = [i for i in items if i.get("levels")]
        if rubric:
            levels = rng.choice(rubric)["levels"]
            levels[-1]["level"] = levels[0]["level"]
    elif kind == 3:
        coded = [i for i in items if i.get("codes")]
        if coded and len(coded[0]["codes"]) > 1:
            codes = rng.choice(coded)["codes"]
            codes[-1]["key"] = codes[0]["key"]
    else:  # the same key twice in one JSON object
        text = json.dumps(d)
        return text.replace('"name": ', '"name": "Twice", "name": ', 1).encode()
    return d


def m_missing(rng, d):
    path = _pick(rng, d, lambda p, v: isinstance(p[-1], str))
    if path:
        parent = _get(d, path[:-1])
        del parent[path[-1]]
    return d


def m_nesting(rng, d):
    depth = rng.choice([10, 60, 500, 990, 3000, 100_000])
    path = _pick(rng, d, lambda p, v: True) or ("extra",)
    marker = "__DEEP__"
    _set(d, path, marker)
    opening, closing = rng.choice([("[", "]"), ('{"a":', "}")])
    inner = opening * depth + ("1" if opening != "[" else "") + closing * depth
    return json.dumps(d).replace(f'"{marker}"', inner).encode()


def m_long(rng, d):
    path = _pick(rng, d, lambda p, v: isinstance(v, str))
    if path:
        n = rng.choice([64, 65, 101, 201, 301, 501, 2001, 4001, 100_000, 600_000])
        _set(d, path, rng.choice(["x", "é", "言", "ab "]) * n)
    return d


def m_builtin_id(rng, d):
    d["id"] = rng.choice(BUILTIN_IDS)
    if rng.random() < 0.3:
        d.update(json.loads(Path(loader.resource_path("protocols", d["id"] + ".json"))
                            .read_text("utf-8")))  # the built-in unchanged: allowed
    return d


def m_kind(rng, d):
    items = _items(d)
    if items:
        item = rng.choice(items)
        item["kind"] = rng.choice(["essay", "Rubric", "RUBRIC", "", "rubric ", "look-for",
                                   "checklist", 5, None, "interval", "rubric", "prompt"])
    return d


def m_period(rng, d):
    items = _items(d)
    if items:
        item = rng.choice(items)
        item["period_seconds"] = rng.choice([0, 9, 10, 3600, 3601, -120, "120", 120.5, None,
                                             True, 10 ** 12, 60.0])
        if rng.random() < 0.5:
            item["kind"] = "interval"
    return d


def m_codes(rng, d):
    items = _items(d)
    if not items:
        return d
    item = rng.choice(items)
    choice = rng.randrange(8)
    codes = [{"key": f"c{n}", "label": f"Code {n}"} for n in range(rng.randint(1, 4))]
    item["codes"] = [
        [], [{"key": f"c{n}", "label": "L"} for n in range(41)],
        codes + [dict(codes[0])], [{"key": "c"}], [{"key": "c", "label": ""}],
        [{"key": "Code", "label": "L"}], [{"key": "c", "label": "L", "group": ""}],
        {"key": "c", "label": "L"}][choice]
    if rng.random() < 0.5:
        item["kind"], item["period_seconds"] = "interval", 120
    return d


def m_levels(rng, d):
    items = _items(d)
    if not items:
        return d
    item = rng.choice(items)
    item["kind"] = "rubric"
    base = [{"level": n, "name": f"L{n}", "descriptor": "Seen"} for n in range(1, 5)]
    item["levels"] = rng.choice([
        [], base[:1], [*base, *({"level": n, "name": "x", "descriptor": "y"}
                                for n in range(5, 12))],
        [dict(base[0], level=0), *base[1:]], [dict(base[0], level=11), *base[1:]],
        [dict(base[0], name=""), *base[1:]], [dict(base[0], descriptor="d" * 2001), *base[1:]],
        [dict(base[0], level="1"), *base[1:]], base])
    return d


def m_extra_field(rng, d):
    targets = [d, *d["sections"], *_items(d)]
    target = rng.choice(targets)
    name = rng.choice(["colour", "Label", "x" * 300, "new\nline", "ключ", "", "$ref",
                       "k" * 5000, "kind ", "levels\u200b"])
    target[name] = rng.choice(JUNK)
    return d


def m_id_pattern(rng, d):
    d["id"] = rng.choice(["A", "ab", "Learning Walk!", "-walk", "walk-", "a" * 65, "a" * 64,
                          "wälk", "walk_one", "walk.json", "", "x" * 100_000, "0-0"])
    return d


def m_too_many(rng, d):
    """Just past the limits (50 sections, 100 items a section), and just within them."""
    template = copy.deepcopy(min(_items(d), key=lambda i: len(json.dumps(i))))
    if rng.random() < 0.5:
        d["sections"] = [{"key": f"s{n}", "title": f"Section {n}",
                          "items": [dict(template, key=f"k{n}")]}
                         for n in range(rng.choice([50, 51, 60]))]
    else:
        d["sections"][0]["items"] = [dict(template, key=f"k{n}")
                                     for n in range(rng.choice([100, 101, 150]))]
    return d


def m_harmless(rng, d):
    """Changes a teacher may make: the file stays good (some of the corpus is accepted)."""
    for path, _value in list(_paths(d)):
        if path and path[-1] in ("label", "title", "descriptor") and rng.random() < 0.3:
            _set(d, path, rng.choice(["Élèves expliquent", "Μαθητές εξηγούν", "Ученики",
                                      "学生が説明する", "Students' “why” questions", "x",
                                      "Wait ≥ 3 s", "Line one\nline two"
                                      if path[-1] == "descriptor" else "Two  spaces"]))
    for key in ("description", "duration_minutes", "format"):
        if key in d and rng.random() < 0.3:
            del d[key]
    d["version"] = rng.choice([1, 2, 99, 10 ** 9])
    return d


def m_text_level(rng, d):
    """Broken files: encodings, truncation, JSON that is not quite JSON."""
    text = json.dumps(d, ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 2]))
    choice = rng.randrange(12)
    if choice == 0:
        return b"\xef\xbb\xbf" + text.encode()  # a BOM: allowed
    if choice == 1:
        return text.encode(rng.choice(["utf-16", "utf-16-le", "utf-32"]))
    if choice == 2:
        return text.replace("e", "é", 3).encode("latin-1", "replace")
    if choice == 3:
        return text.encode()[: rng.randrange(1, len(text))]
    if choice == 4:
        return text.encode() + rng.choice([b"x", b",", b"}", b"\x00", b" // note", b"{}"])
    if choice == 5:
        return text.replace('"version": ' + str(d.get("version")),
                            '"version": ' + rng.choice(["NaN", "Infinity", "-Infinity",
                                                        "1e999", "01", "+1", "0x10"])).encode()
    if choice == 6:
        return text.replace('"', "'", 4).encode()
    if choice == 7:
        return text.replace("]", ",]", 1).encode()
    if choice == 8:
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 400)))
    if choice == 9:
        raw = bytearray(text.encode())
        for _ in range(rng.randint(1, 5)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        return bytes(raw)
    if choice == 10:
        return b"   \n\t"
    return text.encode("utf-8", "surrogatepass")


def m_controls(rng, d):
    path = _pick(rng, d, lambda p, v: isinstance(v, str))
    if path:
        old = _get(d, path)
        cut = rng.randrange(len(old) + 1)
        _set(d, path, old[:cut] + rng.choice(CONTROLS) + old[cut:])
    return d


MUTATIONS: list[Callable[[random.Random, dict], Any]] = [
    m_wrong_type, m_float, m_huge, m_surrogate, m_newline_in_code, m_invisible_name,
    m_duplicate, m_missing, m_nesting, m_long, m_builtin_id, m_kind, m_period, m_codes,
    m_levels, m_extra_field, m_id_pattern, m_too_many, m_harmless, m_text_level, m_controls]


@cache
def corpus() -> list[tuple[str, bytes]]:
    """(name, bytes) for each case; the same every run."""
    bases = [json.loads(p.read_text("utf-8")) for p in SOURCES]
    cases = []
    for n in range(COUNT):
        rng = random.Random(SEED * 100_003 + n)
        document = copy.deepcopy(rng.choice(bases))
        if rng.random() < 0.85:  # most get an id of their own, the rest keep a built-in's
            document["id"] = f"fuzz-{n}"
        mutations = [MUTATIONS[n % len(MUTATIONS)]]
        if n % 7 == 0:  # mixtures
            mutations += rng.sample(MUTATIONS, rng.randint(1, 2))
        out: Any = document
        names = []
        for mutation in mutations:
            if isinstance(out, bytes):
                break
            try:
                out = mutation(rng, out)
            except (TypeError, KeyError, IndexError, AttributeError):
                continue  # an earlier mutation took away what this one changes
            names.append(mutation.__name__[2:])
        if not isinstance(out, bytes):
            ascii_only = rng.random() < 0.5
            out = json.dumps(out, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
        cases.append((f"{n:04d}-{'+'.join(names)}.json", out))
    return cases


# ---- the checks -----------------------------------------------------------------------------

QUOTED = re.compile(r"“(?:[^“”]|“[^“”]*”)*”")  # a label may quote a word inside itself
WHOLE_FILE = ("The file is empty", "The file is too large", "is not UTF-8", "saved as UTF-16",
              "holds NUL bytes", "nested too deeply", "far too long", "not a number JSON allows",
              "appears twice in one object", "is not valid JSON", "holds one JSON object")


def check_refusal(exc: ObserveError, source: str) -> str:
    """The message is whole: names the file, says what is wrong in a sentence, then where (the
    JSON path) as the detail; returns the sentence."""
    text = str(exc)
    assert "\n" not in text and "\r" not in text, text
    assert text.startswith(f"{source}: "), text
    # Nothing cut off: values end in … inside their quotes (a label may hold "..." itself).
    assert "..." not in QUOTED.sub("", text), text
    assert len(text) < 400, text  # the command line's one line stays readable
    if isinstance(exc, ProtocolFileError):
        reason = exc.sentence_text
        if exc.json_path:
            assert exc.json_path.startswith("$") and text == \
                f"{source}: {reason} (at {exc.json_path})", text
        else:
            assert text == f"{source}: {reason}" and any(w in reason for w in WHOLE_FILE), text
        assert "$" not in QUOTED.sub("", reason), text  # the path is the detail, not the sentence
        assert reason[:1].isupper() and reason.endswith("."), text  # a whole sentence
    else:
        assert isinstance(exc, BuiltinProtocolError), text
        reason = text[len(source) + 2:]
        assert re.search(r"[\w')\"…]$", reason), text  # ends on a word, not mid-sentence
    bare = QUOTED.sub("", reason)
    assert "“" not in bare and "”" not in bare, text  # no value cut before its closing quote
    assert bare.count("(") == bare.count(")"), text
    assert as_sentence(text).endswith("."), text
    return reason


CATEGORIES = [
    ("built-in id", r"belongs to the built-in protocol"),
    ("not JSON text (encoding, syntax, NUL, empty)",
     r"not valid JSON|not UTF-8|UTF-16|NUL bytes|The file is empty"),
    ("nesting", r"nested too deeply"),
    ("size or huge number", r"too large|far too long|a number of more than"),
    ("NaN or Infinity", r"not a number JSON allows|an infinite number"),
    ("duplicate key, id or level", r"appears twice|used twice|used \d+ times"),
    ("fraction for a whole number", r"a whole number, not -?\d"),
    ("control character, line break or surrogate",
     r"control character|line break|half of a character"),
    ("invisible name", r"a letter, digit or sign that shows"),
    ("missing field", r" has none\.$|^A protocol needs|^Every \w+ needs"),
    ("unknown field", r"a field Observe does not know"),
    ("unknown kind or value", r"Observe knows these kinds|next_step or other|protocol format"),
    ("a field another kind of item has", r"^Only [\w ]+ have"),
    ("bad id or key", r"lowercase letters, digits"),
    ("text too long or empty", r"at most [\d,]+ characters|cannot be empty"),
    ("too few or too many entries", r"needs at least (one|two)|has at most \d+"),
    ("number out of range", r"is at least \d|from 1 to 10|1 to 600 minutes|a period of at"),
    ("wrong type", r"is an object with|holds one JSON object|"
                   r"(is|are) (an object|a list|a text|a whole number|true or false), not"),
]


def category(reason: str) -> str:
    return next((name for name, pattern in CATEGORIES if re.search(pattern, reason)), "other")


def _text_ok(value: str, *, lines: bool) -> bool:
    return bad_character(value, lines=lines) is None


def check_stored(session: Any, slug: str) -> None:
    """Everything the import stored is usable: read back through the services."""
    summary = protocols.find_protocol(session, slug)
    assert ID.fullmatch(summary.slug), summary.slug
    assert has_visible(summary.name) and _text_ok(summary.name, lines=False), summary.name
    assert not summary.builtin or summary.slug in BUILTIN_IDS
    version = protocols.get_version(session, summary.latest_version_id)
    assert type(version.number) is int and version.number >= 1
    keys = [item.key for item in version.items]
    assert len(set(keys)) == len(keys) and all(k == k.strip() for k in keys), keys
    assert [i.position for i in version.items] == list(range(len(keys)))
    for item in version.items:
        assert has_visible(item.label) and _text_ok(item.label, lines=False), item
        assert has_visible(item.section) and _text_ok(item.section, lines=False), item
        assert _text_ok(item.description, lines=True), item
        levels = [lv.level for lv in item.levels]
        assert all(type(lv) is int and 1 <= lv <= 10 for lv in levels), item
        assert len(set(levels)) == len(levels), item
        assert all(has_visible(lv.name) for lv in item.levels), item
        codes = [c.key for c in item.codes]
        assert len(set(codes)) == len(codes) and all(has_visible(c.label) for c in item.codes)
        if item.period_seconds is not None or item.kind == "interval":
            assert type(item.period_seconds) is int and 10 <= item.period_seconds <= 3600
            assert codes, item
        if item.kind == "rubric":
            assert len(levels) >= 2, item
    document = protocols.export_document(session, slug)
    for _path, value in _paths(document):
        assert not isinstance(value, float), _path
        if isinstance(value, str):
            assert _text_ok(value, lines=True), _path


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the built-ins installed, copied afresh as the shard's grows."""
    folder = tmp_path_factory.mktemp("fuzz-template")
    with open_database(folder) as db, db.transaction() as s:
        protocols.install_builtins(s)
    return folder


@pytest.mark.slow  # making the corpus takes a few seconds
def test_the_corpus_is_big_and_varied() -> None:
    cases = corpus()
    assert len(cases) >= 3000
    assert len({data for _name, data in cases}) > 0.9 * len(cases)
    assert {m.__name__[2:] for m in MUTATIONS} <= {part for name, _ in cases
                                                   for part in name[5:-5].split("+")}


@pytest.mark.slow
@pytest.mark.parametrize("shard", range(SHARDS))
def test_each_fuzzed_protocol_is_refused_in_a_whole_sentence_or_stored_whole(
        shard: int, template: Path, tmp_path: Path) -> None:
    cases = corpus()[shard::SHARDS]

    def store(db: Database, path: Path, name: str) -> str:
        document = loader.load_file(path)
        with db.transaction() as s:
            return protocols.import_document(s, document, source=name).protocol.slug

    tally, failures, db = run_shard(
        cases, template, tmp_path, fresh_every=100, store=store, check=check_stored,
        refusal=lambda exc, name: category(check_refusal(exc, name)))
    with db.transaction() as s:  # the built-ins come through the whole shard untouched
        for summary in protocols.list_protocols(s):
            if summary.builtin:
                assert summary.latest_version == 1, summary
    db.close()
    report("protocol", shard, len(cases), tally, failures)
