"""Bounded-work checks that a loaded machine cannot fail: count Python function calls, not seconds.

    with at_most_calls(50_000):
        closed_intervals(...)

A wall-clock limit ("< 0.1 s") fails when the CI machine is busy and passes a slow algorithm on
a fast one; the number of Python calls an operation makes is the same everywhere. The counter
stops the work as soon as it runs over (WorkBudgetExceeded), so a regression to an unbounded
search fails at once instead of running for minutes. It counts calls in this thread only.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Any, Iterator


class WorkBudgetExceeded(AssertionError):
    pass


class CallCounter:
    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.calls = 0

    def __call__(self, frame: Any, event: str, arg: Any) -> None:
        if event == "call":
            self.calls += 1
            if self.calls > self.budget:
                sys.setprofile(None)
                raise WorkBudgetExceeded(f"more than {self.budget} Python calls")


@contextmanager
def at_most_calls(budget: int) -> Iterator[CallCounter]:
    """Fail if the block makes more than `budget` Python function calls (in this thread)."""
    counter = CallCounter(budget)
    previous = sys.getprofile()
    sys.setprofile(counter)
    try:
        yield counter
    finally:
        sys.setprofile(previous)
