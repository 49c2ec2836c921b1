"""The read API: scoped like the pages, token or session authentication,
personal data masked like the pages, responses as the OpenAPI schema describes them."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate as validate_spec

from liangxin.web.accounts.actions import do_reset_password, do_save_user
from liangxin.web.api.actions import do_create_token, do_revoke_token
from liangxin.web.api.models import ApiToken, digest
from liangxin.web.audit.models import AuditLog
from liangxin.web.core.display import datetime_text
from liangxin.web.core.masking import mask_field
from liangxin.web.core.scope import Role
from liangxin.web.instructors.models import Instructor
from liangxin.web.orgs.models import Org
from liangxin.web.partyorgs.models import PartyOrg

pytestmark = pytest.mark.django_db


def only_in(model, users, owner="town_a", other="town_b"):
    theirs = model.objects.restrict(users[other]).values("pk")
    obj = model.objects.restrict(users[owner]).exclude(pk__in=theirs).order_by("pk").first()
    assert obj is not None, f"the test county has a {model.__name__} of {owner} only"
    return obj


@pytest.fixture
def api(client, users):
    """GET as a user, authenticated by a fresh API token of that user."""
    tokens: dict[str, str] = {}

    def get(username: str, url: str, **params):
        if username not in tokens:
            tokens[username] = do_create_token(users[username], "测试")[1]
        return client.get(url, params, headers={"authorization": f"Bearer {tokens[username]}"})

    return get


def every_id(api, username: str, url: str) -> list[int]:
    ids, page = [], 1
    while True:
        body = api(username, url, page=page, page_size=500).json()
        ids += [row["id"] for row in body["results"]]
        if body["next"] is None:
            return ids
        page += 1


# ---- scope -------------------------------------------------------------------------------


DETAILS = [(Org, "/api/orgs/{pk}/"), (PartyOrg, "/api/partyorgs/{pk}/")]
DETAILS.append((Instructor, "/api/instructors/{pk}/"))


@pytest.mark.parametrize(("model", "url"), DETAILS)
def test_details_are_404_for_another_town(api, users, model, url):
    obj = only_in(model, users)
    assert api("town_a", url.format(pk=obj.pk)).status_code == 200
    response = api("town_b", url.format(pk=obj.pk))
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到"}


@pytest.mark.parametrize(
    ("model", "url"),
    [(Org, "/api/orgs/"), (PartyOrg, "/api/partyorgs/"), (Instructor, "/api/instructors/")],
)
def test_lists_hold_exactly_the_users_scope(api, users, model, url):
    obj = only_in(model, users)
    mine = every_id(api, "town_b", url)
    assert obj.pk not in mine
    assert sorted(mine) == sorted(
        model.objects.restrict(users["town_b"]).values_list("pk", flat=True)
    )
    assert obj.pk in every_id(api, "town_a", url)
    searched = api("town_b", url, q=obj.name).json()
    assert obj.pk not in [row["id"] for row in searched["results"]]


def test_metrics_count_only_the_own_town(api, county):
    body = api("town_b", "/api/metrics/").json()
    assert [t["town"] for t in body["towns"]] == [county.town_b]
    own = Org.objects.filter(town=county.town_b)
    assert body["total"]["total"] == own.filter(in_scope=True).count()
    assert body["total"]["excluded"] == own.filter(in_scope=False).count()
    covered = own.filter(in_scope=True, org_covered=True).count()
    assert body["total"]["org_coverage_rate"]["numerator"] == covered
    county_wide = api("leader", "/api/metrics/").json()
    assert county_wide["total"]["total"] == Org.objects.filter(in_scope=True).count()
    assert county_wide["total"]["total"] > body["total"]["total"]


def test_a_detail_lists_only_related_objects_in_scope(api, users):
    """A party organization spanning towns shows the other town's units to nobody of this one."""
    party_org = (
        PartyOrg.objects.restrict(users["town_b"])
        .filter(units__in=Org.objects.restrict(users["town_a"]))
        .distinct()
        .first()
    )
    if party_org is None:  # no shared party organization: every unit listed is in scope
        party_org = PartyOrg.objects.restrict(users["town_b"]).first()
    units = api("town_b", f"/api/partyorgs/{party_org.pk}/").json()["units"]
    visible = set(Org.objects.restrict(users["town_b"]).values_list("pk", flat=True))
    assert units and set(units) <= visible
    assert set(units) == set(party_org.units.filter(pk__in=visible).values_list("pk", flat=True))


def test_filters_and_sorting_are_those_of_the_list_page(api, users):
    body = api(
        "admin", "/api/orgs/", kind="enterprise", flags="due_unestablished", sort="-employees"
    ).json()
    expected = Org.objects.filter(kind="enterprise", due_unestablished=True)
    assert body["count"] == expected.count() > 0
    employees = [row["employees"] for row in body["results"] if row["employees"] is not None]
    assert employees == sorted(employees, reverse=True)
    assert all("due_unestablished" in row["flags"] for row in body["results"])
    two_flags = api(
        "admin", "/api/orgs/?flags=due_unestablished&flags=focus_50_no_member&page_size=500"
    ).json()
    both = Org.objects.filter(due_unestablished=True, focus_50_no_member=True)
    assert two_flags["count"] == both.count()


def test_a_town_user_cannot_filter_by_another_towns_region(api, users, county):
    from liangxin.web.regions.models import Region

    region = Region.objects.get(name=county.town_a, level=Region.Level.TOWN)
    assert api("town_a", "/api/orgs/", region=region.pk).json()["count"] > 0
    response = api("town_b", "/api/orgs/", region=region.pk)
    assert response.status_code == 400
    assert "region" in response.json()["errors"]


# ---- pagination --------------------------------------------------------------------------


def test_pages_cover_the_list_once(api):
    first = api("admin", "/api/orgs/", page_size=7).json()
    total = Org.objects.count()
    assert first["count"] == total and len(first["results"]) == 7
    assert first["num_pages"] == -(-total // 7) and first["previous"] is None
    second = api("admin", first["next"]).json()
    assert second["page"] == 2 and second["previous"] is not None
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    last = api("admin", "/api/orgs/", page_size=7, page=first["num_pages"]).json()
    assert last["next"] is None and len(last["results"]) == total - 7 * (first["num_pages"] - 1)
    assert api("admin", "/api/orgs/", page_size=7, page=first["num_pages"] + 1).status_code == 404


@pytest.mark.parametrize(
    "params", [{"page": "0"}, {"page": "x"}, {"page_size": "0"}, {"page_size": "501"}]
)
def test_bad_paging_is_400(api, params):
    assert api("admin", "/api/orgs/", **params).status_code == 400


def test_an_unknown_filter_value_is_400(api):
    response = api("admin", "/api/orgs/", kind="nonsense")
    assert response.status_code == 400 and "kind" in response.json()["errors"]


# ---- authentication ----------------------------------------------------------------------


def test_no_credentials_is_401(client):
    response = client.get("/api/orgs/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_token_is_401_even_with_a_session(client, users):
    client.force_login(users["admin"])
    assert client.get("/api/orgs/").status_code == 200
    response = client.get("/api/orgs/", headers={"authorization": "Bearer lx_wrong"})
    assert response.status_code == 401


def test_the_session_authenticates_too(client_for, users):
    body = client_for("town_b").get("/api/orgs/").json()
    assert body["count"] == Org.objects.restrict(users["town_b"]).count()


def test_token_is_stored_as_a_digest_and_its_creation_audited(users):
    token, clear = do_create_token(users["town_a"], "报表工具")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == digest(clear) != clear
    assert clear not in {stored.prefix, stored.name, stored.digest}
    entry = AuditLog.objects.get(object_type="api.apitoken", object_id=str(token.pk))
    assert entry.action == AuditLog.Action.CREATE and entry.username == "town_a"
    assert clear not in str(entry.after) and entry.after["prefix"] == clear[:10]


def test_a_revoked_token_is_401_and_the_revocation_audited(client, users):
    token, clear = do_create_token(users["town_a"], "报表工具")
    header = {"authorization": f"Bearer {clear}"}
    assert client.get("/api/orgs/", headers=header).status_code == 200
    do_revoke_token(users["town_a"], token)
    assert client.get("/api/orgs/", headers=header).status_code == 401
    entries = AuditLog.objects.filter(object_type="api.apitoken", object_id=str(token.pk))
    assert [e.action for e in entries.order_by("id")] == ["create", "update"]


def test_a_token_of_a_deactivated_user_is_401(client, users):
    from liangxin.web.accounts.models import User

    _, clear = do_create_token(users["town_b"], "报表工具")
    User.objects.filter(pk=users["town_b"].pk).update(is_active=False)
    response = client.get("/api/orgs/", headers={"authorization": f"Bearer {clear}"})
    assert response.status_code == 401


def test_a_user_whose_password_must_change_is_403_by_token_and_session(client, users):
    _, clear = do_create_token(users["town_a"], "报表工具")
    header = {"authorization": f"Bearer {clear}"}
    assert client.get("/api/orgs/", headers=header).status_code == 200
    security = do_save_user(None, "anquan", "Anquan-Admin9", "安全管理员", role=Role.SECURITY_ADMIN)
    do_reset_password(security, users["town_a"], "Reset-Passw0rd")
    response = client.get("/api/orgs/", headers=header)
    assert response.status_code == 403 and "修改密码" in response.json()["detail"]
    client.force_login(users["town_a"])
    assert client.get("/api/orgs/").status_code == 403


def test_the_api_is_read_only(client, users):
    _, clear = do_create_token(users["admin"], "报表工具")
    org = Org.objects.first()
    response = client.post(f"/api/orgs/{org.pk}/", headers={"authorization": f"Bearer {clear}"})
    assert response.status_code == 405


def test_token_page_creates_shows_once_and_revokes(client_for, users):
    client = client_for("town_a")
    page = client.post("/api/tokens/", {"name": "统计报表"}).content.decode()
    token = ApiToken.objects.get(user=users["town_a"], name="统计报表")
    clear = page.split('id="new-token"')[1].split("<code>")[1].split("</code>")[0]
    assert digest(clear) == token.digest
    assert clear not in client.get("/api/tokens/").content.decode()
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == users["town_a"]


def test_only_the_owner_or_the_security_admin_sees_and_revokes_a_token(client_for, users):
    token, clear = do_create_token(users["town_a"], "报表工具")
    for other in ("town_b", "admin"):  # the county admin included
        assert client_for(other).post(f"/api/tokens/{token.pk}/revoke/").status_code == 404
        assert "报表工具" not in client_for(other).get("/api/tokens/").content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    security = do_save_user(None, "anquan", "Anquan-Admin9", "安全管理员", role=Role.SECURITY_ADMIN)
    client = client_for("town_a")
    client.force_login(security)
    page = client.get("/api/tokens/").content.decode()
    assert "报表工具" in page and clear not in page and digest(clear) not in page
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == security


@pytest.mark.parametrize("creator", ["admin", "town_a"])
def test_no_one_creates_a_token_for_someone_else(client_for, users, creator):
    """Whoever holds a token acts as its owner: an administrator holding the auditor's token
    would undo the separation of duties."""
    auditor = do_save_user(None, "shenji", "Shenji-Audit9", "审计员", role=Role.AUDITOR)
    client = client_for(creator)
    form = client.get("/api/tokens/").content.decode()
    assert 'name="owner"' not in form
    client.post("/api/tokens/", {"name": "冒用", "owner": auditor.pk})
    token = ApiToken.objects.get(name="冒用")
    assert token.user == users[creator]
    entry = AuditLog.objects.get(object_type="api.apitoken", object_id=str(token.pk))
    assert entry.username == creator and entry.after["user"] == creator


def test_a_token_records_its_last_use(client, users):
    token, clear = do_create_token(users["town_b"], "报表工具")
    assert token.last_used_at is None
    before = timezone.now()
    assert client.get("/api/orgs/", headers={"authorization": f"Bearer {clear}"}).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at >= before
    # within a minute of the last record, a call writes nothing; after it, it is recorded
    for ago, recorded in ((30, False), (120, True)):
        earlier = timezone.now() - datetime.timedelta(seconds=ago)
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
        client.get("/api/orgs/", headers={"authorization": f"Bearer {clear}"})
        token.refresh_from_db()
        assert (token.last_used_at > earlier) is recorded
    client.force_login(users["town_b"])
    page = client.get("/api/tokens/").content.decode()
    assert datetime_text(token.last_used_at) in page


# ---- masking -----------------------------------------------------------------------------


def test_org_personal_data_is_masked_as_on_the_page(api, client_for, users):
    org = (
        Org.objects.restrict(users["town_a"])
        .exclude(legal_rep=None)
        .exclude(phone=None)
        .order_by("pk")
        .first()
    )
    body = api("town_a", f"/api/orgs/{org.pk}/").json()
    page = client_for("town_a").get(f"/orgs/{org.pk}/").content.decode()
    for name in ("legal_rep", "phone", "contact"):
        raw = getattr(org, name)
        if raw is None:
            continue
        assert body[name] == mask_field(name, raw) != raw
        assert body[name] in page
        assert raw not in str(body)


def test_secretaries_and_instructor_phones_are_masked(api):
    party_org = PartyOrg.objects.exclude(secretary=None).order_by("pk").first()
    body = api("admin", f"/api/partyorgs/{party_org.pk}/").json()
    assert body["secretary"] == mask_field("secretary", party_org.secretary) != party_org.secretary
    listed = api("admin", "/api/partyorgs/", q=party_org.name).json()["results"]
    assert party_org.secretary not in str(listed)
    instructor = Instructor.objects.exclude(phone=None).order_by("pk").first()
    body = api("admin", f"/api/instructors/{instructor.pk}/").json()
    assert body["phone"] == mask_field("phone", instructor.phone) != instructor.phone


# ---- schema ------------------------------------------------------------------------------


def test_schema_is_valid_openapi(api):
    response = api("town_a", "/api/schema")
    assert response.status_code == 200
    validate_spec(response.json())


def _validator(schema: dict, component: str) -> OAS31Validator:
    root = {"$ref": f"#/components/schemas/{component}", "components": schema["components"]}
    return OAS31Validator(root)


@pytest.mark.parametrize(
    ("url", "component"),
    [
        ("/api/orgs/?page_size=100", "OrgPage"),
        ("/api/partyorgs/?page_size=100", "PartyOrgPage"),
        ("/api/instructors/?page_size=100", "InstructorPage"),
        ("/api/metrics/", "Metrics"),
    ],
)
def test_list_responses_match_the_schema(api, url, component):
    schema = api("admin", "/api/schema").json()
    body = api("admin", url).json()
    _validator(schema, component).validate(body)
    assert body != {} and (component == "Metrics" or body["results"])


@pytest.mark.parametrize(
    ("model", "url", "component"),
    [
        (Org, "/api/orgs/{pk}/", "OrgDetail"),
        (PartyOrg, "/api/partyorgs/{pk}/", "PartyOrgDetail"),
        (Instructor, "/api/instructors/{pk}/", "InstructorDetail"),
    ],
)
def test_detail_responses_match_the_schema(api, model, url, component):
    schema = api("admin", "/api/schema").json()
    for obj in model.objects.order_by("pk")[:20]:
        _validator(schema, component).validate(api("admin", url.format(pk=obj.pk)).json())


def test_the_schema_rejects_a_response_that_differs(api):
    """The response schemas are strict: an extra or a wrongly typed property fails."""
    from jsonschema.exceptions import ValidationError

    schema = api("admin", "/api/schema").json()
    org = api("admin", f"/api/orgs/{Org.objects.first().pk}/").json()
    with pytest.raises(ValidationError):
        _validator(schema, "OrgDetail").validate({**org, "unexpected": 1})
    with pytest.raises(ValidationError):
        _validator(schema, "OrgDetail").validate({**org, "employees": "many"})


def test_every_path_of_the_schema_answers(api):
    schema = api("admin", "/api/schema").json()
    ids = {"orgs": Org, "partyorgs": PartyOrg, "instructors": Instructor}
    for path in schema["paths"]:
        section = path.strip("/").split("/")[0]
        url = "/api" + path.replace(
            "{id}", str(ids[section].objects.first().pk) if "{id}" in path else ""
        )
        assert api("admin", url).status_code == 200, url


def test_a_department_user_reads_only_the_departments_organizations(api, users):
    body = api("dept", "/api/orgs/", page_size=500).json()
    subtypes = {row["subtype"] for row in body["results"]}
    assert body["count"] == Org.objects.filter(subtype__in=["association", "foundation"]).count()
    assert body["count"] > 0 and subtypes <= {"association", "foundation"}
    outside = Org.objects.exclude(subtype__in=["association", "foundation"]).first()
    assert api("dept", f"/api/orgs/{outside.pk}/").status_code == 404
    metrics = api("dept", "/api/metrics/").json()
    expected = Org.objects.filter(subtype__in=["association", "foundation"], in_scope=True)
    assert metrics["total"]["total"] == expected.count()
