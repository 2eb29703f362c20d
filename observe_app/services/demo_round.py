"""The demo school's peer-observation round this term: eight teachers paired across subjects.

The round runs from early November to mid-December. By the demo's today (30 November) the
first visits are done: one post-conference is overdue (the visit three weeks ago, the
conference not held), three were held, one visit was last week; the rest are still planned.

The round draws from a random generator of its own, so the rest of the demo draws the same
numbers with or without it. Its visits carry a few notes only: the round is there for the
School page's coverage and the calendar, and the demo stays quick to build.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from observe_app.domain.enums import CycleStage, FeedbackKind
from observe_app.services import cycles, observations, rounds

TEACHERS = ["Ольга Петрова", "Trần Văn Minh", "Jürgen Weiß", "Ελένη Γεωργίου", "Zofia Wójcik",
            "José Muñoz", "Aino Mäkelä", "Margaret Osei"]
FIRST, LAST = dt.date(2026, 11, 9), dt.date(2026, 12, 11)
FOCUS = "Students explaining their thinking to each other"
# Where each pairing's cycle stands, in the order the visits fall; the rest stay planned.
DONE = [CycleStage.POST_CONFERENCE,  # the visit on 10 November: overdue by the 30th
        CycleStage.REFLECTION, CycleStage.CLOSED, CycleStage.REFLECTION,
        CycleStage.POST_CONFERENCE]  # last week's: the post-conference is still to come
NOTES = 6  # a short visit record each


def add_round(maker: Any, today: dt.date) -> list[str]:
    """Plan the round with `maker` (the demo's builder: session, people, protocols) and play
    its visits up to `today`; the cycle ids in the order of their visits."""
    s, people = maker.s, maker.people
    proposal = rounds.propose_pairings(s, [people[name] for name in TEACHERS],
                                       across_subjects=True)
    slug = "peer-observation"
    version = maker.versions[slug]
    pre = dt.datetime.combine(FIRST - dt.timedelta(days=5), dt.time(15, 30), dt.UTC)
    ids = rounds.create_round(s, proposal.pairings, version.protocol_id, FIRST, LAST, FOCUS,
                              now=pre)
    from observe_app.services.demo import SEED  # demo.py calls this module: imported late

    saved, maker.rng = maker.rng, random.Random(f"{SEED}:round")
    try:
        days = rounds.visit_dates(len(ids), FIRST, LAST)
        for cid, pairing, day, stage in zip(ids, proposal.pairings, days, DONE, strict=False):
            if day < today:
                _visit(maker, cid, pairing, day, stage, version)
    finally:
        maker.rng = saved
    return ids


def _visit(maker: Any, cid: str, pairing: rounds.Pairing, day: dt.date, stage: CycleStage,
           version: Any) -> None:
    from observe_app.services.demo import CLASSES, STAFF

    s, rng = maker.s, maker.rng
    start = dt.datetime.combine(day, dt.time(9 + rng.randrange(5), 10), dt.UTC)
    grade, room = rng.choice(CLASSES)
    subject = next(row[3] for row in STAFF if row[0] == pairing.teacher_name)
    obs = observations.start_observation(s, cid, subject=subject,
                                         grade=grade, room=room, students=rng.randint(20, 29),
                                         now=start)
    maker.observation_count += 1
    maker.evidence(obs.id, version, start, 40, pairing.teacher_name, pairing.observer_name,
                   count=NOTES)
    maker.live_results(obs.id, version, 40, 0.6)
    observations.end_observation(s, obs.id, 40 * 60_000, now=start + dt.timedelta(minutes=40))
    if stage == CycleStage.POST_CONFERENCE:
        return  # the post-conference is not held yet
    held = start + dt.timedelta(days=2)
    cycles.add_feedback(s, cid, FeedbackKind.GLOW, "Students explained their answers to a "
                        "partner before anyone was asked.")
    cycles.add_feedback(s, cid, FeedbackKind.NEXT_STEP, "Ask 'How do you know?' after each "
                        "answer for a week.", due_date=day + dt.timedelta(days=14))
    cycles.set_post_conference_notes(s, cid, f"{pairing.teacher_name} and "
                                     f"{pairing.observer_name} went through the look-fors.")
    cycles.move_to_stage(s, cid, CycleStage.REFLECTION, held)
    cycles.set_reflection(s, cid, "The look-for on students explaining their thinking showed "
                          "me the quiet tables: that is where I will start.")
    if stage == CycleStage.CLOSED:
        cycles.acknowledge(s, cid, held + dt.timedelta(hours=4))
        cycles.move_to_stage(s, cid, CycleStage.CLOSED, held + dt.timedelta(days=1))
