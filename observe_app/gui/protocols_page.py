"""The Protocols page: browse, preview every item with its levels and codes, import, export."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QWidget,
)

from observe_app.domain.changes import Data
from observe_app.errors import BuiltinProtocolError, ObserveError
from observe_app.gui import kinds, shortcuts
from observe_app.gui.pages import ListPage
from observe_app.gui.queries import LatestOnly
from observe_app.gui.settings import PROTOCOLS_SPLITTER, WindowSettings
from observe_app.gui.style import set_look
from observe_app.gui.table_models import ProtocolsTableModel
from observe_app.gui.tasks import run_in_background

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend
    from observe_app.services.protocol_builder import VersionUse
    from observe_app.services.protocols import ImportResult, ProtocolSummary, ProtocolVersionView

_tr = QCoreApplication.translate

def preview_html(version: ProtocolVersionView) -> str:
    """The whole protocol as a readable page: sections, items by kind, levels, codes."""
    e = html.escape
    parts = [f"<h2>{e(version.name)}</h2>",
             f"<p style='color:#5b6773'>{e(_tr('ProtocolsPage', 'Version'))} {version.number}"
             + (f" · {e(version.license)}" if version.license else "") + "</p>"]
    if version.description:
        parts.append(f"<p>{e(version.description)}</p>")
    for section, items in version.sections:
        parts.append(f"<h3 style='color:#2f6f8f'>{e(section)}</h3>")
        for item in items:
            kind = _tr("ProtocolsPage", kinds.get(item.kind).title)
            parts.append(f"<p><b>{e(item.label)}</b> "
                         f"<span style='color:#5b6773'>· {e(kind)}"
                         + (f" · {_tr('ProtocolsPage', 'every')} {item.period_seconds} s"
                            if item.period_seconds else "") + "</span>"
                         + (f"<br/>{e(item.description)}" if item.description else "") + "</p>")
            if item.levels:
                rows = "".join(f"<tr><td valign='top'><b>{lv.level}</b></td>"
                               f"<td valign='top'><b>{e(lv.name)}</b></td>"
                               f"<td>{e(lv.descriptor)}</td></tr>" for lv in item.levels)
                parts.append(f"<table cellspacing='0' cellpadding='3' "
                             f"style='margin-left:12px'>{rows}</table>")
            if item.codes:
                codes = ", ".join(
                    f"{e(c.label)} <span style='color:#5b6773'>({e(c.key)}"
                    + (f", {e(c.group)}" if c.group else "") + ")</span>" for c in item.codes)
                parts.append(f"<p style='margin-left:12px'>{_tr('ProtocolsPage', 'Codes')}: "
                             f"{codes}</p>")
    return "\n".join(parts)


class ProtocolsPage(ListPage):
    """Built-in and imported protocols; a file that does not validate is refused here, in words."""

    SHOWS = Data.PROTOCOLS

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_tr("ProtocolsPage", "Protocols"), _tr(
            "ProtocolsPage", "The observation protocols you can plan cycles with. Importing a "
            "changed protocol adds a new version; past observations keep the version they used."),
            ProtocolsTableModel(), parent)
        self.model.setParent(self)
        self.choose_import_file = self._ask_import_file  # tests replace the file dialogs
        self.choose_export_file = self._ask_export_file
        # Their keys are in the tooltips and on the shortcut sheet (F1): seven buttons with
        # their keys written on them do not fit a small laptop's screen.
        self.new_button = self._builder_button(self.tr("New…"), self.new_protocol,
                                               shortcuts.NEW_PROTOCOL)
        self.duplicate_button = self._builder_button(
            self.tr("Duplicate…"), self.duplicate_protocol, shortcuts.DUPLICATE_PROTOCOL)
        self.edit_button = self._builder_button(self.tr("Change…"), self.edit_protocol,
                                                shortcuts.EDIT_PROTOCOL)
        self.retire_button = self.add_button(self.tr("Retire"), self.toggle_retired)
        self.import_button = self.add_button(self.tr("Import…"), self.import_protocol,
                                             key=shortcuts.IMPORT_PROTOCOL)
        self.export_button = self.add_button(self.tr("Export…"), self.export_protocol,
                                             key=shortcuts.EXPORT_PROTOCOL)
        # Reads and file work run on workers: a slow disk or a big file never freezes the window.
        self._preview_query: LatestOnly[ProtocolVersionView | None] = LatestOnly(self)
        self.working = False  # an import or export is running
        self.message_label = QLabel(self)
        self.message_label.setObjectName("message")  # a notice, or a problem (style.py)
        # Styled as a notice from the start: "Importing…" then costs no restyling (~15 ms).
        self.message_label.setProperty("problem", False)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.setAccessibleName(self.tr("Import and export messages"))
        self.message_label.hide()
        layout = self.column
        layout.insertWidget(2, self.message_label)
        self.preview = QTextBrowser(self)
        self.preview.setAccessibleName(self.tr("Protocol preview"))
        self.preview.setOpenLinks(False)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)  # a table dragged to nothing looks lost
        layout.removeWidget(self.table)
        splitter.addWidget(self.table)
        splitter.addWidget(self.preview)
        splitter.setSizes([480, 560])
        layout.addWidget(splitter, 1)
        self.splitter = splitter
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)
        C = ProtocolsTableModel.Column
        self.fit_columns({C.NAME: 250, C.VERSION: 64, C.ITEMS: 56})
        self.table.sortByColumn(C.NAME, Qt.SortOrder.AscendingOrder)  # Qt's own default: Z to A

    def attach(self, backend: Backend) -> None:
        if self.backend is None and (settings := WindowSettings.of(backend)) is not None:
            settings.remember_splitter(self.splitter, PROTOCOLS_SPLITTER)
        super().attach(backend)

    def reload(self) -> None:
        assert self.backend is not None  # pages load once attached
        self.read_rows(self.backend.protocols.list_protocols)

    def no_row_kept(self) -> None:
        if self.model.rowCount():
            self.table.selectRow(0)  # something to preview
        else:
            self._on_table_current_changed()

    def _on_table_current_changed(self, *_args: Any) -> None:
        summary = self.current_row()
        self._enable_row_buttons(summary)
        if summary is None or self.backend is None:
            self._preview_query.run(lambda: None, self._show_preview)  # drops one on its way
            return
        get_version, version_id = self.backend.protocols.get_version, summary.latest_version_id
        self._preview_query.run(lambda: get_version(version_id), self._show_preview,
                                self.show_read_problem)

    def _show_preview(self, version: ProtocolVersionView | None) -> None:
        if version is None:
            self.preview.clear()
        else:
            self.preview.setHtml(preview_html(version))

    def show_read_problem(self, error: ObserveError) -> None:
        self._show(error.sentence(), problem=True)  # where import and export speak too

    def _show(self, text: str, *, problem: bool) -> None:
        set_look(self.message_label, "problem", problem)
        self.message_label.setText(text)
        self.message_label.show()

    def _ask_import_file(self) -> str:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import a protocol"), "",
                                              self.tr("Protocol files (*.json)"))
        return path

    def _ask_export_file(self, suggested: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the protocol"), suggested,
                                              self.tr("Protocol files (*.json)"))
        return path

    def _set_working(self, text: str | None) -> None:
        """While a file is read or written, say so, and take no second import or export."""
        self.working = text is not None
        self.import_button.setEnabled(not self.working)
        self.export_button.setEnabled(not self.working)
        self.new_button.setEnabled(not self.working)
        self._enable_row_buttons(self.current_row())
        if text is not None:
            self._show(text, problem=False)

    def import_protocol(self) -> None:
        if self.working or self.backend is None:
            return
        path = self.choose_import_file()
        if not path:
            return
        self._set_working(self.tr("Importing {file}…").format(file=Path(path).name))
        self._start_import(Path(path), as_copy=False)

    def _start_import(self, path: Path, *, as_copy: bool) -> None:
        assert self.backend is not None  # checked when the import began
        import_file = self.backend.protocols.import_file
        run_in_background(lambda: import_file(path, as_copy=as_copy),
                          lambda result: self._on_import_succeeded(result, as_copy),
                          lambda exc: self._on_import_failed(exc, path, as_copy), context=self)

    def _on_import_failed(self, exc: BaseException, path: Path, as_copy: bool) -> None:
        if isinstance(exc, BuiltinProtocolError) and not as_copy and self._ask_import_as_copy(exc):
            self._start_import(path, as_copy=True)
            return
        self._set_working(None)
        if not isinstance(exc, ObserveError):
            raise exc  # a bug: the crash dialog, as everywhere
        self._show(self.tr("Not imported. {problem}").format(problem=exc.sentence()),
                   problem=True)

    def _on_import_succeeded(self, result: ImportResult, as_copy: bool) -> None:
        self._set_working(None)
        p = result.protocol
        items = (self.tr("%n item", None, p.item_count) if p.item_count == 1
                 else self.tr("%n items", None, p.item_count))
        if as_copy and result.created_version:
            text = self.tr("Imported {name} as a copy with the id {slug}, version {n}, "
                           "{items}. The built-in protocol is unchanged.")
        elif as_copy:
            text = self.tr("{name} is already here as a copy with the id {slug}, unchanged "
                           "(version {n}, {items}).")
        elif result.created_version:
            text = self.tr("Imported {name}, version {n}, {items}.")
        else:
            text = self.tr("{name} is already here, unchanged (version {n}, {items}).")
        self._show(text.format(name=p.name, slug=p.slug, n=p.latest_version, items=items),
                   problem=False)
        # The write's `changed` has already asked for the list again; its row is selected
        # when that answer comes (on a hidden page, when it is next shown).
        self.select_when_listed(p.id)  # after an import: on to its row

    def _ask_import_as_copy(self, refusal: BuiltinProtocolError) -> bool:
        """The file changes a built-in protocol, which stays as it is: offer it as a copy."""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Import as a copy?"),
                          refusal.sentence(), QMessageBox.StandardButton.Yes
                          | QMessageBox.StandardButton.No, self)
        box.setInformativeText(self.tr(
            "Import it as a copy: a protocol of your own with an id of its own, next to the "
            "built-in one, which stays as it is."))
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        return box.exec() == QMessageBox.StandardButton.Yes

    def export_protocol(self) -> None:
        summary = self.current_row()
        if self.working or summary is None or self.backend is None:
            return
        path = self.choose_export_file(f"{summary.slug}.json")
        if not path:
            return
        self._set_working(self.tr("Exporting {name}…").format(name=summary.name))
        export_file, protocol_id = self.backend.protocols.export_file, summary.id
        run_in_background(lambda: export_file(protocol_id, Path(path)),
                          self._on_export_succeeded, self._on_export_failed, context=self)

    def _on_export_succeeded(self, written: Path) -> None:
        self._set_working(None)
        self._show(self.tr("Wrote {path}.").format(path=written), problem=False)

    def _on_export_failed(self, exc: BaseException) -> None:
        self._set_working(None)
        if not isinstance(exc, ObserveError):
            raise exc
        self._show(self.tr("Not exported. {problem}").format(problem=exc.sentence()),
                   problem=True)

    # The builder ---------------------------------------------------------------------------

    def _builder_button(self, text: str, slot: Any, key: shortcuts.Shortcut) -> QPushButton:
        button = self.add_button(text, slot)
        button.setToolTip(shortcuts.translated(key.text) + f" ({key.label()})")
        shortcuts.bind(key, self, slot)
        return button

    def _enable_row_buttons(self, summary: ProtocolSummary | None) -> None:
        chosen = summary is not None and not self.working
        self.duplicate_button.setEnabled(chosen)
        self.retire_button.setEnabled(chosen)
        own = chosen and summary is not None and not summary.builtin
        self.edit_button.setEnabled(own)
        key = shortcuts.EDIT_PROTOCOL
        self.edit_button.setToolTip(
            shortcuts.translated(key.text) + f" ({key.label()})" if own or summary is None
            else self.tr("Built-in protocols stay as they are: duplicate one to change the "
                         "copy."))
        self.retire_button.setText(self.tr("Bring back") if summary is not None
                                   and summary.retired else self.tr("Retire"))
        self.retire_button.setToolTip(self.tr(
            "Retired protocols are not offered when planning a cycle; the cycles that used "
            "them keep them."))

    def new_protocol(self) -> None:
        if self.working or self.backend is None:
            return
        from observe_app.protocols import templates

        self._open_builder(templates.new_document(), None, None)

    def duplicate_protocol(self) -> None:
        summary = self.current_row()
        if self.working or summary is None or self.backend is None:
            return
        read = self.backend.protocol_builder.duplicate_document
        self._set_working(self.tr("Opening a copy of {name}…").format(name=summary.name))
        run_in_background(lambda: read(summary.id),
                          lambda document: self._open_builder(document, None, None),
                          self._on_builder_read_failed, context=self)

    def edit_protocol(self) -> None:
        summary = self.current_row()
        if self.working or summary is None or self.backend is None:
            return
        if summary.builtin:
            self._show(self.tr("{name} is built in and stays as it is. Duplicate it "
                               "({key}) and change the copy.").format(
                name=summary.name, key=shortcuts.DUPLICATE_PROTOCOL.label()), problem=True)
            return
        calls = self.backend.protocol_builder
        self._set_working(self.tr("Opening {name}…").format(name=summary.name))
        run_in_background(
            lambda: (calls.editable_document(summary.id), calls.version_use(summary.id)),
            lambda read: self._open_builder(read[0], summary.id, read[1]),
            self._on_builder_read_failed, context=self)

    def _on_builder_read_failed(self, exc: BaseException) -> None:
        self._set_working(None)
        if not isinstance(exc, ObserveError):
            raise exc
        self._show(exc.sentence(), problem=True)

    def _open_builder(self, document: dict[str, Any], protocol_id: str | None,
                      use: VersionUse | None) -> None:
        from observe_app.gui.builder.dialog import ProtocolBuilder

        self._set_working(None)
        self.message_label.hide()
        assert self.backend is not None
        builder = ProtocolBuilder(self.backend, document, protocol_id=protocol_id, use=use,
                                  parent=self)
        self.builder = builder  # tests reach the open builder here
        if builder.exec() != ProtocolBuilder.DialogCode.Accepted or builder.saved is None:
            return
        p = builder.saved.protocol
        if not builder.saved.created_version:
            text = self.tr("{name} is unchanged (version {n}).")
        elif protocol_id is None:
            text = self.tr("Saved {name}, version {n}. It is offered when you plan a cycle.")
        else:
            text = self.tr("Saved {name} as version {n}. Cycles planned before keep the "
                           "version they used.")
        self._show(text.format(name=p.name, n=p.latest_version), problem=False)
        self.select_when_listed(p.id)

    def toggle_retired(self) -> None:
        summary = self.current_row()
        if self.working or summary is None or self.backend is None:
            return
        retired = not summary.retired
        try:
            after = self.backend.protocol_builder.set_retired(summary.id, retired)
        except ObserveError as exc:
            self._show(exc.sentence(), problem=True)
            return
        self._show((self.tr("{name} is retired: it is no longer offered when you plan a "
                            "cycle. Cycles that used it keep it.") if after.retired else
                    self.tr("{name} is back: it is offered when you plan a cycle."))
                   .format(name=after.name), problem=False)
        self.select_when_listed(after.id)
