from django.db.models import Count, Q

from liangxin.web.core.views import ObjectListView
from liangxin.web.orgs.entities import EntityDetailView
from liangxin.web.orgs.models import Org
from liangxin.web.parks.filtersets import ParkFilter
from liangxin.web.parks.models import Park
from liangxin.web.parks.tables import ParkTable


class ParkListView(ObjectListView):
    model = Park
    table = ParkTable
    filterset = ParkFilter
    title = "园区楼宇"

    def queryset(self, request):
        visible = Org.objects.restrict(request.user)
        return (
            super()
            .queryset(request)
            .annotate(unit_total=Count("units", filter=Q(units__in=visible), distinct=True))
        )


class ParkDetailView(EntityDetailView):
    model = Park
    fields = ("name", "level", "park_kind", "town", "source")
    units = "parks"
    units_title = "入驻单位"
