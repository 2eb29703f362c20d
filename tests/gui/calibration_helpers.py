"""Builders for the calibration tests: a co-observed cycle and one observer's finished visit,
made through the window's backend."""

from __future__ import annotations

import datetime as dt

from observe_app.domain.enums import ItemKind


def people(backend):
    """Ben is observed; Anna observes; Carla and Dev could co-observe."""
    return (backend.people.add_person("Ben Okafor", subject="Mathematics"),
            backend.people.add_person("Anna Lindqvist"),
            backend.people.add_person("Carla Ruiz"),
            backend.people.add_person("Dev Patel"))


def rubric(backend, cycle_id):
    summary = backend.cycles.get_summary(cycle_id)
    version = backend.protocols.get_version(summary.protocol_version_id)
    return [i for i in version.items if i.kind == ItemKind.RUBRIC]


def plan_co_observed(backend, teacher, observer, co_observers):
    version = backend.protocols.find_protocol("new-teacher-growth").latest_version_id
    return backend.cycles.plan_cycle(teacher_id=teacher.id, observer_id=observer.id,
                                     protocol_version_id=version, focus="Questioning",
                                     now=backend.clock.now(),
                                     co_observer_ids=[p.id for p in co_observers])


def record(backend, cycle_id, observer_id, note, levels=(), *, end=True):
    """A visit by `observer_id`: one note tagged to the first rubric item, its levels
    (None: not observed), ended unless `end` is False; returns the visit's id."""
    clock = backend.clock
    items = rubric(backend, cycle_id)
    visit = backend.observations.start_observation(cycle_id, subject="Mathematics",
                                                   now=clock.now(), observer_id=observer_id)
    backend.notes.add_note(visit.id, note, wall_time=clock.now() + dt.timedelta(seconds=60),
                           elapsed_ms=60_000, item_ids=[items[0].id])
    for item, level in zip(items, levels, strict=False):
        backend.co_observation.rate_from_visit(visit.id, item.id, level,
                                               not_observed=level is None)
    if end:
        backend.observations.end_observation(visit.id, 45 * 60_000,
                                             now=clock.now() + dt.timedelta(minutes=45))
    return visit.id


def texts(widget):
    """Every text the widget shows: labels, buttons, combos, and its tables' cells."""
    from PySide6.QtCore import QAbstractListModel, Qt
    from PySide6.QtGui import QTextDocumentFragment
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QLabel

    found = []
    for child in widget.findChildren(QLabel):
        rich = child.textFormat() == Qt.TextFormat.RichText
        found.append(QTextDocumentFragment.fromHtml(child.text()).toPlainText() if rich
                     else child.text())
    for child in widget.findChildren(QAbstractButton):
        found.append(child.text())
    for combo in widget.findChildren(QComboBox):
        found += [combo.itemText(n) for n in range(combo.count())]
    for view in widget.findChildren(QAbstractItemView):
        model = view.model()
        if model is None:
            continue
        columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount()
        for row in range(model.rowCount()):
            for column in range(columns):
                found.append(str(model.index(row, column).data() or ""))
        found += [str(model.headerData(c, _horizontal()) or "") for c in range(columns)]
    return "\n".join(found)


def _horizontal():
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal
