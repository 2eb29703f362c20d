"""The merge, over random edit histories on three laptops (Hypothesis).

Three laptops share a cycle, then each edits it (the focus, the reflection, notes, feedback,
new cycles, deletes) and now and then receives everything another one has. Whatever the
history: receiving packages in any order gives the same data; receiving twice changes
nothing; A→B→C equals A→C; a round trip A→B→A leaves A as it was; and once everyone has
received everyone, all three are equal.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from observe_app.domain.enums import FeedbackKind
from observe_app.services import cycles, notes, observations, people, protocols
from observe_app.storage.engine import Database
from tests.exchange.replicas import Laptops, counts_total, now, snapshot

LAPTOPS = ("A", "B", "C")
words = st.text(alphabet="abcdé ΣЖ", min_size=1, max_size=12).filter(str.strip)
laptop = st.sampled_from(LAPTOPS)
index = st.integers(min_value=0, max_value=5)

edit = st.one_of(
    st.tuples(st.just("focus"), laptop, words),
    st.tuples(st.just("reflection"), laptop, words),
    st.tuples(st.just("post"), laptop, words),
    st.tuples(st.just("acknowledge"), laptop),
    st.tuples(st.just("note"), laptop, words),
    st.tuples(st.just("edit_note"), laptop, index, words),
    st.tuples(st.just("delete_note"), laptop, index),
    st.tuples(st.just("feedback"), laptop, words),
    st.tuples(st.just("remove_feedback"), laptop, index),
    st.tuples(st.just("new_cycle"), laptop, words),
    st.tuples(st.just("delete_cycle"), laptop, index),
    st.tuples(st.just("person"), laptop, words),
    st.tuples(st.just("receive"), laptop, laptop),
)


class World:
    def __init__(self, folder: Path) -> None:
        self.laptops = Laptops(folder)
        self.db = {name: self.laptops.new(name) for name in LAPTOPS}
        a = self.db["A"]
        with a.transaction() as s:
            version = protocols.get_version(
                s, protocols.find_protocol(s, "peer-observation").latest_version_id)
            self.version_id = version.id
            self.teacher = people.add_person(s, "Ana Silva", email="ana@school.example").id
            observer = people.add_person(s, "Ivan Petrov").id
            self.cycle = cycles.plan_cycle(s, teacher_id=self.teacher, observer_id=observer,
                                           protocol_version_id=version.id, focus="start").id
            self.visit = observations.start_observation(s, self.cycle, subject="History").id
            for n in range(3):
                notes.add_note(s, self.visit, f"note {n}", wall_time=now(), elapsed_ms=n)
        first = self.laptops.send(a)
        for name in ("B", "C"):
            self.laptops.receive(self.db[name], first)
        self.elapsed = 100

    def apply(self, step: tuple[Any, ...]) -> None:
        kind, name, *args = step
        db = self.db[name]
        if kind == "receive":
            if args[0] != name:
                self.laptops.receive(db, self.laptops.send(self.db[args[0]]))
            return
        with db.transaction() as s:
            self._edit(s, kind, args)

    def _edit(self, s: Any, kind: str, args: list[Any]) -> None:
        conn = s.connection()
        if kind == "focus":
            cycles.update_pre_conference(s, self.cycle, focus=args[0],
                                         evidence_to_collect="", planned_date=None)
        elif kind == "reflection":
            cycles.set_reflection(s, self.cycle, args[0])
        elif kind == "post":
            cycles.set_post_conference_notes(s, self.cycle, args[0])
        elif kind == "acknowledge":
            cycles.acknowledge(s, self.cycle)
        elif kind == "note":
            self.elapsed += 1
            notes.add_note(s, self.visit, args[0], wall_time=now(), elapsed_ms=self.elapsed)
        elif kind in ("edit_note", "delete_note"):
            ids = [n for n, in conn.exec_driver_sql(
                "SELECT id FROM notes WHERE observation_id = ? ORDER BY id", (self.visit,))]
            if ids:
                note = ids[args[0] % len(ids)]
                if kind == "edit_note":
                    notes.edit_note(s, note, args[1])
                else:
                    notes.delete_note(s, note)
        elif kind == "feedback":
            cycles.add_feedback(s, self.cycle, FeedbackKind.GLOW, args[0])
        elif kind == "remove_feedback":
            ids = [f for f, in conn.exec_driver_sql(
                "SELECT id FROM feedback_items WHERE cycle_id = ? ORDER BY id", (self.cycle,))]
            if ids:
                cycles.remove_feedback(s, ids[args[0] % len(ids)])
        elif kind == "new_cycle":
            made = cycles.plan_cycle(s, teacher_id=self.teacher, focus=args[0],
                                     protocol_version_id=self.version_id)
            visit = observations.start_observation(s, made.id)
            notes.add_note(s, visit.id, args[0], wall_time=now(), elapsed_ms=1)
        elif kind == "delete_cycle":
            ids = [c for c, in conn.exec_driver_sql(
                "SELECT id FROM cycles WHERE id != ? ORDER BY id", (self.cycle,))]
            if ids:
                conn.exec_driver_sql("DELETE FROM cycles WHERE id = ?", (ids[args[0] % len(ids)],))
        elif kind == "person":
            people.add_person(s, args[0])

    def fresh(self, name: str) -> Database:
        return self.laptops.new(name)


def _check_history(tmp_path: Path, steps: list[tuple[Any, ...]]) -> None:
    world = World(tmp_path)
    try:
        for step in steps:
            world.apply(step)
        laptops, db = world.laptops, world.db
        packages = {name: laptops.send(db[name]) for name in LAPTOPS}

        # Any order: A receiving B then C equals A receiving C then B.
        results = []
        for order, first_second in enumerate(itertools.permutations("BC")):
            copy = laptops.copy(db["A"], f"A-order-{order}")
            for name in first_second:
                laptops.receive(copy, packages[name])
            results.append(snapshot(copy))
        assert results[0] == results[1]

        # Twice: the same data sent again (a new package of it) changes nothing.
        again = laptops.copy(db["A"], "A-twice")
        laptops.receive(again, packages["B"])
        before = snapshot(again)
        preview = laptops.receive(again, laptops.send(db["B"]))
        assert snapshot(again) == before and counts_total(preview) == 0, preview.counts
        # The same file again: already received, nothing done.
        assert laptops.receive(again, packages["B"]).already_received is not None
        assert snapshot(again) == before

        # A→B→C equals A→C, B a laptop that has only what A sent.
        relay = world.fresh("relay")
        laptops.receive(relay, packages["A"])
        via, direct = laptops.copy(db["C"], "C-via"), laptops.copy(db["C"], "C-direct")
        laptops.receive(via, laptops.send(relay))
        laptops.receive(direct, packages["A"])
        assert snapshot(via) == snapshot(direct)

        # A→B→A, B changing nothing: A as it was.
        before_a = snapshot(db["A"])
        preview = laptops.receive(db["A"], laptops.send(relay))
        assert snapshot(db["A"]) == before_a and counts_total(preview) == 0, preview.counts

        # Everyone receives everyone: all equal.
        for name in ("B", "C"):
            laptops.receive(db["A"], packages[name])
        final_a = laptops.send(db["A"])
        for name in ("B", "C"):
            laptops.receive(db[name], final_a)
        assert snapshot(db["A"]) == snapshot(db["B"]) == snapshot(db["C"])
    finally:
        world.laptops.close()


_SETTINGS = dict(deadline=None, database=None, derandomize=True,
                 suppress_health_check=[HealthCheck.function_scoped_fixture,
                                        HealthCheck.too_slow])


@settings(max_examples=12, **_SETTINGS)  # type: ignore[arg-type]
@given(steps=st.lists(edit, min_size=3, max_size=14))
# Found by the longer run: B's older focus, lost to A's, counted as a conflict again when B's
# data came a second time.
@example(steps=[("focus", "B", "aa"), ("focus", "A", "a")])
# A delete and an edit of the same cycle apart, then a round of receiving.
@example(steps=[("new_cycle", "A", "x"), ("receive", "B", "A"), ("delete_cycle", "A", 0),
                ("receive", "C", "B"), ("focus", "C", "y"), ("receive", "A", "C")])
def test_any_history_merges_the_same_whatever_the_order(
        tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[Any, ...]]) -> None:
    _check_history(tmp_path_factory.mktemp("laptops"), steps)


@pytest.mark.slow
@settings(max_examples=40, **_SETTINGS)  # type: ignore[arg-type]
@given(steps=st.lists(edit, min_size=5, max_size=25))
def test_longer_histories_merge_the_same_whatever_the_order(
        tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[Any, ...]]) -> None:
    _check_history(tmp_path_factory.mktemp("laptops"), steps)
