"""The policy and the day every screen applies (``LIANGXIN_POLICY``, ``LIANGXIN_AS_OF``): one
place that the engine runs, the pages and the periods all read."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from liangxin.engine.policies import Policy, load_policy


def current_policy() -> Policy:
    return load_policy(settings.LIANGXIN_POLICY)


def as_of() -> datetime.date:
    if settings.LIANGXIN_AS_OF:
        return datetime.date.fromisoformat(settings.LIANGXIN_AS_OF)
    return timezone.localdate()
