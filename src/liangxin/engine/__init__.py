"""The engine: intake → normalise → reconcile → screen → outputs (docs/architecture.md §1).

``run`` is its one entry point."""

from liangxin.engine.pipeline import Run, run

__all__ = ["Run", "run"]
