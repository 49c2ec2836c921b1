"""The one model of the base: the version of the ledger's data, raised by every write."""

from __future__ import annotations

from django.db import models


class DataVersion(models.Model):
    """A counter raised by every write to the ledger's data; a preview made on an older
    version must be analysed again before it can be committed."""

    version = models.IntegerField(default=0)

    class Meta:
        db_table = "imports_dataversion"  # kept from when uploads owned it

    @classmethod
    def current(cls) -> int:
        row = cls.objects.filter(pk=1).first()
        return row.version if row else 0

    @classmethod
    def bump(cls) -> int:
        """Raise the version (inside the writing transaction; locks the row)."""
        row, _ = cls.objects.select_for_update().get_or_create(pk=1)
        row.version += 1
        row.save(update_fields=["version"])
        return row.version
