"""Benchmark: one cycle's PDF through Observe's real export path against ReportLab by hand.

Budget (DESIGN.md): the real path, which reads the cycle from the database and renders it, takes
at most 1.2x the time ReportLab needs to build the same story written by hand (same content,
fonts, tables, chart and page furniture) from data already in memory. Both run in this process,
interleaved, after a warm-up; the medians are compared.

    python benchmarks/pdf_export.py [--data-dir DIR] [--runs N]

Without --data-dir a demo school is built in a temporary folder first. The script restarts
itself without PYTHONDONTWRITEBYTECODE, so it measures what an installed app does.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

if os.environ.get("PYTHONDONTWRITEBYTECODE"):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    os.execve(sys.executable, [sys.executable, *sys.argv], env)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.graphics.charts.lineplots import LinePlot  # noqa: E402
from reportlab.graphics.shapes import Drawing, String  # noqa: E402
from reportlab.graphics.widgets.markers import makeMarker  # noqa: E402
from reportlab.lib import colors  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402
from reportlab.platypus import (  # noqa: E402
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from benchmarks.common import machine, verdict  # noqa: E402
from observe_app import reports  # noqa: E402
from observe_app.assets import resource_path  # noqa: E402
from observe_app.domain.enums import FeedbackKind, ItemKind  # noqa: E402
from observe_app.reports.data import CycleReport, load_report  # noqa: E402
from observe_app.services import cycles, demo  # noqa: E402
from observe_app.storage.engine import Database  # noqa: E402
from observe_app.storage.opening import open_database  # noqa: E402

BUDGET = 1.2
TEACHER, PROTOCOL, DAY = "Aino Mäkelä", "New-teacher growth rubric", "2026-02-11"
INK, MUTED, ACCENT = (colors.HexColor(c) for c in ("#1f2933", "#5f6b7a", "#1d5c63"))
RULE, FILL = colors.HexColor("#d3dce3"), colors.HexColor("#eef3f4")


# ---- the same summary, written by hand with plain ReportLab --------------------------------

def hand_fonts() -> None:
    for name, file in (("HandSans", "DejaVuSans.ttf"), ("HandSans-Bold", "DejaVuSans-Bold.ttf"),
                       ("HandSans-Oblique", "DejaVuSans-Oblique.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", file))))
    pdfmetrics.registerFontFamily("HandSans", normal="HandSans", bold="HandSans-Bold",
                                  italic="HandSans-Oblique", boldItalic="HandSans-Bold")


def S(name: str, **kw) -> ParagraphStyle:  # noqa: N802
    base = {"fontName": "HandSans", "fontSize": 9.5, "leading": 13.5, "textColor": INK,
            "bulletFontName": "HandSans"}
    return ParagraphStyle(name, **(base | kw))


BODY = S("b", spaceAfter=4)
MUTE = S("m", fontSize=8.5, leading=12, textColor=MUTED, spaceAfter=4)
CELL = S("c", fontSize=8.5, leading=11.5)
BOLD = S("cb", fontName="HandSans-Bold", fontSize=8.5, leading=11.5)
SMALL = S("cm", fontSize=7.5, leading=10, textColor=MUTED)
LABEL = S("l", fontName="HandSans-Bold", fontSize=8, leading=12.5, textColor=MUTED)
VALUE = S("v", fontSize=9.5, leading=12.5)
TH = S("th", fontName="HandSans-Bold", fontSize=7.5, leading=10, textColor=MUTED)
GROUP = S("g", fontName="HandSans-Bold", fontSize=8.5, leading=11.5, textColor=ACCENT)
H1 = S("h1", fontName="HandSans-Bold", fontSize=12.5, leading=16, textColor=ACCENT,
       spaceBefore=16, spaceAfter=8)
H2 = S("h2", fontName="HandSans-Bold", fontSize=10, leading=13, spaceBefore=8, spaceAfter=3)
QUOTE = S("q", fontName="HandSans-Oblique", fontSize=10, leading=14.5, leftIndent=10,
          spaceBefore=2, spaceAfter=6)
BULLET = S("bl", leftIndent=14, bulletIndent=2, spaceAfter=4)
SERIES = [colors.HexColor(c) for c in ("#184d53", "#d89a41", "#4779ad", "#2a1b41", "#89993a")]
MARKERS = ["FilledCircle", "Square", "FilledTriangle", "Diamond", "FilledCross"]
DASHES = [None, [6, 2.5], [1.6, 2], [7, 2, 1.6, 2], [3, 2]]


class HandCanvas(canvas.Canvas):
    def __init__(self, *a, **k) -> None:
        k["initialFontName"] = "HandSans"
        super().__init__(*a, **k)
        self.pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802
        self.pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        for state in self.pages:
            self.__dict__.update(state)
            self.setStrokeColor(RULE)
            self.line(20 * mm, 17 * mm, 190 * mm, 17 * mm)
            self.setFont("HandSans-Bold", 7.5)
            self.drawString(20 * mm, 13 * mm, "Confidential")
            self.setFont("HandSans", 7.5)
            self.drawString(38 * mm, 13 * mm, f"· Feedback for {TEACHER}. Share only with the "
                                              "teacher's agreement.")
            self.drawRightString(190 * mm, 13 * mm, f"Page {self._pageNumber} of "
                                                    f"{len(self.pages)}")
            if self._pageNumber > 1:
                self.drawRightString(190 * mm, 285 * mm, f"{TEACHER} · {PROTOCOL} · 11 Feb 2026")
            super().showPage()
        super().save()


class H(Paragraph):
    """A heading with its rule and bookmark, as a school document has."""

    def __init__(self, text: str) -> None:
        super().__init__(text, H1)

    def draw(self) -> None:
        super().draw()
        self.canv.setStrokeColor(ACCENT)
        self.canv.line(0, -2.5, self.width, -2.5)
        key = self.text
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(self.text, key, level=0)


def table(rows, widths, groups=(), header=True, zebra=False) -> Table:
    t = Table(rows, colWidths=widths, repeatRows=1 if header else 0, splitInRow=1,
              hAlign="LEFT")
    style = [("FONT", (0, 0), (-1, -1), "HandSans", 8.5), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
             ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
             ("LINEBELOW", (0, 1 if header else 0), (-1, -1), 0.35, RULE)]
    if header:
        style += [("LINEBELOW", (0, 0), (-1, 0), 0.9, ACCENT)]
    if zebra:
        style += [("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, colors.HexColor("#f7f9fa")])]
    for g in groups:
        style += [("SPAN", (0, g), (-1, g)), ("BACKGROUND", (0, g), (-1, g), FILL)]
    t.setStyle(TableStyle(style))
    return t


def P(text: str, style: ParagraphStyle = CELL, raw: bool = False) -> Paragraph:  # noqa: N802
    return Paragraph(text if raw else escape(text), style)


def D(value) -> str:  # noqa: N802
    return f"{value.day} {value:%B %Y}"


def hand_story(r: CycleReport) -> list:
    s, d = r.summary, r.detail
    dates = d.stage_dates
    story: list = [P("OBSERVATION FEEDBACK SUMMARY", S("k", fontName="HandSans-Bold", fontSize=8,
                                                       leading=10, textColor=ACCENT,
                                                       spaceAfter=6)),
                   P(s.teacher_name, S("t", fontName="HandSans-Bold", fontSize=21, leading=26,
                                       spaceAfter=2)),
                   P(f"{s.protocol_name} · {D(s.date)} · stage: {s.stage.label.lower()}",
                     S("st", fontSize=11, leading=15, textColor=MUTED, spaceAfter=4))]
    o = r.visits[0].observation
    story.append(P(f"Observed by {s.observer_name}<br/>{o.started_at:%A} {D(o.started_at)}, "
                   f"{o.started_at:%H:%M}–{o.ended_at:%H:%M} · {o.subject} · Grade {o.grade} · "
                   f"Room {o.room} · {o.students} students",
                   S("cx", fontSize=9, leading=13, textColor=MUTED, spaceAfter=6), raw=True))
    facts = [("Teacher", f"{s.teacher_name}, {r.teacher.subject}"),
             ("Observer", s.observer_name or ""),
             ("Protocol", f"{s.protocol_name}, version {s.protocol_version}"),
             ("Stage", s.stage.label), ("Pre-conference", D(dates["pre_conference"])),
             ("Post-conference", D(dates["post_conference"])),
             ("Observation", f"{o.started_at:%A} {D(o.started_at)}, {o.started_at:%H:%M}–"
                             f"{o.ended_at:%H:%M}"),
             ("Class", f"{o.subject} · Grade {o.grade} · Room {o.room} · {o.students} students"),
             ("Acknowledged", D(d.acknowledged_at)), ("", "")]
    about = table([[P(a, LABEL), P(b, VALUE), P(c, LABEL), P(e, VALUE)] for (a, b), (c, e)
                   in zip(facts[::2], facts[1::2], strict=True)],
                  [31 * mm, 54 * mm, 31 * mm, 54 * mm], header=False)
    stamps = {n.id: n.mm_ss for v in r.visits for n in v.notes}
    story += [H("Focus for this cycle"), P(s.focus, QUOTE), H("Feedback")]
    for kind, title in ((FeedbackKind.GLOW, "Glows: what worked"),
                        (FeedbackKind.GROW, "Grows: what to try next")):
        story.append(P(title, H2))
        story += [Paragraph(escape(f.text) + " <font size=7.5 color='#5f6b7a'>· evidence at "
                            + ", ".join(sorted(stamps[n] for n in f.evidence_note_ids))
                            + "</font>", BULLET, bulletText="•") for f in d.feedback_of(kind)]
    story += [P("Next steps", H2), table(
        [[P("ACTION", TH), P("WHO", TH), P("SUPPORT OFFERED", TH), P("SUCCESS LOOKS LIKE", TH),
          P("BY", TH)]] + [[P(f.text), P(f.owner), P(f.support), P(f.success_measure),
                            P(D(f.due_date))] for f in d.feedback_of(FeedbackKind.NEXT_STEP)],
        [52 * mm, 28 * mm, 34 * mm, 36 * mm, 20 * mm]),
        P("Post-conference notes", H2), P(d.post_conference_notes, BODY),
        P(f"<b>Next visit:</b> {D(d.next_visit_date)}", BODY, raw=True)]
    glance = []
    for item in r.protocol.items_of(ItemKind.RUBRIC):
        rating = r.ratings.get(item.id)
        level = next((lv for lv in item.levels if rating and lv.level == rating.level), None)
        glance.append([P(item.label), P(f"<b>{level.name}</b> <font size=7.5 color='#5f6b7a'>"
                                        f"{'●' * level.level}{'○' * (4 - level.level)}</font>"
                                        if level else "not observed", raw=True)])
    story += [P("Ratings at a glance", H2),
              table([a + b for a, b in zip(glance[::2], glance[1::2] + [["", ""]],
                                           strict=False)],
                    [49 * mm, 36 * mm, 49 * mm, 36 * mm], header=False),
              PageBreak(), H("About this cycle"), about,
              P("Evidence agreed at the pre-conference", H2), P(d.evidence_to_collect, BODY)]
    if r.goals:
        story += [H("Goals being worked on"),
                  table([[P("GOAL", TH), P("SET", TH), P("STATUS", TH)]]
                        + [[P(g.text), P(D(g.history[0].cycle_created_at)), P(g.status.label)]
                           for g in r.goals], [100 * mm, 32 * mm, 38 * mm])]
    rows, groups, section = [[P("ITEM", TH), P("LEVEL", TH), P("WHAT THIS LEVEL LOOKS LIKE",
                                                                 TH)]], [], None
    for item in r.protocol.items_of(ItemKind.RUBRIC):
        if item.section != section:
            section = item.section
            groups.append(len(rows))
            rows.append([P(section, GROUP), "", ""])
        rating = r.ratings.get(item.id)
        level = next((lv for lv in item.levels if rating and lv.level == rating.level), None)
        if level:
            text = escape(level.descriptor)
            evidence = sorted(stamps[n] for n in rating.evidence_note_ids)
            if evidence:
                text += (f"<br/><font size=7.5 color='#5f6b7a'>Evidence at "
                         f"{', '.join(evidence)}</font>")
            rows.append([P(item.label), P(
                f"<b>{level.name}</b><br/><font size=7.5 color='#5f6b7a'>"
                f"{'●' * level.level}{'○' * (4 - level.level)}  {level.level} of 4</font>",
                raw=True), P(text, raw=True)])
        else:
            rows.append([P(item.label), P("Not observed", SMALL), P("—")])
    story += [H("Ratings"), P("Levels describe the practice seen in this cycle, not the person.",
                              MUTE), table(rows, [52 * mm, 34 * mm, 84 * mm], groups)]
    labels = r.item_labels
    appendix: list = [PageBreak()]
    for v in r.visits:
        appendix += [H("Appendix: evidence log"),
                  P(f"{len(v.notes)} timestamped notes. The first time is minutes:seconds since "
                    "the start of the visit; the second is the time of day.", MUTE),
                  table([[P("TIME", TH), P("EVIDENCE", TH), P("LOOK-FORS", TH)]]
                        + [[P(f"<b>{n.mm_ss}</b><br/><font size=7.5 color='#5f6b7a'>"
                              f"{n.wall_time.astimezone():%H:%M:%S}</font>", raw=True),
                            P(n.text), P("<br/>".join(escape(labels[t]) for t in n.item_ids),
                                         SMALL, raw=True)] for n in v.notes],
                        [20 * mm, 104 * mm, 46 * mm], zebra=True)]
    reflection = [H("The teacher's reflection"), P(d.reflection, QUOTE),
                  P(f"— {s.teacher_name}", MUTE)]
    box = Table([[P("The teacher's comments", SMALL)]], colWidths=[170 * mm],
                rowHeights=[32 * mm], hAlign="LEFT")
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, RULE),
                             ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [H("Growth across cycles"), P(f"{s.teacher_name}'s cycles so far; this one is in "
                                           "bold.", MUTE),
              table([[P("DATE", TH), P("PROTOCOL", TH), P("STAGE", TH), P("FOCUS", TH)]]
                    + [[P(f"{c.date.day} {c.date:%b %Y}", BOLD if c.id == s.id else CELL),
                        P(c.protocol_name, BOLD if c.id == s.id else CELL),
                        P(c.stage.label, BOLD if c.id == s.id else CELL),
                        P(c.focus, BOLD if c.id == s.id else CELL)] for c in r.history],
                    [25 * mm, 50 * mm, 34 * mm, 61 * mm]), Spacer(1, 6)]
    cycle_ids = list(dict.fromkeys(p.cycle_id for p in r.domain_points))
    names = [f"{c.date.day} {c.date:%b %Y}" for c in r.history if c.id in cycle_ids]
    series: dict[str, list] = {}
    for p in r.domain_points:
        series.setdefault(p.domain, []).append((cycle_ids.index(p.cycle_id), p.mean_level))
    # as the summary draws it: a marker and a dash per line, names at the line ends (moved
    # apart), as many dates as fit side by side
    names_width = max(pdfmetrics.stringWidth(n, "HandSans", 7.5) for n in series) + 20
    drawing = Drawing(170 * mm, 150)
    drawing.initialFontName = "HandSans"
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 30, 22, 170 * mm - 30 - names_width, 120
    plot.data = list(series.values())
    for i in range(len(series)):
        plot.lines[i].strokeColor = SERIES[i]
        plot.lines[i].strokeWidth = 1.6
        plot.lines[i].strokeDashArray = DASHES[i]
        plot.lines[i].symbol = makeMarker(MARKERS[i], size=6, fillColor=SERIES[i]
                                          if MARKERS[i].startswith("Filled") else colors.white,
                                          strokeColor=SERIES[i])
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = -0.3, len(names) - 0.7
    plot.xValueAxis.valueSteps = list(range(len(names)))
    step = plot.width / (len(names) - 0.4)
    widest = max(pdfmetrics.stringWidth(n, "HandSans", 7) for n in names)
    every = max(1, -int(-(widest + 6) // step))
    plot.xValueAxis.labelTextFormat = lambda v: names[round(v)] if round(v) % every == 0 \
        or round(v) == len(names) - 1 else ""
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax, plot.yValueAxis.valueStep = 1, 4, 1
    plot.yValueAxis.visibleGrid = True
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName, axis.labels.fontSize, axis.labels.fillColor = "HandSans", 7, MUTED
        axis.strokeColor = RULE
    drawing.add(plot)
    ends = sorted((22 + (pts[-1][1] - 1) / 3 * 120, i) for i, pts in enumerate(series.values()))
    placed: list[float] = []
    for y, _i in ends:
        placed.append(max(y, placed[-1] + 9.5) if placed else y)
    shift = max(0.0, placed[-1] - 146)
    for (_y, i), y in zip(ends, placed, strict=True):
        marker = makeMarker(MARKERS[i], size=6, fillColor=SERIES[i], strokeColor=SERIES[i])
        marker.x, marker.y = plot.x + plot.width + 8, y - shift
        drawing.add(marker)
        drawing.add(String(plot.x + plot.width + 15, y - shift - 2.6, list(series)[i],
                           fontName="HandSans", fontSize=7.5, fillColor=INK))
    signatures = Table([["", "", ""], [P(f"Observed teacher: {s.teacher_name}", SMALL), "",
                                       P(f"Observer: {s.observer_name}", SMALL)],
                        ["", "", ""], [P("Date", SMALL), "", P("Date", SMALL)]],
                       colWidths=[76 * mm, 18 * mm, 76 * mm], rowHeights=[30, None, 24, None],
                       hAlign="LEFT")
    signatures.setStyle(TableStyle([("LINEABOVE", (0, 1), (0, 1), 0.7, INK),
                                    ("LINEABOVE", (2, 1), (2, 1), 0.7, INK),
                                    ("LINEABOVE", (0, 3), (0, 3), 0.7, INK),
                                    ("LINEABOVE", (2, 3), (2, 3), 0.7, INK),
                                    ("FONT", (0, 0), (-1, -1), "HandSans", 8)]))
    story += [KeepTogether([P("Mean rubric level per domain", H2),
                            P("Mean level across domains, first and latest cycle.", MUTE),
                            drawing]),
              KeepTogether([*reflection, Spacer(1, 8), box, Spacer(1, 4),
                            H("Signatures"), P("Signing confirms that the feedback was "
                                               "discussed together; it does not mean agreeing "
                                               "with every point. The teacher's reflection is "
                                               "part of the record.", MUTE), signatures])]
    return story + appendix


def keep_headings_off_page_foot(story: list) -> list:
    out = []
    for i, f in enumerate(story):
        if isinstance(f, Paragraph) and f.style in (H1, H2):
            out.append(CondPageBreak(45 * mm if f.style is H1 else 28 * mm))
            f.keepWithNext = int(isinstance(story[i + 1], Paragraph))
        out.append(f)
    return out


def by_hand(report: CycleReport, path: Path) -> int:
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=20 * mm - 6, rightMargin=20 * mm - 6,
                            topMargin=18 * mm, bottomMargin=22 * mm, title="hand")
    doc.build(keep_headings_off_page_foot(hand_story(report)), canvasmaker=HandCanvas)
    return doc.page


# ---- the measurement ------------------------------------------------------------------------

def find_cycle(db: Database) -> str:
    with db.transaction() as s:
        for c in cycles.list_cycles(s):
            if (c.teacher_name, c.protocol_name, c.date.date().isoformat()) == \
                    (TEACHER, PROTOCOL, DAY):
                return c.id
    raise SystemExit(f"no cycle of {TEACHER} ({PROTOCOL}, {DAY}) in this data folder")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="keep both PDFs in DIR to compare them by eye")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.data_dir or Path(tmp) / "demo"
        db = open_database(folder)
        if args.data_dir is None:
            print("building the demo school...", file=sys.stderr)
            with db.transaction() as s:
                demo.build_demo(s)
        cycle_id = find_cycle(db)
        with db.transaction() as s:
            report = load_report(s, cycle_id)  # the hand version gets its data for free
        hand_fonts()
        real_out, hand_out = Path(tmp) / "real.pdf", Path(tmp) / "hand.pdf"
        real_pages = reports.export_cycle(db, cycle_id, real_out).pages  # warm up both
        hand_pages = by_hand(report, hand_out)
        real_times, hand_times, read_times = [], [], []
        def real_side() -> None:
            reports.export_cycle(db, cycle_id, real_out)

        def hand_side() -> None:
            by_hand(report, hand_out)

        for run in range(args.runs):
            # Each side starts with an empty collector, so neither pays for garbage the other
            # left behind, and the sides take turns going first, so neither always runs on
            # the caches the other warmed.
            gc.collect()
            t = time.perf_counter()
            with db.transaction() as s:
                load_report(s, cycle_id)
            read_times.append(time.perf_counter() - t)
            sides = [(real_side, real_times), (hand_side, hand_times)]
            for side, times in sides if run % 2 == 0 else reversed(sides):
                gc.collect()
                t = time.perf_counter()
                side()
                times.append(time.perf_counter() - t)
        db.close()
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            real_out.replace(args.keep / "real.pdf")
            hand_out.replace(args.keep / "hand.pdf")
    real, hand = statistics.median(real_times), statistics.median(hand_times)
    ratio = real / hand
    print(f"PDF export on {machine()}")
    print(f"cycle: {TEACHER}, {PROTOCOL}, {DAY}; {args.runs} interleaved runs each, "
          "taking turns to go first")
    print(f"real export (database read + render): median {real * 1000:6.1f} ms, "
          f"best {min(real_times) * 1000:6.1f} ms, {real_pages} pages")
    print(f"ReportLab by hand (data in memory):   median {hand * 1000:6.1f} ms, "
          f"best {min(hand_times) * 1000:6.1f} ms, {hand_pages} pages")
    print(f"the real export's database read alone: median "
          f"{statistics.median(read_times) * 1000:.1f} ms")
    print(f"ratio of medians: {ratio:.2f}x (budget {BUDGET}x): {verdict(ratio, BUDGET)}; "
          f"ratio of bests: {min(real_times) / min(hand_times):.2f}x")
    return 0 if ratio <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
