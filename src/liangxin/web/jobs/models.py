"""Background jobs kept in the database: status, progress and result survive a restart."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from liangxin.web.core.scope import OwnedQuerySet


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("类型", max_length=40)
    label = models.CharField("名称", max_length=200)
    params = models.JSONField("参数", default=dict)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    step = models.CharField("当前步骤", max_length=200, blank=True, default="")
    done = models.IntegerField("已完成", default=0)
    total = models.IntegerField("总数", default=0)
    result = models.JSONField("结果", default=dict, blank=True)
    error = models.TextField("错误", blank=True, default="")
    request_id = models.CharField("请求编号", max_length=64, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name="发起人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    heartbeat = models.DateTimeField("心跳", null=True, blank=True)
    worker = models.CharField("执行者", max_length=100, blank=True, default="")

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.label

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return round(100 * self.done / self.total) if self.total else 0


def pending_rescreen(user) -> Job | None:
    """The user's re-screening that has not finished yet (pages show its progress)."""
    return (
        Job.objects.restrict(user)
        .filter(kind="rescreen", status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
        .first()
    )
