"""Calibration figures in words a teacher reads: each figure with what it measures and where
it stands against the usual targets, never as a verdict on a person. The command line prints
these lines; the calibration view and its PDF use the same sentences."""

from __future__ import annotations

from observe_app.domain.formats import counted
from observe_app.services import agreement
from observe_app.services.agreement import Figure
from observe_app.services.calibration import (
    CountPair,
    LessonAgreement,
    ObserverAgreement,
    PairAgreement,
)


def value(f: Figure, *, share: bool = False) -> str:
    """'83 %', '0.64 (substantial)', or 'not defined'."""
    if f.value is None:
        return "not defined"
    if share:
        return f"{f.value * 100:.0f} %"
    return f"{f.value:.2f}" + (f" ({f.band})" if f.band else "")


def sentence(f: Figure, *, share: bool = False, target: float | None = None) -> str:
    """The figure, what it measures, and why it is undefined or what to read it with."""
    parts = [f"{f.name}: {value(f, share=share)}"]
    if f.value is None:
        # why_undefined says "not defined, because …" itself: the value is not said twice
        parts = [f"{f.name}: {f.why_undefined}"] if f.why_undefined.startswith(
            "not defined") else [*parts, f"— {f.why_undefined}"]
    elif target is not None:
        parts.append(f"— {agreement.against_target(f, target, share=share)}")
    line = " ".join(parts) + "."
    extra = [f.meaning] if f.meaning else []
    if f.left_out:
        extra.append(f"{f.left_out} left out where an observer gave no value.")
    if f.caution:
        extra.append(f.caution)
    return line + ("" if not extra else " " + " ".join(extra))


def level(value_: int | None) -> str:
    return "—" if value_ is None else str(value_)


def pair_lines(p: PairAgreement) -> list[str]:
    lines = [f"{p.a_name} and {p.b_name}"]
    if p.ratings:
        lines += ["  Ratings",
                  "    " + sentence(p.exact, share=True),
                  "    " + sentence(p.within_one, share=True,
                                    target=agreement.WITHIN_ONE_TARGET),
                  "    " + sentence(p.weighted_kappa, target=agreement.WEIGHTED_KAPPA_TARGET)]
        lines += [f"      {r.label}: {level(r.a)} and {level(r.b)}" for r in p.ratings]
    if p.seen:
        lines += ["  Look-fors",
                  "    " + sentence(p.seen_agreement, share=True),
                  "    " + sentence(p.seen_kappa)]
        lines += [f"      {s.label}: {seen_word(s.a)} and {seen_word(s.b)}" for s in p.seen]
    for scan in p.scans:
        lines += [f"  {scan.label}", "    " + sentence(scan.overall, share=True)]
        for code in scan.codes:
            lines += [f"    {code.label}",
                      "      " + sentence(code.exact.agreement, share=True),
                      "      " + sentence(code.exact.kappa),
                      "      " + sentence(code.within_one.agreement, share=True),
                      "      " + sentence(code.within_one.kappa)]
    lines += [f"  {c.label}: {count_words(c)}" for c in p.counts]
    return lines


def count_words(c: CountPair) -> str:
    """'12 and 9, 3 apart (25 % of the larger)'; seconds for a timer; or why it is not
    defined."""
    d = c.difference
    if d.absolute is None:
        return d.why_undefined
    unit = " s" if c.kind == "timer" else ""
    return (f"{number(d.a)}{unit} and {number(d.b)}{unit}, {number(d.absolute)}{unit} apart "
            f"({(d.relative or 0) * 100:.0f} % of the larger)")


def lesson_lines(found: LessonAgreement) -> list[str]:
    lines = [f"{found.cycle.teacher_name}, {found.cycle.protocol_name}, "
             f"{found.date.astimezone():%Y-%m-%d}: observed by {', '.join(found.observers)}"]
    for p in found.pairs:
        lines += ["", *pair_lines(p)]
    if found.group is not None:
        g = found.group
        lines += ["", f"All {len(g.names)} observers",
                  "  " + sentence(g.fleiss), "  " + sentence(g.alpha_ordinal),
                  "  " + sentence(g.alpha_codes)]
    return lines


def observer_lines(found: ObserverAgreement) -> list[str]:
    lines = [f"{found.observer}: {counted(len(found.lessons), 'co-observed lesson')}"]
    for p in found.lessons:
        lines.append(f"  {p.date.astimezone():%Y-%m-%d}  {p.teacher_name}, with "
                     f"{', '.join(p.with_names)}: within one level "
                     f"{value(p.within_one, share=True)}, weighted kappa "
                     f"{value(p.weighted_kappa)}")
    if found.waiting:
        lines.append(f"  {counted(len(found.waiting), 'more lesson')} once every observer "
                     "has handed in")
    return lines


def reading_lines(*, ratings: bool = True, scans: bool = True) -> list[str]:
    """How to read the figures: what they count, the kappa bands and the targets, in words;
    the lines about ratings and about interval scans only when there are some."""
    within, kappa = agreement.WITHIN_ONE_TARGET, agreement.WEIGHTED_KAPPA_TARGET
    lines = []
    if ratings:
        lines.append("Exact agreement and within one level are shares of the items both "
                     "observers gave a level. An item one of them did not rate, or marked not "
                     "observed, is left out, and the figure says how many were.")
    lines += [
        "Kappa and alpha say how far the observers agreed beyond what chance alone would "
        "give: 1 is always the same, 0 no better than chance, below 0 less often than chance. "
        "Over a handful of items they move a lot from one lesson to the next.",
        "Kappa in words, after Landis and Koch (1977): below 0 poor, up to 0.20 slight, up to "
        "0.40 fair, up to 0.60 moderate, up to 0.80 substantial, above that almost perfect.",
    ]
    if ratings:
        lines.append(
            f"The targets: {within * 100:.0f} % of levels within one level, what "
            f"{agreement.target_words(within)}; a weighted kappa of {kappa:.2f}, "
            f"{agreement.target_words(kappa)}. A figure below a target is something to talk "
            "through together, item by item, with the evidence: never a verdict on an "
            "observer or on the teacher.")
    if scans:
        lines.append("In an interval scan each code is compared interval by interval: did "
                     "both observers tick it, or neither? With a tolerance of one interval, a "
                     "tick one interval early or late counts as agreeing.")
    lines.append("A figure that is not defined cannot be computed from these records; the "
                 "reason is given beside it (for example, both observers gave every item the "
                 "same value, so chance alone already explains their agreement).")
    return lines


def seen_word(seen: bool | None) -> str:
    return {True: "seen", False: "not seen", None: "—"}[seen]


def number(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.1f}"
