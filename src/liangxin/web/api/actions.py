"""Creating and revoking API tokens (audited; the token itself is never stored or logged)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from liangxin.web.api.models import ApiToken, digest, new_token
from liangxin.web.audit.actions import Action, log
from liangxin.web.core.permissions import CREATE_TOKEN, REVOKE_TOKEN, require

AUDITED = ("user_id", "name", "prefix", "revoked_at")


def do_create_token(user, name: str) -> tuple[ApiToken, str]:
    """A new token of the user's own; returns it with the clear token, to be shown once.

    No one creates a token for someone else: whoever holds a token acts as its owner, and one
    person acting as another (an administrator as the auditor) would undo the separation of
    duties."""
    require(user, CREATE_TOKEN)
    clear = new_token()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name.strip(), prefix=clear[:10], digest=digest(clear)
        )
        log(
            Action.CREATE,
            user,
            token,
            after={"user": user.get_username(), "name": token.name, "prefix": token.prefix},
            note="创建本人的接口令牌",
        )
    return token, clear


def do_revoke_token(actor, token: ApiToken) -> ApiToken:
    """Revoke one's own token, or (the 安全管理员) anyone's."""
    require(actor, REVOKE_TOKEN, [token])
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            return token
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        log(
            Action.UPDATE,
            actor,
            token,
            before={"revoked_at": None},
            after={"revoked_at": token.revoked_at},
            note=f"吊销“{token.user.get_username()}”的接口令牌",
        )
    return token
