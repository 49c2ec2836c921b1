"""Creating and changing users."""

from __future__ import annotations

from django.db import transaction

from liangxin.web.accounts.models import User
from liangxin.web.audit.actions import Action, log

FIELDS = (
    "role",
    "region_id",
    "instructor_id",
    "dept_industries",
    "dept_supervisors",
    "dept_subtypes",
)


def do_save_user(actor, username: str, password: str, display_name: str = "", **fields) -> User:
    """Create the user, or update role, scope and password of an existing one."""
    with transaction.atomic():
        user = User.objects.filter(username=username).first()
        before = {f: getattr(user, f) for f in FIELDS} if user else None
        if user is None:
            user = User(username=username)
        user.first_name = display_name or user.first_name
        for name, value in fields.items():
            setattr(user, name, value)
        user.set_password(password)
        user.save()
        after = {f: getattr(user, f) for f in FIELDS}
        log(Action.UPDATE if before else Action.CREATE, actor, user, before=before, after=after)
    return user
