"""How far two or more observers of one lesson agree: shares of agreement, Cohen's and Fleiss'
kappa, Krippendorff's alpha and differences of counts, each as a Figure a teacher can read.

Plain Python: counts are kept as integers and fractions until the last step, so "is chance
agreement complete?" is an exact test and nothing divides by zero.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

# CLASS certifies an observer once 80 % of their scores fall within one level of the master's.
WITHIN_ONE_TARGET = 0.80
# Reliability studies of high-stakes assessments commonly ask for a weighted kappa of 0.70.
WEIGHTED_KAPPA_TARGET = 0.70

_TARGET_WORDS = {
    WITHIN_ONE_TARGET: "CLASS asks of its observers before certifying them",
    WEIGHTED_KAPPA_TARGET: "often asked of high-stakes assessments",
}

Pair = tuple[Hashable | None, Hashable | None]
Scan = Sequence[set[str] | frozenset[str] | None]  # per interval: the codes ticked, None if missed


@dataclass(frozen=True)
class Figure:
    name: str
    value: float | None  # None when not defined
    pairs: int  # paired values it was computed from (items, for several observers)
    why_undefined: str = ""  # "not defined, because ..." when value is None
    meaning: str = ""  # what the figure measures, in one sentence
    band: str = ""  # kappa and alpha: the Landis-Koch band in words
    left_out: int = 0  # pairs (or items) left out because an observer gave no value
    caution: str = ""  # a reason to read a defined value with care


@dataclass(frozen=True)
class IntervalAgreement:
    code: str
    tolerance: int  # how many intervals early or late a tick may be and still agree
    agreement: Figure
    kappa: Figure


@dataclass(frozen=True)
class CountDifference:
    a: float | None
    b: float | None
    absolute: float | None  # |a - b|
    relative: float | None  # |a - b| / max(a, b); 0 when both are 0
    why_undefined: str = ""


def landis_koch(value: float) -> str:
    """The band Landis and Koch (1977) give a kappa, in words."""
    if value < 0:
        return "poor"
    for top, band in ((0.20, "slight"), (0.40, "fair"), (0.60, "moderate"), (0.80, "substantial")):
        if value <= top:
            return band
    return "almost perfect"


def target_words(target: float) -> str:
    """Who asks for a target, e.g. "CLASS asks of its observers before certifying them"."""
    return _TARGET_WORDS.get(target, "")


def against_target(figure: Figure, target: float, *, share: bool = False) -> str:
    """Where the figure stands against a target, e.g. "above the 0.70 often asked of ...";
    a share's target in per cent ("below the 80 % CLASS asks ..."), as its value is shown."""
    words = _TARGET_WORDS.get(target)
    number = f"{target * 100:.0f} %" if share else f"{target:.2f}"
    mark = f"the {number} {words}" if words else f"the {number}"
    if figure.value is None:
        return f"not set against {mark}, because the figure is not defined"
    if math.isclose(figure.value, target, abs_tol=1e-9):
        return f"at {mark}"
    return f"{'above' if figure.value > target else 'below'} {mark}"


# --- two observers, item by item -------------------------------------------------------------

def exact_agreement(pairs: Sequence[Pair]) -> Figure:
    return _share("Exact agreement", *_paired(pairs), lambda a, b: a == b,
                  "How often the two observers gave exactly the same value.")


def adjacent_agreement(pairs: Sequence[tuple[int | None, int | None]]) -> Figure:
    return _share("Within one level", *_paired(pairs), lambda a, b: abs(a - b) <= 1,
                  "How often the two observers' levels were the same or one level apart.")


def cohen_kappa(pairs: Sequence[Pair], labels: Sequence[Hashable] | None = None) -> Figure:
    """Unweighted kappa: every disagreement counts the same (look-fors, codes)."""
    return _kappa("Cohen's kappa", *_paired(pairs), labels, lambda i, j: int(i != j),
                  "How far the two observers agreed beyond what chance alone would give: "
                  "1 is always the same, 0 no better than chance.")


def weighted_kappa(pairs: Sequence[Pair], levels: Sequence[Hashable]) -> Figure:
    """Linearly weighted kappa over the ordered `levels`: a disagreement counts by how many
    places apart the two levels sit in `levels` (so an unused level in between still counts)."""
    return _kappa("Weighted kappa (linear)", *_paired(pairs), levels, lambda i, j: abs(i - j),
                  "How far the two observers agreed beyond chance, a disagreement of one "
                  "level counting less than a disagreement of three: 1 is always the same, "
                  "0 no better than chance.")


def _paired(pairs: Sequence[Pair]) -> tuple[list[Pair], int]:
    kept = [(a, b) for a, b in pairs if a is not None and b is not None]
    return kept, len(pairs) - len(kept)


def _none_paired(what: str) -> str:
    return f"not defined, because no {what} has a value from both observers"


def _share(name: str, kept: Sequence[Pair], left_out: int, agree: Callable, meaning: str,
           what: str = "item") -> Figure:
    if not kept:
        return Figure(name, None, 0, _none_paired(what), meaning, left_out=left_out)
    agreed = sum(1 for a, b in kept if agree(a, b))
    return Figure(name, agreed / len(kept), len(kept), meaning=meaning, left_out=left_out)


def _kappa(name: str, kept: Sequence[Pair], left_out: int, labels: Sequence[Hashable] | None,
           weight: Callable[[int, int], int], meaning: str, what: str = "item",
           constant: str = "gave every item the same value") -> Figure:
    """1 - observed weighted disagreement / disagreement expected by chance, as in
    scikit-learn's cohen_kappa_score (each observer's own mix of values sets the chance)."""
    if labels is None:
        labels = list(dict.fromkeys(value for pair in kept for value in pair))
    place = {label: i for i, label in enumerate(labels)}
    for value in {value for pair in kept for value in pair}:
        if value not in place:
            raise ValueError(f"{value!r} is not one of the values {list(labels)!r}")
    if not kept:
        return Figure(name, None, 0, _none_paired(what), meaning, left_out=left_out)
    rows = Counter(place[a] for a, _ in kept)
    columns = Counter(place[b] for _, b in kept)
    observed = sum(weight(place[a], place[b]) for a, b in kept)
    # n times the disagreement expected by chance, in whole numbers: zero exactly when both
    # observers gave one and the same value throughout.
    chance = sum(weight(i, j) * ri * cj for i, ri in rows.items() for j, cj in columns.items())
    if chance == 0:
        return Figure(name, None, len(kept),
                      f"not defined, because both observers {constant}, so agreement by "
                      "chance is already complete", meaning, left_out=left_out)
    value = float(1 - Fraction(len(kept) * observed, chance))
    caution = ""
    if len(rows) == 1 or len(columns) == 1:
        caution = f"One observer {constant}, so kappa is 0 however often the two agree."
    return Figure(name, value, len(kept), meaning=meaning, band=landis_koch(value),
                  left_out=left_out, caution=caution)


# --- interval scans ------------------------------------------------------------------------

def interval_agreement(a_sets: Scan, b_sets: Scan, code: str, tolerance: int = 0, *,
                       label: str = "") -> IntervalAgreement:
    """Whether the two observers agree that `code` was ticked, interval by interval; the
    figures name the code by `label` when given.

    An interval either observer missed (None, or past the end of their scan) is left out.
    With a tolerance, a tick the other observer made up to `tolerance` intervals earlier or
    later counts as agreeing: in that interval both observers are taken to have ticked the
    code, and the kappa is computed on presence recoded that way. A tick one interval late
    therefore agrees in both intervals it touches.
    """
    if tolerance < 0:
        raise ValueError("the tolerance is a number of intervals, 0 or more")
    pairs: list[Pair] = []
    left_out = 0
    for i in range(max(len(a_sets), len(b_sets))):
        a, b = _ticked(a_sets, i, code), _ticked(b_sets, i, code)
        if a is None or b is None:
            left_out += 1
            continue
        if a != b and _ticked_near(b_sets if a else a_sets, i, code, tolerance):
            a = b = True
        pairs.append((a, b))
    label = label or code
    late = ""
    if tolerance:
        intervals = "one interval" if tolerance == 1 else f"{tolerance} intervals"
        late = f", a tick up to {intervals} early or late counting as agreeing"
    agreement = _share(f"Agreement on {label}", pairs, left_out, lambda x, y: x == y,
                       f"How often the two observers agreed whether {label} was seen in an "
                       f"interval{late}.", what="interval")
    kappa = _kappa(f"Kappa on {label}", pairs, left_out, [False, True], lambda i, j: int(i != j),
                   f"How far the two observers agreed whether {label} was seen in an "
                   f"interval beyond what chance alone would give{late}.", what="interval",
                   constant=f"ticked {label} in every interval, or in none")
    return IntervalAgreement(code, tolerance, agreement, kappa)


def overall_interval_agreement(a_sets: Scan, b_sets: Scan) -> Figure:
    """Share of intervals in which both observers ticked exactly the same codes."""
    length = max(len(a_sets), len(b_sets))
    pairs = [(_codes(a_sets, i), _codes(b_sets, i)) for i in range(length)]
    return _share("Same codes in an interval", *_paired(pairs), lambda a, b: a == b,
                  "How often the two observers ticked exactly the same codes in an interval.",
                  what="interval")


def _codes(sets: Scan, i: int) -> frozenset[str] | None:
    ticked = sets[i] if 0 <= i < len(sets) else None
    return None if ticked is None else frozenset(ticked)


def _ticked(sets: Scan, i: int, code: str) -> bool | None:
    codes = _codes(sets, i)
    return None if codes is None else code in codes


def _ticked_near(sets: Scan, i: int, code: str, tolerance: int) -> bool:
    return any(_ticked(sets, j, code) for j in range(i - tolerance, i + tolerance + 1))


# --- tallies and timers ----------------------------------------------------------------------

def count_difference(a: float | None, b: float | None) -> CountDifference:
    """How far two observers' tallies (or timed seconds) of the same thing lie apart."""
    if a is None or b is None:
        who = "neither observer" if a is None and b is None else "only one observer"
        return CountDifference(a, b, None, None, f"not defined, because {who} gave a value")
    if a < 0 or b < 0:
        raise ValueError("a tally or a time cannot be below 0")
    absolute = abs(a - b)
    return CountDifference(a, b, absolute, absolute / max(a, b) if absolute else 0.0)


# --- three or more observers -----------------------------------------------------------------

def fleiss_kappa(units: Sequence[Sequence[Hashable | None]]) -> Figure:
    """Fleiss' kappa (1971), as statsmodels computes it. Each unit (item) lists one value per
    observer; Fleiss needs every observer on every unit, so a unit with a None is left out."""
    name = "Fleiss' kappa"
    meaning = ("How far all the observers agreed beyond what chance alone would give: "
               "1 is always the same, 0 no better than chance.")
    if len({len(unit) for unit in units}) > 1:
        raise ValueError("every item needs one value per observer; give None for a missing one")
    complete = [unit for unit in units if all(value is not None for value in unit)]
    left_out = len(units) - len(complete)
    if not complete:
        return Figure(name, None, 0, "not defined, because no item has a value from every "
                      "observer", meaning, left_out=left_out)
    observers = len(complete[0])
    if observers < 2:
        return Figure(name, None, len(complete), "not defined, because it needs at least two "
                      "observers", meaning, left_out=left_out)
    counts = [Counter(unit) for unit in complete]
    totals: Counter[Hashable] = Counter()
    for count in counts:
        totals.update(count)
    # Ordered pairs of observers who gave an item the same value, over all pairs there are.
    agreeing = sum(k * (k - 1) for count in counts for k in count.values())
    observed = Fraction(agreeing, len(complete) * observers * (observers - 1))
    chance = Fraction(sum(t * t for t in totals.values()), (len(complete) * observers) ** 2)
    if chance == 1:
        return Figure(name, None, len(complete), "not defined, because every observer gave "
                      "every item the same value, so agreement by chance is already complete",
                      meaning, left_out=left_out)
    value = float((observed - chance) / (1 - chance))
    return Figure(name, value, len(complete), meaning=meaning, band=landis_koch(value),
                  left_out=left_out)


def krippendorff_alpha(units: Sequence[Sequence[Hashable | None]],
                       level: Literal["nominal", "ordinal"] = "nominal",
                       levels: Sequence[Hashable] | None = None) -> Figure:
    """Krippendorff's alpha over units (items) of values, None where an observer gave none.

    Matches the `krippendorff` package. The ordinal distance between two values is built from
    how many paired values lie between them (Krippendorff 2011), so it depends on ranks, not on
    the numbers; `levels` gives the order when the values do not sort by themselves.
    """
    name = f"Krippendorff's alpha ({level})"
    nearness = ", near levels counting as closer than far ones" if level == "ordinal" else ""
    meaning = (f"How far the observers agreed beyond what chance alone would give{nearness}, "
               "items with a missing value included: 1 is always the same, 0 no better than "
               "chance.")
    rated = [[value for value in unit if value is not None] for unit in units]
    pairable = [values for values in rated if len(values) >= 2]
    left_out = len(units) - len(pairable)
    if not pairable:
        return Figure(name, None, 0, "not defined, because no item has values from two "
                      "observers", meaning, left_out=left_out)
    coincidences: defaultdict[tuple[Hashable, Hashable], Fraction] = defaultdict(Fraction)
    for values in pairable:
        count = Counter(values)
        for c, nc in count.items():
            for k, nk in count.items():
                coincidences[c, k] += Fraction(nc * (nk - (c == k)), len(values) - 1)
    totals: defaultdict[Hashable, Fraction] = defaultdict(Fraction)
    for (c, _k), o in coincidences.items():
        totals[c] += o
    distance = _nominal if level == "nominal" else _ordinal(totals, levels)
    observed = sum(o * distance(c, k) for (c, k), o in coincidences.items())
    chance = sum(nc * nk * distance(c, k) for c, nc in totals.items() for k, nk in totals.items())
    if chance == 0:
        return Figure(name, None, len(pairable), "not defined, because every value given on "
                      "an item rated more than once is the same, so there is no variation to "
                      "agree about", meaning, left_out=left_out)
    paired_values = sum(totals.values())
    value = float(1 - (paired_values - 1) * observed / chance)
    return Figure(name, value, len(pairable), meaning=meaning, band=landis_koch(value),
                  left_out=left_out)


def _nominal(c: Hashable, k: Hashable) -> int:
    return int(c != k)


def _ordinal(totals: defaultdict[Hashable, Fraction], levels: Sequence[Hashable] | None) -> (
        Callable[[Hashable, Hashable], Fraction]):
    # Without levels the values must sort by themselves (rubric levels are numbers).
    order = list(levels) if levels is not None else sorted(totals)  # type: ignore[type-var]
    unknown = set(totals) - set(order)
    if unknown:
        raise ValueError(f"{sorted(map(repr, unknown))} are not among the levels {order!r}")
    rank = {value: i for i, value in enumerate(order)}
    # Paired values up to each place in the order: sums between two places in one subtraction.
    running = [Fraction(0)]
    for value in order:
        running.append(running[-1] + totals.get(value, 0))

    def distance(c: Hashable, k: Hashable) -> Fraction:
        low, high = sorted((rank[c], rank[k]))
        between = running[high + 1] - running[low]
        return (between - (totals[c] + totals[k]) / 2) ** 2

    return distance
