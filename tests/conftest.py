"""Suite-wide settings. Hypothesis's per-example deadline is a timing assertion, and timings
belong in benchmarks/: on a loaded 2-core machine it fails correct code, so it is off."""

from hypothesis import settings

settings.register_profile("liangxin", deadline=None)
settings.load_profile("liangxin")
