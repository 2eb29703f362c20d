"""The one place that decides where Observe keeps its data."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

ENV_VAR = "OBSERVE_APP_DATA_DIR"
DATABASE_NAME = "observe.db"
BACKUP_FOLDER = "backups"


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None,
                     environ: Mapping[str, str] = os.environ) -> Path:
    """`--data-dir` wins, then OBSERVE_APP_DATA_DIR, then the platform's app-data folder."""
    if cli_value:
        return Path(cli_value).expanduser().resolve()
    if environ.get(ENV_VAR):
        return Path(environ[ENV_VAR]).expanduser().resolve()
    import platformdirs  # only here: the window's first paint does not wait for it

    return Path(platformdirs.user_data_dir("Observe", appauthor=False, roaming=True))


def database_path(data_dir: Path) -> Path:
    return data_dir / DATABASE_NAME


def backup_dir(data_dir: Path) -> Path:
    return data_dir / BACKUP_FOLDER


# What lives beside the database and must never be written over by an export or a backup.
_SIDE_FILES = ("-wal", "-shm", "-journal")
_OWN_NAMES = ("observe.lock", "observe.use")
_OWN_FOLDERS = (BACKUP_FOLDER, "logs")


def database_of(bind: object) -> Path | None:
    """The database file behind a Database or a Session (None for an in-memory one)."""
    path = getattr(bind, "path", None)
    if path is None and hasattr(bind, "get_bind"):
        path = bind.get_bind().url.database  # type: ignore[attr-defined]
    return Path(path) if path else None


def refuse_own_file(db_path: Path | None, target: Path, what: str) -> None:
    """Refuse an output path that is one of the data folder's own files (the database, its
    journal files, the lock) or lies in its backups or logs: an export must never replace
    the data it was made from."""
    from observe_app.errors import BadInputError

    if db_path is None:
        return
    db = db_path.expanduser().resolve()
    folder = db.parent
    out = target.expanduser().resolve()
    own = {db, *(db.with_name(db.name + s) for s in _SIDE_FILES),
           *(folder / n for n in _OWN_NAMES)}
    inside = any(out == folder / f or out.is_relative_to(folder / f) for f in _OWN_FOLDERS)
    if out in own or inside:
        raise BadInputError(
            f"{target} is one of Observe's own files in {folder}; choose another place for "
            f"the {what}. Nothing was written")
