"""What the demo school's learning walks are made of: the staff who joined, each teacher's
rooms and grades, the terms walked, how often each look-for is seen, and the words written."""

from __future__ import annotations

import datetime as dt

from observe_app.domain.enums import CareerStage, Role

_E, _N, _X = CareerStage.EARLY, CareerStage.NEW, CareerStage.EXPERIENCED

# As demo.STAFF: name, email, role, subject, career stage, start date, mentor (by name). Leaders
# walk the school but teach no timetabled class here: no subject.
NEW_STAFF = [
    ("Wanjiru Kamau", "wanjiru.kamau@lakeside.school", Role.LEADER, "", _X, "2004-09-01", None),
    ("Rahel Tesfaye", "rahel.tesfaye@lakeside.school", Role.LEADER, "", _X, "2010-09-01", None),
    ("Priya Raghunathan", "priya.raghunathan@lakeside.school", Role.MENTOR, "Mathematics", _X,
     "2013-09-02", None),
    ("Kwame Asante", "kwame.asante@lakeside.school", Role.TEACHER, "Mathematics", _E,
     "2024-09-02", "Priya Raghunathan"),
    ("Αναστασία Κωνσταντίνου", "anastasia.konstantinou@lakeside.school", Role.TEACHER,
     "Mathematics", _X, "2017-09-04", None),
    ("Fatma Yılmaz", "fatma.yilmaz@lakeside.school", Role.TEACHER, "English", _X, "2015-09-01",
     None),
    ("Amara Okafor", "amara.okafor@lakeside.school", Role.TEACHER, "English", _N, "2025-08-25",
     "Siobhán Ó Briain"),
    ("Søren Kjærgaard", "soren.kjaergaard@lakeside.school", Role.TEACHER, "Science", _X,
     "2019-08-26", None),
    # History: exactly two teachers (with Дмитрий), so its patterns are always withheld.
    ("Björk Sigurðardóttir", "bjork.sigurdardottir@lakeside.school", Role.TEACHER, "History", _X,
     "2016-08-29", None),
]

# Every teacher's rooms and the grades they teach: a walk visits one of each.
CLASSES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Νίκος Παπαδόπουλος": (("Lab 1",), ("9", "10", "11")),
    "Siobhán Ó Briain": (("E4",), ("7", "10")),
    "Margaret Osei": (("H5",), ("8", "9", "11")),
    "Aino Mäkelä": (("M2",), ("7", "8")),
    "Nguyễn Thị Hương": (("B12", "Lab 2"), ("7", "8")),
    "Дмитрий Соколов": (("H2",), ("9", "11")),
    "José Muñoz": (("B14",), ("8", "9")),
    "Ольга Петрова": (("Music 1",), ("6", "7", "8")),
    "Trần Văn Minh": (("Sports hall", "Gym 2"), ("6", "8", "10", "11")),
    "Jürgen Weiß": (("Lab 3",), ("10", "11")),
    "Ελένη Γεωργίου": (("E2",), ("8", "9", "10")),
    "Zofia Wójcik": (("A4", "Art studio"), ("6", "7", "9")),
    "Priya Raghunathan": (("M1",), ("9", "10", "11")),
    "Kwame Asante": (("M4",), ("6", "7")),
    "Αναστασία Κωνσταντίνου": (("M3",), ("8", "10")),
    "Fatma Yılmaz": (("E1",), ("6", "7", "11")),
    "Amara Okafor": (("E3",), ("7", "8")),
    "Søren Kjærgaard": (("Lab 4", "S3"), ("6", "9")),
    "Björk Sigurðardóttir": (("H1",), ("7", "8", "10")),
}

# Who walks: the head and deputy, the coach, the mentors who lead PLCs.
WALKERS = ["Wanjiru Kamau", "Siobhán Ó Briain", "Rahel Tesfaye", "Margaret Osei",
           "Priya Raghunathan", "Νίκος Παπαδόπουλος"]

# The terms walked (first day, last day, visits): 2025–26 and this autumn, up to the week
# before the demo's "today" (demo.DEMO_TODAY).
TERMS = [("2025-09-15", "2025-12-12", 44), ("2026-01-12", "2026-03-27", 40),
         ("2026-04-20", "2026-07-10", 40), ("2026-09-14", "2026-11-20", 40)]
# Walked a third time each term: History's new curriculum. Enough visits for a figure, but two
# teachers: the School page withholds History's patterns for that reason, and says so.
WALKED_MORE = ("Дмитрий Соколов", "Björk Sigurðardóttir")
WALK_FOCUS = [
    "Learning walk: is today's learning goal clear to students?",
    "Learning walk: who does the talking about the learning?",
    "Learning walk: do the tasks ask students to think?",
    "Learning walk: can students say what they are learning?",
]
_YEAR_START, _YEAR_END = dt.date(2025, 9, 1), dt.date(2026, 11, 30)


def year_fraction(day: dt.date) -> float:
    """How far `day` is from the start of the walks (0) to the demo's today (1)."""
    return min(1.0, max(0.0, (day - _YEAR_START).days / (_YEAR_END - _YEAR_START).days))


# How often each look-for is seen, in September 2025 and by November 2026. The PLC's focus
# (goals on the board, students saying what they learn, tasks that ask for thinking) grows;
# student talk and current work on the walls stay rare.
LOOK_FORS = {
    "goal-visible": (0.50, 0.88), "work-displayed": (0.18, 0.26),
    "resources-at-hand": (0.60, 0.70), "can-say-learning": (0.30, 0.72),
    "student-talk": (0.12, 0.20), "challenge": (0.38, 0.64), "on-task": (0.82, 0.90),
}

# Notes about the room, tagged to nothing.
ROOM_NOTES = [
    "Word wall with this unit's key vocabulary beside the board",
    "Tables in groups of four; task cards on each table",
    "Students working in silence on a written task",
    "Teacher at the front with a worked example; students follow in their books",
    "Practical under way: goggles on, equipment shared at each bench",
    "Seating in rows facing the board; date and title written up",
    "Teacher kneeling beside a table, listening to a pair",
    "Mini whiteboards out; students hold up answers on the count of three",
    "Support assistant works with a small group by the window",
    "Timer on the board counts down the minutes left for the task",
    "Reading corner with this term's class novel on display",
    "Students move between stations on a rotation",
]
# What a walker writes when a look-for is not seen (never tagged: a tag counts it as seen).
NOT_SEEN = {
    "goal-visible": ["No learning goal on the board; the date and title only",
                     "The goal on the board is from yesterday's lesson"],
    "work-displayed": ["The display boards show work from last year",
                       "Walls bare apart from printed posters"],
    "resources-at-hand": ["Three students wait at the desk for rulers and glue",
                          "Students ask the teacher where the dictionaries are"],
    "can-say-learning": ["Asked two students what they are learning: both described the task, "
                         "not the learning",
                         "One student could say what they are learning; the other said "
                         "'finishing the sheet'"],
    "student-talk": ["The teacher talks for most of the visit; students answer in single words",
                     "Questions go from teacher to student and back; no talk between students"],
    "challenge": ["Students copy notes from the slides",
                  "The worksheet asks students to fill in missing words"],
    "on-task": ["A table at the back chats about the weekend",
                "Several students wait with a hand up, not working"],
}
WONDERINGS = [
    "I wonder how students know what a good answer looks like.",
    "I wonder what would change if students talked in pairs before answering.",
    "I wonder whether our learning goals are written for students or for us.",
    "I wonder how we could keep current work on the walls without extra marking.",
    "I wonder when in a lesson students are asked to think hardest.",
    "I wonder how often students choose the resources they need.",
    "I wonder how the first five minutes set up the rest of the lesson.",
    "I wonder what the quiet students would say if asked directly.",
]
POST_WORDS = [
    "A word at the door after the walk: what the room showed on the look-fors.",
    "The walk's summary went to the teacher the same afternoon; no conference needed.",
    "Shared the look-fors seen with the teacher; the PLC discusses patterns, not this room.",
]

# Two more teachers early in their careers, on the rubric with their mentors through the year
# (day, how far along the year).
RUBRIC_CYCLES = [
    ("Amara Okafor", "Siobhán Ó Briain",
     (("2025-10-15", 0.0), ("2026-02-04", 0.3), ("2026-05-13", 0.55), ("2026-09-23", 0.7),
      ("2026-11-11", 0.8))),
    ("Kwame Asante", "Priya Raghunathan",
     (("2025-11-19", 0.35), ("2026-03-11", 0.5), ("2026-06-17", 0.65), ("2026-10-07", 0.8))),
]
# Peer visits with the questioning, wait time and engagement protocol (tallies, a timer, an
# interval scan): five a term (four in the summer, beside demo.PEER_CYCLES' one), a week apart
# from the first day; (observed teacher, observer).
QWTE_TERMS = [
    ("2025-10-14", [("Priya Raghunathan", "Fatma Yılmaz"), ("Søren Kjærgaard", "Ольга Петрова"),
                    ("Björk Sigurðardóttir", "Trần Văn Minh"),
                    ("Fatma Yılmaz", "Priya Raghunathan"), ("Ольга Петрова", "Søren Kjærgaard")]),
    ("2026-01-27", [("Αναστασία Κωνσταντίνου", "Jürgen Weiß"),
                    ("Zofia Wójcik", "Björk Sigurðardóttir"), ("Trần Văn Minh", "Margaret Osei"),
                    ("Jürgen Weiß", "Αναστασία Κωνσταντίνου"),
                    ("Søren Kjærgaard", "Fatma Yılmaz")]),
    ("2026-04-28", [("Fatma Yılmaz", "Zofia Wójcik"),
                    ("Björk Sigurðardóttir", "Priya Raghunathan"),
                    ("Ольга Петрова", "Αναστασία Κωνσταντίνου"),
                    ("Priya Raghunathan", "Søren Kjærgaard")]),
    ("2026-09-22", [("Zofia Wójcik", "Ελένη Γεωργίου"),
                    ("Αναστασία Κωνσταντίνου", "Fatma Yılmaz"), ("Trần Văn Minh", "Jürgen Weiß"),
                    ("Ελένη Γεωργίου", "Björk Sigurðardóttir"),
                    ("Søren Kjærgaard", "Ольга Петрова")]),
]
