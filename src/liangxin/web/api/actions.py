"""Creating and revoking API tokens (audited; the token itself is never stored or logged)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from liangxin.web.api.models import ApiToken, digest, new_token
from liangxin.web.audit.actions import Action, log

AUDITED = ("user_id", "name", "prefix", "revoked_at")


def do_create_token(actor, owner, name: str) -> tuple[ApiToken, str]:
    """A new token for ``owner``; returns it with the clear token, to be shown once."""
    clear = new_token()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=owner, name=name.strip(), prefix=clear[:10], digest=digest(clear)
        )
        log(
            Action.CREATE,
            actor,
            token,
            after={"user": owner.get_username(), "name": token.name, "prefix": token.prefix},
            note=f"为“{owner.get_username()}”创建接口令牌",
        )
    return token, clear


def do_revoke_token(actor, token: ApiToken) -> ApiToken:
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
