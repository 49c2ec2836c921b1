"""Scope is decided in one place (``restrict``) and holds for every model and role."""

from __future__ import annotations

import pytest
from django.db import connection

from liangxin.web.audit.models import AuditLog
from liangxin.web.core.scope import CHANGE, Scope
from liangxin.web.instructors.models import Instructor
from liangxin.web.orgs.models import Org
from liangxin.web.parks.models import Park
from liangxin.web.partyorgs.models import PartyOrg
from liangxin.web.regions.models import Region
from liangxin.web.review.models import ReviewItem
from liangxin.web.sources.models import SourceRecord

pytestmark = pytest.mark.django_db


def test_town_user_sees_exactly_the_orgs_of_the_own_region_and_below(users, county):
    visible = Org.objects.restrict(users["town_a"])
    assert visible.count() == Org.objects.filter(town=county.town_a).count() > 0
    assert set(visible.values_list("town", flat=True)) == {county.town_a}


def test_region_tree_places_villages_under_their_town(users, county):
    village = Region.objects.filter(level=Region.Level.VILLAGE).order_by("path").first()
    assert village is not None, "addresses of the generated county name 村 in a 镇"
    town = village.parent
    assert town.level == Region.Level.TOWN and village.path.startswith(town.path)
    in_village = Org.objects.filter(region=village)
    assert in_village.exists() and {o.town for o in in_village} == {town.name}
    user = users["town_a"]
    user.region = town
    assert set(Org.objects.restrict(user).filter(region=village)) == set(in_village)
    user.region = village
    assert set(Org.objects.restrict(user)) == set(in_village)


def test_under_lookup_is_one_indexed_range_query(county):
    town = Region.objects.get(name=county.town_a)
    queryset = Org.objects.filter(region_path__under=town.path).values("pk")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "Index" in plan and "region_path" in plan
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert "USING" in plan and "INDEX" in plan and "region_path" in plan


def test_county_wide_roles_see_everything_and_only_the_admin_changes(users):
    total = Org.objects.count()
    assert Org.objects.restrict(users["admin"]).count() == total
    assert Org.objects.restrict(users["leader"]).count() == total
    assert Org.objects.restrict(users["admin"], CHANGE).count() == total
    assert not Org.objects.restrict(users["leader"], CHANGE).exists()


def test_department_user_reads_the_organizations_of_its_subtypes(users):
    visible = Org.objects.restrict(users["dept"])
    assert visible.exists()
    assert set(visible.values_list("subtype", flat=True)) <= {"association", "foundation"}
    assert visible.count() == Org.objects.filter(subtype__in=["association", "foundation"]).count()
    assert not Org.objects.restrict(users["dept"], CHANGE).exists()


def test_instructor_user_sees_the_assigned_organizations_only(users):
    instructor = users["guide"].instructor
    visible = Org.objects.restrict(users["guide"])
    assert set(visible) == set(instructor.orgs.all())
    assert Instructor.objects.restrict(users["guide"]).filter(pk=instructor.pk).exists()


def test_anonymous_and_roleless_users_see_nothing(users):
    from django.contrib.auth.models import AnonymousUser

    assert Scope.of(AnonymousUser()).nothing
    roleless = users["town_a"]
    roleless.region = None
    assert not Org.objects.restrict(roleless).exists()


@pytest.mark.parametrize("model", [PartyOrg, Instructor, Park, SourceRecord, ReviewItem])
def test_related_objects_follow_the_organizations_in_scope(users, county, model):
    visible_a = set(model.objects.restrict(users["town_a"]).values_list("pk", flat=True))
    visible_b = set(model.objects.restrict(users["town_b"]).values_list("pk", flat=True))
    everything = set(model.objects.values_list("pk", flat=True))
    assert visible_a < everything and visible_b < everything
    orgs_a = Org.objects.filter(town=county.town_a)
    for obj in model.objects.filter(pk__in=visible_a - visible_b):
        assert _touches(obj, orgs_a, county.town_a), obj


def _touches(obj, orgs, town) -> bool:
    if isinstance(obj, SourceRecord):
        return obj.org in orgs if obj.org else True
    if isinstance(obj, ReviewItem):
        return obj.org in orgs or obj.candidate in orgs
    units = {PartyOrg: "units", Instructor: "orgs", Park: "units"}[type(obj)]
    return getattr(obj, units).filter(pk__in=orgs).exists() or obj.town == town


def test_audit_entries_are_scoped_to_own_actions_and_own_region(users, county):
    visible = AuditLog.objects.restrict(users["town_b"])
    assert visible.exists()
    town_a = Region.objects.get(name=county.town_a)
    assert not visible.filter(region_path__startswith=town_a.path).exists()
