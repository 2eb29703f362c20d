"""The registry of capture kinds: every kind declares every part, in both registries, and a kind
registered here (a yes/no question) shows up everywhere: validation, live panel, results, PDF,
demo."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from observe_app import kinds
from observe_app.gui import kinds as gui_kinds
from observe_app.gui.shortcuts import Shortcut, Where
from observe_app.protocols import loader
from observe_app.protocols.loader import ProtocolFileError
from observe_app.services import cycles, observations, people, protocols, responses
from tests.gui.conftest import FakeClock, activate
from tests.reports.pdf_helpers import pdf_text

CORE_CALLABLE = ("check", "pdf_section", "growth_points", "growth_chart", "demo")
GUI_CALLABLE = ("live_widget", "results")


def _resolves(part: Callable[..., Any]) -> bool:
    """A part named for a later import (kinds.later) names a function that exists."""
    target = getattr(part, "target", None)
    if target is None:
        return True
    module, _, name = target.partition(":")
    return callable(getattr(importlib.import_module(module), name, None))


def missing_parts(kind: kinds.CaptureKind) -> list[str]:
    missing = [p for p in kinds.PARTS if getattr(kind, p, None) is None]
    missing += [p for p in CORE_CALLABLE if p not in missing
                and not (callable(getattr(kind, p)) and _resolves(getattr(kind, p)))]
    if not kind.plan_words:
        missing.append("plan_words")
    if kind.pdf_place not in ("results", "feedback"):
        missing.append("pdf_place")
    return missing


def missing_view_parts(view: gui_kinds.KindView) -> list[str]:
    missing = [p for p in GUI_CALLABLE if not callable(getattr(view, p, None))]
    # An optional part may be None (the kind has none), but what is given must be callable.
    missing += [p for p in gui_kinds.OPTIONAL_PARTS
                if getattr(view, p) is not None and not callable(getattr(view, p))]
    if not view.title:
        missing.append("title")
    if view.key_range is not None and not (isinstance(view.key_range, Shortcut)
                                           and callable(view.on_key)):
        missing.append("on_key")
    return missing


def test_every_kind_declares_every_part() -> None:
    assert kinds.names(), "no capture kind is registered"
    assert {k.name: missing_parts(k) for k in kinds.all_kinds()} == \
        {k.name: [] for k in kinds.all_kinds()}


def test_the_window_has_parts_for_exactly_the_registered_kinds() -> None:
    assert gui_kinds.names() == kinds.names()
    checked = {*GUI_CALLABLE, *gui_kinds.OPTIONAL_PARTS, "title", "key_range", "on_key"}
    assert checked == set(gui_kinds.PARTS)  # a part added to KindView is checked here too
    assert {v.name: missing_view_parts(v) for v in gui_kinds.all_views()} == \
        {name: [] for name in gui_kinds.names()}


def test_the_schema_file_lists_exactly_the_registered_kinds() -> None:
    assert loader.schema_kinds() == list(kinds.names())


def test_a_missing_part_is_found() -> None:
    """The checks above would catch a kind that forgot a part or named a missing function."""
    tally = kinds.get("tally")
    broken = kinds.CaptureKind(**{**tally.__dict__, "demo": None,
                                  "growth_chart": kinds.later("observe_app.reports.document:nope")})
    assert missing_parts(broken) == ["demo", "growth_chart"]
    view = gui_kinds.get("tally")
    assert missing_view_parts(gui_kinds.KindView(**{**view.__dict__, "results": None})) == \
        ["results"]
    # Optional: a tally has no result widgets, and that is not missing; a broken one is.
    assert view.result_widgets is None and missing_view_parts(view) == []
    assert missing_view_parts(gui_kinds.KindView(**{**view.__dict__,
                                                    "result_widgets": "chart"})) == \
        ["result_widgets"]


# -- a kind registered by the test --------------------------------------------------------------


def _yesno_pdf(report: Any) -> list[Any]:
    from observe_app.reports.blocks import Heading, para

    story: list[Any] = [Heading("Yes or no", "yesno")]
    for item in report.protocol.items_of("yesno"):
        for visit in report.visits:
            answer = {True: "yes", False: "no"}.get(visit.results.checked.get(item.id), "—")
            story.append(para(f"{item.label}: {answer}"))
    return story


def _yesno_demo(maker: Any, obs_id: str, item: Any, minutes: int, growth: float) -> None:
    responses.set_checked(maker.s, obs_id, item.id, True)


def _yesno_widget(panel: Any, grid: Any, row: int, item: Any, results: Any, key: str) -> None:
    from PySide6.QtWidgets import QCheckBox

    box = QCheckBox(item.label, panel.body)
    box.setChecked(results.checked.get(item.id, False))
    box.toggled.connect(lambda on, i=item.id: panel.call(
        panel.backend.responses.set_checked, panel.observation_id, i, on))
    panel.checkboxes[item.id] = box
    grid.addWidget(box, row, 0)


def _yesno_results(items: list[Any], visit: Any, tr: Any) -> list[gui_kinds.ResultBlock]:
    return [("Yes or no", [(i.label, "yes" if visit.checked.get(i.id) else "no")
                           for i in items])]


def _yesno_school(session: Any, reading: Any) -> list[Any]:
    from observe_app.services import school_figures as sp

    rows = reading.rows(session, (
        "SELECT v.now_, count(DISTINCT v.oid), count(DISTINCT v.tid), sum(r.checked) FROM v "
        "JOIN item_responses r ON r.observation_id = v.oid JOIN protocol_items i "
        "ON i.id = r.item_id AND i.kind = 'yesno' GROUP BY v.now_"))
    return [sp.Pattern("yesno", "Exit check", "", "Answered yes", "share of visits",
                       sp.figure(yes / n, n, t, reading.minimum_visits),
                       sp.figure(None, 0, 0, reading.minimum_visits))
            for now_, n, t, yes in rows if now_]


YESNO_KEYS = Shortcut(("Ctrl+Shift+F9", "Ctrl+Shift+F10"), "yesno", Where.LIVE,
                      "Answer the yes/no question shown beside the key")


@pytest.fixture
def yesno() -> Iterator[str]:
    kinds.register(kinds.CaptureKind(
        name="yesno", plan_words="yes or no", own_fields=(), check=lambda *_: None,
        records=frozenset({"checked"}), taggable=False, pdf_section=_yesno_pdf,
        pdf_place="results", growth_points=kinds.nothing, growth_chart=kinds.nothing,
        demo=_yesno_demo, school_patterns=_yesno_school))
    gui_kinds.register(gui_kinds.KindView(
        name="yesno", title="Yes or no", live_widget=_yesno_widget, key_range=YESNO_KEYS,
        on_key=lambda view, item_id: view.panel.checkboxes[item_id].toggle(),
        results=_yesno_results))
    try:
        yield "yesno"
    finally:
        kinds.unregister("yesno")
        gui_kinds.unregister("yesno")


DOCUMENT = {
    "id": "exit-check", "name": "Exit check", "version": 1,
    "description": "Two checks at the end of a lesson.", "license": "CC0-1.0",
    "source": "Written for the tests of Observe.",
    "sections": [{"key": "end", "title": "End of the lesson", "items": [
        {"key": "objective-shared", "kind": "yesno", "label": "Objective shared with students"},
        {"key": "explain", "kind": "lookfor", "label": "Students explain their thinking"},
    ]}],
}


def test_an_unregistered_kind_is_refused() -> None:
    with pytest.raises(ProtocolFileError) as refused:
        loader.validate_document(DOCUMENT, "exit-check.json")
    assert refused.value.json_path == "$.sections[0].items[0].kind"


def _visit(s: Any) -> tuple[str, str, Any]:
    version_id = protocols.import_document(
        s, loader.validate_document(DOCUMENT, "exit-check.json")).protocol.latest_version_id
    teacher = people.add_person(s, "Ana Lima")
    observer = people.add_person(s, "Ben Okafor")
    cycle = cycles.plan_cycle(s, teacher_id=teacher.id, observer_id=observer.id,
                              protocol_version_id=version_id, focus="Exit checks")
    obs = observations.start_observation(s, cycle.id, subject="Science")
    return cycle.id, obs.id, protocols.get_version(s, version_id)


def test_a_registered_kind_shows_up_everywhere(yesno, db, qtbot, tmp_path: Path) -> None:
    from observe_app.gui.backend import Backend
    from observe_app.gui.live.live_view import LiveObservationView
    from observe_app.gui.protocols_page import preview_html
    from observe_app.gui.review.visits_panel import results_html
    from observe_app.reports.export import export_cycle

    with db.transaction() as s:
        cycle_id, obs_id, version = _visit(s)
    item = version.items_of(yesno)[0]
    assert "Yes or no" in preview_html(version)

    # Live: the panel shows it, and ticking it is saved.
    view = LiveObservationView(Backend(db, FakeClock()), obs_id)
    view.confirm_end = lambda: True
    qtbot.addWidget(view)
    view.show()
    box = view.panel.checkboxes[item.id]
    assert box.text() == item.label and box.isVisible()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    with db.transaction() as s:
        assert responses.observation_results(s, obs_id).checked == {item.id: True}

    # Its key: given from its own range, shown beside it, and pressing it answers again.
    assert view.keys[item.id] == "Ctrl+Shift+F9"
    activate(view)  # a key works in the active window
    view.note_edit.setFocus()
    QTest.keyClick(view.note_edit, Qt.Key.Key_F9,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert not box.isChecked()
    with db.transaction() as s:
        results = responses.observation_results(s, obs_id)
    assert results.checked == {item.id: False}
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    with db.transaction() as s:
        results = responses.observation_results(s, obs_id)

    # Results (the visits panel) and the PDF.
    html = results_html(version, results, lambda text, *_: text)
    assert "Yes or no" in html and "Objective shared with students" in html
    pdf = tmp_path / "exit-check.pdf"
    export_cycle(db, cycle_id, pdf)
    text = " ".join(pdf_text(pdf))
    assert "Yes or no" in text and "Objective shared with students: yes" in text
    assert "(yes or no)" not in text  # the plan is for cycles with no visit yet

    # The school's picture asks every kind for its patterns: one teacher's is withheld.
    from observe_app.services import school
    from observe_app.services.school_period import Scope, term_of

    with db.transaction() as s:
        found = [p for p in school.patterns(s, term_of(dt.date.today()), Scope(), minimum=1)
                 if p.kind == yesno]
    assert [(p.label, p.now.value, p.now.visits) for p in found] == [("Answered yes", None, 1)]
    assert "1 teacher, fewer than 3" in found[0].now.withheld


def test_the_demo_makes_data_for_a_registered_kind(yesno, db) -> None:
    from observe_app.services import demo

    with db.transaction() as s:
        _cycle_id, obs_id, version = _visit(s)
        demo._Builder(s).live_results(obs_id, version, 45, 0.5)
        checked = responses.observation_results(s, obs_id).checked
    assert checked[version.items_of(yesno)[0].id] is True
