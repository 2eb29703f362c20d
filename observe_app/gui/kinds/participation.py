"""Participation in the window: the seating chart to tap (or a seat number typed) while live;
the share of students heard, how evenly, called on against volunteered, timed talk and the
look-fors contributions were tagged to in the results, and under them the chart, read only."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGridLayout, QWidget

from observe_app.gui import shortcuts
from observe_app.gui.kinds.base import KindView, ResultBlock
from observe_app.gui.shortcuts import QT_TRANSLATE_NOOP


def live_widget(panel: Any, grid: QGridLayout, row: int, item: Any, results: Any,
                key: str) -> None:
    from observe_app.gui.live.participation_widget import add_participation

    add_participation(panel, grid, row, item, results, key)


def to_seat_box(view: Any, item_id: str) -> None:
    view.panel.participation[item_id].focus_entry()


def results(items: list[Any], visit: Any, tr: Any) -> list[ResultBlock]:
    from observe_app.services.participation import duration_words, evenness_words

    blocks = []
    for item in items:
        figures = visit.participation(item.id, groups=item.groups)
        rows = [(tr("Contributions"), str(figures.contributions)),
                (tr("Students heard"), tr("{spoke} of {seats} seats").format(
                    spoke=figures.spoke, seats=figures.seats))]
        if figures.gini is not None:
            rows.append((tr("How evenly"), tr("Gini {gini:.2f}: {words}").format(
                gini=figures.gini, words=evenness_words(figures.gini))))
        if figures.contributions:
            rows.append((tr("Called on / volunteered"), f"{figures.called_on} / "
                                                       f"{figures.volunteered}"))
        names = {t.key: t.label for t in item.talk_types}
        rows += [(names.get(key, key), str(n)) for key, n in figures.per_type.items()]
        rows += [(tr("Group: {name}").format(name=name),
                  tr("{spoke} of {seats} seats heard, {n} contributions").format(
                      spoke=g.spoke, seats=g.seats, n=g.contributions))
                 for name, g in figures.groups.items()]
        if figures.timed:
            held = (tr("%n contribution timed", None, figures.timed) if figures.timed == 1
                    else tr("%n contributions timed", None, figures.timed))
            rows.append((tr("Timed talk"), tr("{held}: {total} of talk, {mean} on average")
                         .format(held=held, total=duration_words(figures.timed_ms),
                                 mean=duration_words(figures.timed_ms // figures.timed))))
        rows += [(tr("Tagged to {lookfor}").format(lookfor=label),
                  tr("%n contribution", None, n) if n == 1 else tr("%n contributions", None, n))
                 for lookfor_id, label in visit.lookfor_labels.items()
                 if (n := figures.tagged.get(lookfor_id, 0))]
        blocks.append((item.label, rows))
    return blocks


def result_widgets(items: list[Any], visit: Any, panel: Any) -> list[QWidget]:
    from observe_app.gui.review.seat_results import participation_charts

    return participation_charts(items, visit, panel)


VIEW = KindView(name="participation",
                title=QT_TRANSLATE_NOOP("ProtocolsPage", "Participation map"),
                live_widget=live_widget, key_range=shortcuts.SEAT_ENTRY, on_key=to_seat_box,
                results=results, result_widgets=result_widgets)
