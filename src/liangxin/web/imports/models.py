"""导入: a batch of uploaded extracts, its files, and the changes its preview proposes."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from liangxin.engine.schema import KIND_LABELS
from liangxin.web.core.bulk import insert
from liangxin.web.core.scope import OwnedQuerySet


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", "已上传"
        ANALYSING = "analysing", "分析中"
        READY = "ready", "待提交"
        COMMITTING = "committing", "提交中"
        COMMITTED = "committed", "已提交"
        FAILED = "failed", "失败"
        DISCARDED = "discarded", "已放弃"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="imports", verbose_name="导入人"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    committed_at = models.DateTimeField("提交时间", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.UPLOADED, db_index=True
    )
    note = models.CharField("说明", max_length=200, blank=True, default="")
    base_version = models.IntegerField("分析时的数据版本", null=True, blank=True)
    needs_analysis = models.BooleanField("需重新分析", default=False)
    summary = models.JSONField("预览统计", default=dict, blank=True)
    error = models.TextField("错误", blank=True, default="")
    job = models.ForeignKey(
        "tasks.Job",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="后台任务",
    )

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "导入批次"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"第{self.pk}批导入"

    @property
    def folder_name(self) -> str:
        return f"imports/{self.pk}"

    @property
    def file_errors(self) -> list[str]:
        return [f.report.get("error") for f in self.files.all() if f.report.get("error")]

    @property
    def review(self) -> list[dict]:
        """The preview's doubtful matches, in order (``PreviewPair``)."""
        return list(self.pairs.order_by("position").values_list("pair", flat=True))

    def store_review(self, items: list[dict]) -> None:
        self.pairs.all().delete()
        insert(
            PreviewPair,
            (PreviewPair(batch=self, position=i, pair=item) for i, item in enumerate(items)),
        )

    @property
    def can_commit(self) -> bool:
        return self.status == self.Status.READY and not self.needs_analysis and not self.file_errors


class ImportFile(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "新文件"
        REPLACES = "replaces", "替换同名文件"
        SAME = "same", "与已导入文件相同"
        ERROR = "error", "无法读取"

    batch = models.ForeignKey(ImportBatch, models.CASCADE, related_name="files")
    name = models.CharField("文件名", max_length=255)
    path = models.CharField("存放位置", max_length=500)
    size = models.IntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    kind = models.CharField(
        "数据类型",
        max_length=20,
        blank=True,
        default="",
        choices=[(k.value, label) for k, label in KIND_LABELS.items()],
    )
    status = models.CharField("对比", max_length=10, choices=Status.choices, blank=True)
    current = models.BooleanField("现行版本", default=False, db_index=True)
    report = models.JSONField("读取结果", default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "导入文件"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PreviewPair(models.Model):
    """One doubtful match the preview asks a person to decide: a row each, in the engine's
    order (``position``), not one value holding them all."""

    batch = models.ForeignKey(ImportBatch, models.CASCADE, related_name="pairs")
    position = models.IntegerField("序号")
    pair = models.JSONField("待确认匹配")

    class Meta:
        verbose_name = verbose_name_plural = "待确认匹配"
        ordering = ["batch_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="preview_pair_position")
        ]


class RejectedRow(models.Model):
    """A source row the reader sent back, with the reason: one table row each (a file may
    reject many rows; a single stored value holding them all would be read whole each time)."""

    file = models.ForeignKey(ImportFile, models.CASCADE, related_name="rejected_rows")
    sheet = models.CharField("工作表", max_length=255, blank=True, default="")
    row = models.IntegerField("行号")
    reason = models.TextField("退回原因")

    class Meta:
        verbose_name = verbose_name_plural = "退回的数据行"
        ordering = ["file_id", "sheet", "row", "id"]
        indexes = [models.Index(fields=["file", "sheet", "row"], name="rejected_row_place")]


class ValueProblem(models.Model):
    """A value of an accepted row that could not be read as its column's type."""

    file = models.ForeignKey(ImportFile, models.CASCADE, related_name="value_problems")
    sheet = models.CharField("工作表", max_length=255, blank=True, default="")
    row = models.IntegerField("行号")
    column = models.CharField("列", max_length=255)
    value = models.TextField("值", blank=True, default="")
    problem = models.TextField("问题")

    class Meta:
        verbose_name = verbose_name_plural = "数据问题"
        ordering = ["file_id", "sheet", "row", "id"]
        indexes = [models.Index(fields=["file", "sheet", "row"], name="value_problem_place")]
