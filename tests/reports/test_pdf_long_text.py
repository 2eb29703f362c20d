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
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from pdf_helpers import pdf_text
from reportlab.platypus.doctemplate import LayoutError
from sqlalchemy import Enum, String, select, update

from observe_app import cli, reports
from observe_app.domain import limits
from observe_app.domain.models import Base
from observe_app.services.cycles import CycleSummary
from observe_app.storage.engine import Database

# Codes, not text anyone types or reads: changing them would only break the demo's links.
IDENTIFIERS = {"protocols.slug", "protocol_items.key", "protocol_items.kind",
               "protocol_versions.content_hash"}
# Above this, a column is at its limit only in the first row of each parent (the first note
# of each visit, the first rating of each cycle, each teacher's first cycle) and moderately
# long elsewhere: every table and paragraph meets its longest text, and the PDFs stay short
# enough for the test to take seconds rather than minutes.
CHEAP = 2_000
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
        if table.name.startswith("sync_"):
            continue  # what packages need (stamps, kept values): written by the app
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
                length = limit if limit <= CHEAP or first else min(limit, 80)
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


SHARDS = 4  # the exports spread over the test workers
# The demo has a year of learning walks and many peer visits alike: the first few cycles of
# each protocol in each stage stand for the rest (every kind of page still meets its longest
# text), so that the test takes a minute or two of CPU, not seven.
PER_KIND = 8


def standing_for_all(summaries: list[CycleSummary]) -> list[CycleSummary]:
    taken: Counter[tuple[str, str]] = Counter()
    chosen = []
    for summary in summaries:
        kind = (summary.protocol_name, summary.stage.value)
        if taken[kind] < PER_KIND:
            taken[kind] += 1
            chosen.append(summary)
    return chosen


@pytest.fixture(scope="session")
def longest_text_school(demo_template: Path, tmp_path_factory: pytest.TempPathFactory
                        ) -> tuple[Path, dict[str, str]]:
    """A copy of the demo school with every text field at its longest, made once per worker."""
    from observe_app.storage.opening import open_database

    folder = tmp_path_factory.mktemp("longest") / "demo"
    shutil.copytree(demo_template, folder)
    with open_database(folder) as database:
        markers = fill_every_text_column(database)
    return folder, markers


@pytest.mark.slow  # a minute or two of CPU in all: 60 cycles, a few with dozens of pages
@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_cycle_exports_with_every_field_at_its_longest(
        longest_text_school: tuple[Path, dict[str, str]], tmp_path: Path, shard: int) -> None:
    from observe_app.storage.opening import open_database

    folder, markers = longest_text_school
    with open_database(folder) as db:
        summaries = reports.cycles_to_export(db)
        assert len(summaries) == len(markers) > 20
        mine = standing_for_all(summaries)[shard::SHARDS]
        results = reports.export_cycles(db, mine, tmp_path / "pdf", tz=dt.UTC)
    assert len(results) == len(mine)
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


def _one_teacher(db: Database) -> list[CycleSummary]:
    """The cycles of the demo teacher with the fewest (at least two), to keep exports quick."""
    by_teacher: defaultdict[str, list[CycleSummary]] = defaultdict(list)
    for c in reports.cycles_to_export(db):
        by_teacher[c.teacher_id].append(c)
    return min((cs for cs in by_teacher.values() if len(cs) >= 2), key=len)


def _fail_for(monkeypatch: pytest.MonkeyPatch, cycle_id: str) -> None:
    from observe_app.reports import export

    real = export.render

    def render(report, out, tz=None, options=None):  # type: ignore[no-untyped-def]
        if report.summary.id == cycle_id:
            raise LayoutError("Flowable <Table> too large on page 2")
        return real(report, out, tz, options)

    monkeypatch.setattr(export, "render", render)


def test_one_failing_cycle_does_not_cost_the_others(demo_db: Database, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    summaries = _one_teacher(demo_db)
    _fail_for(monkeypatch, summaries[0].id)
    failures: list[reports.ExportFailure] = []
    results = reports.export_cycles(demo_db, summaries, tmp_path / "out",
                                     failed=failures.append)
    assert [f.cycle_id for f in failures] == [summaries[0].id]
    assert "LayoutError" in failures[0].reason
    assert [r.cycle_id for r in results] == [c.id for c in summaries[1:]]
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == sorted(r.path.name for r in results)
    with pytest.raises(LayoutError):  # no callback: the others are written, then it raises
        reports.export_cycles(demo_db, summaries, tmp_path / "again")
    assert len(list((tmp_path / "again").glob("*.pdf"))) == len(summaries) - 1


def test_export_all_names_the_failed_cycle_and_exits_non_zero(
        demo_db: Database, demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    summaries = _one_teacher(demo_db)
    demo_db.close()
    _fail_for(monkeypatch, summaries[-1].id)
    code = cli.main(["--data-dir", str(demo_dir), "export-pdf", "--teacher",
                     summaries[0].teacher_id, "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1
    assert f"error: cycle {summaries[-1].id} was not exported" in err
    assert f"1 of {len(summaries)} cycles failed" in err
    assert len(list((tmp_path / "out").glob("*.pdf"))) == len(summaries) - 1
