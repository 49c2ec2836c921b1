from django import forms

from liangxin.web.core.filters import ALL, FilterForm
from liangxin.web.regions.models import Region


class RegionFilter(FilterForm):
    """A filter form with a 镇街 choice listing the regions the user may see; the objects of
    that region and below are shown."""

    region_label = "镇街"
    region = forms.ChoiceField(label="镇街")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        towns = Region.objects.restrict(self.user).filter(level=Region.Level.TOWN)
        self.fields["region"].label = self.region_label
        self.fields["region"].choices = [ALL] + [(str(r.pk), r.name) for r in towns]

    def apply_region(self, queryset, value):
        region = Region.objects.restrict(self.user).filter(pk=value).first()
        return queryset.filter(region_path__under=region.path) if region else queryset.none()
