"""A realistic small demo school: staff, mentors, a school year of cycles in every stage.

The data is generated from a fixed seed, so every demo database is the same; new teachers
grow from cycle to cycle (higher rubric levels, more open questions, longer wait time).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from observe_app import kinds
from observe_app.domain.enums import (
    CareerStage,
    CycleStage,
    FeedbackKind,
    GoalStatus,
    ItemKind,
    Role,
)
from observe_app.domain.models import Cycle, Person
from observe_app.domain.types import reproducible_ids
from observe_app.errors import BadInputError
from observe_app.services import (
    cycles,
    demo_round,
    demo_walks,
    goals,
    notes,
    observations,
    participation,
    people,
    protocols,
    ratings,
    search,
)
from observe_app.services.demo_calibration import CoObservers
from observe_app.services.protocols import ProtocolVersionView

SEED = 20250901


@dataclass(frozen=True)
class DemoSummary:
    people: int
    cycles: int
    observations: int
    notes: int


STAFF = [
    # name, email, role, subject, career stage, start date, mentor (by name)
    ("Νίκος Παπαδόπουλος", "nikos.papadopoulos@lakeside.school", Role.MENTOR, "Science",
     CareerStage.EXPERIENCED, "2009-09-01", None),
    ("Siobhán Ó Briain", "siobhan.obriain@lakeside.school", Role.COACH, "English",
     CareerStage.EXPERIENCED, "2011-08-29", None),
    ("Margaret Osei", "margaret.osei@lakeside.school", Role.MENTOR, "Geography",
     CareerStage.EXPERIENCED, "2006-09-04", None),
    ("Aino Mäkelä", "aino.makela@lakeside.school", Role.TEACHER, "Mathematics",
     CareerStage.NEW, "2025-08-25", "Νίκος Παπαδόπουλος"),
    ("Nguyễn Thị Hương", "huong.nguyen@lakeside.school", Role.TEACHER, "Science",
     CareerStage.NEW, "2025-08-25", "Siobhán Ó Briain"),
    ("Дмитрий Соколов", "dmitri.sokolov@lakeside.school", Role.TEACHER, "History",
     CareerStage.NEW, "2025-08-25", "Margaret Osei"),
    ("José Muñoz", "jose.munoz@lakeside.school", Role.TEACHER, "Spanish",
     CareerStage.EARLY, "2023-09-01", "Νίκος Παπαδόπουλος"),
    ("Ольга Петрова", "olga.petrova@lakeside.school", Role.TEACHER, "Music",
     CareerStage.EXPERIENCED, "2014-09-01", None),
    ("Trần Văn Minh", "minh.tran@lakeside.school", Role.TEACHER, "Physical education",
     CareerStage.EXPERIENCED, "2016-08-29", None),
    ("Jürgen Weiß", "juergen.weiss@lakeside.school", Role.TEACHER, "Physics",
     CareerStage.EXPERIENCED, "2012-09-03", None),
    ("Ελένη Γεωργίου", "eleni.georgiou@lakeside.school", Role.TEACHER, "English",
     CareerStage.EXPERIENCED, "2018-09-03", None),
    ("Zofia Wójcik", "zofia.wojcik@lakeside.school", Role.TEACHER, "Art",
     CareerStage.EXPERIENCED, "2015-09-01", None),
]

EVIDENCE = [
    "T writes the learning intention on the board and reads it aloud",
    "T asks 'What do you notice about these two graphs?' and waits",
    "Three hands go up; T takes the first one",
    "S in the back row explains her method to her partner without prompting",
    "T circulates, stops at table 4 and asks 'How do you know?'",
    "Most students are copying the worked example into their books",
    "T uses mini whiteboards: 24 of 27 show the right answer",
    "Two students at the window are off task for about a minute",
    "T names a student to answer (cold call); he answers after a pause",
    "Transition to group work takes about 90 seconds; materials already on tables",
    "S asks 'Why does it have to be the same unit?' and T turns it back to the class",
    "T gives feedback to one group: 'Your claim is clear, now add the evidence'",
    "Pairs talk for one minute before T takes answers",
    "T models the first step, then students try the second step alone",
    "Exit question handed out; T collects and sorts into two piles",
    "T praises effort: 'I like that you tried a different method'",
    "Group 2 is stuck; T asks a question rather than giving the answer",
    "T revisits the learning intention before the plenary",
    "A student presents his solution at the board; class asks two questions",
    "T spends about three minutes on attendance and a notice from the office",
    "Students self-assess against the success criteria with thumbs",
    "T corrects a misconception about place value with a number line",
    "Quiet students at table 1 answer when asked directly",
    "T reads the instructions twice; several students still ask what to do",
    "Students choose between two tasks of different challenge",
    "T asks a follow-up question: 'Can anyone build on that?'",
    "Noise level rises during group work; T uses the countdown and it settles",
    "S explains the difference between weather and climate with an example",
    "T links today's lesson to last week's experiment",
    "Every student writes an answer before anyone is asked",
    "T gives wait time of about five seconds after the question",
    "S asks a question about the homework; T answers it at the end",
    "T uses a seating plan; pairs are mixed by prior attainment",
    "Worked example on the board has a small error; a student spots it",
    "T summarises three key points and asks students to add a fourth",
    "Learning walk: goal on the board, student work on the wall dated last week",
]

# Notes some observers write in their own language: the search must find them.
EVIDENCE_OWN_LANGUAGE = {
    "Nguyễn Thị Hương": [
        "Cô hỏi học sinh giải thích cách làm bài",
        "Học sinh thảo luận theo nhóm về thí nghiệm",
    ],
    "Νίκος Παπαδόπουλος": [
        "Ανοιχτή ερώτηση προς την τάξη: «Γιατί συμβαίνει αυτό;»",
        "Οι μαθητές απαντούν μετά από χρόνο αναμονής",
    ],
    "Дмитрий Соколов": [
        "Учитель задаёт открытый вопрос и ждёт ответа",
        "Ученики работают в парах с источниками",
    ],
    "Aino Mäkelä": [
        "Opettaja kysyy: miten päättelit tämän?",
        "Oppilaat selittävät ratkaisunsa parille",
    ],
}

# What each note is evidence of: the look-fors and rubric items (by key, across the built-in
# protocols) an observer would tag it to. A note is only ever tagged to items listed here.
NOTE_TAGS: dict[str, tuple[str, ...]] = {
    EVIDENCE[0]: ("learning-intention", "goal-visible", "planning-clear-outcomes"),
    EVIDENCE[1]: ("instruction-questioning",),
    EVIDENCE[2]: ("instruction-questioning",),
    EVIDENCE[3]: ("students-explain", "student-talk", "environment-culture", "peer-to-peer"),
    EVIDENCE[4]: ("students-explain", "instruction-questioning", "assessment-checking"),
    EVIDENCE[5]: ("instruction-explaining", "challenge"),
    EVIDENCE[6]: ("checks-understanding", "every-student-responds", "assessment-checking"),
    EVIDENCE[7]: ("on-task", "environment-behaviour"),
    EVIDENCE[8]: ("checks-understanding", "instruction-questioning"),
    EVIDENCE[9]: ("routines", "resources-at-hand", "environment-routines", "planning-materials"),
    EVIDENCE[10]: ("student-talk", "instruction-questioning", "environment-culture"),
    EVIDENCE[11]: ("feedback-in-lesson", "assessment-feedback"),
    EVIDENCE[12]: ("every-student-responds", "student-talk", "instruction-engagement",
                   "wait-before-calling"),
    EVIDENCE[13]: ("instruction-explaining",),
    EVIDENCE[14]: ("checks-understanding", "assessment-checking", "assessment-responding"),
    EVIDENCE[15]: ("feedback-in-lesson", "environment-relationships", "assessment-feedback"),
    EVIDENCE[16]: ("feedback-in-lesson", "instruction-questioning", "assessment-responding"),
    EVIDENCE[17]: ("learning-intention", "planning-clear-outcomes"),
    EVIDENCE[18]: ("students-explain", "student-talk", "environment-culture", "peer-to-peer"),
    EVIDENCE[19]: ("routines", "environment-routines"),
    EVIDENCE[20]: ("checks-understanding", "can-say-learning", "assessment-checking"),
    EVIDENCE[21]: ("feedback-in-lesson", "instruction-explaining", "assessment-responding"),
    EVIDENCE[22]: ("every-student-responds", "instruction-engagement"),
    EVIDENCE[23]: ("instruction-explaining", "environment-routines"),
    EVIDENCE[24]: ("challenge", "planning-knowing-students"),
    EVIDENCE[25]: ("students-explain", "instruction-questioning", "peer-to-peer"),
    EVIDENCE[26]: ("routines", "on-task", "environment-behaviour"),
    EVIDENCE[27]: ("students-explain", "can-say-learning"),
    EVIDENCE[28]: ("learning-intention", "planning-knowing-students"),
    EVIDENCE[29]: ("every-student-responds", "checks-understanding", "instruction-engagement"),
    EVIDENCE[30]: ("instruction-questioning", "every-student-responds", "wait-before-calling"),
    EVIDENCE[31]: (),
    EVIDENCE[32]: ("planning-knowing-students", "routines"),
    EVIDENCE[33]: ("planning-materials", "environment-culture"),
    EVIDENCE[34]: ("learning-intention", "can-say-learning", "assessment-checking"),
    EVIDENCE[35]: ("goal-visible", "work-displayed"),
    "Cô hỏi học sinh giải thích cách làm bài": ("students-explain", "instruction-questioning"),
    "Học sinh thảo luận theo nhóm về thí nghiệm": ("student-talk", "instruction-engagement"),
    "Ανοιχτή ερώτηση προς την τάξη: «Γιατί συμβαίνει αυτό;»": ("instruction-questioning",),
    "Οι μαθητές απαντούν μετά από χρόνο αναμονής": ("instruction-questioning",
                                                    "every-student-responds"),
    "Учитель задаёт открытый вопрос и ждёт ответа": ("instruction-questioning",),
    "Ученики работают в парах с источниками": ("student-talk", "instruction-engagement"),
    "Opettaja kysyy: miten päättelit tämän?": ("students-explain", "instruction-questioning"),
    "Oppilaat selittävät ratkaisunsa parille": ("students-explain", "student-talk"),
}
QUESTION_ON_BOARD = "writes a student's question on the board to come back to"
QUESTION_ON_BOARD_TAGS = ("environment-culture", "student-talk")


def tags_for(text: str) -> tuple[str, ...]:
    """The item keys a demo note may be tagged to (its evidence, by NOTE_TAGS)."""
    if text.endswith(QUESTION_ON_BOARD):
        return QUESTION_ON_BOARD_TAGS
    return NOTE_TAGS.get(text, ())


GLOWS = [
    "A clear learning intention you came back to at the end: students could say what they learned.",
    "Your questions after the starter invited several answers and you waited for them.",
    "Calm, quick routines: the move to group work took under two minutes.",
    "You checked every student's answer on mini whiteboards before moving on.",
]
GROWS = [
    "Give more wait time after questions so that more students can answer.",
    "Take answers from more than the first raised hand: try cold call or pair talk first.",
    "Shorten the explanation at the start so students begin the task sooner.",
    "Use the exit question results to plan the start of the next lesson.",
]
NEXT_STEPS = [
    "Plan three open questions for each lesson next week and count how many students answer.",
    "Try 'think, pair, share' before taking answers in two lessons.",
    "Use a timer for transitions and share the time with the class.",
    "Visit a colleague's lesson to see cold call in use.",
]
# For each next step: the support the observer offers, and how both will know it worked.
NEXT_STEP_DETAILS = [
    ("Plan the questions together in Tuesday's free period.",
     "At least half the class answers an open question in the next visit."),
    ("A short video of think, pair, share from the staff library.",
     "Pairs talk before hands go up, in both lessons."),
    ("A visual timer to borrow from the maths department.",
     "Transitions take under two minutes in the next visit."),
    ("Cover for one lesson, arranged by the observer.",
     "One idea from the visit tried and talked about at the next meeting."),
]
GOALS = [
    "Ask more open questions and give at least three seconds of wait time",
    "Check every student's understanding before moving on",
    "Run transitions in under two minutes",
    "Use evidence from exit questions to plan the next lesson",
]
# The observed teacher's reflection is about what the protocol looked at. SUBJECTS names the
# word each reflection of that protocol mentions (a test holds the demo to it).
REFLECTIONS: dict[str, list[str]] = {
    "new-teacher-growth": [
        "Reading the rubric levels beside the evidence helped: my routines have moved up a "
        "level, and checking understanding is the domain I will work on next.",
        "I had rated my questioning higher than the rubric descriptors do. The evidence showed "
        "why; I will plan open questions before each lesson.",
        "The rubric made my growth visible: feedback to students is now at the level I aimed "
        "for, planning from what students know is next.",
    ],
    "questioning-wait-time": [
        "I had not noticed how quickly I took the first answer. The wait time was often under "
        "two seconds; I will count to five after each question.",
        "The tally of questions was eye-opening: most were closed. I am planning my open "
        "questions now.",
        "More questions came from the students this time. I will keep the longer wait time and "
        "use cold call with pair talk first.",
    ],
    "engagement-interval-scan": [
        "Seeing the interval scan made me realise how long I talk at the start: students were "
        "listening, not working. Engagement rose once the task began.",
        "Engagement was highest in the group work scans; I will shorten my explanation so "
        "students start the task sooner.",
    ],
    "peer-observation": [
        "The evidence on the look-for about students explaining their thinking surprised me: "
        "only a few did. I will ask 'How do you know?' more often.",
        "On the look-fors we agreed, routines were strong; checking the understanding of every "
        "student is what I want to try next.",
    ],
    "questioning-wait-time-engagement": [
        "Two colleagues counted my questions and they did not always agree on which were open; "
        "talking it through showed me what makes a question open.",
    ],
    "participation-and-talk": [
        "The map of who spoke surprised me: the same few seats answered almost every "
        "question. I will use pair talk before taking answers and ask seats I have not heard.",
        "More seats were heard this time, but the volunteers still sit at the front. Next I "
        "will try mini whiteboards so that every student answers.",
        "By the end of the lesson most seats had spoken, and students built on each other's "
        "ideas; the quiet corner of September was part of the talk.",
    ],
    "learning-walk": [
        "The learning walk showed the goal on the board, but the student work on the wall was "
        "old. I will refresh it with this week's work.",
        "From the learning walk: students could say what they were learning in most rooms; "
        "in mine, two could not. I will revisit the goal mid-lesson.",
    ],
}
SUBJECTS = {"new-teacher-growth": "rubric", "questioning-wait-time": "question",
            "questioning-wait-time-engagement": "question",
            "engagement-interval-scan": "engag", "peer-observation": "look-for",
            "learning-walk": "learning walk", "participation-and-talk": "seat"}
CLASSES = [("7", "B12"), ("8", "B14"), ("9", "S3"), ("10", "S1"), ("11", "H2"), ("6", "A4")]


# New teachers are stronger in some parts of the rubric than in others (rapport before using
# evidence to adjust teaching), so one lesson's levels spread as real ones do. Offsets sum to 0.
ITEM_STRENGTH = {
    "planning-clear-outcomes": 0.2, "planning-knowing-students": -0.5, "planning-materials": 0.5,
    "environment-relationships": 0.8, "environment-routines": 0.3, "environment-behaviour": 0.4,
    "environment-culture": 0.0, "instruction-explaining": 0.4, "instruction-questioning": -0.4,
    "instruction-engagement": 0.1, "assessment-checking": -0.3, "assessment-feedback": -0.5,
    "assessment-responding": -0.8, "collaboration-plc": 0.2, "collaboration-reflection": 0.1,
    "collaboration-families": -0.5,
}


class _Builder:
    def __init__(self, session: Session) -> None:
        self.s = session
        self.rng = random.Random(SEED)
        self.people: dict[str, str] = {}
        self.versions: dict[str, ProtocolVersionView] = {}
        self.observation_count = 0
        self.note_count = 0
        self.co_observers = CoObservers(self, SEED)

    def staff(self) -> None:
        for name, email, role, subject, stage, start, _mentor in STAFF:
            p = people.add_person(self.s, name, email=email, role=role, subject=subject,
                                  career_stage=stage, start_date=dt.date.fromisoformat(start))
            self.people[name] = p.id
        for name, *_rest, mentor in STAFF:
            if mentor:
                person = self.s.get(Person, self.people[name])
                assert person is not None
                person.mentor_id = self.people[mentor]
        self.s.flush()

    def protocols(self) -> None:
        protocols.install_builtins(self.s)
        for summary in protocols.list_protocols(self.s):
            self.versions[summary.slug] = protocols.get_version(self.s, summary.latest_version_id)

    def cycle(self, teacher: str, observer: str, slug: str, day: dt.date, stage: CycleStage,
              growth: float, focus: str, klass: tuple[str, str] | None = None) -> str:
        """One cycle of `teacher` on `day`; `growth` (0..1) is how far along the year they are;
        `klass` (grade, room): the class visited (a class of the school's, by chance, if None)."""
        version = self.versions[slug]
        start = dt.datetime.combine(day, dt.time(9 + self.rng.randrange(5), 5), dt.UTC)
        pre = start - dt.timedelta(days=3)
        summary = cycles.plan_cycle(
            self.s, teacher_id=self.people[teacher], observer_id=self.people[observer],
            protocol_version_id=version.id, focus=focus, planned_date=day, now=pre,
            evidence_to_collect="Timestamped notes of questions asked and who answers; "
                                "student talk during tasks.")
        cid = summary.id
        if stage == CycleStage.PRE_CONFERENCE:
            return cid
        grade, room = klass or self.rng.choice(CLASSES)
        subject = next(s[3] for s in STAFF if s[0] == teacher)
        obs = observations.start_observation(self.s, cid, subject=subject, grade=grade,
                                             room=room, students=self.rng.randint(18, 30),
                                             now=start)
        self.observation_count += 1
        minutes = 10 if slug == "learning-walk" else 45
        if stage == CycleStage.OBSERVATION:
            # Left open: a fire drill cut the visit short a few minutes in, and nobody pressed
            # End. It waits, days later, to be resumed or ended.
            self.evidence(obs.id, version, start, LEFT_OPEN_MINUTES, teacher, observer,
                          count=LEFT_OPEN_NOTES)
            return cid
        # An observer tapping seats on a participation map writes fewer notes.
        count = self.rng.randint(*NOTES_BESIDE_A_MAP) if slug == PARTICIPATION else None
        self.evidence(obs.id, version, start, minutes, teacher, observer, count)
        self.live_results(obs.id, version, minutes, growth)
        observations.end_observation(self.s, obs.id, minutes * 60_000,
                                     now=start + dt.timedelta(minutes=minutes))
        self.rate(cid, version, growth)
        self.co_observers.record(teacher, day, cid, obs.id, version, start, minutes)
        post = start + dt.timedelta(days=2)
        cycles.move_to_stage(self.s, cid, CycleStage.POST_CONFERENCE, post)
        # The live Glow/Grow prompts became feedback when the visit ended; the post-conference
        # adds to them, never the same point twice.
        self.add_new_feedback(cid, FeedbackKind.GLOW, GLOWS, 2)
        self.add_new_feedback(cid, FeedbackKind.GROW, GROWS, 1)
        step = self.rng.randrange(len(NEXT_STEPS))
        support, success = NEXT_STEP_DETAILS[step]
        cycles.add_feedback(self.s, cid, FeedbackKind.NEXT_STEP, NEXT_STEPS[step],
                            due_date=day + dt.timedelta(days=21),
                            owner=f"{teacher}, with {observer}", support=support,
                            success_measure=success)
        self.ground_feedback(cid, obs.id)
        cycles.set_next_visit_date(self.s, cid, day + dt.timedelta(days=35))
        cycles.set_post_conference_notes(
            self.s, cid, f"{teacher} and {observer} looked at the evidence for the focus: "
                         f"{focus.lower()}.")
        if stage == CycleStage.POST_CONFERENCE:
            return cid
        reflect = post + dt.timedelta(days=2)
        cycles.move_to_stage(self.s, cid, CycleStage.REFLECTION, reflect)
        reflections = REFLECTIONS[slug]
        cycles.set_reflection(self.s, cid, reflections[self.rng.randrange(len(reflections))])
        if stage == CycleStage.REFLECTION:
            return cid
        cycles.acknowledge(self.s, cid, reflect + dt.timedelta(hours=3))
        cycles.move_to_stage(self.s, cid, CycleStage.CLOSED, reflect + dt.timedelta(days=1))
        return cid

    def label_seats(self, teacher: str, klass: tuple[str, str]) -> None:
        """Initials on the seats of the chart of `teacher`'s class (kept on this laptop)."""
        grade, room = klass
        subject = next(s[3] for s in STAFF if s[0] == teacher)
        class_name = participation.class_name_of(subject, grade)
        chart = participation.find_chart(self.s, self.people[teacher], class_name, room)
        assert chart is not None  # made at the class's first visit
        participation.save_chart(self.s, self.people[teacher], class_name, room, chart.seats,
                                 {seat.number: INITIALS[n % len(INITIALS)]
                                  for n, seat in enumerate(chart.seats)})

    def settle(self) -> None:
        """Write out and forget what is built so far: a large identity map slows every flush."""
        self.s.flush()
        self.s.expunge_all()

    def evidence(self, obs_id: str, version: ProtocolVersionView, start: dt.datetime,
                 minutes: int, teacher: str, observer: str, count: int | None = None) -> None:
        taggable = [i for i in version.items if kinds.get(i.kind).taggable]
        if count is None:
            count = 12 if minutes <= 10 else self.rng.randint(26, 40)
        own = EVIDENCE_OWN_LANGUAGE.get(observer, []) + EVIDENCE_OWN_LANGUAGE.get(teacher, [])
        moments = sorted(self.rng.sample(range(5, minutes * 60 - 5), count))
        for n, second in enumerate(moments):
            if own and n % 9 == 4 and n // 9 < len(own):
                text = own[n // 9]
            elif n == 7:
                text = f"{teacher} {QUESTION_ON_BOARD}"
            else:
                text = self.rng.choice(EVIDENCE)
            # An observer tags some notes, to the items the note is evidence of (one or two).
            fits = [t.id for t in taggable if t.key in tags_for(text)]
            tags = self.rng.sample(fits, k=min(len(fits), self.rng.choice((0, 1, 1, 2))))
            notes.add_note(self.s, obs_id, text, wall_time=start + dt.timedelta(seconds=second),
                           elapsed_ms=second * 1000 + self.rng.randrange(1000), item_ids=tags)
            self.note_count += 1

    def live_results(self, obs_id: str, version: ProtocolVersionView, minutes: int,
                     growth: float) -> None:
        for item in version.items:
            kinds.get(item.kind).demo(self, obs_id, item, minutes, growth)

    def add_new_feedback(self, cid: str, kind: FeedbackKind, texts: list[str],
                         wanted: int) -> None:
        """Feedback of `kind` until the cycle has `wanted` of it, none written twice."""
        have = {f.text for f in cycles.get_cycle(self.s, cid).feedback_of(kind)}
        start = self.rng.randrange(len(texts))
        for offset in range(len(texts)):
            if len(have) >= wanted:
                return
            text = texts[(start + offset) % len(texts)]
            if text not in have:
                cycles.add_feedback(self.s, cid, kind, text)
                have.add(text)

    def ground_feedback(self, cid: str, obs_id: str) -> None:
        """Tie each glow and grow to a note or two of the visit, as an observer would."""
        written = notes.list_notes(self.s, obs_id)
        if not written:
            return
        detail = cycles.get_cycle(self.s, cid)
        for n, item in enumerate(detail.feedback):
            if item.kind == FeedbackKind.NEXT_STEP:
                continue
            picked = {written[(7 * n + 3) % len(written)].id,
                      written[(11 * n + 5) % len(written)].id}
            cycles.update_feedback(self.s, item.id, item.text, item.due_date,
                                   evidence_note_ids=sorted(picked))

    def rate(self, cycle_id: str, version: ProtocolVersionView, growth: float) -> None:
        for item in version.items_of(ItemKind.RUBRIC):
            if self.rng.random() < 0.08:
                ratings.mark_not_observed(self.s, cycle_id, item.id)
                continue
            strength = ITEM_STRENGTH.get(item.key, 0.0)
            level = round(1.2 + 2.6 * growth + strength + self.rng.uniform(-0.5, 0.5))
            top = max(lv.level for lv in item.levels)
            view = ratings.rate(self.s, cycle_id, item.id, min(top, max(1, level)))
            evidence = notes.notes_for_item(self.s, cycle_id, item.id)
            for note in evidence[:3]:
                ratings.link_evidence(self.s, cycle_id, view.item_id, note.id)


# The school year 2025–26 (closed cycles) and the autumn of 2026–27 (cycles in every stage).
MENTORING = [
    ("Aino Mäkelä", "Νίκος Παπαδόπουλος"),
    ("Nguyễn Thị Hương", "Siobhán Ó Briain"),
    ("Дмитрий Соколов", "Margaret Osei"),
    ("José Muñoz", "Νίκος Παπαδόπουλος"),
]
RUBRIC_DATES = ["2025-10-08", "2025-12-03", "2026-02-11", "2026-04-22"]
QUESTIONING_DATES = ["2025-09-24", "2026-01-21", "2026-05-20"]
FOCI = [
    "More students explaining their thinking",
    "Open questions and wait time",
    "Checking understanding of every student",
    "Routines and transitions",
]
# The demo's "today" is the end of November 2026. One visit, five days before, was never ended:
# it has a few notes and waits to be resumed.
DEMO_TODAY = dt.date(2026, 11, 30)
LEFT_OPEN_DAY = "2026-11-25"
LEFT_OPEN_MINUTES = 14
LEFT_OPEN_NOTES = 5
# This autumn's cycles, one in each open stage; the pre-conference one is still to come.
CURRENT = [("2026-10-21", CycleStage.REFLECTION), ("2026-11-04", CycleStage.POST_CONFERENCE),
           (LEFT_OPEN_DAY, CycleStage.OBSERVATION), ("2026-12-02", CycleStage.PRE_CONFERENCE)]
PEER_CYCLES = [
    ("Ольга Петрова", "Trần Văn Minh", "peer-observation", "2025-11-12", CycleStage.CLOSED),
    ("Trần Văn Minh", "Ольга Петрова", "peer-observation", "2025-11-19", CycleStage.CLOSED),
    ("Jürgen Weiß", "Ελένη Γεωργίου", "engagement-interval-scan", "2026-03-04", CycleStage.CLOSED),
    ("Ελένη Γεωργίου", "Jürgen Weiß", "engagement-interval-scan", "2026-03-11", CycleStage.CLOSED),
    ("Zofia Wójcik", "Margaret Osei", "learning-walk", "2026-05-06", CycleStage.CLOSED),
    ("Jürgen Weiß", "Zofia Wójcik", "learning-walk", "2026-10-14", CycleStage.CLOSED),
    ("Zofia Wójcik", "Ольга Петрова", "peer-observation", "2026-11-18", CycleStage.POST_CONFERENCE),
    # Last, so that the cycles above draw the same numbers as before it was added.
    ("Ελένη Γεωργίου", "Jürgen Weiß", "questioning-wait-time-engagement", "2026-06-10",
     CycleStage.CLOSED),
]


# Two new teachers' classes mapped for participation through the year: in the autumn a few
# seats do the talking and the teacher calls on students; by June most of the class is heard
# and more volunteer. Growth is seldom a straight line: a lesson can be quieter than the one
# before (the third of Hương's, the week of the mock exams).
PARTICIPATION = "participation-and-talk"
PARTICIPATION_LESSONS = [
    # teacher, observer, the class (grade, room), [(day, how far along the year)]
    ("Nguyễn Thị Hương", "Siobhán Ó Briain", ("7", "B12"),
     [("2025-09-30", 0.0), ("2025-12-10", 0.4), ("2026-03-18", 0.3), ("2026-06-03", 0.95)]),
    ("José Muñoz", "Νίκος Παπαδόπουλος", ("8", "B14"),
     [("2025-10-01", 0.1), ("2025-12-09", 0.35), ("2026-03-17", 0.6), ("2026-06-02", 1.0)]),
]
NOTES_BESIDE_A_MAP = (8, 14)
# One class's chart has initials on its seats (made up), to show that labels stay on this
# laptop: no package and no PDF has them unless the person exporting asks.
LABELLED_CLASS = 0  # of PARTICIPATION_LESSONS
INITIALS = ["A.K.", "B.M.", "C.O.", "D.R.", "E.S.", "F.T.", "G.W.", "H.L.", "I.N.", "J.P.",
            "K.A.", "L.B.", "M.C.", "N.D.", "O.E.", "P.F.", "R.G.", "S.H.", "T.I.", "U.J.",
            "V.K.", "W.L.", "Y.M.", "Z.N.", "A.O.", "B.P.", "C.R.", "D.S.", "E.T.", "F.U."]


def build_demo(session: Session) -> DemoSummary:
    """Fill an empty database with the demo school (the same ids every time)."""
    with reproducible_ids(SEED):
        return _build(session)


def _build(session: Session) -> DemoSummary:
    """Refuses a database that already has people."""
    if session.scalar(select(func.count()).select_from(Person)):
        raise BadInputError("this data folder already has people in it; the demo needs an empty "
                            "data folder (use --data-dir with a new folder)")
    b = _Builder(session)
    b.staff()
    b.protocols()
    for t, (teacher, mentor) in enumerate(MENTORING):
        goal_id = None
        for n, day in enumerate(RUBRIC_DATES):
            growth = n / (len(RUBRIC_DATES))
            cid = b.cycle(teacher, mentor, "new-teacher-growth", dt.date.fromisoformat(day),
                          CycleStage.CLOSED, growth, FOCI[(n + t) % len(FOCI)])
            b.settle()
            if goal_id is not None:
                goals.update_goal(session, goal_id,
                                  GoalStatus.MET if n % 2 == 0 else GoalStatus.PARTLY_MET,
                                  cycle_id=cid, comment="Seen in the evidence log.")
            if n % 2 == 0:
                goal_id = goals.set_goal(session, b.people[teacher],
                                         GOALS[(n // 2 + t) % len(GOALS)], cycle_id=cid).id
        for n, day in enumerate(QUESTIONING_DATES):
            if t < 3:
                b.cycle(teacher, mentor, "questioning-wait-time", dt.date.fromisoformat(day),
                        CycleStage.CLOSED, n / 2, "Open questions and wait time")
                b.settle()
        day, stage = CURRENT[t]
        b.cycle(teacher, mentor, "new-teacher-growth", dt.date.fromisoformat(day), stage, 0.9,
                FOCI[t])
    for teacher, observer, slug, day, stage in PEER_CYCLES:
        b.cycle(teacher, observer, slug, dt.date.fromisoformat(day), stage, 0.7,
                "Student talk and engagement")
        b.settle()
    # Last, so that the cycles above draw the same numbers as before these were added.
    for n, (teacher, observer, klass, lessons) in enumerate(PARTICIPATION_LESSONS):
        for lesson, (day, growth) in enumerate(lessons):
            b.cycle(teacher, observer, PARTICIPATION, dt.date.fromisoformat(day),
                    CycleStage.CLOSED, growth, "Hearing from every student", klass)
            b.settle()
            if n == LABELLED_CLASS and lesson == 0:  # the lessons after the first have them
                b.label_seats(teacher, klass)
    demo_round.add_round(b, DEMO_TODAY)  # this term's round of peer observations
    demo_walks.add_walks(b)  # last: more staff, a year of learning walks, each term's visits
    session.flush()
    search.index_new_notes(session)
    total = session.scalar(select(func.count()).select_from(Cycle)) or 0
    return DemoSummary(len(b.people), total, b.observation_count, b.note_count)
