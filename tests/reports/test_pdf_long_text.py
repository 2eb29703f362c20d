"""Every text field at the longest length the window allows, in several scripts, exports.

The demo school is filled column by column: each String column at its schema length, each
Text column at its limit in domain/limits.py. Then every cycle is exported and each PDF is
opened and searched for its own text.
"""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import Enum, String, select, update

from observe_app import reports
from observe_app.domain import limits
from observe_app.domain.models import Base
from observe_app.storage.engine import Database
from tests.reports.pdf_helpers import pdf_text

# Codes, not text anyone types or reads: changing them would only break the demo's links.
IDENTIFIERS = {"protocols.slug", "protocol_items.key", "protocol_versions.content_hash"}
# Above this, a column is at its limit only in the first row of each parent (the first note
# of each visit, say) and moderately long elsewhere: the PDFs stay a few pages each.
CHEAP = 5_000
WORDS = ("Élève", "naïve", "Straße", "Tiếng", "Việt", "người", "học", "Ελληνικά", "μαθητές",
         "ρωτούν", "Кириллица", "ученики", "объясняют", "<b>&amp;</b>", "ça", "Ø", "Łódź",
         "https://example.org/" + "a-very-long-link-without-spaces-" * 6, "\n")


def mixed_text(marker: str, length: int) -> str:
    """`marker`, then words of several scripts (and a long link, markup, line breaks)."""
    parts, size = [marker], len(marker)
    for word in itertools.cycle(WORDS):
        if size >= length:
            break
        parts.append(word)
        size += len(word) + 1
    return " ".join(parts)[:length]


def text_columns() -> list[tuple[str, str, int]]:
    """(table, column, longest length) of every column a person writes."""
    found = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            name = f"{table.name}.{column.name}"
            if column.primary_key or column.foreign_keys or isinstance(column.type, Enum) \
                    or not isinstance(column.type, String) or name in IDENTIFIERS:
                continue
            limit = column.type.length or limits.TEXT_COLUMNS.get(name)
            assert limit, f"{name} has no length limit: add it to domain/limits.py"
            found.append((table.name, column.name, limit))
    return found


def fill_every_text_column(db: Database) -> dict[str, str]:
    """Fill the demo's text columns; returns a marker per cycle id found in its focus."""
    tables = Base.metadata.tables
    markers: dict[str, str] = {}
    with db.transaction() as s:
        for table_name, column_name, limit in text_columns():
            table = tables[table_name]
            column = table.c[column_name]
            keys = list(table.primary_key.columns)
            parent = next((c for c in table.columns if c.foreign_keys), None)
            rows = s.execute(select(*keys, *([parent] if parent is not None else []))
                             .order_by(*keys)).all()
            seen: defaultdict[object, int] = defaultdict(int)
            for n, row in enumerate(rows):
                group = row[-1] if parent is not None else None
                first = seen[group] == 0
                seen[group] += 1
                marker = f"M{table_name[:3]}{column_name[:3]}{n}Ж"
                length = limit if limit <= CHEAP or first else min(limit, 400)
                value = mixed_text(marker, length)
                if column_name == "email":
                    value = value[:limit - 12].replace("\n", " ") + "@example.org"
                s.execute(update(table).where(*(k == row[i] for i, k in enumerate(keys)))
                          .values({column: value}))
                if name_is(table_name, column_name, "cycles.focus"):
                    markers[row[0]] = marker
    return markers


def name_is(table: str, column: str, name: str) -> bool:
    return f"{table}.{column}" == name


def test_every_column_has_a_limit() -> None:
    names = {f"{t}.{c}" for t, c, _limit in text_columns()}
    assert {"cycles.focus", "ratings.comment", "goals.text", "notes.text"} <= names


def test_every_cycle_exports_with_every_field_at_its_longest(demo_db: Database,
                                                             tmp_path: Path) -> None:
    markers = fill_every_text_column(demo_db)
    summaries = reports.cycles_to_export(demo_db)
    assert len(summaries) == len(markers) > 20
    results = reports.export_cycles(demo_db, summaries, tmp_path / "pdf", tz=dt.UTC)
    assert len(results) == len(summaries)
    qpdf = shutil.which("qpdf")
    for result in results:
        text = " ".join(pdf_text(result.path))
        assert markers[result.cycle_id] in text, result.path.name
        assert "Ελληνικά μαθητές ρωτούν Кириллица ученики" in text
        assert "<b>&amp;</b>" in text  # user text is text, never markup
        if qpdf is not None:  # CI installs qpdf; elsewhere the text check has to do
            check = subprocess.run([qpdf, "--check", str(result.path)], capture_output=True,
                                   text=True)
            assert check.returncode == 0, f"{result.path.name}: {check.stdout}{check.stderr}"
