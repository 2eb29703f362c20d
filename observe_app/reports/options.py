"""What the person exporting a feedback summary chooses: paper size and where the evidence goes."""

from __future__ import annotations

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
