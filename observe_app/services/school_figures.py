"""What the School page shows and when it may be shown: a figure of one period, a pattern (a
figure against the period before), and the anonymity rules — withheld when too few visits or
teachers stand behind it, or when, set beside the whole school's, it would show the rest of
the school's (services/school_patterns.py, school_impact.py)."""

from __future__ import annotations

from dataclasses import dataclass

MINIMUM_TEACHERS = 3  # fixed: a figure from two teachers tells each about the other
MINIMUM_VISITS = 5  # the default of the setting (services/school.py)


@dataclass(frozen=True)
class Figure:
    """One figure of one period: its value, or why it is withheld, and what it stands on."""

    value: float | None  # None: withheld or nothing recorded
    visits: int
    teachers: int
    withheld: str  # "" when shown; else the reason, in a sentence

    @property
    def shown(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Pattern:
    """One figure of the school's practice in the period and the period before."""

    kind: str  # the capture kind: "lookfor", "interval", "tally", "timer", "rubric", …
    protocol: str
    group: str  # the scan's, the tally's or the rubric domain's name; "" for look-fors
    label: str  # the look-for, code, tally, timer or level
    measure: str  # what the value is: "share of visits", "mean per visit", …
    now: Figure
    before: Figure
    # What names the figure in its protocol whatever a version calls it: the item's key (a
    # scan's with the code, a rubric level's with its domain).
    key: str = ""

    @property
    def change(self) -> float | None:
        if self.now.value is None or self.before.value is None:
            return None
        return self.now.value - self.before.value


def withheld_because(visits: int, teachers: int, minimum_visits: int,
                     what: str = "visit") -> str:
    if visits == 0:
        return "nothing was recorded"
    if visits < minimum_visits:
        return (f"withheld: it comes from {visits} {what}{'s' if visits != 1 else ''}, fewer "
                f"than {minimum_visits}")
    if teachers < MINIMUM_TEACHERS:
        return (f"withheld: it comes from {teachers} teacher{'s' if teachers != 1 else ''}, "
                f"fewer than {MINIMUM_TEACHERS}, so a teacher could be picked out")
    return ""


def figure(value: float | None, visits: int, teachers: int, minimum_visits: int,
           what: str = "visit") -> Figure:
    """`visits`: how many visits (or cycles, or goals: `what`) the value stands on."""
    why = withheld_because(visits, teachers, minimum_visits, what)
    return Figure(None if why or value is None else value, visits, teachers, why)


def beside_the_rest(part: Figure, rest: Figure) -> Figure:
    """A scope's figure, withheld where the rest of the school's would be: the whole school's
    figure less the scope's is the rest's (a PLC of everyone but a department of two would
    give that department away by subtraction)."""
    if not part.shown or not rest.visits or rest.shown:
        return part
    why = rest.withheld.removeprefix("withheld: it ")
    return Figure(None, part.visits, part.teachers, (
        "withheld: the whole school's figure minus this one would show the rest of the "
        + (f"school's, which {why}" if why != rest.withheld else "school's, itself withheld")))
