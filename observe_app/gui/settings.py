"""Window settings, declared once with their types and defaults, kept in the data folder's
window.ini: the window's size and place, splitter positions, the last page, the export folder,
the PDF's paper and evidence log, the protocol the last cycle was planned with.

A value that is missing, or that someone edited into nonsense, reads as its default.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QSplitter

if TYPE_CHECKING:
    from observe_app.gui.backend import Backend

T = TypeVar("T")

FILE_NAME = "window.ini"


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One key of window.ini, the type its value has, and the value it has until set."""

    key: str
    default: T


GEOMETRY: Setting[QByteArray] = Setting("window/geometry", QByteArray())
STATE: Setting[QByteArray] = Setting("window/state", QByteArray())
PAGE: Setting[int] = Setting("window/page", 0)
EXPORT_FOLDER: Setting[str] = Setting("export/last_folder", "")
# The PDF's paper ('a4', 'letter'; '' until chosen: the locale's) and where its evidence log
# goes ('full', 'appendix', 'none'), as chosen at the last export. Never a password.
PDF_PAGE_SIZE: Setting[str] = Setting("export/page_size", "")
PDF_EVIDENCE: Setting[str] = Setting("export/evidence", "appendix")
# Who a sent package says it is from, and the folder the last received package came from.
SENDER_NAME: Setting[str] = Setting("exchange/sender", "")
RECEIVE_FOLDER: Setting[str] = Setting("exchange/receive_folder", "")
# Splitter positions: the sizes of the panes, left to right (top to bottom).
LIVE_SPLITTER: Setting[tuple[int, ...]] = Setting("splitters/live", ())
RATING_SPLITTER: Setting[tuple[int, ...]] = Setting("splitters/rating", ())
VISITS_SPLITTER: Setting[tuple[int, ...]] = Setting("splitters/visits", ())
PROTOCOLS_SPLITTER: Setting[tuple[int, ...]] = Setting("splitters/protocols", ())
# The protocol (its id, not a version's: a newer version of it is offered) the last cycle was
# planned with, the plan-a-cycle dialog's choice until another is made.
LAST_PROTOCOL: Setting[str] = Setting("planning/last_protocol", "")

SETTINGS: tuple[Setting[Any], ...] = (GEOMETRY, STATE, PAGE, EXPORT_FOLDER, PDF_PAGE_SIZE,
                                      PDF_EVIDENCE, SENDER_NAME, RECEIVE_FOLDER, LIVE_SPLITTER,
                                      RATING_SPLITTER, VISITS_SPLITTER, PROTOCOLS_SPLITTER,
                                      LAST_PROTOCOL)


class WindowSettings:
    """Typed access to window.ini in one data folder. Cheap to make: every QSettings on the
    same file in this process shares one copy of it."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / FILE_NAME
        self._qsettings = QSettings(str(self.path), QSettings.Format.IniFormat)

    @classmethod
    def of(cls, backend: Backend) -> WindowSettings | None:
        """The settings of the data folder behind `backend` (None without a database file)."""
        path = getattr(getattr(backend, "database", None), "path", None)
        return cls(Path(path).parent) if path else None

    def get(self, setting: Setting[T]) -> T:
        raw = self._qsettings.value(setting.key)
        default = setting.default
        if raw is None:
            return default
        try:
            if isinstance(default, QByteArray):
                return raw if isinstance(raw, QByteArray) else default  # type: ignore[return-value]
            if isinstance(default, bool):
                return (str(raw).lower() in ("true", "1")) if raw != "" else default  # type: ignore[return-value]
            if isinstance(default, int):
                return int(raw)  # type: ignore[return-value]
            if isinstance(default, tuple):
                parts = raw if isinstance(raw, list) else str(raw).split(",")
                return tuple(int(p) for p in parts if str(p).strip())  # type: ignore[return-value]
            return str(raw)  # type: ignore[return-value]
        except (TypeError, ValueError):
            return default

    def set(self, setting: Setting[T], value: T) -> None:
        if isinstance(value, tuple):
            self._qsettings.setValue(setting.key, ",".join(str(int(v)) for v in value))
        else:
            self._qsettings.setValue(setting.key, value)

    def sync(self) -> None:
        self._qsettings.sync()

    def remember_splitter(self, splitter: QSplitter, setting: Setting[tuple[int, ...]]) -> None:
        """Give `splitter` its saved positions, and save them whenever the person moves it."""
        sizes = self.get(setting)
        if len(sizes) == splitter.count() and all(s >= 0 for s in sizes) and sum(sizes) > 0:
            splitter.setSizes(list(sizes))
        splitter.splitterMoved.connect(
            lambda _pos, _index: self.set(setting, tuple(splitter.sizes())))
