"""Where Observe keeps its data, who may read its files, and safe names for exported files."""

from __future__ import annotations

import contextlib
import os
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

ENV_VAR = "OBSERVE_APP_DATA_DIR"
DATABASE_NAME = "observe.db"
BACKUP_FOLDER = "backups"
LOG_FOLDER = "logs"
LOCK_NAME = "observe.lock"
USE_NAME = "observe.use"  # storage.folder_lock: who is using the folder, shared or alone


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None,
                     environ: Mapping[str, str] = os.environ) -> Path:
    """`--data-dir` wins, then OBSERVE_APP_DATA_DIR, then the platform's app-data folder."""
    if cli_value:
        return Path(cli_value).expanduser().resolve()
    if environ.get(ENV_VAR):
        return Path(environ[ENV_VAR]).expanduser().resolve()
    import platformdirs  # only here: the window's first paint does not wait for it

    return Path(platformdirs.user_data_dir("Observe", appauthor=False, roaming=True))


def sqlite_uri(path: Path) -> str:
    """`path` as an SQLite URI (`file:...`, add `?mode=ro` etc.): the name percent-encoded, so
    a folder named with `#`, `?` or `%` opens that folder's file and not another."""
    from urllib.parse import quote

    return "file:" + quote(path.as_posix(), safe="/:")


def database_path(data_dir: Path) -> Path:
    return data_dir / DATABASE_NAME


def backup_dir(data_dir: Path) -> Path:
    return data_dir / BACKUP_FOLDER


# What lives beside the database and must never be written over by an export or a backup.
_SIDE_FILES = ("-wal", "-shm", "-journal")
_OWN_NAMES = (LOCK_NAME, USE_NAME)
_OWN_FOLDERS = (BACKUP_FOLDER, LOG_FOLDER)


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


# -- who may read the files -------------------------------------------------------------------
# On POSIX every file Observe writes is readable by its owner only (0600) and every folder it
# makes is 0700: a teacher's observations are confidential, and a shared computer or a home
# folder readable by others must not show them. Modes are given when a file is created
# (os.open with 0o600, mkdir with 0o700), never through os.umask, which is process-wide and
# would race with the window's worker threads. SQLite creates -wal, -shm and -journal with the
# mode of the database file, so a 0600 database gives 0600 side files.
#
# Opening a data folder tightens what is ours: the database and its side files, the lock file,
# backups and logs (files 0600, folders 0700). The data folder itself is made 0700 when
# Observe creates it, and tightened on open only when it holds nothing but Observe's files: a
# folder the user pointed --data-dir at that also holds other things (their Documents, a
# shared folder) keeps the mode they gave it; Observe's files in it are 0600 all the same.
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
_TRANSIENT = (".partial", ".restoring")


def _posix() -> bool:
    return os.name == "posix"


def private_opener(path: str, flags: int) -> int:
    """An `opener` for open(): a file it creates is readable by its owner only."""
    return os.open(path, flags, PRIVATE_FILE)


def private_dir(path: Path) -> Path:
    """Make the folder `path` if it is missing, owner-only (its parents get the usual mode)."""
    if not path.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            path.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:
            if not path.is_dir():
                raise
    return path


def create_private_file(path: Path) -> bool:
    """Create `path` empty and owner-only; False (and nothing touched) if it already exists."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     PRIVATE_FILE)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def tighten(path: Path, mode: int = PRIVATE_FILE) -> None:
    """Take away what group and others may do with `path`, if it is ours (POSIX only).

    A file owned by someone else, or on a file system without modes, is left as it is: this
    is a safeguard, and the data is no less readable to its owner for it."""
    if not _posix():
        return
    try:
        st = path.stat()
        if st.st_uid == os.getuid() and st.st_mode & 0o777 & ~mode:
            path.chmod(st.st_mode & 0o777 & mode)
    except OSError:
        pass


def _only_ours(folder: Path, db_name: str) -> bool:
    ours = {db_name, LOCK_NAME, USE_NAME, BACKUP_FOLDER, LOG_FOLDER,
            *(db_name + s for s in (*_SIDE_FILES, *_TRANSIENT))}
    try:
        return all(entry.name in ours for entry in folder.iterdir())
    except OSError:
        return False


def secure_data_folder(db_path: Path) -> None:
    """Tighten the database, its side files, lock, backups and logs, and the folder if it
    holds only Observe's files. Called when the database is opened for writing."""
    if not _posix():
        return
    folder = db_path.parent
    for name in (db_path.name, *(db_path.name + s for s in _SIDE_FILES), *_OWN_NAMES):
        tighten(folder / name)
    for sub in (BACKUP_FOLDER, LOG_FOLDER):
        if (folder / sub).is_dir():
            tighten(folder / sub, PRIVATE_DIR)
            for entry in (folder / sub).iterdir():
                if entry.is_file():
                    tighten(entry)
    if _only_ours(folder, db_path.name):
        tighten(folder, PRIVATE_DIR)


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file beside it: the file is owner-only and
    never seen half-written. Raises OSError as open() would."""
    import tempfile

    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".observe-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


# -- names for exported files -----------------------------------------------------------------
# What a file name must not carry: C0 and C1 controls and the characters Windows refuses,
# path separators among them (each becomes a space); format characters, by Unicode category
# Cf (bidi embeddings, overrides and isolates U+202A-E and U+2066-9, marks U+200E/F,
# zero-width U+200B-D, U+2060, U+FEFF, soft hyphen) and lone surrogates (dropped). Any run of
# white space, line separators included, becomes one space. A bidi override in a teacher's
# name would otherwise show 'report.pdf' as 'fdp.troper' in a file manager.
_UNSAFE_CHARACTERS = re.compile(r'[\x00-\x1f\x7f-\x9f<>:"/\\|?*]')
_DROPPED_CATEGORIES = frozenset({"Cf", "Cs"})


def safe_file_stem(text: str, max_bytes: int = 200) -> str:
    """`text` as a file name stem safe on every file system: NFC, no controls, no bidi or
    zero-width characters, no separators, spaces collapsed, at most `max_bytes` in UTF-8,
    no leading or trailing dot or space. May be empty."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _DROPPED_CATEGORIES)
    text = " ".join(_UNSAFE_CHARACTERS.sub(" ", text).split()).strip(" .")
    while len(text.encode("utf-8")) > max_bytes:
        text = text[:-1]
    return text.rstrip(" .")
