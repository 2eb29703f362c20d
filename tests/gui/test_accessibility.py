"""Every control can be named by a screen reader, and the live view fits 1280×720."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from observe_app.gui.main_window import MainWindow

CONTROLS = (QAbstractButton, QLineEdit, QPlainTextEdit, QComboBox, QSpinBox, QAbstractItemView)


def _inside_qt_parts(widget):
    """Parts Qt builds into its own widgets (a line edit's clear button, a combo's list)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QLineEdit, QComboBox, QSpinBox)):
            return True
        parent = parent.parentWidget()
    return False


def _unnamed(root):
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or isinstance(widget, QHeaderView) \
                or widget.objectName().startswith("qt_") or _inside_qt_parts(widget):
            continue
        text = widget.text() if isinstance(widget, QAbstractButton) else ""
        if not (widget.accessibleName() or text.strip()):
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


def test_live_view_controls_have_names_and_fit_1280x720(open_live):
    for slug in ("peer-observation", "questioning-wait-time", "engagement-interval-scan",
                 "classroom-discourse-scan", "questioning-wait-time-engagement"):
        view = open_live(slug)
        assert _unnamed(view) == [], slug
        hint = view.minimumSizeHint()
        assert hint.width() <= 1280 and hint.height() <= 720, (slug, hint)


def test_main_window_controls_have_names(qtbot, backend):
    window = MainWindow()
    qtbot.addWidget(window)
    window.attach(backend)
    for number in range(4):
        window.page(number)
    assert _unnamed(window) == []
    assert window.minimumSizeHint().width() <= 1280
