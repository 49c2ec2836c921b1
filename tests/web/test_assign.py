"""指导员选派: the planner's proposals, accepted in the browser, feed the engine and close tasks."""

from __future__ import annotations

import pytest

from liangxin.web.assign.models import Assignment
from liangxin.web.audit.models import AuditLog
from liangxin.web.closures.models import Closure
from liangxin.web.instructors.models import Instructor
from liangxin.web.orgs.models import Org

pytestmark = pytest.mark.django_db

LINYI = {"with": 5, "without": 3}


def test_town_user_accepts_proposals_which_cover_orgs_and_close_tasks(client_for, users, county):
    client = client_for("town_a")
    page = client.get("/assign/")
    assert page.status_code == 200
    proposals = page.context["proposals"]
    assert proposals, "the test county has organizations without an instructor"
    assert {p["org_town"] for p in proposals} == {county.town_a}
    picks = [f"{p['org_id']}|{p['entity_id']}" for p in proposals]
    open_before = Closure.objects.filter(
        task_kind="instructor_assign",
        status="open",
        org__org_id__in=[p["org_id"] for p in proposals],
    ).count()
    assert open_before == len(proposals)

    touched = {p["entity_id"] for p in proposals}
    before = {
        i.entity_id: (i.orgs_with_party_org, i.orgs_without_party_org)
        for i in Instructor.objects.filter(entity_id__in=touched)
    }
    client.post("/assign/accept/", {"pick": picks})

    assert Assignment.objects.filter(accepted_by=users["town_a"]).count() == len(proposals)
    assert AuditLog.objects.filter(
        object_type="dispatch.assignment", action="create", user=users["town_a"]
    ).count() == len(proposals)
    for p in proposals:
        org = Org.objects.get(org_id=p["org_id"])
        assert org.work_covered, org
        assert org.instructors.filter(entity_id=p["entity_id"]).exists()
        task = Closure.objects.get(task_kind="instructor_assign", org=org)
        assert task.status == "closed" and task.closed_by == users["town_a"]
    # no instructor is over the policy's capacity because of the plan
    for ins in Instructor.objects.filter(entity_id__in=touched):
        with_before, without_before = before[ins.entity_id]
        added = sum(p["entity_id"] == ins.entity_id for p in proposals)
        assert (ins.orgs_with_party_org, ins.orgs_without_party_org) == (
            with_before,
            without_before + added,  # the organizations needing one have no party org
        )
        assert ins.orgs_without_party_org <= LINYI["without"]
        if with_before <= LINYI["with"]:
            assert not ins.over_capacity
    # nothing is left to propose in the town unless capacity ran out
    again = client.get("/assign/").context
    assert not again["proposals"]


def test_accepting_another_towns_org_is_refused(client_for, county):
    proposals = client_for("town_b").get("/assign/").context["proposals"]
    assert proposals
    theirs = proposals[0]
    client = client_for("town_a")
    response = client.post(
        "/assign/accept/", {"pick": [f"{theirs['org_id']}|{theirs['entity_id']}"]}, follow=True
    )
    assert "不在可选派范围内" in response.content.decode()
    assert not Assignment.objects.exists()


def test_read_only_roles_cannot_plan(client_for, county):
    for username in ("leader", "dept", "guide"):
        client = client_for(username)
        assert client.get("/assign/").status_code == 404
        assert client.post("/assign/accept/", {"pick": ["x|y"]}).status_code == 404
