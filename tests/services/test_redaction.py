"""Student names are replaced in any script, case and Unicode form, as whole words, the
longest first, with one label per name kept through one export; class lists are checked."""

from __future__ import annotations

import unicodedata

import pytest

from observe_app.errors import BadInputError
from observe_app.services import redaction
from observe_app.services.redaction import Redactor, label, preview
from observe_app.storage.engine import Database


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_latin_names_in_any_case_as_whole_words_the_full_name_first() -> None:
    r = Redactor(["José", "José Muñoz", "Ann"])
    assert r.redact("JOSÉ MUÑOZ asked; josé answered. Joseph and Anne did not, ann did.") \
        == "Student A asked; Student A answered. Joseph and Anne did not, Student B did."
    assert r.redact("no names here") == "no names here"


def test_a_first_name_shares_the_label_of_the_one_full_name_it_begins() -> None:
    r = Redactor(["Mateo Ibáñez", "Mateo", "Ana Silva", "Ana Costa", "Ana"])
    assert r.redact("Mateo Ibáñez read; Mateo helped Ana; ANA SILVA and Ana Costa") \
        == "Student A read; Student A helped Student B; Student C and Student D"
    assert [(x.name, x.times, x.found) for x in r.replacements()][0] == (
        "Mateo Ibáñez", 2, ("Mateo Ibáñez", "Mateo"))


def test_a_name_typed_decomposed_matches_composed_text_and_the_other_way() -> None:
    typed_nfd = Redactor([nfd("Nguyễn Thị Hương")])
    assert typed_nfd.redact("Nguyễn Thị Hương and NGUYỄN THỊ HƯƠNG, nguyễn thị hương") \
        == "Student A and Student A, Student A"
    typed_nfc = Redactor(["Nguyễn Thị Hương"])
    assert typed_nfc.redact(nfd("Then nguyễn thị hương read.")) == "Then Student A read."
    # Other diacritics are other words in Vietnamese: "hướng" (direction) is not Hương.
    assert typed_nfc.redact("hướng dẫn") == "hướng dẫn"


def test_greek_names_in_capitals_with_or_without_accents_and_final_sigma() -> None:
    r = Redactor(["Σοφία", "Νικόλαος"])
    assert r.redact("Η ΣΟΦΊΑ και η ΣΟΦΙΑ, ο ΝΙΚΌΛΑΟΣ και ο νικόλαος, Σοφίας όχι.") \
        == "Η Student A και η Student A, ο Student B και ο Student B, Σοφίας όχι."


def test_cyrillic_names_full_name_before_first_name() -> None:
    r = Redactor(["Дмитрий", "Дмитрий Соколов"])
    assert r.redact("ДМИТРИЙ СОКОЛОВ ответил, дмитрий тоже; Дмитриев нет.") \
        == "Student A ответил, Student A тоже; Дмитриев нет."
    assert Redactor(["Дмитрий Соколов"]).redact("ДМИТРИЙ СОКОЛОВ и Дмитрий") \
        == "Student A и Дмитрий"  # a name not on the list stays


def test_labels_follow_first_appearance_and_stay_through_one_export() -> None:
    r = Redactor(["Ana", "Ben", "Cleo"])
    assert r.redact("Cleo then Ana") == "Student A then Student B"
    assert r.redact("ana, CLEO, Ben") == "Student B, Student A, Student C"
    assert [(x.name, x.label, x.times) for x in r.replacements()] == [
        ("Cleo", "Student A", 2), ("Ana", "Student B", 2), ("Ben", "Student C", 1)]
    assert r.fresh().redact("Ben") == "Student A"  # the next export starts again


def test_labels_go_on_after_z() -> None:
    assert [label(n) for n in (0, 25, 26, 27, 51, 52, 701, 702)] == [
        "Student A", "Student Z", "Student AA", "Student AB", "Student AZ", "Student BA",
        "Student ZZ", "Student AAA"]
    names = [f"Name{n:03d}" for n in range(30)]
    r = Redactor(names)
    assert r.redact(" ".join(names)).split()[-1] == "AD"


def test_preview_lists_what_the_export_will_replace_and_changes_nothing() -> None:
    r = Redactor(["José Muñoz", "Σοφία"])
    texts = ["JOSÉ MUÑOZ and Σοφία", "josé muñoz again", "nothing"]
    found = preview(r, texts)
    assert [(x.name, x.label, x.times, x.found) for x in found] == [
        ("José Muñoz", "Student A", 2, ("JOSÉ MUÑOZ", "josé muñoz")),
        ("Σοφία", "Student B", 1, ("Σοφία",))]
    assert r.replacements() == []
    assert r.redact("Σοφία") == "Student A"  # the export's own labels are its own


def test_names_from_text_one_a_line_repeats_and_blanks_left_out() -> None:
    assert redaction.names_from_text("  José  Muñoz \n\nJOSÉ MUÑOZ\n" + nfd("Hương") + "\n") \
        == ("José Muñoz", "Hương")


@pytest.mark.parametrize(("text", "says"), [
    ("x" * 201, "line 1 is longer than 200"),
    ("Ana\n!!!", "line 2 has no letters"),
    ("A", "single letter"),
    (" ".join(["w"] * 9), "more than 8 words"),
    ("\n".join(f"N{n}" for n in range(2_001)), "at most 2,000 names"),
])
def test_hostile_lists_are_refused_with_a_sentence(text: str, says: str) -> None:
    with pytest.raises(BadInputError, match=says):
        redaction.names_from_text(text)


def test_class_lists_are_kept_renamed_and_deleted(db: Database) -> None:
    with db.transaction() as s:
        made = redaction.create_class_list(s, " 7B ", "Ana\nBen")
        with pytest.raises(BadInputError, match="already a class list called '7b'"):
            redaction.create_class_list(s, "7b")
        with pytest.raises(BadInputError, match="needs a name"):
            redaction.create_class_list(s, "  ")
    with db.transaction() as s:
        changed = redaction.update_class_list(s, made.id, "7B maths", "Cleo\nAna\n")
        assert changed.names == ("Cleo", "Ana")
        assert [v.name for v in redaction.list_class_lists(s)] == ["7B maths"]
        r = redaction.redactor_for(s, made.id)
        assert r is not None and r.redact("ana") == "Student A"
        assert redaction.redactor_for(s, None) is None
        assert redaction.find_class_list(s, "7b MATHS").id == made.id
    with db.transaction() as s:
        redaction.delete_class_list(s, made.id)
        assert redaction.list_class_lists(s) == []
        assert s.execute(redaction.select(redaction.ClassListName)).all() == []


def test_a_class_list_is_found_by_its_name_in_any_case_and_script(db) -> None:  # type: ignore[no-untyped-def]
    from observe_app.errors import BadInputError as Refused
    from observe_app.services import redaction as r

    with db.transaction() as s:
        made = r.create_class_list(s, "7Б", "Дмитрий Соколов")
        assert r.find_class_list(s, "7б").id == made.id
        assert r.find_class_list(s, " 7Б ").names == ("Дмитрий Соколов",)
        with pytest.raises(Refused, match="already a class list"):
            r.create_class_list(s, "7б", "Ольга Петрова")


def test_names_in_more_scripts_and_spellings() -> None:
    """Marks that are not letters (a Devanagari vowel sign), Turkish dotted and dotless i,
    fullwidth letters, an en dash or lines between the parts, an underscore after a name."""
    from observe_app.services.redaction import Redactor

    r = Redactor(["प्रिया", "İpek", "Işık", "Anna", "Jean Luc", "Anna Berg"])
    assert r.redact("प्रिया ने पूछा") == "Student A ने पूछा"
    assert r.redact("IPEK and ipek; IŞIK came") == "Student B and Student B; Student C came"
    assert r.redact("Anna_B asked Jean–Luc") == "Student D_B asked Student E"
    # "Anna" alone and "Anna Berg" are one student (a first name shares its full name's label)
    assert r.redact("ＡＮＮＡ ＢＥＲＧ and Anna\n\n\n\nBerg") == "Student D and Student D"
    assert r.redact("Annabel is not on the list") == "Annabel is not on the list"
