"""The mentor's screen: one teacher's cycles on a timeline, rubric levels per domain, tallies,
timers and interval codes across visits, and goals with their history."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from observe_app.domain.changes import Data
from observe_app.domain.enums import CycleStage, GoalStatus, ItemKind
from observe_app.domain.formats import local_date
from observe_app.gui.current import KeptCurrent
from observe_app.gui.review.charts import LineChartWidget, Series, TimelineEntry, TimelineWidget
from observe_app.gui.review.cycle_view import stage_name
from observe_app.gui.review.models import escape
from observe_app.gui.scroll import FittingScrollArea

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.services.cycles import CycleSummary
    from observe_app.services.goals import GoalView

MAX_SCAN_CODES = 4  # the codes seen most; more lines than this stop being readable


def short_label(label: str) -> str:
    """'Open questions (several answers)' → 'Open questions': the line label stays short."""
    return label.split(" (")[0].strip() or label


def _series(points: dict[str, list[tuple[dt.datetime, float]]]) -> list[Series]:
    return [Series(name, tuple(values)) for name, values in points.items()]


class GrowthView(QWidget):
    """Growth across a teacher's cycles; `cycle_opened` asks the window to open one."""

    closed = Signal()
    cycle_opened = Signal(str)

    def __init__(self, backend: Backend, teacher_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.backend = backend
        # what changes while it is on screen is its own doing; hidden, it catches up on show
        shows = Data.EVERYTHING & ~Data.DRAFTS
        KeptCurrent(self, shows, self.reload, while_shown=False).follow(backend)
        self.teacher_id = teacher_id
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        top = QHBoxLayout()
        back = QPushButton(self.tr("← Back"), self)
        back.setObjectName("flatButton")
        back.setToolTip(self.tr("Back to the list (Esc)"))
        back.clicked.connect(self.closed)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.closed)
        top.addWidget(back)
        self.title_label = QLabel(self)
        self.title_label.setObjectName("pageTitle")
        top.addWidget(self.title_label, 1)
        self.teacher_combo = QComboBox(self)
        self.teacher_combo.setAccessibleName(self.tr("Teacher"))
        self.teacher_combo.setMinimumWidth(220)
        top.addWidget(QLabel(self.tr("Teacher"), self))
        top.addWidget(self.teacher_combo)
        layout.addLayout(top)
        self.subtitle_label = QLabel(self)
        self.subtitle_label.setObjectName("muted")
        self.subtitle_label.setWordWrap(True)
        layout.addWidget(self.subtitle_label)
        # Timeline and charts scroll together where the screen is shorter than they need.
        self.scroll_area = FittingScrollArea(self)  # not `scroll`: QWidget.scroll() moves
        body = QWidget(self.scroll_area)
        body.setObjectName("protocolBody")  # transparent
        charts = QVBoxLayout(body)
        charts.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area, 1)
        self.timeline = TimelineWidget(self)
        self.timeline.cycle_activated.connect(self.cycle_opened)
        charts.addWidget(self.timeline)
        self.domain_chart = LineChartWidget(self.tr("Rubric level per domain, each cycle"), self)
        self.tally_chart = LineChartWidget(self.tr("Tallies per lesson"), self)
        self.timer_chart = LineChartWidget(self.tr("Mean timed length per lesson"), self)
        self.scan_chart = LineChartWidget(self.tr("Interval scans: share of intervals"), self)
        top_row = QHBoxLayout()
        top_row.addWidget(self.domain_chart, 3)
        side = QVBoxLayout()
        side.setSpacing(2)
        goals_title = QLabel(self.tr("Goals and the cycles that touched them"), self)
        goals_title.setObjectName("sectionHeading")
        side.addWidget(goals_title)
        self.goals_view = QTextBrowser(self)
        self.goals_view.setAccessibleName(self.tr("Goals"))
        self.goals_view.setOpenLinks(False)  # a cycle link opens the cycle view instead
        self.goals_view.anchorClicked.connect(self._on_goals_view_anchor_clicked)
        self.goals: list[GoalView] = []
        side.addWidget(self.goals_view, 1)
        top_row.addLayout(side, 2)
        charts.addLayout(top_row, 1)
        bottom_row = QHBoxLayout()
        for chart in (self.tally_chart, self.timer_chart, self.scan_chart):
            bottom_row.addWidget(chart, 1)
        charts.addLayout(bottom_row, 1)
        self.scroll_area.setWidget(body)
        for person in backend.people.list_people():
            if person.cycle_count:
                self.teacher_combo.addItem(person.name, person.id)
        if self.teacher_combo.findData(teacher_id) < 0:
            self.teacher_combo.addItem(backend.people.get_person(teacher_id).name, teacher_id)
        self.teacher_combo.setCurrentIndex(self.teacher_combo.findData(teacher_id))
        self.teacher_combo.currentIndexChanged.connect(self._on_teacher_combo_changed)
        self.reload()

    def reload(self) -> None:
        b = self.backend
        person = b.people.get_person(self.teacher_id)
        cycles = b.cycles.list_cycles(teacher_id=self.teacher_id)
        self.title_label.setText(self.tr("Growth of {name}").format(name=person.name))
        facts = [p for p in (person.subject, person.career_stage.value.capitalize() + " " +
                             self.tr("teacher"))
                 if p]
        if person.mentor_name:
            facts.append(self.tr("mentor {name}").format(name=person.mentor_name))
        if person.start_date:
            facts.append(self.tr("started {date}").format(date=local_date(person.start_date)))
        facts.append(self.tr("%n cycle", None, len(cycles)) if len(cycles) == 1
                     else self.tr("%n cycles", None, len(cycles)))
        self.subtitle_label.setText(" · ".join(facts) + self._headline())
        self.timeline.set_entries([TimelineEntry(c.id, c.date, c.protocol_name,
                                                 stage_name(c.stage, self.tr),
                                                 c.stage == CycleStage.CLOSED) for c in cycles])
        self._fill_charts(cycles)
        self._fill_goals(cycles)

    def _headline(self) -> str:
        """One sentence of growth in numbers: the first and last mean rubric level."""
        by_cycle: dict[str, list[float]] = defaultdict(list)
        for point in self.backend.growth.domain_levels(self.teacher_id):
            by_cycle[point.cycle_id].append(point.mean_level)
        means = [sum(v) / len(v) for v in by_cycle.values()]
        if len(means) < 2:
            return ""
        return "\n" + self.tr("Mean rubric level {first:.1f} → {last:.1f} over {n} rated "
                              "cycles").format(first=means[0], last=means[-1], n=len(means))

    def _fill_charts(self, cycles: list[CycleSummary]) -> None:
        b = self.backend
        domains: dict[str, list[tuple[dt.datetime, float]]] = defaultdict(list)
        for point in b.growth.domain_levels(self.teacher_id):
            domains[point.domain].append((point.date, point.mean_level))
        top_level = 4
        for version_id in {c.protocol_version_id for c in cycles}:
            version = b.protocols.get_version(version_id)
            for item in version.items:
                if item.kind == ItemKind.RUBRIC and item.levels:
                    top_level = max(top_level, max(lv.level for lv in item.levels))
        self.domain_chart.set_series(_series(domains), y_label=self.tr("mean level"), y_min=1,
                                     y_max=top_level, y_step=1,
                                     value_format=lambda v: f"{v:.1f}".rstrip("0").rstrip("."))
        tallies: dict[str, list[tuple[dt.datetime, float]]] = defaultdict(list)
        for t in b.growth.tally_trend(self.teacher_id):
            tallies[short_label(t.label)].append((t.started_at, float(t.count)))
        self.tally_chart.set_series(_series(tallies), y_label=self.tr("count per lesson"),
                                    value_format=lambda v: f"{v:.0f}")
        timers: dict[str, list[tuple[dt.datetime, float]]] = defaultdict(list)
        for m in b.growth.timer_trend(self.teacher_id):
            timers[short_label(m.label)].append((m.started_at, m.mean_ms / 1000))
        self.timer_chart.set_series(_series(timers), y_label=self.tr("seconds (mean)"),
                                    value_format=lambda v: f"{v:.1f} s")
        labels = {}
        for version_id in {c.protocol_version_id for c in cycles}:
            for item in b.protocols.get_version(version_id).items:
                labels.update({code.key: code.label for code in item.codes})
        scans: dict[str, list[tuple[dt.datetime, float]]] = defaultdict(list)
        for s in b.growth.scan_trend(self.teacher_id):
            scans[labels.get(s.code, s.code)].append((s.started_at, s.share * 100))
        top = sorted(scans, key=lambda k: -max(v for _d, v in scans[k]))[:MAX_SCAN_CODES]
        self.scan_chart.set_series(_series({k: scans[k] for k in top}),
                                   y_label=self.tr("% of intervals"), y_min=0, y_max=100,
                                   y_step=25, value_format=lambda v: f"{v:.0f}%")
        self.domain_chart.empty_text = self.tr("No rubric ratings in this teacher's cycles yet")
        self.scan_chart.setVisible(bool(scans))
        self.timer_chart.setVisible(bool(timers))
        self.tally_chart.setVisible(bool(tallies) or not (scans or timers))

    def _fill_goals(self, cycles: list[CycleSummary]) -> None:
        dates = {c.id: c.date for c in cycles}
        self.goals = self.backend.goals.goals_for_teacher(self.teacher_id)
        colours = {GoalStatus.MET: "#1f6f43", GoalStatus.PARTLY_MET: "#9a6700",
                   GoalStatus.NOT_YET: "#8a1c1c", GoalStatus.OPEN: "#2f6f8f"}
        parts = []
        for goal in self.goals:
            status = (f"<span style='color:{colours[goal.status]}; font-weight:600'>"
                      f"{escape(self.tr(goal.status.label))}</span>")
            steps = []
            for step in goal.history:
                when = local_date(dates.get(step.cycle_id))
                comment = f" — {escape(step.comment)}" if step.comment else ""
                steps.append(f"<li><a href='cycle:{step.cycle_id}'>{when}</a>: "
                             f"<span style='color:{colours[step.status]}'>"
                             f"{escape(self.tr(step.status.label))}</span>{comment}</li>")
            parts.append(f"<p style='margin:6px 0 2px 0'><b>{escape(goal.text)}</b> · {status}"
                         f"</p><ul style='margin:0'>{''.join(steps)}</ul>")
        if not parts:
            parts.append("<p style='color:#5b6773'>" + escape(self.tr(
                "No goal set yet. Goals are agreed in a post-conference.")) + "</p>")
        self.goals_view.setHtml("".join(parts))

    def _on_teacher_combo_changed(self, _index: int) -> None:
        self.teacher_id = self.teacher_combo.currentData()
        self.reload()

    def _on_goals_view_anchor_clicked(self, url: QUrl) -> None:
        link = url.toString()
        if link.startswith("cycle:"):
            self.cycle_opened.emit(link.removeprefix("cycle:"))
