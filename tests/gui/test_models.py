"""Every Qt item model passes qtmodeltester, filled from the demo school."""

from __future__ import annotations

import pytest

from observe_app.gui.backend import Backend
from observe_app.gui.live.notes_model import NotesTableModel
from observe_app.gui.table_models import CyclesTableModel, PeopleTableModel, ProtocolsTableModel


@pytest.fixture
def demo_backend(demo_db):
    return Backend(demo_db)


@pytest.mark.parametrize(("model_class", "load"), [
    (PeopleTableModel, lambda b: b.people.list_people()),
    (CyclesTableModel, lambda b: b.cycles.list_cycles()),
    (ProtocolsTableModel, lambda b: b.protocols.list_protocols()),
])
def test_table_models(qtmodeltester, demo_backend, model_class, load):
    model = model_class()
    model.set_rows(load(demo_backend))
    assert model.rowCount() > 0
    qtmodeltester.check(model, force_py=True)
    model.set_rows([])
    qtmodeltester.check(model, force_py=True)


def test_long_lists_are_handed_over_in_batches(qtmodeltester, demo_backend):
    model = CyclesTableModel()
    rows = demo_backend.cycles.list_cycles() * 10
    model.set_rows(rows)
    assert model.rowCount() == 200 < len(rows)
    from PySide6.QtCore import QModelIndex

    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == len(rows)
    qtmodeltester.check(model, force_py=True)


def test_cycles_model_paging_through_the_database(qtmodeltester, demo_backend):
    from PySide6.QtCore import QModelIndex, Qt

    model = CyclesTableModel()
    model.PAGE = 4  # several pages from the demo school
    model.set_source(demo_backend.cycles.page_cycles)
    assert model.rowCount() == 4 and model.canFetchMore(QModelIndex())
    qtmodeltester.check(model, force_py=True)  # watches the resets and inserts from here on
    model.sort(CyclesTableModel.Column.TEACHER, Qt.SortOrder.DescendingOrder)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    names = [model.row_at(n).teacher_name.lower() for n in range(model.rowCount())]
    assert len(names) == len(demo_backend.cycles.list_cycles())
    assert names == sorted(names, reverse=True)


def test_notes_model(qtmodeltester, demo_backend):
    cycle = next(c for c in demo_backend.cycles.list_cycles() if c.observation_count)
    [visit, *_] = demo_backend.observations.list_observations(cycle.id)
    version = demo_backend.protocols.get_version(cycle.protocol_version_id)
    model = NotesTableModel()
    model.set_item_labels({i.id: i.label for i in version.items})
    notes = demo_backend.notes.list_notes(visit.id)
    model.set_rows(notes)
    assert model.rowCount() == len(notes) > 0
    qtmodeltester.check(model, force_py=True)
    model.remove_note(notes[0].id)
    model.insert_note(notes[0])
    assert model.note_at(0).id == notes[0].id
    qtmodeltester.check(model, force_py=True)
