"""Student names replaced ("Student A") before a PDF or a package leaves the laptop.

The observer keeps class lists here (names one per line; never sent). A `Redactor` made from
a list finds those names in any text: whole words, in any case and script (casefold, so the
Greek final sigma is a sigma), whatever the Unicode normal form (NFC on both sides), and in
Greek whatever the accents (capitals are written without them: ΣΟΦΙΑ is Σοφία). The longest
name wins at a place (a full name before a first name). Each name gets the next label at its
first appearance in one export, and keeps it everywhere in that export; a first name listed
on its own shares the label of the one full name it begins.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from observe_app.domain.models import ClassList, ClassListName
from observe_app.errors import BadInputError
from observe_app.services.common import get_or_fail

MAX_LIST_NAME = 200
MAX_NAME = 200  # one student's name
MAX_NAMES = 2_000  # in one list: a whole year group, and more
MAX_WORDS = 8  # in one name
MAX_LISTS = 500

# What may stand between the words of one name in a text: "Jean-Luc", "O'Brien", a new line.
_GAP = re.compile(r"[\s\-‐‑–'’.]{1,6}")


def _word_char(ch: str) -> bool:
    """Letters, digits and the marks letters carry in any script (Vietnamese tones typed
    apart, a Devanagari vowel sign): a word of a name. An underscore ends one (Anna_B)."""
    return ch.isalnum() or unicodedata.category(ch).startswith("M")


def _words(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, the word) of each word of `text`."""
    start = None
    for n, ch in enumerate(text):
        if _word_char(ch):
            if start is None:
                start = n
        elif start is not None:
            yield start, n, text[start:n]
            start = None
    if start is not None:
        yield start, len(text), text[start:]


def _is_greek(ch: str) -> bool:
    return "\u0370" <= ch <= "\u03ff" or "\u1f00" <= ch <= "\u1fff"


def fold(word: str) -> str:
    """A word as names are compared: compatibility-normalised (fullwidth letters too),
    casefolded, Turkish dotted and dotless i as i; Greek without its accents."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", word).casefold())
    folded = unicodedata.normalize("NFC", folded.replace("i\u0307", "i").replace("ı", "i"))
    if any(_is_greek(ch) for ch in folded):
        folded = unicodedata.normalize("NFC", "".join(
            ch for ch in unicodedata.normalize("NFD", folded) if not unicodedata.combining(ch)))
    return folded


def name_key(name: str) -> tuple[str, ...]:
    """The words of a name as they are matched: two spellings with one key are one name."""
    return tuple(fold(w) for _start, _end, w in _words(unicodedata.normalize("NFC", name)))


def label(n: int) -> str:
    """The n-th label, from 0: Student A … Student Z, Student AA, Student AB, …"""
    letters = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"Student {letters}"


@dataclass(frozen=True)
class Replacement:
    """One name the preview found: as the list spells it, its label, how often, as written."""

    name: str
    label: str
    times: int
    found: tuple[str, ...]  # the spellings in the texts, in order of first appearance


class Redactor:
    """Replaces the names of one list in the texts of ONE export (make a new one per export:
    labels are given in order of first appearance, and kept)."""

    def __init__(self, names: Iterable[str]) -> None:
        self._names: dict[tuple[str, ...], str] = {}  # key -> the list's spelling
        for name in names:
            key = name_key(name)
            if key and key not in self._names:
                self._names[key] = " ".join(name.split())
        self._longest = max((len(k) for k in self._names), default=0)
        # A first name (or first names) listed on its own is the student whose full name it
        # begins, when exactly one does: "Mateo" then shares the label of "Mateo Ibáñez".
        self._same: dict[tuple[str, ...], tuple[str, ...]] = {}
        for key in self._names:
            longer = [k for k in self._names if len(k) > len(key) and k[:len(key)] == key]
            if len(longer) == 1:
                self._same[key] = longer[0]
        self._labels: dict[tuple[str, ...], str] = {}
        self._times: dict[tuple[str, ...], int] = {}
        self._found: dict[tuple[str, ...], dict[str, None]] = {}

    def __bool__(self) -> bool:
        return bool(self._names)

    def fresh(self) -> Redactor:
        """The same names, no labels given yet (a preview, then the export itself)."""
        return Redactor(self._names.values())

    def redact(self, text: str) -> str:
        """`text` with every listed name replaced by its label (unchanged when none is in it;
        otherwise in NFC)."""
        if not text or not self._names:
            return text
        nfc = unicodedata.normalize("NFC", text)
        words = [(start, end, fold(w)) for start, end, w in _words(nfc)]
        out: list[str] = []
        done = 0  # where the text not yet copied starts
        i = 0
        while i < len(words):
            hit = self._match(nfc, words, i)
            if hit is None:
                i += 1
                continue
            n, key = hit
            start, end = words[i][0], words[i + n - 1][1]
            out.append(nfc[done:start])
            out.append(self._label_of(key, nfc[start:end]))
            done, i = end, i + n
        if done == 0:
            return text
        out.append(nfc[done:])
        return "".join(out)

    def _match(self, text: str, words: Sequence[tuple[int, int, str]], i: int
               ) -> tuple[int, tuple[str, ...]] | None:
        """The longest listed name starting at word i: (its number of words, its key)."""
        for n in range(min(self._longest, len(words) - i), 0, -1):
            key = tuple(w[2] for w in words[i:i + n])
            if key in self._names and all(
                    _GAP.fullmatch(text, words[j][1], words[j + 1][0])
                    for j in range(i, i + n - 1)):
                return n, key
        return None

    def _label_of(self, key: tuple[str, ...], as_written: str) -> str:
        key = self._same.get(key, key)
        given = self._labels.get(key)
        if given is None:
            given = self._labels[key] = label(len(self._labels))
        self._times[key] = self._times.get(key, 0) + 1
        self._found.setdefault(key, {})[" ".join(as_written.split())] = None
        return given

    def replacements(self) -> list[Replacement]:
        """What this redactor has replaced so far, in label order."""
        return [Replacement(self._names[k], given, self._times[k], tuple(self._found[k]))
                for k, given in self._labels.items()]


def preview(redactor: Redactor, texts: Iterable[str]) -> list[Replacement]:
    """What redacting `texts` in this order would replace (the redactor itself is untouched)."""
    trial = redactor.fresh()
    for text in texts:
        trial.redact(text)
    return trial.replacements()


# Class lists -------------------------------------------------------------------------------

@dataclass(frozen=True)
class ClassListView:
    id: str
    name: str
    names: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.names)


def names_from_text(text: str) -> tuple[str, ...]:
    """One name a line, blank lines and repeats (in any case or form) left out; a refusal that
    says which line when one is too long or there are too many."""
    names: list[str] = []
    seen: set[tuple[str, ...]] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        name = unicodedata.normalize("NFC", " ".join(line.split()))
        if not name:
            continue
        if len(name) > MAX_NAME:
            raise BadInputError(f"the name on line {number} is longer than {MAX_NAME} "
                                "characters; put one name on each line")
        key = name_key(name)
        if not key:
            raise BadInputError(f"line {number} has no letters in it; a line holds one "
                                "student's name")
        if len(key) > MAX_WORDS:
            raise BadInputError(f"the name on line {number} has more than {MAX_WORDS} words; "
                                "put one name on each line")
        if sum(len(w) for w in key) < 2:
            raise BadInputError(f"the name on line {number} is a single letter, which would "
                                "replace that letter everywhere; write the name in full")
        if key in seen:
            continue
        seen.add(key)
        names.append(name)
        if len(names) > MAX_NAMES:
            raise BadInputError(f"a class list holds at most {MAX_NAMES:,} names; split it "
                                "into lists per class")
    return tuple(names)


def _list_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise BadInputError("a class list needs a name (the class, say 7B)")
    if len(name) > MAX_LIST_NAME:
        raise BadInputError(f"a class list's name can be at most {MAX_LIST_NAME} characters")
    return name


def _view(session: Session, row: ClassList) -> ClassListView:
    names = session.scalars(select(ClassListName.name).where(ClassListName.list_id == row.id)
                            .order_by(ClassListName.position))
    return ClassListView(row.id, row.name, tuple(names))


def _named(session: Session, name: str) -> ClassList | None:
    """The list of that name in any case and script (SQLite's lower() folds ASCII only, so
    7Б and 7б would be two lists, and the wrong one found)."""
    wanted = unicodedata.normalize("NFC", " ".join(name.split())).casefold()
    return next((row for row in session.scalars(select(ClassList))
                 if unicodedata.normalize("NFC", row.name).casefold() == wanted), None)


def _refuse_taken(session: Session, name: str, list_id: str | None) -> None:
    found = _named(session, name)
    other = found.id if found is not None else None
    if other is not None and other != list_id:
        raise BadInputError(f"there is already a class list called {name!r}; choose another "
                            "name")


def _set_names(session: Session, list_id: str, names: Sequence[str]) -> None:
    session.execute(delete(ClassListName).where(ClassListName.list_id == list_id))
    session.add_all(ClassListName(list_id=list_id, position=n, name=name)
                    for n, name in enumerate(names))
    session.flush()


def list_class_lists(session: Session) -> list[ClassListView]:
    rows = session.scalars(select(ClassList).order_by(func.lower(ClassList.name)))
    return [_view(session, r) for r in rows]


def create_class_list(session: Session, name: str, names_text: str = "") -> ClassListView:
    name = _list_name(name)
    names = names_from_text(names_text)
    if (session.scalar(select(func.count()).select_from(ClassList)) or 0) >= MAX_LISTS:
        raise BadInputError(f"this laptop keeps at most {MAX_LISTS} class lists; delete some "
                            "you no longer use")
    _refuse_taken(session, name, None)
    row = ClassList(name=name)
    session.add(row)
    session.flush()
    _set_names(session, row.id, names)
    return _view(session, row)


def update_class_list(session: Session, list_id: str, name: str, names_text: str
                      ) -> ClassListView:
    """Rename the list and set its names (the text, one name a line)."""
    row = get_or_fail(session, ClassList, list_id, "class list")
    name = _list_name(name)
    names = names_from_text(names_text)
    _refuse_taken(session, name, list_id)
    row.name = name
    _set_names(session, list_id, names)
    return _view(session, row)


def delete_class_list(session: Session, list_id: str) -> None:
    session.delete(get_or_fail(session, ClassList, list_id, "class list"))
    session.flush()


def get_class_list(session: Session, list_id: str) -> ClassListView:
    return _view(session, get_or_fail(session, ClassList, list_id, "class list"))


def find_class_list(session: Session, name: str) -> ClassListView:
    """A list by its name (any case), for the command line."""
    row = _named(session, name)
    if row is None:
        raise BadInputError(f"there is no class list called {name!r}; make one in the window "
                            "(Data ▸ Student names…)")
    return _view(session, row)


def redactor_for(session: Session, list_id: str | None) -> Redactor | None:
    """A new redactor for one export with the list's names (None: no list chosen)."""
    if list_id is None:
        return None
    return Redactor(get_class_list(session, list_id).names)
