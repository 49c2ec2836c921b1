"""The instructor assignment planner on a generated county, and on a stressed roster.

    python benchmarks/plan_assign.py [--orgs 3000] [--seed 1]

Prints the planner's wall time, the demand, how much of it the plan meets and, with the
roster cut to a quarter (so capacity runs short), the unmet demand and the instructors needed.
"""

from __future__ import annotations

import argparse
import datetime
import tempfile
import time
from pathlib import Path

from liangxin.engine.build import build
from liangxin.engine.plan import demand_table, plan_assignments
from liangxin.engine.policies import load_policy
from liangxin.synth import generate


def run(label, demand, instructors, limits) -> None:
    started = time.perf_counter()
    plan = plan_assignments(demand, instructors, limits)
    elapsed = time.perf_counter() - started
    print(f"{label}: {elapsed:.2f} s, {instructors.height} instructors — {plan.summary()}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    policy = load_policy("linyi-2020")
    with tempfile.TemporaryDirectory() as folder:
        data, out = Path(folder) / "data", Path(folder) / "out"
        generate(data, seed=args.seed, n_orgs=args.orgs)
        screened = build(data, out, policy, datetime.date(2020, 7, 1)).screened
    demand = demand_table(screened.orgs)
    limits = policy.instructor_capacity
    run(f"{args.orgs} orgs", demand, screened.instructors, limits)
    quarter = screened.instructors.sort("entity_id").gather_every(4)
    run(f"{args.orgs} orgs, a quarter of the roster", demand, quarter, limits)


if __name__ == "__main__":
    main()
