"""The protocol builder's saves: new protocols, new versions that leave old cycles alone,
built-ins untouched, retiring; and the starting points it offers."""

from __future__ import annotations

import pytest

from observe_app.errors import BuiltinProtocolError
from observe_app.protocols import loader, templates
from observe_app.protocols.loader import ProtocolFileError
from observe_app.services import cycles, people, protocol_builder, protocols
from observe_app.storage.engine import Database


def _document(name: str = "Our look-fors") -> dict:
    document = templates.new_document()
    document["name"] = name
    section = templates.new_section(set())
    section["title"] = "During the lesson"
    item = templates.new_item("lookfor", set())
    item["label"] = "Learning intention shared"
    section["items"].append(item)
    document["sections"].append(section)
    return document


def _plan(db: Database, version_id: str) -> str:
    with db.transaction() as s:
        teacher = people.add_person(s, "Amal Haddad")
        return cycles.plan_cycle(s, teacher_id=teacher.id, observer_id=None,
                                 protocol_version_id=version_id, focus="").id


def test_a_new_protocol_gets_an_id_from_its_name(db: Database) -> None:
    with db.transaction() as s:
        first = protocol_builder.save_protocol(s, _document("Évaluation: Lesson Walk"))
        second = protocol_builder.save_protocol(s, _document("Évaluation: Lesson Walk"))
        thai = protocol_builder.save_protocol(s, _document("การสังเกตชั้นเรียน"))
    assert first.created_version and first.protocol.latest_version == 1
    assert first.protocol.slug == "evaluation-lesson-walk"
    assert second.protocol.slug == "evaluation-lesson-walk-2"
    assert thai.protocol.slug == "protocol"
    assert not first.protocol.builtin


def test_a_new_protocol_never_takes_a_built_in_id(db: Database) -> None:
    with db.transaction() as s:
        saved = protocol_builder.save_protocol(s, _document("Peer observation"))
    assert saved.protocol.slug == "peer-observation-2"


def test_editing_a_used_protocol_makes_version_two_and_the_old_cycle_keeps_one(
        db: Database) -> None:
    with db.transaction() as s:
        saved = protocol_builder.save_protocol(s, _document())
    cycle_id = _plan(db, saved.protocol.latest_version_id)
    with db.transaction() as s:
        use = protocol_builder.version_use(s, saved.protocol.id)
        assert (use.latest_version, use.cycles_on_latest, use.cycles_in_all) == (1, 1, 1)
        document = protocol_builder.editable_document(s, saved.protocol.id)
        document["sections"][0]["items"].append(dict(templates.new_item("tally", {"x"}),
                                                     label="Open question"))
        again = protocol_builder.save_protocol(s, document, saved.protocol.id)
    assert again.created_version and again.protocol.latest_version == 2
    assert again.protocol.slug == saved.protocol.slug and again.protocol.item_count == 2
    with db.transaction() as s:
        kept = protocols.get_version(s, cycles.get_cycle(s, cycle_id).summary.protocol_version_id)
        use = protocol_builder.version_use(s, saved.protocol.id)
    assert kept.number == 1 and len(kept.items) == 1
    assert (use.latest_version, use.cycles_on_latest, use.cycles_in_all) == (2, 0, 1)


def test_saving_unchanged_makes_no_version(db: Database) -> None:
    with db.transaction() as s:
        saved = protocol_builder.save_protocol(s, _document())
        document = protocol_builder.editable_document(s, saved.protocol.id)
        again = protocol_builder.save_protocol(s, document, saved.protocol.id)
    assert not again.created_version and again.protocol.latest_version == 1


def test_a_built_in_is_refused_and_a_duplicate_is_the_way(db: Database) -> None:
    with db.transaction() as s:
        builtin = protocols.find_protocol(s, "peer-observation")
        document = protocol_builder.editable_document(s, builtin.id)
        with pytest.raises(BuiltinProtocolError, match="duplicate it"):
            protocol_builder.save_protocol(s, document, builtin.id)
        copy = protocol_builder.duplicate_document(s, builtin.id)
        saved = protocol_builder.save_protocol(s, copy)
        after = protocols.find_protocol(s, "peer-observation")
    assert copy["name"] == "Peer observation (copy)"
    assert saved.protocol.slug == "peer-observation-copy"
    assert saved.protocol.item_count == builtin.item_count
    assert after.latest_version_id == builtin.latest_version_id


def test_an_invalid_document_is_refused_and_nothing_is_stored(db: Database) -> None:
    document = _document()
    document["sections"][0]["items"].append(dict(templates.new_item("rubric", set()),
                                                 label="Questioning"))
    with db.transaction() as s:
        before = len(protocols.list_protocols(s))
        with pytest.raises(ProtocolFileError):
            protocol_builder.save_protocol(s, document)
    with db.transaction() as s:
        assert len(protocols.list_protocols(s)) == before


def test_retiring_hides_and_bringing_back_shows(db: Database) -> None:
    with db.transaction() as s:
        saved = protocol_builder.save_protocol(s, _document())
        retired = protocol_builder.set_retired(s, saved.protocol.id, True)
        assert retired.retired
        again = protocol_builder.set_retired(s, saved.protocol.id, True)  # twice: no change
        assert again.retired
        back = protocol_builder.set_retired(s, saved.protocol.id, False)
    assert not back.retired


def test_every_kind_starts_as_a_valid_item_once_its_author_fills_it_in() -> None:
    document = templates.new_document()
    document["name"] = "All kinds"
    section = templates.new_section(set())
    section["title"] = "Everything"
    document["sections"].append(section)
    for kind in ("rubric", "lookfor", "tally", "timer", "interval", "prompt"):
        item = templates.new_item(kind, templates.document_keys(document)[1])
        item["label"] = f"A {kind}"
        for level in item.get("levels", []):
            level["descriptor"] = f"What {level['name']} looks like"
        if kind == "interval":
            item["codes"] = [{"key": "on-task", "label": "On task"}]
        section["items"].append(item)
    assert loader.validate_document(document, "test") is document
    assert len({i["key"] for i in section["items"]}) == 6
