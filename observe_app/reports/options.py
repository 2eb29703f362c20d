"""What the person exporting a feedback summary chooses: paper size, where the evidence goes,
and whether seat labels are shown."""

from __future__ import annotations

import locale
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class PageSize(StrEnum):
    A4 = "a4"
    LETTER = "letter"


class EvidencePlace(StrEnum):
    """Where the timestamped evidence log goes: in the body, as an appendix, or left out."""

    FULL = "full"
    APPENDIX = "appendix"
    NONE = "none"


@dataclass(frozen=True)
class PdfOptions:
    page_size: PageSize = PageSize.A4
    evidence: EvidencePlace = EvidencePlace.APPENDIX
    # A participation map's seat labels (initials) are kept on this laptop: they reach a PDF
    # only when the person exporting turns them on for that export.
    seat_labels: bool = False


# Where US Letter is the paper in the shops (glibc's LC_PAPER and CLDR agree on these); every
# other territory uses A4.
LETTER_TERRITORIES = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "GT", "CR", "PA", "SV",
                                "DO", "PR", "BZ", "NI", "HN", "BO", "UM", "VI", "AS", "GU", "MP"})
# Windows names its locales 'English_United States.1252'.
_LETTER_NAMES = frozenset({"united states", "canada", "mexico", "philippines", "chile",
                           "colombia", "venezuela", "guatemala", "costa rica", "panama",
                           "el salvador", "dominican republic", "puerto rico", "belize",
                           "nicaragua", "honduras", "bolivia"})


def _territory(name: str) -> str | None:
    """'en_US.UTF-8' -> 'US', 'es-MX' -> 'MX', 'English_United States.1252' -> 'united states';
    None for 'C', 'POSIX' or a bare language."""
    base = name.split(".", 1)[0].split("@", 1)[0]
    match = re.fullmatch(r"[A-Za-z]{2,3}[_-]([A-Za-z]{2}|\d{3})", base)
    if match:
        return match.group(1).upper()
    if "_" in base:  # Windows: Language_Country
        return base.split("_", 1)[1].strip().lower() or None
    return None


def page_size_of_locale(name: str | None) -> PageSize | None:
    """Letter or A4 for a locale name; None when the name says no territory."""
    territory = _territory(name or "")
    if territory is None:
        return None
    letter = territory in LETTER_TERRITORIES or territory in _LETTER_NAMES
    return PageSize.LETTER if letter else PageSize.A4


def default_page_size(environ: Mapping[str, str] | None = None) -> PageSize:
    """The paper of this computer's locale: LC_ALL, then LC_PAPER, then LANG (as POSIX reads
    them), then the process's locale; A4 when none names a territory."""
    env = os.environ if environ is None else environ
    for variable in ("LC_ALL", "LC_PAPER", "LANG"):
        if env.get(variable):
            size = page_size_of_locale(env[variable])
            if size is not None:
                return size
            break  # set, but 'C' or 'POSIX': the process's locale may still say more
    try:
        name = locale.getlocale()[0]
    except ValueError:
        name = None
    return page_size_of_locale(name) or PageSize.A4
