"""The detail page shared by a party organization, an instructor and a park: each is an entity
that names organizations, so its page lists them (``orgs``) next to its source rows
(``sources``) and its history (``audit``)."""

from __future__ import annotations

from liangxin.engine.screen.wording import REASON_SEPARATOR
from liangxin.web.audit.models import AuditLog
from liangxin.web.core.masking import mask_field
from liangxin.web.core.views import ObjectDetailView
from liangxin.web.orgs.models import Org
from liangxin.web.sources.models import SourceRecord


class EntityDetailView(ObjectDetailView):
    """A party organization, instructor or park: its values, its organizations (those in the
    user's scope), its findings, its source rows and its history."""

    template_name = "core/entity_detail.html"
    fields: tuple[str, ...] = ()
    findings: dict[str, str] = {}
    units: str = ""  # the Org field pointing back at this model
    units_title = "单位"

    def context(self, request, obj) -> dict:
        user = request.user
        all_units = Org.objects.filter(**{self.units: obj})
        units = Org.objects.restrict(user).filter(**{self.units: obj}).order_by("name_sort")
        return {
            "values": [
                (obj._meta.get_field(name).verbose_name, _shown(obj, name, mask_field))
                for name in self.fields
            ],
            "findings": [(label, getattr(obj, name)) for name, label in self.findings.items()],
            "reasons": [r for r in (obj.reasons or "").split(REASON_SEPARATOR) if r]
            if hasattr(obj, "reasons")
            else [],
            "units": units,
            "hidden_units": all_units.count() - units.count(),
            "units_title": self.units_title,
            "records": SourceRecord.objects.restrict(user).filter(entity_id=obj.entity_id),
            "history": AuditLog.objects.restrict(user).filter(
                object_type=obj._meta.label_lower, object_id=str(obj.pk)
            )[:50],
        }


def _shown(obj, name: str, mask):
    display = getattr(obj, f"get_{name}_display", None)
    return display() if display else mask(name, getattr(obj, name))
