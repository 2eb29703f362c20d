"""Page 1 is the feedback: every demo summary after its post-conference carries its glows,
grows and next steps there; the evidence log goes where the exporter chose; wording fits the
stage; evidence times name their visit when a cycle has several."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from observe_app import reports
from observe_app.domain.enums import CycleStage, FeedbackKind
from observe_app.reports.data import load_report
from observe_app.reports.front_page import evidence_times
from observe_app.reports.options import EvidencePlace, PdfOptions
from observe_app.services import cycles, notes, observations
from observe_app.services.cycles import CycleSummary
from observe_app.storage.engine import Database
from tests.reports.pdf_helpers import flat, pdf_text
from tests.services.helpers import T0, cycle_with_visit

AFTER_THE_POST_CONFERENCE = (CycleStage.POST_CONFERENCE, CycleStage.REFLECTION,
                             CycleStage.CLOSED)


def test_page_one_of_every_demo_summary_carries_the_feedback(
        demo_copy: Database, demo_cycles: list[CycleSummary], tmp_path: Path) -> None:
    after = [c for c in demo_cycles if c.stage in AFTER_THE_POST_CONFERENCE]
    with demo_copy.transaction() as s:  # a learning walk writes no feedback: not these
        written = [d for d in (cycles.get_cycle(s, c.id) for c in after) if d.feedback]
    assert len(written) >= 20
    for detail in written:
        summary = detail.summary
        result = reports.export_cycle(demo_copy, summary.id, tmp_path / f"{summary.id}.pdf")
        first = pdf_text(result.path)[0]
        for heading in ("Glows: what worked", "Grows: what to try next", "Next steps"):
            assert heading in first, (heading, result.path.name)
        for item in detail.feedback:  # every glow, grow and next step, whole, on page 1
            assert flat(item.text) in first, (item.text, result.path.name)
        if any(item.evidence_note_ids for item in detail.feedback):
            assert "evidence at" in first


def _cycle_with_two_visits(db: Database, stage: CycleStage) -> tuple[str, list[str]]:
    with db.transaction() as s:
        _t, c, first, _v = cycle_with_visit(s, "peer-observation")
        a = notes.add_note(s, first.id, "Pairs explain the method", wall_time=T0,
                           elapsed_ms=65_000)
        observations.end_observation(s, first.id, 30 * 60_000, now=T0 + dt.timedelta(minutes=30))
        second = observations.start_observation(s, c.id, now=T0 + dt.timedelta(days=7))
        b = notes.add_note(s, second.id, "Pairs explain again, unprompted",
                           wall_time=T0 + dt.timedelta(days=7), elapsed_ms=125_000)
        observations.end_observation(s, second.id, 30 * 60_000,
                                     now=T0 + dt.timedelta(days=7, minutes=30))
        cycles.move_to_stage(s, c.id, stage)
    return c.id, [a.id, b.id]


def test_evidence_times_name_their_visit_when_a_cycle_has_several(
        db: Database, tmp_path: Path) -> None:
    cycle_id, (a, b) = _cycle_with_two_visits(db, CycleStage.POST_CONFERENCE)
    with db.transaction() as s:
        cycles.add_feedback(s, cycle_id, FeedbackKind.GLOW, "Talk in pairs became a habit",
                            evidence_note_ids=[b, a])
        report = load_report(s, cycle_id)
    assert evidence_times(report, [b, a]) == "visit 1 at 01:05; visit 2 at 02:05"
    result = reports.export_cycle(db, cycle_id, tmp_path / "two.pdf", tz=dt.UTC)
    assert "evidence at visit 1 at 01:05; visit 2 at 02:05" in pdf_text(result.path)[0]


def test_the_evidence_log_in_the_body_as_an_appendix_or_left_out(
        db: Database, tmp_path: Path) -> None:
    cycle_id, _notes = _cycle_with_two_visits(db, CycleStage.CLOSED)
    texts = {}
    for place in EvidencePlace:
        out = tmp_path / f"{place.value}.pdf"
        reports.export_cycle(db, cycle_id, out, tz=dt.UTC, options=PdfOptions(evidence=place))
        texts[place] = pdf_text(out)
    body, appendix, none = (texts[p] for p in (EvidencePlace.FULL, EvidencePlace.APPENDIX,
                                               EvidencePlace.NONE))
    assert any("Evidence log" in t for t in body) and not any("Appendix" in t for t in body)
    assert "Appendix: evidence log" in appendix[-1]
    assert "Signatures" not in appendix[-1]  # the appendix starts on its own page
    assert not any("Pairs explain the method" in t for t in none)
    assert "The evidence log (2 timestamped notes) is left out of this copy" in " ".join(none)


def test_wording_follows_the_stage(db: Database, tmp_path: Path) -> None:
    open_id, _ = _cycle_with_two_visits(db, CycleStage.OBSERVATION)
    closed_id, _ = _cycle_with_two_visits(db, CycleStage.CLOSED)
    first = {}
    for name, cycle_id in (("open", open_id), ("closed", closed_id)):
        result = reports.export_cycle(db, cycle_id, tmp_path / f"{name}.pdf", tz=dt.UTC)
        first[name] = " ".join(pdf_text(result.path))
    assert "written at the post-conference" in first["open"]
    assert "No glows, grows or next steps were recorded for this cycle." in first["closed"]
    assert "written at the post-conference" not in first["closed"]
    assert "No reflection was written for this cycle." in first["closed"]


def test_a_long_glow_split_into_feedback_is_not_shown_again(db: Database, tmp_path: Path) -> None:
    """Ending the visit split a glow longer than a feedback item into several: the PDF knows
    them by the same rule and does not repeat the prompt's text under "Written during"."""
    from observe_app.domain import limits
    from observe_app.services import responses
    from tests.services.helpers import version

    with db.transaction() as s:
        _t, c, obs, _v = cycle_with_visit(s, "peer-observation")
        glow = next(i for i in version(s, "peer-observation").items if i.key == "glow")
        words = "Students explained their thinking to a partner, and then to the class. "
        responses.set_text(s, obs.id, glow.id, (words * (limits.FEEDBACK // len(words) + 5)))
        observations.end_observation(s, obs.id, 45 * 60_000, now=T0)
        assert len(cycles.get_cycle(s, c.id).feedback_of(FeedbackKind.GLOW)) == 2
    result = reports.export_cycle(db, c.id, tmp_path / "long-glow.pdf", tz=dt.UTC)
    assert "Written during the visit" not in " ".join(pdf_text(result.path))
