"""部门数据行: every accepted row of the extracts in force, so provenance is one click away.

A row is identified as a person finds it: file name + sheet + physical row number (docs/rules.md §R3.1).
The engine runs on these rows (plus the files of an import being previewed); a newer upload of
a file with the same name replaces its rows.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from liangxin.engine.labels import KIND_LABELS
from liangxin.web.core.scope import RestrictedQuerySet
from liangxin.web.sources.keys import record_key


class SourceRecordQuerySet(RestrictedQuerySet):
    def scope_filter(self, scope, user) -> Q:
        from liangxin.web.instructors.models import Instructor
        from liangxin.web.parks.models import Park
        from liangxin.web.partyorgs.models import PartyOrg

        # An entity's own row lists organizations (an instructor's 联系单位, a joint party
        # organization's 覆盖单位), in the user's scope or not: it is shown to whoever sees the
        # entity by place (镇街 users) or is the entity (an instructor), not to everyone who
        # sees the entity through one of its organizations.
        entities = Q()
        for model in (PartyOrg, Instructor, Park):
            placed = model.objects.filter(scope.region())
            entities |= Q(entity_id__in=placed.values("entity_id"))
        if scope.instructor_id is not None:
            own = Instructor.objects.filter(pk=scope.instructor_id)
            entities |= Q(entity_id__in=own.values("entity_id"))
        return scope.orgs("org__") | (Q(org__isnull=True) & entities)


class SourceRecord(models.Model):
    file = models.ForeignKey(
        "imports.ImportFile", models.PROTECT, related_name="records", verbose_name="导入文件"
    )
    kind = models.CharField(
        "数据类型", max_length=20, choices=[(k.value, label) for k, label in KIND_LABELS.items()]
    )
    source_file = models.CharField("文件", max_length=255)
    source_sheet = models.CharField("工作表", max_length=100, blank=True, default="")
    source_row = models.IntegerField("行号")
    values = models.JSONField("内容", default=dict)
    org = models.ForeignKey(
        "orgs.Org",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="records",
        verbose_name="关联单位",
    )
    entity_id = models.CharField("关联对象", max_length=40, blank=True, default="", db_index=True)

    objects = SourceRecordQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "部门数据行"
        ordering = ["source_file", "source_sheet", "source_row"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_file", "source_sheet", "source_row"], name="source_record_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.ref

    @property
    def key(self) -> str:
        return record_key(self.source_file, self.source_sheet, self.source_row)

    @property
    def ref(self) -> str:
        """As the engine cites it: 文件［工作表］第12行."""
        return source_ref(self.source_file, self.source_sheet, self.source_row)


def source_ref(file: str, sheet: str | None, row: int) -> str:
    return f"{file}［{sheet}］第{row}行" if sheet else f"{file}第{row}行"
