"""Agreement between observers: random data against scikit-learn, statsmodels and the
krippendorff package, and cases worked out by hand or published in textbooks."""

from __future__ import annotations

import ast
import math
import warnings
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats import inter_rater

from observe_app.services import agreement
from observe_app.services.agreement import (
    WEIGHTED_KAPPA_TARGET,
    WITHIN_ONE_TARGET,
    Figure,
    adjacent_agreement,
    against_target,
    cohen_kappa,
    count_difference,
    exact_agreement,
    fleiss_kappa,
    interval_agreement,
    krippendorff_alpha,
    landis_koch,
    overall_interval_agreement,
    weighted_kappa,
)

ORACLE = settings(max_examples=100, deadline=None, database=None, derandomize=True)


def _undefined(figure: Figure) -> None:
    assert figure.value is None
    assert figure.why_undefined.startswith("not defined, because ")
    assert figure.band == ""


# --- against the reference implementations ----------------------------------------------------

@st.composite
def rated_pairs(draw: st.DrawFn) -> tuple[list[int], list[tuple[int | None, int | None]]]:
    """Levels 1..k and 2-60 pairs over them; now and then an observer gave no value."""
    levels = list(range(1, draw(st.integers(2, 5)) + 1))
    maybe = st.sampled_from([*levels * 4, None])
    size = draw(st.integers(2, 60))  # drawn first: lists alone stay mostly short
    pairs = draw(st.lists(st.tuples(maybe, maybe), min_size=size, max_size=size))
    return levels, pairs


def _sklearn(pairs: list, **options: object) -> float:
    kept = [(a, b) for a, b in pairs if a is not None and b is not None]
    if not kept:
        return math.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an undefined kappa warns, then comes back as nan
        return float(cohen_kappa_score([a for a, _ in kept], [b for _, b in kept], **options))


def _agrees_with(figure: Figure, expected: float) -> None:
    if math.isnan(expected):
        _undefined(figure)
    else:
        assert figure.value == pytest.approx(expected, abs=1e-9)
        assert figure.band == landis_koch(figure.value)


@ORACLE
@given(rated_pairs())
def test_cohen_kappa_is_scikit_learns(data: tuple[list[int], list]) -> None:
    _levels, pairs = data
    figure = cohen_kappa(pairs)
    _agrees_with(figure, _sklearn(pairs))
    left_out = sum(1 for a, b in pairs if a is None or b is None)
    assert (figure.left_out, figure.pairs) == (left_out, len(pairs) - left_out)


@ORACLE
@given(rated_pairs())
def test_weighted_kappa_is_scikit_learns_linear(data: tuple[list[int], list]) -> None:
    levels, pairs = data
    _agrees_with(weighted_kappa(pairs, levels), _sklearn(pairs, labels=levels, weights="linear"))


@st.composite
def rated_units(draw: st.DrawFn, missing: bool = True) -> list[list[int | None]]:
    """1-40 items, each rated by the same 2-6 observers on 2-5 values, some values missing."""
    values = list(range(draw(st.integers(2, 5))))
    observers = draw(st.integers(2, 6))
    rating = st.sampled_from([*values * 6, None] if missing else values)
    unit = st.lists(rating, min_size=observers, max_size=observers)
    size = draw(st.integers(1, 40))
    return draw(st.lists(unit, min_size=size, max_size=size))


@ORACLE
@given(rated_units())
def test_fleiss_kappa_is_statsmodels(units: list[list[int | None]]) -> None:
    complete = [unit for unit in units if None not in unit]
    figure = fleiss_kappa(units)
    assert (figure.pairs, figure.left_out) == (len(complete), len(units) - len(complete))
    if not complete:
        _undefined(figure)
        return
    with np.errstate(all="ignore"):  # one value throughout: 0/0, which numpy turns into nan
        expected = inter_rater.fleiss_kappa(inter_rater.aggregate_raters(complete)[0])
    _agrees_with(figure, float(expected))


def _krippendorff(units: list[list[int | None]], level: str) -> float:
    data = np.array([[math.nan if v is None else v for v in unit] for unit in units]).T
    try:
        with np.errstate(all="ignore"):
            return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))
    except ValueError:  # fewer than two values in all, or no item rated twice
        return math.nan


@ORACLE
@given(rated_units(), st.sampled_from(["nominal", "ordinal"]))
def test_krippendorff_alpha_is_the_krippendorff_packages(units: list, level: str) -> None:
    figure = krippendorff_alpha(units, level=level)  # type: ignore[arg-type]
    _agrees_with(figure, _krippendorff(units, level))
    pairable = sum(1 for unit in units if len([v for v in unit if v is not None]) >= 2)
    assert (figure.pairs, figure.left_out) == (pairable, len(units) - pairable)


@ORACLE
@given(rated_units(missing=False))
def test_fleiss_and_krippendorff_nearly_meet_without_missing_values(units: list) -> None:
    """Krippendorff's nominal alpha corrects Fleiss' kappa for the size of the sample: with
    every value present, alpha = 1 - (1 - kappa) * (nr - 1) / nr (n items, r observers)."""
    kappa, alpha = fleiss_kappa(units), krippendorff_alpha(units)
    if kappa.value is None:
        _undefined(alpha)
        return
    values = len(units) * len(units[0])
    assert alpha.value == pytest.approx(1 - (1 - kappa.value) * (values - 1) / values, abs=1e-9)


# --- worked by hand or published ---------------------------------------------------------------

def test_perfect_agreement() -> None:
    pairs = [(1, 1), (2, 2), (3, 3), (4, 4), (2, 2)]
    for figure in (cohen_kappa(pairs), weighted_kappa(pairs, [1, 2, 3, 4]),
                   exact_agreement(pairs), adjacent_agreement(pairs)):
        assert figure.value == 1.0
    assert cohen_kappa(pairs).band == "almost perfect"


def test_agreement_exactly_at_chance() -> None:
    # Each observer says yes half the time, independently: half their answers meet by chance.
    pairs = [(True, True), (True, False), (False, True), (False, False)]
    figure = cohen_kappa(pairs)
    assert (figure.value, figure.band) == (0.0, "slight")
    assert exact_agreement(pairs).value == 0.5


def test_cohens_textbook_table() -> None:
    """Wikipedia's "Cohen's kappa" example: 50 proposals, 20 yes-yes, 5 yes-no, 10 no-yes,
    15 no-no; p_o = 0.7, p_e = 0.5 and kappa = 0.4."""
    pairs = ([("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10
             + [("no", "no")] * 15)
    figure = cohen_kappa(pairs)
    assert figure.value == pytest.approx(0.4, abs=1e-12)
    assert (figure.pairs, figure.band) == (50, "fair")


def test_weighted_kappa_by_hand() -> None:
    # Two observers on levels 1-3: rows 1 1 2 3, columns 1 2 2 2. Observed disagreement
    # 0+1+0+1 = 2; chance: row totals (2,1,1) against columns (1,3,0) weighted by distance
    # = 2*3*1 + 1*1*1 + 1*1*2 + 1*3*1 = 12; kappa = 1 - 4*2/12 = 1/3.
    pairs = [(1, 1), (1, 2), (2, 2), (3, 2)]
    assert weighted_kappa(pairs, [1, 2, 3]).value == pytest.approx(1 / 3, abs=1e-12)
    # An unused level between two used ones makes their disagreements count double.
    stretched = [(1, 1), (1, 3), (3, 3), (1, 3)]
    assert weighted_kappa(stretched, [1, 2, 3]).value == weighted_kappa(stretched, [1, 3]).value


def test_both_observers_constant_is_undefined() -> None:
    figure = cohen_kappa([(3, 3), (3, 3), (3, 3)])
    _undefined(figure)
    assert figure.why_undefined == ("not defined, because both observers gave every item the "
                                    "same value, so agreement by chance is already complete")
    assert figure.pairs == 3
    _undefined(weighted_kappa([(2, 2), (2, 2)], [1, 2, 3, 4]))
    assert exact_agreement([(3, 3), (3, 3)]).value == 1.0


def test_one_observer_constant_gives_kappa_zero_with_a_caution() -> None:
    """Chance agreement then equals the observed agreement, whatever it is (as scikit-learn
    computes it): kappa is 0 though the two agree on nine items out of ten."""
    pairs = [(3, 3)] * 9 + [(3, 2)]
    for figure in (cohen_kappa(pairs), weighted_kappa(pairs, [1, 2, 3, 4])):
        assert figure.value == 0.0
        assert figure.caution == ("One observer gave every item the same value, so kappa is 0 "
                                  "however often the two agree.")
    assert exact_agreement(pairs).value == 0.9
    assert cohen_kappa([(1, 2), (2, 1)]).caution == ""


def test_missing_values_are_left_out_and_counted() -> None:
    pairs = [(1, 1), (2, None), (None, 3), (None, None), (2, 3), (4, 4)]
    figure = exact_agreement(pairs)
    assert (figure.value, figure.pairs, figure.left_out) == (2 / 3, 3, 3)
    assert adjacent_agreement(pairs).value == 1.0
    assert cohen_kappa(pairs).left_out == 3
    assert cohen_kappa(pairs).value == cohen_kappa([(1, 1), (2, 3), (4, 4)]).value


def test_no_pairs_is_undefined() -> None:
    for figure in (exact_agreement([]), adjacent_agreement([(None, 2)]),
                   cohen_kappa([(None, None)]), weighted_kappa([], [1, 2])):
        _undefined(figure)
        assert figure.why_undefined == ("not defined, because no item has a value from both "
                                        "observers")
        assert figure.pairs == 0
    assert cohen_kappa([(None, 2), (1, None)]).left_out == 2


def test_adjacent_agreement_by_hand() -> None:
    pairs = [(1, 2), (2, 4), (3, 3), (4, 1), (2, 1)]
    assert adjacent_agreement(pairs).value == 3 / 5
    assert exact_agreement(pairs).value == 1 / 5


def test_a_value_outside_the_levels_is_a_mistake() -> None:
    with pytest.raises(ValueError, match="5"):
        weighted_kappa([(1, 5)], [1, 2, 3, 4])


def test_fleiss_textbook_table() -> None:
    """Wikipedia's "Fleiss' kappa" example: 14 raters put 10 subjects in 5 categories;
    kappa = 0.210 (P-bar 0.378, P-bar-e 0.213)."""
    table = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0],
             [2, 2, 8, 1, 1], [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2],
             [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
    units = [[category for category, n in enumerate(row) for _ in range(n)] for row in table]
    figure = fleiss_kappa(units)
    assert figure.value == pytest.approx(0.20993, abs=5e-6)
    assert (figure.pairs, figure.band) == (10, "fair")


def test_fleiss_undefined_and_left_out() -> None:
    same = fleiss_kappa([[2, 2, 2], [2, 2, 2], [2, None, 1]])
    _undefined(same)
    assert (same.pairs, same.left_out) == (2, 1)
    assert "every observer gave every item the same value" in same.why_undefined
    _undefined(fleiss_kappa([[1, None], [None, 2]]))
    _undefined(fleiss_kappa([[1], [2]]))
    with pytest.raises(ValueError, match="one value per observer"):
        fleiss_kappa([[1, 2], [1, 2, 3]])


KRIPPENDORFF_2011 = [  # four coders, twelve units; "Computing Krippendorff's alpha-reliability"
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


def test_krippendorffs_published_example() -> None:
    units = [list(unit) for unit in zip(*KRIPPENDORFF_2011, strict=True)]
    nominal = krippendorff_alpha(units)
    assert nominal.value == pytest.approx(0.743, abs=5e-4)
    assert (nominal.pairs, nominal.left_out) == (11, 1)  # the last unit has one value only
    assert krippendorff_alpha(units, "ordinal").value == pytest.approx(0.815, abs=5e-4)
    words = ["very low", "low", "mid", "high", "very high"]
    named = [[None if v is None else words[v - 1] for v in unit] for unit in units]
    assert krippendorff_alpha(named, "ordinal", levels=words).value == pytest.approx(
        krippendorff_alpha(units, "ordinal").value, abs=1e-12)


def test_krippendorff_undefined() -> None:
    alone = krippendorff_alpha([[1, None, None], [None, 2, None]])
    _undefined(alone)
    assert alone.why_undefined == "not defined, because no item has values from two observers"
    assert alone.left_out == 2
    flat = krippendorff_alpha([[2, 2], [2, 2, None], [3, None]], "ordinal")
    _undefined(flat)
    assert "no variation" in flat.why_undefined
    assert flat.pairs == 2


# --- interval scans ---------------------------------------------------------------------------

ON = frozenset({"on-task"})
NONE: frozenset[str] = frozenset()
# Interval 4 was missed by the first observer; the second ticked on-task one interval late at
# 2 (for 1) and one early at 2 (for 3); at 7 only the second observer saw it.
FIRST = [ON, ON, NONE, ON, None, NONE, NONE, NONE, NONE, NONE]
SECOND = [ON, NONE, ON, NONE, ON, NONE, NONE, ON, NONE, NONE]


def test_interval_agreement_without_tolerance() -> None:
    scan = interval_agreement(FIRST, SECOND, "on-task")
    assert (scan.agreement.value, scan.agreement.pairs, scan.agreement.left_out) == (5 / 9, 9, 1)
    # Each observer ticked 3 of 9 intervals: chance agreement (9 + 36) / 81 = 5/9, as observed.
    assert scan.kappa.value == pytest.approx(0.0, abs=1e-12)


def test_interval_agreement_within_one_interval() -> None:
    scan = interval_agreement(FIRST, SECOND, "on-task", tolerance=1)
    assert scan.agreement.value == 8 / 9
    # Recoded, the first observer has 4 ticks and the second 5, agreeing in 8 of 9 intervals:
    # kappa = (72/81 - 40/81) / (1 - 40/81) = 32/41.
    assert scan.kappa.value == pytest.approx(32 / 41, abs=1e-12)
    assert "one interval early or late" in scan.agreement.meaning


def test_interval_scans_of_different_lengths_and_codes_never_ticked() -> None:
    scan = interval_agreement([ON, NONE], [ON, NONE, ON], "on-task")
    assert (scan.agreement.value, scan.agreement.left_out) == (1.0, 1)
    never = interval_agreement([NONE, NONE], [NONE, NONE], "off-task", label="Off task")
    assert never.agreement.value == 1.0
    _undefined(never.kappa)
    assert never.kappa.name == "Kappa on Off task"
    assert "ticked Off task in every interval, or in none" in never.kappa.why_undefined
    _undefined(interval_agreement([None], [ON], "on-task").agreement)


def test_overall_interval_agreement() -> None:
    first = [frozenset({"on-task", "talk"}), ON, None, NONE]
    second = [{"talk", "on-task"}, {"on-task", "talk"}, ON, set()]
    figure = overall_interval_agreement(first, second)
    assert (figure.value, figure.pairs, figure.left_out) == (2 / 3, 3, 1)


# --- counts, bands and targets ----------------------------------------------------------------

def test_count_difference() -> None:
    assert count_difference(8, 6) == agreement.CountDifference(8, 6, 2, 0.25)
    assert count_difference(0, 0) == agreement.CountDifference(0, 0, 0, 0.0)
    assert count_difference(12.5, 10.0).relative == 0.2
    missing = count_difference(4, None)
    assert (missing.absolute, missing.relative) == (None, None)
    assert missing.why_undefined == "not defined, because only one observer gave a value"
    assert count_difference(None, None).why_undefined == (
        "not defined, because neither observer gave a value")


@pytest.mark.parametrize(("value", "band"), [
    (-0.1, "poor"), (0.0, "slight"), (0.2, "slight"), (0.35, "fair"), (0.41, "moderate"),
    (0.8, "substantial"), (0.81, "almost perfect"), (1.0, "almost perfect"),
])
def test_landis_koch_bands(value: float, band: str) -> None:
    assert landis_koch(value) == band


def test_against_target_words() -> None:
    def figure(value: float | None) -> Figure:
        return Figure("Weighted kappa (linear)", value, 10)

    assert against_target(figure(0.74), WEIGHTED_KAPPA_TARGET) == (
        "above the 0.70 often asked of high-stakes assessments")
    assert against_target(figure(0.8), WITHIN_ONE_TARGET).startswith("at the 0.80 CLASS")
    assert against_target(figure(0.67), WITHIN_ONE_TARGET, share=True) == (
        "below the 80 % CLASS asks of its observers before certifying them")
    assert against_target(figure(0.5), 0.6) == "below the 0.60"
    assert against_target(figure(None), WEIGHTED_KAPPA_TARGET).startswith("not set against")


def test_the_module_is_plain_python() -> None:
    """Read models and the CLI import it; numpy and the reference packages are for tests."""
    tree = ast.parse(Path(agreement.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= {"__future__", "math", "collections", "collections.abc", "dataclasses",
                        "fractions", "typing"}
