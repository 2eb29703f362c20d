"""Protocols: built-ins, new versions on import, export round trip, used versions kept."""

from __future__ import annotations

import json

import pytest

from observe_app.domain.enums import ItemKind
from observe_app.errors import NotFoundError
from observe_app.services import protocols
from tests.services.helpers import cycle_with_visit


def test_builtins_install_once(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        again = protocols.install_builtins(s)
        listed = protocols.list_protocols(s)
    assert again == []  # already there: nothing added
    assert len(listed) == 8 and all(p.builtin and p.latest_version == 1 for p in listed)


def test_version_view_groups_items_by_section(db) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        v = protocols.get_version(
            s, protocols.find_protocol(s, "new-teacher-growth").latest_version_id
        )
    titles = [title for title, _items in v.sections]
    assert titles[:2] == ["Planning and preparation", "Classroom environment"]
    rubric = v.items_of(ItemKind.RUBRIC)
    assert len(rubric) == 16 and all(len(i.levels) == 4 for i in rubric)
    assert rubric[0].levels[0].name == "Beginning"


def test_changed_file_becomes_a_new_version_and_old_cycles_keep_theirs(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        doc = protocols.export_document(s, "peer-observation")
        doc["id"], doc["name"] = "our-peer-observation", "Our peer observation"
        protocols.import_document(s, doc)
        _t, cycle, _visit, old = cycle_with_visit(s, "our-peer-observation")
    doc["sections"][0]["items"][0]["label"] = "The learning intention is visible and used"
    path = tmp_path / "peer.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with db.transaction() as s:
        result = protocols.import_file(s, path)
        from observe_app.services import cycles

        kept = cycles.get_summary(s, cycle.id)
    assert result.created_version and result.protocol.latest_version == 2
    assert kept.protocol_version_id == old.id and kept.protocol_version == 1


def test_export_then_import_is_unchanged(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        out = protocols.export_file(s, "learning-walk", tmp_path)
        assert out.name == "learning-walk.json"
        result = protocols.import_file(s, out)
    assert not result.created_version


def test_unknown_protocol(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFoundError, match="no protocol 'nope'"), db.transaction() as s:
        protocols.find_protocol(s, "nope")
