"""The look of the window: calm colours, generous spacing, sizes that follow the system font."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

ACCENT = "#2f6f8f"

STYLE_SHEET = f"""
QMainWindow, QDialog {{ background: #f5f6f8; }}
QWidget#page, QWidget#liveView {{ background: #f5f6f8; }}
QWidget#navigationSide {{ background: #e9edf1; }}
QListWidget#navigation {{
    background: #e9edf1; border: none; padding-top: 12px; outline: 0;
}}
QListWidget#navigation::item {{ padding: 0px 14px; margin: 2px 8px; border-radius: 6px;
    color: #1f2d3a; }}
QListWidget#navigation::item:selected {{ background: {ACCENT}; color: white; }}
QListWidget#navigation::item:hover:!selected {{ background: #dde4ea; }}
QLabel#pageTitle {{ font-size: 17pt; font-weight: 600; color: #1f2d3a; }}
QLabel#panelTitle {{ font-size: 12pt; font-weight: 600; color: #1f2d3a; }}
QLabel#sectionHeading {{ font-weight: 600; color: {ACCENT}; padding-top: 10px;
    border-bottom: 1px solid #d5dde4; }}
QLabel#muted {{ color: #5b6773; }}
QLabel#problem {{ color: #8a1c1c; background: #fdecea; border: 1px solid #f3c4c0;
    border-radius: 6px; padding: 6px 10px; }}
QLabel#message[problem="true"] {{ color: #8a1c1c; background: #fdecea;
    border: 1px solid #f3c4c0; border-radius: 6px; padding: 6px 10px; }}
QLabel#message[problem="false"], QLabel#notice {{ color: #1f4d2c; background: #e8f4ec;
    border: 1px solid #bfdcc8;
    border-radius: 6px; padding: 6px 10px; }}
QLabel#keyHint {{ color: #44515e; background: #eef1f4; border: 1px solid #d3d9df;
    border-radius: 4px; padding: 1px 6px; font-family: monospace; }}
QLabel#keyHint[active="true"] {{ color: white; background: {ACCENT}; border-color: {ACCENT}; }}
QLabel#tallyCount {{ font-size: 13pt; font-weight: 600; min-width: 2.2em;
    qproperty-alignment: AlignCenter; }}
QLabel#codeGroup {{ color: #5b6773; font-weight: 600; }}
QLabel#scanPrompt {{ padding: 6px 8px; border-radius: 6px; background: #eef1f4; }}
QLabel#scanPrompt[due="true"] {{ background: #fff4d6; border: 1px solid #e9c46a; }}
QLabel#missedLabel {{ color: #8a1c1c; }}
QLabel#pendingTags {{ color: {ACCENT}; font-weight: 600; }}
QWidget#liveHeader {{ background: white; border: 1px solid #dde3e8; border-radius: 8px; }}
QLabel#liveTitle {{ font-size: 15pt; font-weight: 600; color: #1f2d3a; }}
QLabel#elapsedClock {{ font-size: 24pt; font-weight: 600; color: #1f2d3a;
    font-family: monospace; }}
QLabel#elapsedClock[paused="true"] {{ color: #b7791f; }}
QLabel#wallClock {{ color: #5b6773; }}
QWidget#faultBanner {{ background: #fdecea; border: 1px solid #e0a9a4; border-radius: 6px; }}
QLabel#faultText {{ color: #8a1c1c; font-weight: 600; }}
QWidget#readOnlyBanner {{ background: #fff4d6; border-bottom: 1px solid #e9c46a; }}
QLabel#readOnlyText {{ color: #5c4305; font-weight: 600; }}
QWidget#damagedPage {{ background: #f5f6f8; }}
QLabel#damagedTitle {{ font-size: 17pt; font-weight: 600; color: #8a1c1c; }}
QLabel#problemTitle {{ font-size: 17pt; font-weight: 600; color: #1f2d3a; }}
QWidget#draftBar {{ background: #fff4d6; border: 1px solid #e9c46a; border-radius: 6px; }}
QPlainTextEdit#noteBox {{ font-size: 12pt; border: 2px solid {ACCENT}; border-radius: 6px;
    padding: 4px; background: white; }}
QTableView {{ background: white; alternate-background-color: #f8fafb; border: 1px solid #dde3e8;
    border-radius: 6px; selection-background-color: #d6e6ee; selection-color: #1f2d3a; }}
QHeaderView::section {{ background: #eef1f4; border: none; border-bottom: 1px solid #dde3e8;
    padding: 5px 6px; font-weight: 600; color: #33414e; }}
QPushButton {{ padding: 5px 12px; border-radius: 5px; border: 1px solid #c3ccd5;
    background: white; color: #1f2d3a; }}
QPushButton:hover {{ background: #eef3f6; }}
QPushButton:focus {{ border: 2px solid {ACCENT}; }}
QPushButton:disabled {{ color: #9aa5af; }}
QPushButton#primaryButton {{ background: {ACCENT}; color: white; border-color: {ACCENT}; }}
QPushButton#primaryButton:hover {{ background: #275d78; }}
QPushButton#endButton {{ color: #8a1c1c; border-color: #e0a9a4; }}
QPushButton#flatButton {{ border: none; background: transparent; color: {ACCENT}; }}
QPushButton#flatButton:disabled {{ color: #9aa5af; }}
QPushButton#tallyButton {{ min-width: 1.8em; font-weight: 600; }}
QPushButton#talkType {{ min-width: 1.6em; padding: 5px 8px; font-weight: 600; }}
QPushButton#talkType:checked {{ background: {ACCENT}; color: white; border-color: {ACCENT}; }}
QLabel#talkTypeName {{ color: {ACCENT}; font-weight: 600; }}
QLabel#captureMessage {{ color: #33414e; }}
QLabel#captureMessage[problem="true"] {{ color: #8a1c1c; font-weight: 600; }}
QPushButton[running="true"] {{ background: #fff4d6; border-color: #e9c46a; }}
QLabel[unsaved="true"], QCheckBox[unsaved="true"] {{ color: #8a4b00; font-style: italic; }}
QTextBrowser {{ background: white; border: 1px solid #dde3e8; border-radius: 6px; }}
QScrollArea {{ background: transparent; }}
QScrollArea#visitResults {{ background: white; border: 1px solid #dde3e8; border-radius: 6px; }}
QWidget#visitResultsBox {{ background: white; }}
QWidget#visitResultsBox QTextBrowser {{ border: none; }}
QWidget#protocolBody {{ background: transparent; }}
QLabel#stageStep {{ padding: 4px 6px; border-radius: 6px; color: #5b6773;
    background: #eef1f4; border: 1px solid #dde3e8; }}
QLabel#stageStep[state="done"] {{ color: #1f4d2c; background: #e8f4ec; border-color: #bfdcc8; }}
QLabel#stageStep[state="current"] {{ color: white; background: {ACCENT}; border-color: {ACCENT};
    font-weight: 600; }}
QPushButton#levelCard {{ background: white; border: 1px solid #c3ccd5; border-radius: 8px;
    text-align: left; padding: 0px; }}
QPushButton#levelCard:hover {{ background: #f3f7f9; }}
QPushButton#levelCard:checked {{ background: #e3eff5; border: 2px solid {ACCENT}; }}
QPushButton#levelCard:focus {{ border: 2px dashed {ACCENT}; }}
QPushButton#levelCard:checked:focus {{ border: 2px solid #1d4a60; }}
QListWidget#ratingItems::item {{ padding: 3px 4px; }}
QListWidget#ratingItems::item:selected {{ background: #d6e6ee; color: #1f2d3a; }}
QListWidget#co_observer_list::item {{ padding: 1px 4px; }}
QListWidget#co_observer_list::item:selected {{ background: #d6e6ee; color: #1f2d3a; }}
QTreeWidget, QListWidget {{ background: white; border: 1px solid #dde3e8; border-radius: 6px; }}
"""


def set_look(widget: QWidget, name: str, value: object) -> None:
    """Set a dynamic property the style sheet selects on (`QLabel[active="true"]`), restyling
    the widget only when the value changes. Re-polishing is slow and, on PySide6 6.12.0 with
    Python 3.11, each call lost a reference to None until the interpreter aborted: never
    restyle on a path that runs per keystroke or per clock tick without a change."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
