"""Progress reporting for long engine steps; the CLI shows bars, tests and the web pass their own."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def step(self, label: str, total: int | None = None) -> None:
        """A new step starts (a Chinese label, and how many units it has when known)."""

    def advance(self, amount: int = 1) -> None:
        """Units of the current step done."""

    def close(self) -> None:
        """The run is over."""


class NoProgress:
    def step(self, label: str, total: int | None = None) -> None:
        pass

    def advance(self, amount: int = 1) -> None:
        pass

    def close(self) -> None:
        pass
