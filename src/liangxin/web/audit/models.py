"""The audit log: append-only; who did what, when, in which request, with before/after values."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from liangxin.web.audit.chain import compute_mac
from liangxin.web.core.paths import PathField
from liangxin.web.core.scope import RestrictedQuerySet


class AppendOnlyError(RuntimeError):
    pass


class AuditQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = "view"):
        from liangxin.web.core.scope import VIEW, Role

        if action == VIEW and getattr(user, "role", None) == Role.AUDITOR and user.is_active:
            return self  # 审计员 reads the whole log (and nothing else)
        return super().restrict(user, action)

    def scope_filter(self, scope, user) -> Q:
        own = Q(user=user)
        if scope.region_path is not None:
            left = AuditPlace.objects.filter(region_path__under=scope.region_path)
            return own | Q(region_path__under=scope.region_path) | Q(seq__in=left.values("seq"))
        return own

    def update(self, **kwargs):
        raise AppendOnlyError("审计日志只能追加，不能修改")

    def delete(self):
        raise AppendOnlyError("审计日志只能追加，不能删除")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError("审计日志只能追加，不能修改")

    def bulk_create(self, objs, batch_size=500):
        """Seal and append; primary keys are not set (``core.bulk.insert``)."""
        from liangxin.web.core.bulk import insert

        objs = list(objs)
        with transaction.atomic(using=self.db):
            link(objs)
            insert(self.model, objs, batch_size=batch_size)
        return objs


class AuditLog(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", "新增"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"
        LOGIN = "login", "登录"
        LOGOUT = "logout", "退出"
        LOGIN_FAILED = "login_failed", "登录失败"
        IMPORT_COMMIT = "import_commit", "导入提交"
        RESCREEN = "rescreen", "重新筛查"
        DECIDE = "decide", "确认匹配"
        EXPORT = "export", "导出"
        DOWNLOAD = "download", "下载"
        REVEAL = "reveal", "查看个人信息"
        PASSWORD_CHANGE = "password_change", "修改密码"
        LOCKOUT = "lockout", "登录锁定"
        UNLOCK = "unlock", "解除锁定"
        MOVE = "move", "迁移镇街"

    time = models.DateTimeField("时间", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="用户",
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True, db_index=True)
    action = models.CharField("操作", max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField("对象类型", max_length=40, blank=True, db_index=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True, db_index=True)
    object_repr = models.CharField("对象", max_length=300, blank=True)
    region_path = PathField("所属区域", blank=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    # the chain (audit/chain.py): sequence number and HMAC-SHA-256 over the previous record's
    seq = models.BigIntegerField("序号", unique=True, null=True, editable=False)
    mac = models.CharField("校验码", max_length=64, blank=True, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ["-time", "-id"]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.time):%Y-%m-%d %H:%M} {self.username} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("审计日志只能追加，不能修改")

        with transaction.atomic():
            link([self])
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("审计日志只能追加，不能删除")

    def changed_fields(self) -> list[tuple[str, object, object]]:
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class AuditPlace(models.Model):
    """One more region whose users see an entry: the 镇街 an object left when it moved to
    another, so the users of both see the move (the entry itself records both 镇街). Linked by
    the entry's ``seq``, not a foreign key, so that purging old entries stays one DELETE."""

    seq = models.BigIntegerField("序号", db_index=True)
    region_path = PathField("原所属区域")

    class Meta:
        verbose_name = verbose_name_plural = "审计日志关联区域"


class AuditHead(models.Model):
    """The chain's last record (``seq``, ``mac``) and the base it starts from after a purge."""

    seq = models.BigIntegerField(default=0)
    mac = models.CharField(max_length=64, default="0" * 64)
    base_seq = models.BigIntegerField(default=0)
    base_mac = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = verbose_name_plural = "审计日志链头"


def head_for_update():
    """The chain's head, locked until the end of the transaction."""
    AuditHead.objects.get_or_create(pk=1)
    return AuditHead.objects.select_for_update().get(pk=1)


def link(records: Iterable) -> None:
    """Number and seal new records; call inside the transaction that saves them."""
    head = head_for_update()
    for record in records:
        head.seq += 1
        record.seq = head.seq
        record.mac = compute_mac(head.mac, record)
        head.mac = record.mac
    head.save(update_fields=["seq", "mac"])
