"""The mentor's screen: one teacher's cycles on a timeline, rubric levels per domain, tallies,
timers, interval codes and participation (students heard, how evenly) across visits, and goals
with their history."""

from __future__ import annotations

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
from observe_app.domain.enums import CycleStage, GoalStatus
from observe_app.domain.formats import local_date
from observe_app.errors import ObserveError
from observe_app.gui.current import KeptCurrent
from observe_app.gui.queries import LatestOnly
from observe_app.gui.review.charts import LineChartWidget, Series, TimelineEntry, TimelineWidget
from observe_app.gui.review.cycle_view import stage_name
from observe_app.gui.review.models import escape
from observe_app.gui.scroll import FittingScrollArea

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.services.goals import GoalView
    from observe_app.services.growth import TeacherGrowth
    from observe_app.services.trends import Trend

MAX_SCAN_CODES = 4  # the codes seen most; more lines than this stop being readable


def _series(trend: Trend, measure: str = "") -> list[Series]:
    """The lines over dates: each value at its cycle's date or its visit's start. With a
    `measure`, a lone line is named by it (the chart's title names the rest)."""
    alone = measure and len(trend.lines) == 1
    return [Series(measure if alone else line.name, tuple((p.when, p.value) for p in line.points))
            for line in trend.lines]


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
        self.heard_chart = LineChartWidget(self.tr("Students heard per lesson"), self)
        self.evenness_chart = LineChartWidget(self.tr("How evenly talk was spread (Gini)"),
                                              self)
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
        # Rows as widgets: a row whose charts are all hidden is hidden with them, and takes
        # no room (an empty layout still took its share of the height).
        self.chart_rows: list[QWidget] = []
        for row_charts in ((self.tally_chart, self.timer_chart, self.scan_chart),
                           (self.heard_chart, self.evenness_chart)):
            row = QWidget(body)
            row_layout = QHBoxLayout(row)
            row_layout.setContentsMargins(0, 0, 0, 0)
            for chart in row_charts:
                row_layout.addWidget(chart, 1)
            charts.addWidget(row, 1)
            self.chart_rows.append(row)
        self.scroll_area.setWidget(body)
        for person in backend.people.list_people(include_archived=True):  # history: all
            if person.cycle_count:
                self.teacher_combo.addItem(person.name, person.id)
        if self.teacher_combo.findData(teacher_id) < 0:
            self.teacher_combo.addItem(backend.people.get_person(teacher_id).name, teacher_id)
        self.teacher_combo.setCurrentIndex(self.teacher_combo.findData(teacher_id))
        self.teacher_combo.currentIndexChanged.connect(self._on_teacher_combo_changed)
        # the name at once; the rest when read (a newer teacher's read makes an older stale)
        self.title_label.setText(self.tr("Growth of {name}").format(
            name=self.teacher_combo.currentText()))
        self._query: LatestOnly[TeacherGrowth] = LatestOnly(self)
        self.reload()

    @property
    def loading(self) -> bool:
        """The teacher's growth is being read; what is shown is the previous one's, or none."""
        return self._query.running

    def reload(self) -> None:
        """Read the teacher's growth on a worker; only the newest teacher's is shown."""
        teacher_growth, teacher_id = self.backend.growth.teacher_growth, self.teacher_id
        self._query.run(lambda: teacher_growth(teacher_id), self._show,
                        self._on_growth_failed)

    def _show(self, growth: TeacherGrowth) -> None:
        person, cycles = growth.teacher, growth.cycles
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
        self.subtitle_label.setText(" · ".join(facts) + self._headline(growth))
        self.timeline.set_entries([TimelineEntry(c.id, c.date, c.protocol_name,
                                                 stage_name(c.stage, self.tr),
                                                 c.stage == CycleStage.CLOSED) for c in cycles])
        self._fill_charts(growth)
        self._fill_goals(growth)

    def _on_growth_failed(self, error: ObserveError) -> None:
        self.subtitle_label.setText(self.tr("Not read: {problem}").format(
            problem=error.sentence()))

    def _headline(self, growth: TeacherGrowth) -> str:
        """Growth in numbers: the first and last mean rubric level, and the first and last
        share of students heard with the evenness of their talk."""
        said = []
        means = [mean for _cycle, _date, mean in growth.cycle_means]
        if len(means) >= 2:
            said.append(self.tr("Mean rubric level {first:.1f} → {last:.1f} over {n} rated "
                                "cycles").format(first=means[0], last=means[-1], n=len(means)))
        heard = growth.heard.lines[0].points if growth.heard else ()
        even = growth.evenness.lines[0].points if growth.evenness else ()
        if len(heard) >= 2 and len(even) >= 2:
            said.append(self.tr("Students heard {first:.0f}% → {last:.0f}%, Gini {gini_first:.2f}"
                                " → {gini_last:.2f} over {n} lessons").format(
                first=heard[0].value, last=heard[-1].value, gini_first=even[0].value,
                gini_last=even[-1].value, n=len(heard)))
        return "".join("\n" + line for line in said)

    def _fill_charts(self, growth: TeacherGrowth) -> None:
        self.domain_chart.set_series(_series(growth.domains), y_label=self.tr("mean level"),
                                     y_min=1, y_max=growth.top_level, y_step=1,
                                     value_format=lambda v: f"{v:.1f}".rstrip("0").rstrip("."))
        self.tally_chart.set_series(_series(growth.tallies), y_label=self.tr("count per lesson"),
                                    value_format=lambda v: f"{v:.0f}")
        self.timer_chart.set_series(_series(growth.timers), y_label=self.tr("seconds (mean)"),
                                    value_format=lambda v: f"{v:.1f} s")
        self.scan_chart.set_series(_series(growth.scans.strongest(MAX_SCAN_CODES)),
                                   y_label=self.tr("% of intervals"), y_min=0, y_max=100,
                                   y_step=25, value_format=lambda v: f"{v:.0f}%")
        self.heard_chart.set_series(_series(growth.heard, self.tr("heard")),
                                    y_label=self.tr("% of seats heard at least once"), y_min=0,
                                    y_max=100, y_step=25, value_format=lambda v: f"{v:.0f}%")
        self.evenness_chart.set_series(_series(growth.evenness, self.tr("Gini")),
                                       y_label=self.tr("0 even · 1 one seat did all the talking"),
                                       y_min=0, y_max=1, y_step=0.25,
                                       value_format=lambda v: f"{v:.2f}")
        self.domain_chart.empty_text = self.tr("No rubric ratings in this teacher's cycles yet")
        scans, timers, tallies = bool(growth.scans), bool(growth.timers), bool(growth.tallies)
        heard = bool(growth.heard)
        self.scan_chart.setVisible(scans)
        self.timer_chart.setVisible(timers)
        self.tally_chart.setVisible(tallies or not (scans or timers or heard))
        self.heard_chart.setVisible(heard)
        self.evenness_chart.setVisible(heard)
        for row in self.chart_rows:
            row.setVisible(any(not chart.isHidden() for chart in row.findChildren(
                LineChartWidget)))

    def _fill_goals(self, growth: TeacherGrowth) -> None:
        dates = {c.id: c.date for c in growth.cycles}
        self.goals = list(growth.goals)
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
