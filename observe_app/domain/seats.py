"""The seats of a participation map and the rules every set of seats keeps, wherever it comes
from: laid out in the window, read from a backup, or received in a package.

Kept below the services, because a backup's and a package's values are checked (storage,
exchange) by the same rules the services lay seats out by.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

from observe_app.errors import BadInputError

# A chart is a grid of cells; seats sit on cells (a table of four is four neighbouring seats).
GRID_COLUMNS = 24
GRID_ROWS = 16
MOST_SEATS = 99  # two digits typed, then Enter
GROUP_NAME_LENGTH = 60


@dataclass(frozen=True)
class Seat:
    number: int
    x: int  # the column of its cell, from the left
    y: int  # the row of its cell, from the front
    groups: tuple[str, ...] = ()


def check_seats(seats: Sequence[Seat], groups: Sequence[str] = ()) -> tuple[Seat, ...]:
    """The seats, when they make a chart: numbers 1..99 used once, cells inside the grid and
    not shared, groups among the protocol's (when it names any)."""
    if not seats:
        raise BadInputError("a chart needs at least one seat")
    if len(seats) > MOST_SEATS:
        raise BadInputError(f"a chart has at most {MOST_SEATS} seats ({len(seats)} given)")
    numbers = Counter(s.number for s in seats)
    cells = Counter((s.x, s.y) for s in seats)
    for seat in seats:
        if not 1 <= seat.number <= MOST_SEATS:
            raise BadInputError(f"seat numbers run from 1 to {MOST_SEATS}: {seat.number} is not "
                                "one of them")
        if numbers[seat.number] > 1:
            raise BadInputError(f"seat {seat.number} is on the chart twice; number each seat "
                                "once")
        if not (0 <= seat.x < GRID_COLUMNS and 0 <= seat.y < GRID_ROWS):
            raise BadInputError(f"seat {seat.number} is off the chart; move it back inside")
        if cells[(seat.x, seat.y)] > 1:
            raise BadInputError(f"seat {seat.number} sits on another seat; move one of them")
        unknown = [g for g in seat.groups if groups and g not in groups]
        if unknown:
            raise BadInputError(f"seat {seat.number} is in {unknown[0]!r}, which is not one of "
                                "the protocol's groups")
    return tuple(sorted(seats, key=lambda s: s.number))


def seats_to_json(seats: Iterable[Seat]) -> list[dict[str, Any]]:
    return [{"n": s.number, "x": s.x, "y": s.y, **({"groups": list(s.groups)} if s.groups
                                                    else {})} for s in seats]


def seats_from_json(raw: Any) -> tuple[Seat, ...]:
    """Seats as stored (or received: checked like any outside data)."""
    if not isinstance(raw, list):
        raise BadInputError("the seats are not a list")
    seats = []
    for entry in raw:
        if not isinstance(entry, dict):
            raise BadInputError("a seat is not a record")
        n, x, y = entry.get("n"), entry.get("x"), entry.get("y")
        groups = entry.get("groups", [])
        if not (_whole(n) and _whole(x) and _whole(y)):
            raise BadInputError("a seat's number and place are whole numbers")
        if not isinstance(groups, list) or not all(
                isinstance(g, str) and 0 < len(g) <= GROUP_NAME_LENGTH for g in groups):
            raise BadInputError(f"seat {n}'s groups are not a list of names")
        seats.append(Seat(n, x, y, tuple(dict.fromkeys(groups))))
    return check_seats(seats)


def seats_problem(raw: Any) -> str | None:
    """What is wrong with seats from outside (a backup, a package), or None: the reason only,
    without the advice to someone laying the seats out ("move one of them")."""
    try:
        seats_from_json(raw)
    except BadInputError as exc:
        return str(exc).split(";")[0]
    return None


def _whole(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)
