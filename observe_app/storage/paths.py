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
