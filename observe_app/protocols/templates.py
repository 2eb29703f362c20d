"""Starting points for the protocol builder: an empty protocol, a section, an item of each kind.

Left incomplete on purpose where only the author can say what belongs (a rubric's descriptors,
a scan's codes): the builder's problem list then asks for exactly those.
"""

from __future__ import annotations

import re
import string
import unicodedata
from typing import Any

# What a rubric item starts with: four levels, named as many school rubrics name them; the
# author writes what each looks like in this rubric.
RUBRIC_LEVELS = ("Beginning", "Developing", "Proficient", "Accomplished")
SCAN_PERIOD_SECONDS = 120  # a common interval for whole-class scans
# What a participation map starts with: the kinds of talk most schools look for; the author
# changes, removes or adds to them. No groups: a school that wants them names its own.
TALK_TYPES = ("Answered a question", "Asked a question", "Explained their thinking",
              "Built on a peer's idea")
LICENSE = "Written by this school, for its own use"
SOURCE = "Made with Observe's protocol builder"


def keyword(text: str, taken: set[str], fallback: str) -> str:
    """A key made from `text` (plain letters and digits joined by dashes), not in `taken`."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:40].strip("-") or fallback
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def talk_type_key(label: str, taken: set[str]) -> str:
    """The one letter pressed for a talk type: the first letter of its name (without accents)
    that no other talk type has, else the first free letter of the alphabet."""
    plain = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode("ascii")
    for letter in plain.lower() + string.ascii_lowercase:
        if letter in string.ascii_lowercase and letter not in taken:
            return letter
    return ""


def new_document() -> dict[str, Any]:
    return {"format": 1, "id": "new-protocol", "name": "", "version": 1, "description": "",
            "license": LICENSE, "source": SOURCE, "sections": []}


def new_section(taken_keys: set[str]) -> dict[str, Any]:
    return {"key": keyword("section", taken_keys, "section"), "title": "", "items": []}


def new_item(kind: str, taken_keys: set[str]) -> dict[str, Any]:
    item: dict[str, Any] = {"key": keyword(kind, taken_keys, "item"), "kind": kind, "label": ""}
    if kind == "rubric":
        item["levels"] = [{"level": n, "name": name, "descriptor": ""}
                          for n, name in enumerate(RUBRIC_LEVELS, start=1)]
    elif kind == "interval":
        item["period_seconds"] = SCAN_PERIOD_SECONDS
        item["codes"] = []
    elif kind == "prompt":
        item["prompt_kind"] = "other"
    elif kind == "participation":
        item["talk_types"] = []
        for label in TALK_TYPES:
            taken = {t["key"] for t in item["talk_types"]}
            item["talk_types"].append({"key": talk_type_key(label, taken), "label": label})
    return item


def document_keys(document: dict[str, Any]) -> tuple[set[str], set[str]]:
    """The section keys and the item keys a document already uses."""
    sections = document.get("sections") or []
    return ({s.get("key", "") for s in sections},
            {i.get("key", "") for s in sections for i in s.get("items") or []})
