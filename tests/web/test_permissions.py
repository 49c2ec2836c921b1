"""Every action that changes state refuses by itself a user without the right, whoever calls it
(docs/security.md “角色与操作权限”), and a page works out the user's scope once."""

from __future__ import annotations

import ast
import re
from datetime import UTC, date, datetime
from itertools import takewhile
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile

from liangxin.web.accounts.actions import do_reset_password, do_reset_totp, do_save_user, do_unlock
from liangxin.web.accounts.models import User
from liangxin.web.api.actions import do_create_token, do_revoke_token
from liangxin.web.api.models import ApiToken
from liangxin.web.assign.actions import do_accept
from liangxin.web.assign.models import Assignment
from liangxin.web.audit.models import AuditLog
from liangxin.web.closures.actions import (
    do_bulk_plan,
    do_complete,
    do_resync,
    do_save_plan,
    do_waive,
)
from liangxin.web.closures.models import Closure
from liangxin.web.columnmaps.actions import do_delete_mapping, do_save_mapping
from liangxin.web.columnmaps.models import ColumnMap
from liangxin.web.core.permissions import (
    FREEZE_PERIOD,
    MANAGE_USERS,
    PERMISSIONS,
    NotAllowed,
    require,
)
from liangxin.web.core.scope import CHANGE, Role, Scope
from liangxin.web.imports.actions import do_commit, do_discard, do_reanalyse, do_upload
from liangxin.web.imports.models import ImportBatch
from liangxin.web.instructors.models import Instructor
from liangxin.web.jobs.models import Job
from liangxin.web.maps.actions import do_upload_boundary
from liangxin.web.maps.models import Boundary
from liangxin.web.orgs.actions import do_reveal, do_set_survey_facts
from liangxin.web.orgs.models import Org, SurveyFact
from liangxin.web.partyorgs.actions import do_set_party_org_facts
from liangxin.web.partyorgs.models import PartyOrg, PartyOrgFact
from liangxin.web.periods.actions import do_freeze
from liangxin.web.periods.models import Period
from liangxin.web.review.actions import do_decide
from liangxin.web.review.models import MatchDecision
from liangxin.web.verify.actions import do_answer, do_assign, do_generate
from liangxin.web.verify.models import VerificationTask

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs"
WEB = Path(__file__).resolve().parents[2] / "src" / "liangxin" / "web"
# actions on one's own account, which every user may take
OWN_ACCOUNT = {"accounts.do_change_password", "accounts.do_enable_totp", "accounts.do_use_totp"}


def org_of(town: str) -> Org:
    return Org.objects.filter(town=town, in_scope=True).order_by("org_id").first()


def task_of(town: str) -> Closure:
    return Closure.objects.filter(town=town, status="open").exclude(org=None).order_by("pk")[0]


def verification_of(town: str) -> VerificationTask:
    """An open verification task of an organization of the town (made here, not by the action)."""
    org = org_of(town)
    task, _ = VerificationTask.objects.get_or_create(
        org=org,
        defaults={"region_id": org.region_id, "region_path": org.region_path, "town": town,
                  "period_label": "测试", "reason_keys": "no_survey", "reasons": "没有镇街摸排记录",
                  "due": date(2030, 1, 31), "created_at": datetime(2026, 1, 1, tzinfo=UTC)},
    )  # fmt: skip
    return task


def county_task() -> Closure:
    return Closure.objects.get(subject="county", task_kind="ledger_report")


def party_org_outside(user) -> PartyOrg:
    return PartyOrg.objects.exclude(pk__in=PartyOrg.objects.restrict(user, CHANGE)).order_by("pk")[
        0
    ]


def pair_of(a: Org, b: Org) -> dict:
    return {"record_key": "手工|表|1", "source_ref": "手工", "name": a.name,
            "record_org_id": a.org_id, "candidate_org_id": b.org_id}  # fmt: skip


# Each case: the action called by someone without the right, and what it would have changed.
CASES = {
    "冻结期次（镇街用户）": (
        lambda u, c: do_freeze(u["town_a"], "镇街自己冻结"),
        lambda u, c: Period.objects.count(),
    ),
    "冻结期次（领导）": (
        lambda u, c: do_freeze(u["leader"], "领导冻结"),
        lambda u, c: Period.objects.count(),
    ),
    "填写计划（只读角色）": (
        lambda u, c: do_save_plan(u["leader"], task_of(c.town_a), "领导写的计划"),
        lambda u, c: Closure.objects.get(pk=task_of(c.town_a).pk).plan,
    ),
    "填写计划（其他镇街的任务）": (
        lambda u, c: do_save_plan(u["town_b"], task_of(c.town_a), "别镇的计划"),
        lambda u, c: Closure.objects.get(pk=task_of(c.town_a).pk).plan,
    ),
    "批量计划（混入其他镇街的任务）": (
        lambda u, c: do_bulk_plan(u["town_b"], [task_of(c.town_b), task_of(c.town_a)], "统一"),
        lambda u, c: sorted(Closure.objects.values_list("plan", flat=True)),
    ),
    "豁免（镇街用户）": (
        lambda u, c: do_waive(u["town_a"], [task_of(c.town_a)], "本镇认为不必"),
        lambda u, c: Closure.objects.filter(status="waived").count(),
    ),
    "标记县级任务完成（镇街用户）": (
        lambda u, c: do_complete(u["town_a"], county_task(), "已报送"),
        lambda u, c: county_task().status,
    ),
    "生成核实任务（镇街用户）": (
        lambda u, c: do_generate(u["town_a"], "镇街自己生成", date(2030, 1, 31)),
        lambda u, c: VerificationTask.objects.count(),
    ),
    "填报核实结果（领导）": (
        lambda u, c: do_answer(u["leader"], verification_of(c.town_a), "confirmed"),
        lambda u, c: VerificationTask.objects.get(pk=verification_of(c.town_a).pk).status,
    ),
    "填报核实结果（其他镇街的任务）": (
        lambda u, c: do_answer(
            u["town_b"], verification_of(c.town_a), "corrected", {"employees": 99}
        ),
        lambda u, c: (
            VerificationTask.objects.get(pk=verification_of(c.town_a).pk).status,
            SurveyFact.objects.count(),
            org_of(c.town_a).employees,
        ),
    ),
    "分派核实任务（其他镇街的任务）": (
        lambda u, c: do_assign(u["town_b"], verification_of(c.town_a), u["town_b"]),
        lambda u, c: VerificationTask.objects.get(pk=verification_of(c.town_a).pk).assignee,
    ),
    "上传导入（镇街用户）": (
        lambda u, c: do_upload(
            u["town_a"], [SimpleUploadedFile("参保.csv", "单位名称\n甲\n".encode())]
        ),
        lambda u, c: ImportBatch.objects.count(),
    ),
    "重新分析导入（领导）": (
        lambda u, c: do_reanalyse(ImportBatch.objects.latest("pk"), u["leader"]),
        lambda u, c: (ImportBatch.objects.latest("pk").status, Job.objects.count()),
    ),
    "提交导入（镇街用户）": (
        lambda u, c: do_commit(ImportBatch.objects.latest("pk"), u["town_a"]),
        lambda u, c: (ImportBatch.objects.latest("pk").status, Job.objects.count()),
    ),
    "放弃导入（镇街用户）": (
        lambda u, c: do_discard(ImportBatch.objects.latest("pk"), u["town_a"]),
        lambda u, c: ImportBatch.objects.latest("pk").status,
    ),
    "同步销号任务（镇街用户）": (
        lambda u, c: do_resync(u["town_a"]),
        lambda u, c: Job.objects.count(),
    ),
    "表头对照（镇街用户）": (
        lambda u, c: do_save_mapping(u["town_a"], "保险.xlsx", "insurance", {"单位": "name"}),
        lambda u, c: ColumnMap.objects.count(),
    ),
    "删除表头对照（领导）": (
        lambda u, c: do_delete_mapping(u["leader"], ColumnMap.objects.get()),
        lambda u, c: ColumnMap.objects.count(),
    ),
    "摸排信息（部门用户）": (
        lambda u, c: do_set_survey_facts(u["dept"], org_of(c.town_a), {"employees": 99}),
        lambda u, c: (SurveyFact.objects.count(), org_of(c.town_a).employees),
    ),
    "摸排信息（其他镇街的单位）": (
        lambda u, c: do_set_survey_facts(u["town_b"], org_of(c.town_a), {"employees": 99}),
        lambda u, c: (SurveyFact.objects.count(), org_of(c.town_a).employees),
    ),
    "党组织信息（领导）": (
        lambda u, c: do_set_party_org_facts(u["leader"], PartyOrg.objects.first(), {"type": "x"}),
        lambda u, c: (PartyOrgFact.objects.count(), PartyOrg.objects.first().type),
    ),
    "党组织信息（其他镇街的党组织）": (
        lambda u, c: do_set_party_org_facts(
            u["town_b"], party_org_outside(u["town_b"]), {"formal_members": 99}
        ),
        lambda u, c: (
            PartyOrgFact.objects.count(),
            party_org_outside(u["town_b"]).formal_members,
        ),
    ),
    "确认匹配（部门用户）": (
        lambda u, c: do_decide(u["dept"], pair_of(org_of(c.town_a), org_of(c.town_a)), "confirm"),
        lambda u, c: MatchDecision.objects.count(),
    ),
    "导入中确认匹配（镇街用户）": (
        lambda u, c: do_decide(
            u["town_a"],
            pair_of(org_of(c.town_a), org_of(c.town_a)),
            "confirm",
            batch=ImportBatch.objects.first(),
        ),
        lambda u, c: MatchDecision.objects.count(),
    ),
    "采纳选派方案（领导）": (
        lambda u, c: do_accept(
            u["leader"], [(org_of(c.town_a).org_id, Instructor.objects.first().entity_id)]
        ),
        lambda u, c: Assignment.objects.count(),
    ),
    "上传镇街边界（镇街用户）": (
        lambda u, c: do_upload_boundary(u["town_a"], "边界.geojson", {"type": "FeatureCollection"}),
        lambda u, c: Boundary.objects.count(),
    ),
    "新建用户（县级管理员）": (
        lambda u, c: do_save_user(u["admin"], "mole", "Pw-mole-123", role=Role.COUNTY_ADMIN),
        lambda u, c: User.objects.filter(username="mole").exists(),
    ),
    "修改角色（县级管理员）": (
        lambda u, c: do_save_user(u["admin"], "town_a", None, role=Role.COUNTY_ADMIN),
        lambda u, c: User.objects.get(username="town_a").role,
    ),
    "重置密码（县级管理员）": (
        lambda u, c: do_reset_password(u["admin"], u["town_a"], "Reset-pw-123"),
        lambda u, c: User.objects.get(username="town_a").password,
    ),
    "解除锁定（镇街用户）": (
        lambda u, c: do_unlock(u["town_a"], "town_b"),
        lambda u, c: None,  # its audit entry is what it would leave
    ),
    "重置动态口令（县级管理员）": (
        lambda u, c: do_reset_totp(u["admin"], u["town_a"]),
        lambda u, c: User.objects.get(username="town_a").totp_last_counter,
    ),
    "创建接口令牌（未登录）": (
        lambda u, c: do_create_token(AnonymousUser(), "匿名"),
        lambda u, c: ApiToken.objects.count(),
    ),
    "吊销他人的接口令牌": (
        lambda u, c: do_revoke_token(u["town_b"], ApiToken.objects.get(user=u["town_a"])),
        lambda u, c: ApiToken.objects.get(user=u["town_a"]).revoked_at,
    ),
}


def test_every_action_starts_by_requiring_its_permission():
    """A new ``do_*`` action cannot forget the check: its first statement is ``require(…)``."""
    unchecked = set()
    for path in WEB.glob("*/actions.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not (isinstance(node, ast.FunctionDef) and node.name.startswith("do_")):
                continue
            body = node.body[1:] if ast.get_docstring(node) else node.body
            first = body[0]
            call = first.value if isinstance(first, ast.Expr) else None
            if not (isinstance(call, ast.Call) and getattr(call.func, "id", "") == "require"):
                unchecked.add(f"{path.parent.name}.{node.name}")
    assert unchecked == OWN_ACCOUNT


@pytest.mark.parametrize("case", CASES)
def test_an_action_refuses_a_user_without_the_right_and_saves_nothing(users, county, case):
    ColumnMap.objects.create(pattern="样例", kind="insurance", headers={"单位": "name"})
    do_create_token(users["town_a"], "报表工具")
    call, state = CASES[case]
    before, audited = state(users, county), AuditLog.objects.count()
    with pytest.raises(NotAllowed) as refused:
        call(users, county)
    assert re.search(r"[\u4e00-\u9fff]", str(refused.value)), "the refusal is said in Chinese"
    assert state(users, county) == before
    assert AuditLog.objects.count() == audited


def test_the_refusal_names_who_may(users):
    with pytest.raises(NotAllowed, match="^只有县级管理员可以冻结台账期次$"):
        require(users["town_a"], FREEZE_PERIOD)
    users["admin"].is_active = False
    with pytest.raises(NotAllowed):
        require(users["admin"], FREEZE_PERIOD)


def test_revealing_needs_the_granted_right_and_an_organization_in_scope(users, county):
    mine, theirs = org_of(county.town_a), org_of(county.town_b)
    town_a = users["town_a"]
    with pytest.raises(NotAllowed, match="没有查看完整个人信息的权限"):
        do_reveal(town_a, mine, "核实联系人")
    town_a.can_reveal_personal = True
    with pytest.raises(NotAllowed):
        do_reveal(town_a, theirs, "核实联系人")
    assert not AuditLog.objects.filter(action="reveal").exists()
    do_reveal(town_a, mine, "核实联系人")
    assert AuditLog.objects.filter(action="reveal", user=town_a).count() == 1


def test_the_command_line_manages_users_and_nothing_else():
    """``adduser`` has no user: actor None, allowed only what is declared for the command line."""
    require(None, MANAGE_USERS)
    assert do_save_user(None, "xin", "Pw-xin-1234", role=Role.TOWN).role == Role.TOWN
    with pytest.raises(NotAllowed):
        require(None, FREEZE_PERIOD)


def test_the_roles_table_in_the_docs_is_the_declared_one():
    section = (DOCS / "security.md").read_text(encoding="utf-8").split("### 角色与操作权限", 1)[1]
    lines = section.strip().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    table = list(takewhile(lambda line: line.startswith("|"), lines[start:]))
    header = [cell.strip() for cell in table[0].strip("|").split("|")]
    rows = {
        cells[0]: dict(zip(header, cells, strict=True))
        for cells in ([c.strip() for c in line.strip("|").split("|")] for line in table[2:])
    }
    assert set(rows) == {permission.does for permission in PERMISSIONS}
    for permission in PERMISSIONS:
        marked = {role for role in Role if rows[permission.does].get(role.label) == "✓"}
        assert marked == set(permission.roles), permission.does


def test_a_page_works_out_the_scope_once(client_for, monkeypatch):
    """However many lists, counts and checks a page makes, the scope is worked out once."""
    asked, worked_out = [], []
    of, seen_by = Scope.of.__func__, Scope.seen_by.__func__
    monkeypatch.setattr(
        Scope, "of", classmethod(lambda cls, *a, **k: asked.append(1) or of(cls, *a, **k))
    )
    monkeypatch.setattr(
        Scope, "seen_by", classmethod(lambda cls, user: worked_out.append(1) or seen_by(cls, user))
    )
    client = client_for("town_a")
    for url in ("/", "/closures/", "/orgs/", "/periods/"):
        asked.clear()
        worked_out.clear()
        assert client.get(url).status_code == 200
        assert len(asked) > 1, url  # asked many times…
        assert len(worked_out) == 1, url  # …worked out once


def test_the_scope_follows_a_change_of_role_or_region_on_the_same_user_object(users, county):
    user = users["town_a"]
    assert Scope.of(user).region_path is not None
    assert Org.objects.restrict(user).exclude(town=county.town_a).count() == 0
    user.region = users["town_b"].region
    assert set(Org.objects.restrict(user).values_list("town", flat=True)) == {county.town_b}
    user.role = Role.LEADER
    assert Scope.of(user).everything and Scope.of(user, CHANGE).nothing
    user.role = Role.DEPARTMENT
    user.dept_subtypes = ["foundation"]
    assert Scope.of(user).department == {"subtype": ["foundation"]}
    user.dept_subtypes.append("association")
    assert Scope.of(user).department == {"subtype": ["foundation", "association"]}
    user.is_active = False
    assert Scope.of(user).nothing
