"""核实任务: generation finds the doubtful organizations with their reasons and never twice;
the list, card and answer stay within the user's 镇街; answers flow back through the audited
survey edit (a correction changes the value, 查无此单位 takes the organization out of scope)."""

from __future__ import annotations

import datetime

import pytest

from liangxin.web.audit.models import AuditLog
from liangxin.web.closures.models import Closure
from liangxin.web.core.permissions import NotAllowed
from liangxin.web.core.policy import as_of
from liangxin.web.dashboard.metrics import county_metrics
from liangxin.web.orgs.models import Org, SurveyFact
from liangxin.web.verify.actions import VerifyError, do_answer, do_assign, do_generate
from liangxin.web.verify.models import VerificationTask
from liangxin.web.verify.reasons import REASONS

pytestmark = pytest.mark.django_db

DUE = datetime.date(2030, 1, 31)
# a fact set that no reason finds
CLEAN = {
    "source_kinds": "insurance;registry;survey",
    "reg_status": "存续",
    "insured": 12,
    "employees": 20,
    "due_unestablished": False,
    "in_scope": True,
}


def orgs_of(town: str, n: int) -> list[Org]:
    return list(Org.objects.filter(town=town, kind="enterprise").order_by("org_id")[:n])


def plant(org: Org, **facts) -> Org:
    Org.objects.filter(pk=org.pk).update(**{**CLEAN, **facts})
    org.refresh_from_db()
    return org


@pytest.fixture
def planted(county):
    """One organization per reason in town A, and one that no reason finds."""
    clean, survey, insured, deadline, near = orgs_of(county.town_a, 5)
    plant(clean)
    plant(survey, source_kinds="insurance;registry")
    plant(insured, insured=0)
    plant(deadline, in_scope=True, due_unestablished=True)
    Closure.objects.filter(org=deadline).delete()
    Closure.objects.create(
        task_id=f"verify-test-{deadline.org_id}",
        task_kind="establish",
        task="组建党组织",
        subject="org",
        subject_id=deadline.org_id,
        name=deadline.name,
        org=deadline,
        region_id=deadline.region_id,
        region_path=deadline.region_path,
        deadline=as_of() + datetime.timedelta(days=10),
        opened_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    plant(near, employees=52)
    return {"clean": clean, "no_survey": survey, "active_uninsured": insured,
            "deadline_soon": deadline, "near_threshold": near}  # fmt: skip


def task_of(org: Org) -> VerificationTask:
    return VerificationTask.objects.get(org=org)


def test_generation_finds_each_reason_once_and_never_twice(users, planted):
    opened = do_generate(users["admin"], "十二月核实", DUE)
    assert opened == VerificationTask.objects.count() > 0
    labels = {reason.name: reason.label for reason in REASONS}
    for name in labels:
        task = task_of(planted[name])
        assert task.reason_keys.split(",") == [name]
        assert task.reasons == labels[name]
        assert task.due == DUE and task.status == VerificationTask.Status.OPEN
        assert task.region_path == planted[name].region_path
    assert not VerificationTask.objects.filter(org=planted["clean"]).exists()
    # out of scope, a missing survey or a count near a threshold is no reason to go and look
    VerificationTask.objects.filter(org=planted["no_survey"]).delete()
    Org.objects.filter(pk=planted["no_survey"].pk).update(in_scope=False, employees=50)
    assert do_generate(users["admin"], "范围外", DUE) == 0
    # an organization found by two reasons gets one task with both
    both = plant(planted["near_threshold"], employees=99, insured=None)
    VerificationTask.objects.filter(org=both).delete()
    assert do_generate(users["admin"], "补充核实", DUE) == 1
    assert task_of(both).reasons == f"{labels['active_uninsured']}；{labels['near_threshold']}"
    assert do_generate(users["admin"], "再次生成", DUE) == 0
    assert AuditLog.objects.filter(note__startswith="生成核实任务").count() == 4


def test_only_a_county_admin_generates(users, planted):
    with pytest.raises(NotAllowed):
        do_generate(users["town_a"], "镇街自己生成", DUE)
    assert not VerificationTask.objects.exists()


def test_another_town_finds_nothing_of_the_task(users, planted, client_for):
    do_generate(users["admin"], "十二月核实", DUE)
    task = task_of(planted["no_survey"])
    client = client_for("town_b")
    assert planted["no_survey"].name not in client.get("/verify/").content.decode()
    assert client.get(f"/verify/{task.pk}/").status_code == 404
    response = client.post(f"/verify/{task.pk}/answer/", {"answer": "confirmed"})
    assert response.status_code == 404
    response = client.post(f"/verify/{task.pk}/assign/", {"assignee": users["town_b"].pk})
    assert response.status_code == 404
    response = client.post("/verify/generate/", {"period_label": "别镇", "due": "2030-01-31"})
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.status == VerificationTask.Status.OPEN and task.assignee is None
    assert VerificationTask.objects.filter(period_label="别镇").count() == 0
    with pytest.raises(NotAllowed):
        do_answer(users["town_b"], task, "confirmed")
    with pytest.raises(NotAllowed):
        do_answer(users["leader"], task, "confirmed")
    mine = client_for("town_a").get("/verify/").content.decode()
    assert planted["no_survey"].name in mine


def test_the_card_shows_the_ledger_and_confirming_closes_the_task(users, planted, client_for):
    do_generate(users["admin"], "十二月核实", DUE)
    org = planted["near_threshold"]
    task = task_of(org)
    client = client_for("town_a")
    card = client.get(f"/verify/{task.pk}/").content.decode()
    for label in ("经营状况", "从业人员数", "正式党员数", "出资人是否党员", "是否有固定场所"):
        assert label in card
    assert 'value="52"' in card
    client.post(f"/verify/{task.pk}/answer/", {"answer": "confirmed"})
    task.refresh_from_db()
    assert (task.status, task.answer, task.answered_by) == ("done", "confirmed", users["town_a"])
    assert not SurveyFact.objects.filter(org=org).exists()
    assert AuditLog.objects.filter(object_type="verify.verificationtask", note="核实：确认无误")


def test_a_correction_changes_the_value_and_is_audited(users, planted, client_for):
    do_generate(users["admin"], "十二月核实", DUE)
    org = planted["near_threshold"]
    task = task_of(org)
    form = {"answer": "corrected", "employees": "48", "operating": "正常经营",
            "survey_formal_members": "", "investor_is_member": "", "has_premises": "true",
            "unbuilt_reason": ""}  # fmt: skip
    plant(org, employees=52, has_premises=True, operating="正常经营", survey_formal_members=None,
          investor_is_member=None, unbuilt_reason=None)  # fmt: skip
    client_for("town_a").post(f"/verify/{task.pk}/answer/", form)
    org.refresh_from_db()
    task.refresh_from_db()
    assert org.employees == 48
    assert task.answer == "corrected" and task.answer_facts == {"employees": 48}
    edit = AuditLog.objects.get(object_type="orgs.org", object_id=str(org.pk), note="修改摸排信息")
    assert edit.before == {"employees": 52} and edit.after == {"employees": 48}
    assert edit.user == users["town_a"]
    with pytest.raises(VerifyError):
        do_answer(users["town_a"], task, "confirmed")


def test_a_correction_without_a_change_is_refused(users, planted):
    do_generate(users["admin"], "十二月核实", DUE)
    task = task_of(planted["no_survey"])
    with pytest.raises(VerifyError):
        do_answer(users["town_a"], task, "corrected", {})
    task.refresh_from_db()
    assert task.status == VerificationTask.Status.OPEN


def test_not_found_takes_the_organization_out_of_scope(users, county):
    org = (
        Org.objects.filter(town=county.town_a, in_scope=True, kind="enterprise")
        .order_by("org_id")
        .first()
    )
    plant(org, employees=50)
    counted = county_metrics(Org.objects.restrict(users["admin"]))["total"]["total"]
    do_generate(users["admin"], "十二月核实", DUE)
    do_answer(users["town_a"], task_of(org), "not_found")
    org.refresh_from_db()
    assert org.operating == "查无此单位"
    assert SurveyFact.objects.get(org=org, field="operating").value == "查无此单位"
    assert not org.in_scope and org.exclusion_reason == "核实不符合条件"
    assert county_metrics(Org.objects.restrict(users["admin"]))["total"]["total"] == counted - 1
    assert task_of(org).answer == "not_found"


def test_a_task_is_assigned_within_its_town_and_listed_as_theirs(users, planted, client_for):
    do_generate(users["admin"], "十二月核实", DUE)
    task = task_of(planted["no_survey"])
    with pytest.raises(VerifyError):
        do_assign(users["admin"], task, users["town_b"])
    with pytest.raises(NotAllowed):
        do_assign(users["town_b"], task, users["town_b"])
    client = client_for("town_a")
    assert 'id="verify-assign"' in client.get(f"/verify/{task.pk}/").content.decode()
    client.post(f"/verify/{task.pk}/assign/", {"assignee": users["town_a"].pk})
    task.refresh_from_db()
    assert task.assignee == users["town_a"]
    assert AuditLog.objects.filter(object_id=str(task.pk), note="分派核实任务").exists()
    mine = client.get("/verify/?show=mine").content.decode()
    assert planted["no_survey"].name in mine
    assert planted["near_threshold"].name not in mine


def test_a_county_admin_generates_from_the_list_page(planted, client_for):
    client = client_for("admin")
    assert 'id="generate"' in client.get("/verify/").content.decode()
    page = client.post(
        "/verify/generate/", {"period_label": "十二月核实", "due": "2030-01-31"}, follow=True
    ).content.decode()
    opened = VerificationTask.objects.filter(period_label="十二月核实").count()
    assert opened > 0 and f"已生成 {opened} 项核实任务" in page
    assert 'id="generate"' not in client_for("town_a").get("/verify/").content.decode()
