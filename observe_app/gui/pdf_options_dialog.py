"""Before a feedback summary is saved: the paper, where the evidence log goes, a password, and
whether the seats of a participation map show their labels.

Imported when Export PDF is pressed, not with the window: the options are the report's own
small value type (observe_app.reports.options), and the reports package brings ReportLab.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from observe_app.gui.exchange_dialogs import ERROR_STYLE, fit_height
from observe_app.gui.redaction_dialogs import add_redaction_row
from observe_app.gui.settings import PDF_EVIDENCE, PDF_PAGE_SIZE, WindowSettings
from observe_app.reports.options import (
    EvidencePlace,
    PageSize,
    PdfOptions,
    default_page_size,
    page_size_of_locale,
)

if TYPE_CHECKING:
    from observe_app.services.redaction import ClassListView, Replacement

# What a class list would replace in this PDF with these options (run on a worker).
PdfPreview = Callable[[str, PdfOptions], "list[Replacement]"]


@dataclass(frozen=True)
class PdfChoice:
    """What the person chose; the password is only held until the export has it."""

    options: PdfOptions
    password: str | None
    names_list: str | None = None  # the class list whose names are replaced

    def __repr__(self) -> str:  # a password never reaches a log or a crash report
        return f"PdfChoice({self.options!r}, password={'set' if self.password else None})"


def locale_page_size() -> PageSize:
    """This computer's paper: the system locale's territory (Windows and macOS set no LANG),
    else the environment's, else A4."""
    return page_size_of_locale(QLocale.system().name()) or default_page_size()


def remembered(settings: WindowSettings | None) -> PdfOptions:
    """The choices of the last export (never the seat labels), or the locale's paper and the
    evidence as an appendix."""
    page, evidence = locale_page_size(), EvidencePlace.APPENDIX
    if settings is not None:
        raw_page, raw_evidence = settings.get(PDF_PAGE_SIZE), settings.get(PDF_EVIDENCE)
        if raw_page in PageSize.__members__.values():
            page = PageSize(raw_page)
        if raw_evidence in EvidencePlace.__members__.values():
            evidence = EvidencePlace(raw_evidence)
    return PdfOptions(page_size=page, evidence=evidence)


def remember(settings: WindowSettings, options: PdfOptions) -> None:
    settings.set(PDF_PAGE_SIZE, options.page_size.value)
    settings.set(PDF_EVIDENCE, options.evidence.value)
    settings.sync()


class PdfOptionsDialog(QDialog):
    """Paper, evidence log, password and seat labels; OK (Enter) goes on to where to save."""

    def __init__(self, options: PdfOptions, parent: QWidget | None = None, *,
                 class_lists: Sequence[ClassListView] = (),
                 preview: PdfPreview | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export the feedback summary"))
        column = QVBoxLayout(self)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)

        self.paper_combo = QComboBox(self)
        self.paper_combo.addItem(self.tr("A4"), PageSize.A4)
        self.paper_combo.addItem(self.tr("Letter"), PageSize.LETTER)
        self.paper_combo.setCurrentIndex(self.paper_combo.findData(options.page_size))
        paper_label = QLabel(self.tr("&Paper:"), self)
        paper_label.setBuddy(self.paper_combo)
        form.addRow(paper_label, self.paper_combo)

        evidence_box = QWidget(self)
        evidence_column = QVBoxLayout(evidence_box)
        evidence_column.setContentsMargins(0, 0, 0, 0)
        self.evidence_group = QButtonGroup(self)
        self.evidence_buttons: dict[EvidencePlace, QRadioButton] = {}
        for place, text in ((EvidencePlace.FULL, self.tr("In the &summary")),
                            (EvidencePlace.APPENDIX, self.tr("As an &appendix (default)")),
                            (EvidencePlace.NONE, self.tr("&Leave out"))):
            button = QRadioButton(text, evidence_box)
            button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # the chosen one: StrongFocus
            self.evidence_group.addButton(button)
            self.evidence_buttons[place] = button
            evidence_column.addWidget(button)
        self.evidence_group.buttonToggled.connect(self._on_evidence_group_button_toggled)
        self.evidence_buttons[options.evidence].setChecked(True)
        evidence_label = QLabel(self.tr("Evidence log:"), self)
        evidence_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        form.addRow(evidence_label, evidence_box)

        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(self.tr("Optional"))
        self.again_edit = QLineEdit(self)
        self.again_edit.setEchoMode(QLineEdit.EchoMode.Password)
        password_label = QLabel(self.tr("Pass&word:"), self)
        password_label.setBuddy(self.password_edit)
        again_label = QLabel(self.tr("&Confirm:"), self)
        again_label.setBuddy(self.again_edit)
        form.addRow(password_label, self.password_edit)
        form.addRow(again_label, self.again_edit)
        note = QLabel(self.tr(
            "With a password the PDF opens only with it: tell it to the teacher some other way "
            "than the file. Nobody can recover a forgotten password."), self)
        note.setObjectName("muted")
        note.setWordWrap(True)
        form.addRow(note)
        # Never remembered: labels leave this laptop only when asked for, export by export.
        self.seat_labels_check = QCheckBox(
            self.tr("Show seat labels (initials) — they are kept on this laptop"), self)
        self.seat_labels_check.setToolTip(self.tr(
            "Participation maps show seat numbers only, unless this is ticked for this PDF"))
        self.seat_labels_check.setChecked(options.seat_labels)
        form.addRow(self.seat_labels_check)
        # Never remembered either: a list is chosen for each PDF.
        self._pdf_preview = preview
        self.redaction = add_redaction_row(
            form, class_lists, None if preview is None else self._preview_work, self)
        column.addLayout(form)

        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet(ERROR_STYLE)
        self.message_label.hide()
        column.addWidget(self.message_label)
        column.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Save as…"))
        self.ok_button.setDefault(True)  # Enter in any field goes on
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        column.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.paper_combo.setFocus()

    def _preview_work(self, list_id: str) -> Callable[[], list[Replacement]]:
        """The preview with the options chosen now (seat labels show, or not)."""
        preview, options = self._pdf_preview, self.choice().options
        assert preview is not None
        return lambda: preview(list_id, options)

    def _on_evidence_group_button_toggled(self, button: QRadioButton, checked: bool) -> None:
        # Tab stops at the chosen place (not the first), as in a native dialog; arrows move.
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus if checked
                              else Qt.FocusPolicy.ClickFocus)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        fit_height(self)

    def choice(self) -> PdfChoice:
        evidence = next(place for place, button in self.evidence_buttons.items()
                        if button.isChecked())
        options = PdfOptions(page_size=PageSize(self.paper_combo.currentData()),
                             evidence=evidence, seat_labels=self.seat_labels_check.isChecked())
        return PdfChoice(options, self.password_edit.text() or None, self.redaction.list_id())

    def _problem(self) -> str | None:
        password, again = self.password_edit.text(), self.again_edit.text()
        if not password and again:
            self.password_edit.setFocus()
            return self.tr("Type the password in both boxes, or leave both empty.")
        if password != again:
            self.again_edit.selectAll()
            self.again_edit.setFocus()
            return self.tr("The two passwords are not the same: type it again in Confirm.")
        return None

    def _on_buttons_accepted(self) -> None:
        problem = self._problem()
        if problem is not None:  # everything chosen and typed stays as it was
            self.message_label.setText(problem)
            self.message_label.show()
            fit_height(self)
            return
        self.accept()
